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

/// Codes with a fixed class. A table and a loop compile to less WebAssembly
/// than a `match` on strings.
const CODE_CLASSES: [(&str, ErrorClass); 26] = [
    ("INVALID_API_KEY", ErrorClass::Authentication),
    ("INVALID_SIGNATURE", ErrorClass::Authentication),
    ("INSUFFICIENT_CREDITS", ErrorClass::InsufficientCredits),
    ("WALLET_EXHAUSTED", ErrorClass::InsufficientCredits),
    ("INSUFFICIENT_SCOPE", ErrorClass::InsufficientScope),
    ("NOT_FOUND", ErrorClass::NotFound),
    ("NOT_AWAITING_HUMAN", ErrorClass::Conflict),
    ("RESUME_CONFLICT", ErrorClass::Conflict),
    ("INVALID_STATE", ErrorClass::Conflict),
    ("IDEMPOTENCY_KEY_REUSED", ErrorClass::Conflict),
    ("IDEMPOTENCY_IN_FLIGHT", ErrorClass::Conflict),
    ("GUARD_EXCEEDED", ErrorClass::Conflict),
    ("CONFLICT", ErrorClass::Conflict),
    ("VALIDATION_ERROR", ErrorClass::Validation),
    ("INVALID_LIMIT", ErrorClass::Validation),
    ("INVALID_STATUS_FILTER", ErrorClass::Validation),
    ("EMPTY_UPDATE", ErrorClass::Validation),
    ("INVALID_SCREENSHOT", ErrorClass::Validation),
    ("PAYLOAD_TOO_LARGE", ErrorClass::Validation),
    ("FEATURE_NOT_AVAILABLE", ErrorClass::Validation),
    ("LLM_PROVIDER_UNSUPPORTED", ErrorClass::Validation),
    ("RATE_LIMITED", ErrorClass::RateLimit),
    ("RATE_LIMIT_EXCEEDED", ErrorClass::RateLimit),
    ("TOO_MANY_RUNS", ErrorClass::RateLimit),
    ("LLM_PROVIDER_RATE_LIMITED", ErrorClass::RateLimit),
    ("INTERNAL_ERROR", ErrorClass::Server),
];

impl ErrorClass {
    /// Chooses the class from a Coasty error code. Returns `None` for a code
    /// this library does not know, so the caller falls back to the status.
    ///
    /// Besides the listed codes, `*_NOT_FOUND` is `NotFound`, and
    /// `*_FAILED`, `UPSTREAM_*` and `*_UNAVAILABLE` are `Server`.
    pub fn from_code(code: &str) -> Option<ErrorClass> {
        for (known, class) in CODE_CLASSES {
            if known == code {
                return Some(class);
            }
        }
        if code.ends_with("_NOT_FOUND") {
            return Some(ErrorClass::NotFound);
        }
        let server = code.ends_with("_FAILED")
            || code.starts_with("UPSTREAM_")
            || code.ends_with("_UNAVAILABLE");
        server.then_some(ErrorClass::Server)
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
