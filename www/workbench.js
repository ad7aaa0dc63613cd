// The request workbench's logic: builds a request with the package's
// `buildRequest` (the same validation the client runs) and renders it as HTTP,
// curl and fetch with the API key redacted. Runs in the page's Worker and
// under Node; the package is passed in.

// Stands in for the key when none is entered. No snippet shows it, because
// every API key header is redacted.
const PLACEHOLDER_KEY = "sk-coasty-test-placeholder";
const REDACTED = "[redacted]";
const SECRET_HEADERS = ["x-api-key", "authorization", "x-llm-api-key"];

/** True when this build of the package has the workbench functions. */
export function workbenchAvailable(coasty) {
  return ["buildRequest", "operations"].every((name) => typeof coasty[name] === "function");
}

/** Returns the operation table as plain data. */
export function listOperations(coasty) {
  return coasty.operations();
}

/** Parses "Name: value" lines into pairs; blank lines are skipped. */
export function parseHeaderLines(text) {
  const pairs = [];
  for (const [index, line] of text.split(/\r?\n/).entries()) {
    if (line.trim() === "") continue;
    const colon = line.indexOf(":");
    if (colon <= 0) {
      throw inputError(
        "INVALID_HEADER_LINE",
        `header line ${index + 1} has no "Name: value" form; write one header per line`,
      );
    }
    pairs.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return pairs;
}

function inputError(code, message, field = null) {
  return { name: "InputError", code, message, field };
}

function parseBody(bodyText) {
  if (bodyText.trim() === "") return undefined;
  try {
    return JSON.parse(bodyText);
  } catch (error) {
    throw inputError(
      "INVALID_JSON",
      `the body is not valid JSON (${error.message}); fix it in the JSON editor`,
      "body",
    );
  }
}

function plainError(error) {
  if (error?.name === "InputError") return error;
  return {
    name: error?.name ?? "Error",
    code: error?.code ?? null,
    message: error?.message ?? String(error),
    field: error?.field ?? null,
    problem: error?.problem ?? null,
    allowed: error?.allowed ?? null,
  };
}

function isSecretHeader(name) {
  return SECRET_HEADERS.includes(name.toLowerCase());
}

function redactedHeaders(headers) {
  return headers.map(([name, value]) => {
    if (!isSecretHeader(name)) return [name, value];
    const shown = name.toLowerCase() === "authorization" ? `Bearer ${REDACTED}` : REDACTED;
    return [name, shown];
  });
}

function httpText(request, headers) {
  const url = new URL(request.url);
  const lines = [`${request.method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`];
  for (const [name, value] of headers) lines.push(`${name}: ${value}`);
  return request.body === null ? lines.join("\n") : `${lines.join("\n")}\n\n${request.body}`;
}

/** Renders a fetch call that reads the key from COASTY_API_KEY in place of the value. */
function fetchSnippet(request, headers) {
  const headerLines = headers.map(([name, value]) => {
    const lower = name.toLowerCase();
    let expression = JSON.stringify(value);
    if (lower === "x-api-key") expression = "process.env.COASTY_API_KEY";
    if (lower === "authorization") expression = "`Bearer ${process.env.COASTY_API_KEY}`";
    if (lower === "x-llm-api-key") expression = "process.env.LLM_API_KEY";
    return `    ${JSON.stringify(name)}: ${expression},`;
  });
  const lines = [
    `const response = await fetch(${JSON.stringify(request.url)}, {`,
    `  method: ${JSON.stringify(request.method)},`,
    "  headers: {",
    ...headerLines,
    "  },",
  ];
  if (request.body !== null) lines.push(`  body: ${JSON.stringify(request.body)},`);
  lines.push("});");
  return lines.join("\n");
}

function costOf(coasty, operationId, body) {
  if (operationId !== "runs.create") {
    return { known: false, text: "unknown: this page estimates the cost of runs.create only" };
  }
  if (typeof coasty.estimateRunCost !== "function") {
    return { known: false, text: "unknown: this build has no estimateRunCost" };
  }
  const estimate = coasty.estimateRunCost({
    maxSteps: body?.max_steps,
    cuaVersion: body?.cua_version,
  });
  if (!estimate.known) return { known: false, text: `unknown: ${estimate.basis}`, estimate };
  const dollars =
    typeof coasty.formatDollars === "function"
      ? coasty.formatDollars(estimate.maxCredits)
      : `$${(estimate.maxCredits / 100).toFixed(2)}`;
  const text =
    `at most ${estimate.maxCredits} credits (${dollars}): ${estimate.steps} steps × ` +
    `${estimate.perStepCredits} credits. This is an ${estimate.basis}`;
  return { known: true, text, estimate };
}

/**
 * Builds the request for the workbench. `input` is `{ operationId,
 * pathParams, query, bodyText, idempotencyKey, headersText, apiKey, baseUrl,
 * authScheme }`, strings as typed. Returns `{ ok: true, method, url, headers,
 * body, scope, idempotencyKey, http, curl, fetch, cost }` with every API key
 * header redacted, or `{ ok: false, error }` with the validation error.
 */
export function buildPreview(coasty, input) {
  try {
    const body = parseBody(input.bodyText ?? "");
    const params = {
      pathParams: input.pathParams,
      query: input.query,
      body,
      idempotencyKey: input.idempotencyKey || undefined,
      headers: Object.fromEntries(parseHeaderLines(input.headersText ?? "")),
    };
    const config = {
      apiKey: input.apiKey || PLACEHOLDER_KEY,
      baseUrl: input.baseUrl || undefined,
      authScheme: input.authScheme || undefined,
    };
    const request = coasty.buildRequest(input.operationId, params, config);
    const headers = redactedHeaders(request.headers);
    return {
      ok: true,
      method: request.method,
      url: request.url,
      headers,
      body: request.body,
      scope: request.scope ?? null,
      idempotencyKey: request.idempotencyKey ?? null,
      http: httpText(request, headers),
      curl: request.toCurl({ revealSecrets: false }),
      fetch: fetchSnippet(request, headers),
      cost: costOf(coasty, input.operationId, body),
      keyEntered: Boolean(input.apiKey),
    };
  } catch (error) {
    return { ok: false, error: plainError(error) };
  }
}
