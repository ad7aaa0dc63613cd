//! Error categories, chosen from the Coasty error code or the HTTP status.

/// Category of an error, chosen by the envelope's `code` before the status
/// because Coasty sends some codes with unexpected statuses (for example
/// `UPSTREAM_ERROR` with HTTP 401).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
    /// Invalid, missing or revoked API key, or an invalid trigger signature.
    Authentication,
    /// The wallet balance does not cover the operation.
    InsufficientCredits,
    /// The API key lacks the scope the operation requires.
    InsufficientScope,
    /// The resource does not exist, or belongs to the other key mode.
    NotFound,
    /// The resource state or an idempotency key conflicts with the request.
    Conflict,
    /// The request is invalid.
    Validation,
    /// Too many requests. The caller should wait and retry.
    RateLimit,
    /// A failure on the server or its upstream providers.
    Server,
    /// Anything else.
    Other,
}

impl ErrorClass {
    /// Chooses the class from a Coasty error code. Returns `None` for a code
    /// this library does not know, so the caller falls back to the status.
    pub fn from_code(code: &str) -> Option<ErrorClass> {
        let class = match code {
            "INVALID_API_KEY" | "INVALID_SIGNATURE" => ErrorClass::Authentication,
            "INSUFFICIENT_CREDITS" | "WALLET_EXHAUSTED" => ErrorClass::InsufficientCredits,
            "INSUFFICIENT_SCOPE" => ErrorClass::InsufficientScope,
            "NOT_FOUND" => ErrorClass::NotFound,
            "NOT_AWAITING_HUMAN"
            | "RESUME_CONFLICT"
            | "INVALID_STATE"
            | "IDEMPOTENCY_KEY_REUSED"
            | "IDEMPOTENCY_IN_FLIGHT"
            | "GUARD_EXCEEDED"
            | "CONFLICT" => ErrorClass::Conflict,
            "VALIDATION_ERROR"
            | "INVALID_LIMIT"
            | "INVALID_STATUS_FILTER"
            | "EMPTY_UPDATE"
            | "INVALID_SCREENSHOT"
            | "PAYLOAD_TOO_LARGE"
            | "FEATURE_NOT_AVAILABLE"
            | "LLM_PROVIDER_UNSUPPORTED" => ErrorClass::Validation,
            "RATE_LIMITED"
            | "RATE_LIMIT_EXCEEDED"
            | "TOO_MANY_RUNS"
            | "LLM_PROVIDER_RATE_LIMITED" => ErrorClass::RateLimit,
            "INTERNAL_ERROR" => ErrorClass::Server,
            _ if code.ends_with("_NOT_FOUND") => ErrorClass::NotFound,
            _ if code.ends_with("_FAILED")
                || code.starts_with("UPSTREAM_")
                || code.ends_with("_UNAVAILABLE") =>
            {
                ErrorClass::Server
            }
            _ => return None,
        };
        Some(class)
    }

    /// Chooses the class from the HTTP status alone. A 403 is
    /// `InsufficientScope` only when `has_required_scope` is true, because
    /// Coasty also uses 403 for features the account tier lacks.
    pub fn from_status(status: u16, has_required_scope: bool) -> ErrorClass {
        match status {
            401 => ErrorClass::Authentication,
            402 => ErrorClass::InsufficientCredits,
            403 if has_required_scope => ErrorClass::InsufficientScope,
            404 => ErrorClass::NotFound,
            409 => ErrorClass::Conflict,
            400 | 422 => ErrorClass::Validation,
            429 => ErrorClass::RateLimit,
            500..=599 => ErrorClass::Server,
            _ => ErrorClass::Other,
        }
    }
}
