// Injected faults: matched by method and path prefix, used up after `times`.

import { ApiError } from "./errors.mjs";
import { rateLimitedError } from "./keys.mjs";

const KINDS = ["drop", "status", "html502", "slow", "rate_limit", "cut_stream"];
const DEFAULT_CODES = {
  500: "INTERNAL_ERROR",
  502: "UPSTREAM_ERROR",
  503: "UPSTREAM_UNAVAILABLE",
  504: "UPSTREAM_TIMEOUT",
};
const MAX_DELAY_MS = 120_000;

/** Body of an nginx 502 page, byte for byte as nginx sends it. */
export const NGINX_502_HTML =
  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n" +
  "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n" +
  "</body>\r\n</html>\r\n";

function fail(message) {
  throw new TypeError(`invalid fault: ${message}`);
}

function checkCount(fault, field, { required = false, max = Number.MAX_SAFE_INTEGER } = {}) {
  const value = fault[field];
  if (value === undefined && !required) {
    return;
  }
  if (!Number.isInteger(value) || value < 0 || value > max) {
    fail(`${field} must be an integer from 0 to ${max}, got ${JSON.stringify(value)}`);
  }
}

/** Validates a fault object and returns a normalised copy, or throws a TypeError. */
function normalizeFault(fault) {
  if (fault === null || typeof fault !== "object" || Array.isArray(fault)) {
    fail('expected an object such as {kind: "drop"}');
  }
  if (!KINDS.includes(fault.kind)) {
    fail(`kind must be one of ${KINDS.join(", ")}, got ${JSON.stringify(fault.kind)}`);
  }
  const match = fault.match ?? {};
  if (typeof match !== "object" || match === null) {
    fail("match must be an object {method?, path?}");
  }
  if (match.method !== undefined && typeof match.method !== "string") {
    fail('match.method must be a string such as "POST"');
  }
  if (match.path !== undefined && (typeof match.path !== "string" || !match.path.startsWith("/"))) {
    fail("match.path must be a path prefix starting with '/'");
  }
  const times = fault.times ?? 1;
  if (!Number.isInteger(times) || times < 1) {
    fail(`times must be a positive integer, got ${JSON.stringify(fault.times)}`);
  }
  const normalized = { ...fault, match: { ...match }, times };
  if (fault.kind === "status") {
    if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) {
      fail(
        `status must be an HTTP error status from 400 to 599, got ${JSON.stringify(fault.status)}`,
      );
    }
    normalized.code = fault.code ?? DEFAULT_CODES[fault.status];
    if (typeof normalized.code !== "string") {
      fail(`code is required for status ${fault.status}`);
    }
    checkCount(fault, "retryAfter");
  } else if (fault.kind === "slow") {
    checkCount(fault, "delayMs", { required: true, max: MAX_DELAY_MS });
  } else if (fault.kind === "rate_limit") {
    checkCount(fault, "retryAfter");
    normalized.retryAfter = fault.retryAfter ?? 1;
  } else if (fault.kind === "cut_stream") {
    checkCount(fault, "afterEvents", { required: true });
  } else if (
    fault.kind === "drop" &&
    fault.after !== undefined &&
    typeof fault.after !== "boolean"
  ) {
    fail("after must be a boolean");
  }
  return normalized;
}

function matchesPath(prefix, path) {
  if (prefix === undefined || path.startsWith(prefix)) {
    return true;
  }
  // A prefix written relative to the base URL ("/runs") also matches "/v1/runs".
  return !prefix.startsWith("/v1/") && !prefix.startsWith("/__") && path.startsWith(`/v1${prefix}`);
}

/** Pending faults, first injected first matched. */
export class FaultList {
  constructor() {
    this.pending = [];
  }

  add(fault) {
    this.pending.push(normalizeFault(fault));
  }

  clear() {
    const count = this.pending.length;
    this.pending = [];
    return count;
  }

  /**
   * Removes one use of the first fault matching the request and returns it.
   * `cut_stream` faults match only event-stream requests.
   */
  take(method, path, isEventStream) {
    const index = this.pending.findIndex((fault) => {
      const { match } = fault;
      if (match.method !== undefined && match.method.toUpperCase() !== method) {
        return false;
      }
      if (fault.kind === "cut_stream" && !isEventStream) {
        return false;
      }
      return matchesPath(match.path, path);
    });
    if (index === -1) {
      return undefined;
    }
    const fault = this.pending[index];
    fault.times -= 1;
    if (fault.times === 0) {
      this.pending.splice(index, 1);
    }
    return fault;
  }
}

/** Builds the ApiError sent for a `status` or `rate_limit` fault. */
export function faultError(fault) {
  if (fault.kind === "rate_limit") {
    return rateLimitedError(fault.retryAfter);
  }
  const extras = fault.retryAfter === undefined ? {} : { retry_after: fault.retryAfter };
  return new ApiError(fault.code, `Injected fault: ${fault.code} (HTTP ${fault.status}).`, extras, {
    status: fault.status,
  });
}
