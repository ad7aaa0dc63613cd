// Webhook verification API, a thin layer over the WebAssembly core.
import {
  WasmVerifier,
  invalidPayloadMessage,
  wasmMemory,
  normalizeRunEvent as normalizeRunEventWasm,
} from "./coasty_wasm.js";
import { invalidArgument } from "./errors.js";

/** Name of the header that carries the signature. */
export const SIGNATURE_HEADER = "Coasty-Signature";
/** Name of the alias header that carries the same value. */
export const SIGNATURE_HEADER_ALIAS = "X-Coasty-Signature";
/** Default tolerance between the signed timestamp and `now`, in seconds. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

const RUN_EVENT_TYPES = [
  "run.awaiting_human",
  "run.succeeded",
  "run.failed",
  "run.cancelled",
  "run.timed_out",
];

const FAILURE_CODES = [
  "MISSING_HEADER",
  "MALFORMED_HEADER",
  "NO_MATCHING_SIGNATURE",
  "TIMESTAMP_OUT_OF_TOLERANCE",
];
const NOT_UTF8 = 0;
const NOT_JSON = 1;
const NOT_OBJECT = 2;

const encoder = new TextEncoder();
let memoryBytes = null;

/** Returns a view of wasm memory; growing the memory detaches older views. */
function wasmBytes() {
  if (memoryBytes === null || memoryBytes.byteLength === 0) {
    memoryBytes = new Uint8Array(wasmMemory().buffer);
  }
  return memoryBytes;
}
const strictDecoder = new TextDecoder("utf-8", { fatal: true });

/** A failed webhook check; `code` names the check that failed. */
export class WebhookVerificationError extends Error {
  constructor(code, message, details = {}) {
    super(message);
    this.name = "WebhookVerificationError";
    this.code = code;
    this.timestamp = details.timestamp ?? null;
    this.skewSeconds = details.skewSeconds ?? null;
  }
}

function secretList(secretOrSecrets) {
  const secrets = Array.isArray(secretOrSecrets) ? secretOrSecrets : [secretOrSecrets];
  if (secrets.length === 0) {
    throw invalidArgument("secret is an empty array: pass the run's webhook_secret (whsec_...)");
  }
  secrets.forEach((secret, index) => {
    if (typeof secret !== "string") {
      const where = Array.isArray(secretOrSecrets) ? `secret at index ${index}` : "secret";
      throw invalidArgument(
        `${where} must be a string (the run's webhook_secret, whsec_...), got ${describe(secret)}`,
      );
    }
  });
  return secrets;
}

function checkTolerance(value) {
  if (value === undefined) return DEFAULT_TOLERANCE_SECONDS;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw invalidArgument(
      `toleranceSeconds must be a whole number of seconds >= 0, got ${describe(value)}`,
    );
  }
  return value;
}

function unixSeconds(value, name) {
  if (value === undefined) return Math.floor(Date.now() / 1000);
  if (value instanceof Date && !Number.isNaN(value.getTime())) {
    return Math.floor(value.getTime() / 1000);
  }
  if (typeof value === "number" && Number.isFinite(value)) return Math.floor(value);
  throw invalidArgument(`${name} must be a Date or unix seconds, got ${describe(value)}`);
}

function describe(value) {
  if (value === null) return "null";
  if (value === undefined) return "undefined";
  if (Array.isArray(value)) return "an array";
  if (value instanceof Date) return "an invalid Date";
  if (typeof value === "object") return `an object (${value.constructor?.name ?? "Object"})`;
  if (typeof value === "string") return `a string of ${value.length} characters`;
  return `${typeof value} ${String(value)}`;
}

/** Returns the payload as a string or Uint8Array, or throws for anything else. */
function rawPayload(payload, purpose = "verify") {
  if (typeof payload === "string" || payload instanceof Uint8Array) return payload;
  if (payload instanceof ArrayBuffer) return new Uint8Array(payload);
  if (ArrayBuffer.isView(payload)) {
    return new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength);
  }
  if (purpose === "sign") {
    throw invalidArgument(
      `payload must be the exact body to send, as a string, Uint8Array or ArrayBuffer, got ` +
        `${describe(payload)}; serialise it first, for example with JSON.stringify(event)`,
    );
  }
  throw invalidArgument(
    `payload must be the raw request body as a string, Uint8Array or ArrayBuffer, got ` +
      `${describe(payload)}; a parsed body cannot be verified, so read the raw bytes ` +
      `(for example express.raw({ type: "application/json" }) or await request.text())`,
  );
}

function headerValues(header) {
  if (header === undefined || header === null) return ["", 0];
  if (typeof header === "string") return [header, 1];
  if (Array.isArray(header)) {
    header.forEach((value, index) => {
      if (typeof value !== "string") {
        throw invalidArgument(
          `signatureHeader[${index}] must be a string, got ${describe(value)}`,
        );
      }
    });
    return [header[0] ?? "", header.length];
  }
  throw invalidArgument(
    `signatureHeader must be a string, an array of strings, null or undefined, got ${describe(header)}`,
  );
}

function invalidPayload(reason, timestamp) {
  return new WebhookVerificationError("INVALID_PAYLOAD", invalidPayloadMessage(reason), {
    timestamp: typeof timestamp === "function" ? timestamp() : timestamp,
  });
}

/** Parses a verified payload as a JSON object, as the sender wrote it. */
function parseEvent(payload, timestamp) {
  let text;
  if (typeof payload === "string") {
    text = payload.charCodeAt(0) === 0xfeff ? payload.slice(1) : payload;
  } else {
    try {
      // The decoder drops one leading byte order mark.
      text = strictDecoder.decode(payload);
    } catch {
      throw invalidPayload(NOT_UTF8, timestamp);
    }
  }
  let event;
  try {
    event = JSON.parse(text);
  } catch {
    throw invalidPayload(NOT_JSON, timestamp);
  }
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw invalidPayload(NOT_OBJECT, timestamp);
  }
  return event;
}

/** Verifies Coasty webhook deliveries against one secret or several (rotation). */
export class Webhook {
  #verifier;

  constructor(secretOrSecrets, options = {}) {
    const secrets = secretList(secretOrSecrets);
    const tolerance = checkTolerance(options?.toleranceSeconds);
    try {
      this.#verifier = new WasmVerifier(secrets, tolerance);
    } catch (message) {
      throw invalidArgument(String(message));
    }
  }

  /** Checks the signature and timestamp; returns `{ timestamp, secretIndex }`. */
  verifySignature(payload, signatureHeader, options = {}) {
    const secretIndex = this.#check(rawPayload(payload), signatureHeader, options);
    return { timestamp: this.#verifier.timestamp, secretIndex };
  }

  /** Verifies a delivery and returns its JSON payload, parsed. */
  verify(payload, signatureHeader, options = {}) {
    const raw = rawPayload(payload);
    this.#check(raw, signatureHeader, options);
    // The timestamp is read from wasm only when a payload error needs it.
    return parseEvent(raw, () => this.#verifier.timestamp);
  }

  /** Runs the checks in wasm; returns the index of the matching secret or throws. */
  #check(raw, signatureHeader, options) {
    const [header, count] = headerValues(signatureHeader);
    const now = unixSeconds(options?.now, "options.now");
    const verifier = this.#verifier;

    // UTF-8 takes at most 3 bytes per UTF-16 code unit.
    const headerMax = header.length * 3;
    const payloadMax = typeof raw === "string" ? raw.length * 3 : raw.byteLength;
    const start = verifier.buffer(headerMax + payloadMax);
    const memory = wasmBytes();
    const headerLen = encoder.encodeInto(header, memory.subarray(start, start + headerMax)).written;
    const payloadStart = start + headerLen;
    let payloadLen = payloadMax;
    if (typeof raw === "string") {
      const target = memory.subarray(payloadStart, payloadStart + payloadMax);
      payloadLen = encoder.encodeInto(raw, target).written;
    } else {
      memory.set(raw, payloadStart);
    }

    const result = verifier.verifyBuffer(headerLen, count, payloadLen, now);
    if (result < 0) {
      throw new WebhookVerificationError(FAILURE_CODES[-result - 1], verifier.errorMessage, {
        timestamp: verifier.timestamp ?? null,
        skewSeconds: verifier.skewSeconds ?? null,
      });
    }
    return result;
  }

  /**
   * Verifies a Fetch API `Request`, reading `Coasty-Signature` (or its alias) and
   * the raw body. Returns `{ event, rawBody, timestamp, secretIndex }`.
   */
  async verifyRequest(request, options = {}) {
    if (!request || typeof request.arrayBuffer !== "function" || !request.headers) {
      throw invalidArgument(`request must be a Fetch API Request, got ${describe(request)}`);
    }
    if (request.bodyUsed) {
      throw invalidArgument(
        "the request body was already read, so the raw bytes are gone; verify before " +
          "parsing the body, or pass request.clone()",
      );
    }
    const header =
      request.headers.get(SIGNATURE_HEADER) ?? request.headers.get(SIGNATURE_HEADER_ALIAS);
    const rawBody = new Uint8Array(await request.arrayBuffer());
    const verified = this.verifySignature(rawBody, header, options);
    return { event: parseEvent(rawBody, verified.timestamp), rawBody, ...verified };
  }

  /** Signs a payload with the first secret; returns the header value. */
  sign(payload, options = {}) {
    const raw = rawPayload(payload, "sign");
    const timestamp = unixSeconds(options?.timestamp, "options.timestamp");
    const bytes = typeof raw === "string" ? encoder.encode(raw) : raw;
    try {
      return this.#verifier.sign(bytes, timestamp);
    } catch (message) {
      throw invalidArgument(String(message));
    }
  }
}

// Verifiers are cached by secret so that repeated calls with the same secret
// skip the HMAC key schedule. The cache keeps one entry, because the usual
// receiver has one secret and a larger cache would keep old secrets alive.
let cached = null;

function cachedWebhook(secret, options) {
  const toleranceSeconds = checkTolerance(options?.toleranceSeconds);
  const key = JSON.stringify([secret, toleranceSeconds]);
  if (cached?.key !== key) {
    cached = { key, webhook: new Webhook(secret, { toleranceSeconds }) };
  }
  return cached.webhook;
}

/** Verifies a delivery and returns its parsed JSON payload. */
export function verifyWebhook(payload, signatureHeader, secret, options = {}) {
  return cachedWebhook(secret, options).verify(payload, signatureHeader, options);
}

/** Checks a delivery's signature and timestamp; returns `{ timestamp, secretIndex }`. */
export function verifyWebhookSignature(payload, signatureHeader, secret, options = {}) {
  return cachedWebhook(secret, options).verifySignature(payload, signatureHeader, options);
}

/** Verifies a Fetch API `Request`; see `Webhook.verifyRequest`. */
export function verifyWebhookRequest(request, secret, options = {}) {
  return cachedWebhook(secret, options).verifyRequest(request, options);
}

/** Returns the `Coasty-Signature` value Coasty would send for this payload. */
export function signWebhook(payload, secret, options = {}) {
  if (typeof secret !== "string") {
    throw invalidArgument(`secret must be a string, got ${describe(secret)}`);
  }
  return new Webhook(secret).sign(payload, options);
}

/** Builds a signed webhook delivery as a Fetch API `Request`, for tests. */
export function createSignedWebhookRequest(url, payload, secret, options = {}) {
  const raw = rawPayload(payload, "sign");
  return new Request(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      [SIGNATURE_HEADER]: signWebhook(raw, secret, options),
    },
    body: raw,
  });
}

/**
 * Reads `{ event, runId, status, reason, result, error, createdAt, knownEvent }`
 * from any run webhook payload shape.
 */
export function normalizeRunEvent(event) {
  if (typeof event !== "object" || event === null || Array.isArray(event)) {
    throw invalidArgument(`event must be a parsed webhook payload object, got ${describe(event)}`);
  }
  return JSON.parse(normalizeRunEventWasm(JSON.stringify(event)));
}

/** Returns whether a payload is one of the five documented run events. */
export function isRunEvent(event) {
  return RUN_EVENT_TYPES.includes(event?.event);
}
