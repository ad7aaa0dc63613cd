// Coasty error envelope: {"error": {code, message, type, request_id, ...extras}}.

const DOCS_URL = "https://coasty.ai/api-docs#errors";

/** HTTP status and `type` for each error code the fake returns. */
const CATALOG = {
  INVALID_API_KEY: [401, "auth_error"],
  INVALID_SIGNATURE: [401, "auth_error"],
  INSUFFICIENT_CREDITS: [402, "billing_error"],
  WALLET_EXHAUSTED: [402, "billing_error"],
  INSUFFICIENT_SCOPE: [403, "auth_error"],
  INVALID_LIMIT: [400, "validation_error"],
  INVALID_STATUS_FILTER: [400, "validation_error"],
  FEATURE_NOT_AVAILABLE: [400, "validation_error"],
  EMPTY_UPDATE: [400, "validation_error"],
  // The API documents LLM_KEY_NOT_CONFIGURED without an HTTP status, so 400 is a guess.
  LLM_KEY_NOT_CONFIGURED: [400, "validation_error"],
  NOT_FOUND: [404, "not_found_error"],
  MACHINE_NOT_FOUND: [404, "not_found_error"],
  RUN_NOT_FOUND: [404, "not_found_error"],
  WORKFLOW_NOT_FOUND: [404, "not_found_error"],
  SESSION_NOT_FOUND: [404, "not_found_error"],
  LLM_KEY_NOT_FOUND: [404, "not_found_error"],
  METHOD_NOT_ALLOWED: [405, "client_error"],
  NOT_AWAITING_HUMAN: [409, "state_error"],
  RESUME_CONFLICT: [409, "state_error"],
  INVALID_STATE: [409, "state_error"],
  IDEMPOTENCY_IN_FLIGHT: [409, "state_error"],
  GUARD_EXCEEDED: [409, "state_error"],
  CONFLICT: [409, "state_error"],
  // The API documents SCHEDULE_INACTIVE without an HTTP status, so 409 is a guess.
  SCHEDULE_INACTIVE: [409, "state_error"],
  PAYLOAD_TOO_LARGE: [413, "validation_error"],
  VALIDATION_ERROR: [422, "validation_error"],
  INVALID_SCREENSHOT: [422, "validation_error"],
  IDEMPOTENCY_KEY_REUSED: [422, "validation_error"],
  LLM_PROVIDER_UNSUPPORTED: [422, "validation_error"],
  RATE_LIMITED: [429, "rate_limit_error"],
  INTERNAL_ERROR: [500, "server_error"],
  UPSTREAM_ERROR: [502, "server_error"],
  UPSTREAM_UNAVAILABLE: [503, "server_error"],
  UPSTREAM_TIMEOUT: [504, "server_error"],
};

const SUGGESTIONS = {
  INVALID_API_KEY: "Send the key as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'.",
  INSUFFICIENT_SCOPE: "Create a key that has the required scope.",
  INSUFFICIENT_CREDITS:
    "Top up the wallet at https://coasty.ai/credits or use a sk-coasty-test- key.",
  IDEMPOTENCY_KEY_REUSED: "Use a new Idempotency-Key for a request with a different body.",
  IDEMPOTENCY_IN_FLIGHT: "Retry later with the same Idempotency-Key.",
  RATE_LIMITED: "Wait for the Retry-After seconds, then retry.",
};

/**
 * API error that a handler throws. The server turns it into the envelope.
 * `extras` are code-specific fields (`required_scope`, `details`, ...).
 */
export class ApiError extends Error {
  constructor(code, message, extras = {}, options = {}) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.extras = extras;
    this.status = options.status ?? CATALOG[code]?.[0] ?? 500;
    this.headers = options.headers ?? {};
  }
}

/** Builds the 422 VALIDATION_ERROR for a list of `{loc, msg, type}` details. */
export function validationError(details) {
  const first = details[0];
  const more = details.length > 1 ? ` (and ${details.length - 1} more)` : "";
  return new ApiError(
    "VALIDATION_ERROR",
    `Invalid request: ${first.loc.join(".")}: ${first.msg}${more}.`,
    { details },
  );
}

/**
 * Converts an ApiError into `{status, headers, body}` with the envelope fields
 * `retryable`, `retry_with_same_idempotency_key` and `retry_after`.
 */
export function errorResponse(error, requestId) {
  const status = error.status;
  const type = CATALOG[error.code]?.[1] ?? (status >= 500 ? "server_error" : "client_error");
  const transient = status === 429 || status >= 500 || error.code === "IDEMPOTENCY_IN_FLIGHT";
  const body = {
    error: {
      code: error.code,
      message: error.message,
      type,
      request_id: requestId,
      retryable: transient,
      retry_with_same_idempotency_key: transient,
      retry_after: null,
      docs_url: DOCS_URL,
      ...error.extras,
    },
  };
  const suggestion = SUGGESTIONS[error.code];
  if (suggestion !== undefined) {
    body.error.suggestion = suggestion;
  }
  if (status >= 500) {
    body.error.support = "founders@coasty.ai";
  }
  const headers = { Link: `<${DOCS_URL}>; rel="help"`, ...error.headers };
  if (body.error.retry_after !== null) {
    headers["Retry-After"] = String(body.error.retry_after);
  }
  if (error.code === "INVALID_API_KEY") {
    headers["WWW-Authenticate"] = "Bearer";
  }
  return { status, headers, body };
}
