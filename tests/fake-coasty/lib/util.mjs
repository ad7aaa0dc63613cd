// Small helpers shared by the fake's modules: ids, time, hashing, JSON bodies.

import { createHash, randomBytes, randomUUID } from "node:crypto";

/** Returns `bytes` random bytes as lower-case hex. */
export function randomHex(bytes) {
  return randomBytes(bytes).toString("hex");
}

/** Returns a new request id, `req_<24 hex>`. */
export function newRequestId() {
  return `req_${randomHex(12)}`;
}

/** Returns a new random UUID (the id format of live machines and schedules). */
export function newUuid() {
  return randomUUID();
}

/** Returns the current time as an ISO-8601 string. */
export function nowIso() {
  return new Date().toISOString();
}

/** Returns the current time in whole unix seconds. */
export function nowUnixSeconds() {
  return Math.floor(Date.now() / 1000);
}

/** Returns the lower-case hex SHA-256 of a string or buffer. */
export function sha256Hex(data) {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * Serialises a JSON value with object keys sorted at every level, so two
 * bodies that differ only in key order give the same idempotency hash.
 */
export function canonicalJson(value) {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(",")}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value);
}

/** Returns a short description of a value for error messages. */
export function describeValue(value) {
  if (typeof value === "string") {
    if (value.length > 40) {
      return `a string of ${value.length} characters`;
    }
    return JSON.stringify(value);
  }
  if (value === null) {
    return "null";
  }
  if (Array.isArray(value)) {
    return `an array of ${value.length} items`;
  }
  if (typeof value === "object") {
    return "an object";
  }
  return String(value);
}

/**
 * Reads a request body up to `maxBytes`. Resolves to `{bytes, raw, tooLarge}`,
 * where `raw` is the UTF-8 text. A body over the limit is drained and
 * discarded, so the socket stays usable.
 */
export function readBody(req, maxBytes) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk) => {
      size += chunk.length;
      if (size > maxBytes) {
        tooLarge = true;
        chunks.length = 0;
      } else if (!tooLarge) {
        chunks.push(chunk);
      }
    });
    req.on("end", () => {
      const bytes = tooLarge ? Buffer.alloc(0) : Buffer.concat(chunks);
      resolve({ bytes, raw: bytes.toString("utf8"), tooLarge });
    });
    req.on("error", reject);
  });
}

/** Returns a promise that resolves after `ms` milliseconds. */
export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Returns the integer credits as a dollar string with two decimals ("12.34"). */
export function creditsToUsd(credits) {
  const sign = credits < 0 ? "-" : "";
  const cents = Math.abs(credits);
  return `${sign}${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, "0")}`;
}

/** Returns a handler result: a JSON body with a status and extra headers. */
export function jsonResponse(body, status = 200, headers = {}) {
  return { status, body, headers };
}
