// Error classes of the package and the helpers that create them.

/** Returns a TypeError with `code: "INVALID_ARGUMENT"`. */
export function invalidArgument(message) {
  const error = new TypeError(message);
  error.code = "INVALID_ARGUMENT";
  return error;
}

/** Base class of every error the package throws on purpose, except argument errors. */
export class CoastyError extends Error {
  constructor(message, code) {
    super(message);
    this.name = "CoastyError";
    this.code = code ?? null;
  }
}

/**
 * A request rejected before anything was sent: an unknown operation, a missing
 * path parameter, a field outside its documented range, a missing API key.
 */
export class CoastyRequestError extends CoastyError {
  constructor(details) {
    super(details.message, details.code);
    this.name = "CoastyRequestError";
    this.field = details.field ?? null;
    this.problem = details.problem ?? null;
    this.allowed = details.allowed ?? null;
  }
}

/** No response arrived: the connection failed or was dropped. */
export class CoastyConnectionError extends CoastyError {
  constructor(message, cause) {
    super(message, "CONNECTION_ERROR");
    this.name = "CoastyConnectionError";
    this.retryable = true;
    this.attempts = 1;
    if (cause !== undefined) this.cause = cause;
  }
}

/** An attempt or the whole call ran out of time. */
export class CoastyTimeoutError extends CoastyError {
  constructor(message) {
    super(message, "TIMEOUT");
    this.name = "CoastyTimeoutError";
    this.retryable = true;
    this.attempts = 1;
  }
}

/** An error response from the API, or from a proxy in front of it. */
export class CoastyApiError extends CoastyError {
  constructor(decoded) {
    super(decoded.message, decoded.code);
    this.name = new.target.name;
    this.kind = decoded.kind;
    this.status = decoded.status;
    this.type = decoded.type ?? null;
    this.requestId = decoded.requestId ?? null;
    this.retryable = decoded.retryable;
    this.retryAfterSeconds = decoded.retryAfterSeconds ?? null;
    this.retryWithSameIdempotencyKey = decoded.retryWithSameIdempotencyKey ?? null;
    this.rateLimit = decoded.rateLimit ?? null;
    this.extras = decoded.extras ?? {};
    this.rawBody = decoded.rawBody ?? "";
    this.hint = decoded.hint ?? null;
    this.attempts = 1;
    this.idempotencyKey = null;
  }
}

/** 401: the API key is missing, malformed or revoked. */
export class AuthenticationError extends CoastyApiError {}

/** 402: the prepaid wallet cannot pay for the operation. */
export class InsufficientCreditsError extends CoastyApiError {
  constructor(decoded) {
    super(decoded);
    this.required = decoded.required ?? null;
    this.balance = decoded.balance ?? null;
    this.shortfallCredits = decoded.shortfallCredits ?? null;
    this.shortfallDollars = decoded.shortfallDollars ?? null;
  }
}

/** 403: the API key lacks the scope the operation needs. */
export class InsufficientScopeError extends CoastyApiError {
  constructor(decoded) {
    super(decoded);
    this.requiredScope = decoded.requiredScope ?? null;
    this.currentScopes = decoded.currentScopes ?? null;
  }
}

/** 404: no such resource for this key (ids are separate for live and test keys). */
export class NotFoundError extends CoastyApiError {}

/** 409 or 422 on state: wrong run state, idempotency key reuse or in flight. */
export class ConflictError extends CoastyApiError {}

/** 400, 413 or 422: the request does not validate. */
export class ValidationError extends CoastyApiError {
  constructor(decoded) {
    super(decoded);
    this.details = decoded.extras?.details ?? null;
  }
}

/** 429: too many requests; `retryAfterSeconds` is how long to wait. */
export class RateLimitError extends CoastyApiError {}

/** 5xx, or an upstream failure whatever its status. */
export class ServerError extends CoastyApiError {}

const API_ERROR_CLASSES = {
  AuthenticationError,
  InsufficientCreditsError,
  InsufficientScopeError,
  NotFoundError,
  ConflictError,
  ValidationError,
  RateLimitError,
  ServerError,
  CoastyApiError,
};

/** Creates the error class instance that a decoded error names. */
export function apiErrorFromDecoded(decoded) {
  const ErrorClass = API_ERROR_CLASSES[decoded.className] ?? CoastyApiError;
  return new ErrorClass(decoded);
}
