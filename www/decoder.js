// The error decoder's logic: turns a pasted status, headers and body into the
// package's typed API error with `decodeApiError`, as plain data for display.
// Runs in the page's Worker and under Node; the package is passed in.
import { parseHeaderLines } from "./workbench.js";

/** True when this build of the package has `decodeApiError`. */
export function decoderAvailable(coasty) {
  return typeof coasty.decodeApiError === "function";
}

function inputError(message, field) {
  return { ok: false, error: { name: "InputError", code: "INVALID_INPUT", message, field } };
}

/**
 * Reads pasted headers: a JSON object, JSON `[name, value]` pairs, or
 * "Name: value" lines (a leading "HTTP/1.1 429 ..." status line is skipped).
 */
export function parsePastedHeaders(text) {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    const parsed = JSON.parse(trimmed);
    if (Array.isArray(parsed)) return parsed.map((pair) => [String(pair[0]), String(pair[1])]);
    return Object.entries(parsed).map(([name, value]) => [name, String(value)]);
  }
  const lines = trimmed.split(/\r?\n/).filter((line) => !/^HTTP\/\d/i.test(line.trim()));
  return parseHeaderLines(lines.join("\n"));
}

// Fields shown first; every other own field of the error follows.
const LEADING_FIELDS = ["name", "kind", "status", "code", "message", "type", "requestId"];

function structuredValue(value) {
  // The Worker posts results with structured clone, which keeps plain data only.
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/**
 * Decodes an error response. `input` is `{ status, headersText, body, now }`
 * as typed (`now` in unix seconds, optional, for Retry-After dates). Returns
 * `{ ok: true, className, fields: [[name, value], ...], hint }`, every field
 * of the error instance included (null where it has no value), or
 * `{ ok: false, error }` for input the page cannot pass on.
 */
export function decodePasted(coasty, input) {
  const statusText = String(input.status ?? "").trim();
  if (!/^\d{3}$/.test(statusText)) {
    return inputError(
      `status must be a three-digit HTTP status such as 429, got "${statusText}"`,
      "status",
    );
  }
  let headers;
  try {
    headers = parsePastedHeaders(input.headersText ?? "");
  } catch (error) {
    return inputError(`the headers do not parse: ${error.message}`, "headers");
  }
  const nowText = String(input.now ?? "").trim();
  if (nowText !== "" && !/^\d{1,12}$/.test(nowText)) {
    return inputError(`the time must be unix seconds such as 1750000000, got "${nowText}"`, "now");
  }

  let decoded;
  try {
    const options = nowText === "" ? {} : { now: Number(nowText) };
    decoded = coasty.decodeApiError(Number(statusText), headers, input.body ?? "", options);
  } catch (error) {
    return {
      ok: false,
      error: { name: error.name, code: error.code ?? null, message: error.message },
    };
  }
  const names = [
    ...LEADING_FIELDS,
    ...Object.keys(decoded).filter((name) => !LEADING_FIELDS.includes(name)),
  ];
  const fields = names.map((name) => [name, structuredValue(decoded[name])]);
  return { ok: true, className: decoded.name, fields, hint: decoded.hint ?? null };
}
