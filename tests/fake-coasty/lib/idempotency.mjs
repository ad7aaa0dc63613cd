// Idempotency-Key handling: reserve, replay, reuse detection, lookup.

import { ApiError, validationError } from "./errors.mjs";
import { canonicalJson, sha256Hex } from "./util.mjs";

const KEY_PATTERN = /^[A-Za-z0-9_:-]{1,128}$/;
const REPLAY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * Returns the request's Idempotency-Key, or undefined when absent. Throws
 * 422 VALIDATION_ERROR unless it is 1 to 128 characters of [A-Za-z0-9_:-].
 */
export function readIdempotencyKey(headers) {
  const key = headers["idempotency-key"];
  if (key === undefined) {
    return undefined;
  }
  if (!KEY_PATTERN.test(key)) {
    throw validationError([
      {
        loc: ["header", "Idempotency-Key"],
        msg: `must be 1 to 128 characters from [A-Za-z0-9_:-], got ${key.length} characters`,
        type: "string_pattern_mismatch",
      },
    ]);
  }
  return key;
}

/** Returns the SHA-256 of the method, path and canonical JSON body. */
export function requestFingerprint(method, path, body) {
  return sha256Hex(`${method} ${path}\n${canonicalJson(body ?? null)}`);
}

/**
 * Stored responses per (mode, key). Only 2xx responses are kept: after an
 * error the key is released, so a retry with the same key runs again.
 */
export class IdempotencyStore {
  constructor() {
    this.entries = new Map();
  }

  entry(mode, key) {
    const entry = this.entries.get(`${mode}:${key}`);
    if (entry !== undefined && Date.now() - entry.createdAtMs > REPLAY_WINDOW_MS) {
      this.entries.delete(`${mode}:${key}`);
      return undefined;
    }
    return entry;
  }

  /**
   * Reserves the key for a new request, or returns the completed entry to
   * replay. Throws 409 IDEMPOTENCY_IN_FLIGHT while the first request runs and
   * 422 IDEMPOTENCY_KEY_REUSED when the fingerprint differs.
   */
  begin(mode, key, fingerprint, requestId) {
    const existing = this.entry(mode, key);
    if (existing === undefined) {
      this.entries.set(`${mode}:${key}`, {
        fingerprint,
        state: "processing",
        requestId,
        response: null,
        createdAtMs: Date.now(),
      });
      return null;
    }
    if (existing.fingerprint !== fingerprint) {
      throw new ApiError(
        "IDEMPOTENCY_KEY_REUSED",
        "This Idempotency-Key was already used with a different request body or path.",
      );
    }
    if (existing.state === "processing") {
      throw new ApiError(
        "IDEMPOTENCY_IN_FLIGHT",
        "A request with this Idempotency-Key is still being processed.",
        { retry_after: 1 },
      );
    }
    return existing;
  }

  /** Stores a 2xx response for replay, or releases the key after an error. */
  finish(mode, key, response) {
    const entry = this.entries.get(`${mode}:${key}`);
    if (entry === undefined) {
      return;
    }
    if (response.status >= 200 && response.status < 300) {
      entry.state = "completed";
      entry.response = structuredClone(response);
    } else {
      this.entries.delete(`${mode}:${key}`);
    }
  }

  /** Returns the `GET /v1/idempotency/{key}` body, or undefined if unknown. */
  describe(mode, key) {
    const entry = this.entry(mode, key);
    if (entry === undefined) {
      return undefined;
    }
    if (entry.state === "processing") {
      return { status: "processing", request_id: entry.requestId };
    }
    return {
      status: "completed",
      request_id: entry.requestId,
      result: entry.response.body,
      original_status: entry.response.status,
    };
  }
}

/**
 * Builds the replayed response: the stored status and body, no new charge.
 * Inference bodies report `usage.credits_charged = 0` and `usage.billed = false`.
 */
export function replayResponse(entry) {
  const body = structuredClone(entry.response.body);
  if (body !== null && typeof body === "object" && body.usage !== undefined) {
    body.usage.credits_charged = 0;
    body.usage.billed = false;
  }
  const headers = {
    ...entry.response.headers,
    "X-Coasty-Idempotent-Replay": "true",
    "Idempotency-Replayed": "true",
    "Idempotency-Status": "completed",
    "X-Credits-Charged": "0",
  };
  return { status: entry.response.status, headers, body };
}
