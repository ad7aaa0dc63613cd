// The transformations the webhook debugger tries: each turns the pasted body or
// a configured secret into what a sender or receiver commonly uses by mistake.
// A variant that leaves the bytes unchanged is left out, so every variant that
// matches a signature proves its transformation made the difference.

const encoder = new TextEncoder();
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const BOM = [0xef, 0xbb, 0xbf];
const CR = 0x0d;
const LF = 0x0a;
const SECRET_PREFIX = "whsec_";

function concat(...parts) {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** True when two byte arrays hold the same bytes. */
export function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}

function startsWithBom(bytes) {
  return bytes.length >= 3 && BOM.every((byte, i) => bytes[i] === byte);
}

/** Replaces every CR LF pair with LF. */
function crlfToLf(bytes) {
  const out = new Uint8Array(bytes.length);
  let length = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    if (bytes[i] === CR && bytes[i + 1] === LF) continue;
    out[length] = bytes[i];
    length += 1;
  }
  return out.subarray(0, length);
}

/** Replaces every LF that has no CR before it with CR LF. */
function lfToCrlf(bytes) {
  const out = new Uint8Array(bytes.length * 2);
  let length = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    if (bytes[i] === LF && bytes[i - 1] !== CR) {
      out[length] = CR;
      length += 1;
    }
    out[length] = bytes[i];
    length += 1;
  }
  return out.subarray(0, length);
}

function withoutTrailingLineEnd(bytes) {
  let end = bytes.length;
  if (bytes[end - 1] === LF) end -= 1;
  if (bytes[end - 1] === CR) end -= 1;
  return bytes.subarray(0, end);
}

function withoutTrailingWhitespace(bytes) {
  let end = bytes.length;
  while (end > 0 && [0x20, 0x09, CR, LF].includes(bytes[end - 1])) end -= 1;
  return bytes.subarray(0, end);
}

/** Returns a copy of a parsed JSON value with object keys sorted at every level. */
function sortKeys(value) {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const sorted = {};
  for (const key of Object.keys(value).sort()) sorted[key] = sortKeys(value[key]);
  return sorted;
}

/**
 * Serialises like Python's `json.dumps` with its defaults: ", " and ": "
 * separators and non-ASCII characters escaped as \uXXXX. Numbers are written
 * as JavaScript writes them, so `1.0` comes out as `1`.
 */
function pythonJson(value) {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const items = Object.keys(value).map((key) => `${asciiJson(key)}: ${pythonJson(value[key])}`);
    return `{${items.join(", ")}}`;
  }
  return typeof value === "string" ? asciiJson(value) : JSON.stringify(value);
}

function asciiJson(text) {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function jsonVariants(text) {
  let parsed;
  try {
    parsed = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch {
    return [];
  }
  const sorted = sortKeys(parsed);
  const forms = [
    ["json-compact", "as compact JSON", JSON.stringify(parsed)],
    ["json-pretty-2", "as JSON indented with 2 spaces", JSON.stringify(parsed, null, 2)],
    ["json-pretty-4", "as JSON indented with 4 spaces", JSON.stringify(parsed, null, 4)],
    ["json-python", "as Python's json.dumps writes it", pythonJson(parsed)],
    ["json-sorted", "as compact JSON with sorted keys", JSON.stringify(sorted)],
    [
      "json-sorted-pretty-2",
      "as JSON with sorted keys, indented with 2 spaces",
      JSON.stringify(sorted, null, 2),
    ],
    [
      "json-sorted-pretty-4",
      "as JSON with sorted keys, indented with 4 spaces",
      JSON.stringify(sorted, null, 4),
    ],
    ["json-python-sorted", "as Python's json.dumps(sort_keys=True) writes it", pythonJson(sorted)],
  ];
  return forms.map(([id, form, json]) => ({ id, form, bytes: encoder.encode(json) }));
}

/**
 * Returns the body variants as `{ id, form, bytes }`: re-serialised JSON,
 * trailing line end added or removed, CRLF and LF swapped, BOM added or
 * stripped. Each `bytes` differs from `body` and from every earlier variant.
 */
export function bodyVariants(body) {
  let text = null;
  try {
    text = utf8.decode(body);
  } catch {
    // Not UTF-8: only the byte-level variants apply.
  }
  // Byte-level variants come first: where a re-serialisation yields the same
  // bytes, the smaller change is the one reported.
  const candidates = [
    { id: "trailing-newline-added", form: "with \\n appended", bytes: concat(body, [LF]) },
    { id: "trailing-newline-added", form: "with \\r\\n appended", bytes: concat(body, [CR, LF]) },
    {
      id: "trailing-newline-removed",
      form: "without its last line end",
      bytes: withoutTrailingLineEnd(body),
    },
    {
      id: "trailing-newline-removed",
      form: "without trailing whitespace",
      bytes: withoutTrailingWhitespace(body),
    },
    { id: "crlf-to-lf", form: "with CRLF line ends turned into LF", bytes: crlfToLf(body) },
    { id: "lf-to-crlf", form: "with LF line ends turned into CRLF", bytes: lfToCrlf(body) },
    startsWithBom(body)
      ? { id: "bom-stripped", form: "without its byte order mark", bytes: body.subarray(3) }
      : { id: "bom-added", form: "with a byte order mark in front", bytes: concat(BOM, body) },
    ...(text === null ? [] : jsonVariants(text)),
  ];
  const distinct = [];
  for (const variant of candidates) {
    const seen = [body, ...distinct.map((other) => other.bytes)];
    if (!seen.some((bytes) => sameBytes(bytes, variant.bytes))) distinct.push(variant);
  }
  return distinct;
}

/** Decodes strict standard base64 (the Standard Webhooks secret encoding); null if invalid. */
function standardBase64(text) {
  if (text.length === 0 || text.length % 4 === 1 || !/^[A-Za-z0-9+/]+={0,2}$/.test(text)) {
    return null;
  }
  try {
    return Uint8Array.from(atob(text), (char) => char.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * Returns the key variants of one secret as `{ id, form, key }`: whitespace
 * trimmed, a line end appended, the `whsec_` prefix stripped or added, and the
 * Standard Webhooks key (the base64-decoded part after `whsec_`).
 */
export function secretVariants(secret) {
  const hasPrefix = secret.startsWith(SECRET_PREFIX);
  const suffix = hasPrefix ? secret.slice(SECRET_PREFIX.length) : secret;
  const candidates = [
    { id: "secret-trimmed", form: "with surrounding whitespace removed", key: secret.trim() },
    { id: "secret-newline-added", form: "with \\n appended", key: `${secret}\n` },
    { id: "secret-newline-added", form: "with \\r\\n appended", key: `${secret}\r\n` },
    hasPrefix
      ? { id: "secret-prefix-stripped", form: `without "${SECRET_PREFIX}"`, key: suffix }
      : {
          id: "secret-prefix-added",
          form: `with "${SECRET_PREFIX}" in front`,
          key: SECRET_PREFIX + secret,
        },
  ];
  const variants = candidates
    .filter((variant) => variant.key !== "" && variant.key !== secret)
    .map((variant) => ({ ...variant, key: encoder.encode(variant.key) }));

  const decoded = standardBase64(suffix.trim());
  if (decoded !== null && decoded.length > 0) {
    variants.push({
      id: "standard-webhooks-key",
      form: `the base64-decoded part after "${SECRET_PREFIX}"`,
      key: decoded,
    });
  }
  return variants;
}
