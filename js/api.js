// Request building, error decoding and credit helpers: thin wrappers that move
// JSON text across the wasm boundary.
import * as wasm from "./coasty_wasm.js";
import { CoastyRequestError, apiErrorFromDecoded, invalidArgument } from "./errors.js";

/** Base URL of the Coasty API, including the version. */
export const DEFAULT_BASE_URL = "https://coasty.ai/v1";

const encoder = new TextEncoder();

/** Returns `[[name, value], ...]` from a Headers object, a plain object or pairs. */
export function headerPairs(headers) {
  if (headers === undefined || headers === null) return [];
  if (typeof headers.forEach === "function" && typeof headers.get === "function") {
    const pairs = [];
    headers.forEach((value, name) => pairs.push([name, value]));
    return pairs;
  }
  if (Array.isArray(headers)) {
    return headers.map((pair) => [String(pair[0]), String(pair[1])]);
  }
  if (typeof headers === "object") {
    return Object.entries(headers).flatMap(([name, value]) =>
      Array.isArray(value) ? value.map((item) => [name, String(item)]) : [[name, String(value)]],
    );
  }
  throw invalidArgument("headers must be a Headers object, a plain object or [name, value] pairs");
}

function bodyBytes(body) {
  if (body === undefined || body === null) return new Uint8Array(0);
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  // An already parsed body is decoded from its JSON text.
  return encoder.encode(JSON.stringify(body));
}

function unixSeconds(now) {
  if (now === undefined) return Math.floor(Date.now() / 1000);
  if (now instanceof Date) return Math.floor(now.getTime() / 1000);
  if (typeof now === "number" && Number.isFinite(now)) return Math.floor(now);
  throw invalidArgument("options.now must be a Date or unix seconds");
}

/**
 * Turns any error response into a `CoastyApiError` subclass. Odd bodies (HTML
 * from a proxy, empty or foreign JSON) decode too; only an invalid status or
 * headers argument throws.
 */
export function decodeApiError(status, headers, body, options = {}) {
  if (!Number.isInteger(status) || status < 100 || status > 999) {
    throw invalidArgument(`status must be an HTTP status code, got ${String(status)}`);
  }
  const decoded = JSON.parse(
    wasm.decodeApiError(
      status,
      JSON.stringify(headerPairs(headers)),
      bodyBytes(body),
      unixSeconds(options?.now),
    ),
  );
  return apiErrorFromDecoded(decoded);
}

/** Reads request id, credit and rate-limit headers of a response. */
export function responseMeta(headers) {
  return JSON.parse(wasm.responseMeta(JSON.stringify(headerPairs(headers))));
}

let operationTable = null;

/** Returns the operation table: ids, methods, paths, scopes and fields. */
export function operations() {
  operationTable ??= JSON.parse(wasm.operationsJson());
  return operationTable;
}

/** Returns the scope an operation needs, such as `runs:write`, or null. */
export function requiredScope(operationId) {
  if (typeof operationId !== "string") {
    throw invalidArgument("operationId must be a string such as \"runs.create\"");
  }
  return wasm.requiredScope(operationId) ?? null;
}

function curlFor(request) {
  return (options = {}) => wasm.toCurl(JSON.stringify(request), Boolean(options?.revealSecrets));
}

/**
 * Builds the HTTP request for an operation without sending it: method, URL,
 * headers and body, validated against the documented limits.
 */
export function buildRequest(operationId, params = {}, config = {}) {
  if (typeof operationId !== "string") {
    throw invalidArgument("operationId must be a string such as \"runs.create\"");
  }
  const input = {
    config: {
      baseUrl: config?.baseUrl ?? DEFAULT_BASE_URL,
      apiKey: config?.apiKey,
      authScheme: config?.authScheme,
    },
    pathParams: params?.pathParams,
    query: params?.query,
    body: params?.body,
    idempotencyKey: params?.idempotencyKey,
    headers: params?.headers,
  };
  const result = JSON.parse(wasm.buildRequest(operationId, JSON.stringify(input)));
  if (!result.ok) throw new CoastyRequestError(result.error);
  const request = result.request;
  Object.defineProperty(request, "toCurl", { value: curlFor(request), enumerable: false });
  return request;
}

/** Returns a new idempotency key from a cryptographic random source. */
export function createIdempotencyKey() {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return wasm.idempotencyKeyFromRandom(bytes);
}

/**
 * Estimates the worst-case cost of a run from `maxSteps` (default 50) and the
 * documented per-step price of its `cuaVersion`. When the version has no
 * documented price, `known` is false and there is no figure.
 */
export function estimateRunCost(options = {}) {
  const maxSteps = options?.maxSteps ?? options?.max_steps;
  const version = options?.cuaVersion ?? options?.cua_version;
  if (maxSteps !== undefined && (!Number.isInteger(maxSteps) || maxSteps < 1)) {
    throw invalidArgument(`maxSteps must be a whole number >= 1, got ${String(maxSteps)}`);
  }
  return JSON.parse(wasm.estimateRunCost(maxSteps ?? -1, version ?? undefined));
}

/** Formats credits as dollars: 1 credit is $0.01, so 1234 is "$12.34". */
export function formatDollars(credits) {
  if (!Number.isSafeInteger(credits)) {
    throw invalidArgument(`credits must be a whole number, got ${String(credits)}`);
  }
  return wasm.formatDollars(credits);
}
