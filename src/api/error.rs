//! Decoding of failed Coasty API responses into [`ApiError`].
//!
//! The Coasty error envelope is
//! `{"error": {"code", "message", "type", "request_id", ...extras}}`. Proxies,
//! gateways and CDNs in front of the API also return HTML, plain text, empty
//! bodies and foreign JSON, so decoding accepts any bytes and never fails.

mod class;
mod hint;

pub use class::ErrorClass;
pub use hint::CreditShortfall;

use crate::json::Json;

use super::http_date::parse_retry_after;
use super::response::{
    header_value, last_member, RateLimit, REQUEST_ID_HEADER, RETRY_AFTER_HEADER,
};

/// Maximum number of body bytes kept in [`ApiError::raw_body`].
pub const RAW_BODY_MAX_BYTES: usize = 4096;

/// Bodies larger than this are not parsed as JSON. Coasty error envelopes are
/// well under 10 KiB, so a larger body comes from something else.
const MAX_ENVELOPE_BYTES: usize = 1 << 20;

/// Prefixes of credentials that a misbehaving proxy could echo back in a body:
/// live, test and legacy API keys, and webhook secrets.
const SECRET_PREFIXES: [&str; 5] = [
    "sk-coasty-live-",
    "sk-coasty-test-",
    "sk-coasty-",
    "cua_sk_",
    "whsec_",
];

/// Maximum length in bytes of a foreign message quoted in [`ApiError::message`].
const QUOTED_MESSAGE_MAX_BYTES: usize = 200;

/// Envelope fields with their own [`ApiError`] field.
const TYPED_FIELDS: [&str; 7] = [
    "code",
    "message",
    "type",
    "request_id",
    "retryable",
    "retry_with_same_idempotency_key",
    "retry_after",
];

/// Origin of an error response, named as in the JS client's `kind` field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// A Coasty error envelope with any status other than 429 (`api_error`).
    Api,
    /// Any response with status 429, envelope or not (`rate_limited`).
    RateLimited,
    /// A body that is not a Coasty envelope: proxy HTML, plain text, an empty
    /// body or foreign JSON (`http_error`).
    Http,
}

impl ErrorKind {
    /// Returns the snake_case name: `api_error`, `rate_limited` or `http_error`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Api => "api_error",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::Http => "http_error",
        }
    }
}

/// A failed API response, decoded by [`decode_api_error`].
///
/// Only the request id and the rate-limit figures are taken from headers. No
/// other header value is stored, so the error is safe to log.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// Origin of the response.
    pub kind: ErrorKind,
    /// Category for branching and for the JS error subclass.
    pub class: ErrorClass,
    /// HTTP status code.
    pub status: u16,
    /// Envelope `code`, such as `INSUFFICIENT_SCOPE`. `None` without an envelope.
    pub code: Option<String>,
    /// Envelope `message`, or a description of the non-envelope response.
    pub message: String,
    /// Envelope `type`. It is free text: branch on `code` instead.
    pub error_type: Option<String>,
    /// Envelope `request_id`, else the `X-Coasty-Request-Id` header.
    pub request_id: Option<String>,
    /// Envelope `retryable` when present, else whether the status is 429 or 5xx.
    pub retryable: bool,
    /// Wait in seconds from the `Retry-After` header, else the envelope's
    /// integer `retry_after`.
    pub retry_after_seconds: Option<u64>,
    /// Envelope flag: `Some(false)` means a retry must use a new idempotency key.
    pub retry_with_same_idempotency_key: Option<bool>,
    /// Rate-limit window from the response headers.
    pub rate_limit: Option<RateLimit>,
    /// Other envelope fields: `required`, `balance`, `required_scope`,
    /// `current_scopes`, `details`, `suggestion`, `docs_url` and so on. A
    /// field above whose JSON type is unexpected (such as `"retryable": "yes"`)
    /// is kept here too, except `retry_after`. Credentials in string values
    /// are replaced by `[REDACTED]`. Members are in body order, and a
    /// repeated name is kept each time; [`ApiError::extra`] returns the last,
    /// as `JSON.parse` would.
    pub extras: Vec<(String, Json)>,
    /// First [`RAW_BODY_MAX_BYTES`] bytes of the body, cut on a character
    /// boundary and decoded as UTF-8 with invalid bytes replaced.
    pub raw_body: String,
}

impl ApiError {
    /// Returns the extra envelope field `name`, the last one when the body
    /// repeats the name.
    pub fn extra(&self, name: &str) -> Option<&Json> {
        last_member(&self.extras, name)
    }
}

/// Decodes a failed response. Accepts any status, headers and bytes, and never
/// panics. Header names are matched case-insensitively.
///
/// `now` is unix seconds, used to turn a `Retry-After` HTTP-date into seconds.
pub fn decode_api_error(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    now: i64,
) -> ApiError {
    let mut parsed = parse_json(body);
    let envelope = parsed.as_mut().and_then(take_envelope);
    let header_request_id = header_value(headers, REQUEST_ID_HEADER).map(str::to_owned);
    let header_retry_after =
        header_value(headers, RETRY_AFTER_HEADER).and_then(|value| parse_retry_after(value, now));
    let status_retryable = status == 429 || (500..=599).contains(&status);

    let mut error = ApiError {
        kind: if status == 429 {
            ErrorKind::RateLimited
        } else {
            ErrorKind::Http
        },
        class: ErrorClass::Other,
        status,
        code: None,
        message: String::new(),
        error_type: None,
        request_id: header_request_id,
        retryable: status_retryable,
        retry_after_seconds: header_retry_after,
        retry_with_same_idempotency_key: None,
        rate_limit: RateLimit::from_headers(headers),
        extras: Vec::new(),
        raw_body: redact_secrets(&raw_body_prefix(body)),
    };

    match envelope {
        Some(fields) => apply_envelope(&mut error, fields),
        None => error.message = describe_foreign_body(status, headers, body, parsed.as_ref()),
    }
    error.message = redact_secrets(&error.message);
    for (_, value) in &mut error.extras {
        redact_json_strings(value);
    }

    let has_required_scope = error.extra("required_scope").is_some();
    error.class = classify(status, error.code.as_deref(), has_required_scope);
    error
}

/// Chooses the class: any 429 is `RateLimit`, then a known code decides,
/// then the status.
fn classify(status: u16, code: Option<&str>, has_required_scope: bool) -> ErrorClass {
    if status == 429 {
        return ErrorClass::RateLimit;
    }
    code.and_then(ErrorClass::from_code)
        .unwrap_or_else(|| ErrorClass::from_status(status, has_required_scope))
}

fn parse_json(body: &[u8]) -> Option<Json> {
    if body.len() > MAX_ENVELOPE_BYTES {
        return None;
    }
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    Json::parse(std::str::from_utf8(body).ok()?).ok()
}

/// Moves the `error` object out of `value` when its `code` and `message` are
/// both strings. Otherwise leaves `value` untouched and returns `None`.
///
/// A repeated name counts once, with its last value, as in `JSON.parse`.
fn take_envelope(value: &mut Json) -> Option<Vec<(String, Json)>> {
    let Json::Object(members) = value else {
        return None;
    };
    let (_, error) = members.iter_mut().rev().find(|(key, _)| key == "error")?;
    let fields = error.as_object()?;
    let is_string = |name| matches!(last_member(fields, name), Some(Json::String(_)));
    if !(is_string("code") && is_string("message")) {
        return None;
    }
    match std::mem::replace(error, Json::Null) {
        Json::Object(fields) => Some(fields),
        _ => None,
    }
}

/// Copies the envelope into `error`. Fields with their own [`ApiError`] field
/// are taken out, and the rest become [`ApiError::extras`].
fn apply_envelope(error: &mut ApiError, fields: Vec<(String, Json)>) {
    if error.status != 429 {
        error.kind = ErrorKind::Api;
    }

    // Only the last occurrence of a typed field counts, as in `JSON.parse`.
    // Finding each one up front keeps this linear in the number of fields.
    let mut last_index = [usize::MAX; TYPED_FIELDS.len()];
    for (index, (key, _)) in fields.iter().enumerate() {
        if let Some(slot) = typed_slot(key) {
            last_index[slot] = index;
        }
    }

    let mut retry_after = None;
    for (index, (key, value)) in fields.into_iter().enumerate() {
        let slot = typed_slot(&key);
        if slot.is_some_and(|slot| last_index[slot] != index) {
            continue;
        }
        // The slots are the positions in `TYPED_FIELDS`.
        match (slot, value) {
            (Some(0), Json::String(code)) => error.code = Some(code),
            (Some(1), Json::String(message)) => error.message = message,
            (Some(2), Json::String(error_type)) => error.error_type = Some(error_type),
            (Some(3), Json::String(request_id)) => error.request_id = Some(request_id),
            (Some(4), Json::Bool(retryable)) => error.retryable = retryable,
            (Some(5), Json::Bool(same_key)) => {
                error.retry_with_same_idempotency_key = Some(same_key)
            }
            (Some(6), value) => retry_after = value.as_u64(),
            (_, value) => error.extras.push((key, value)),
        }
    }

    if error.retry_after_seconds.is_none() {
        error.retry_after_seconds = retry_after;
    }
}

fn typed_slot(key: &str) -> Option<usize> {
    TYPED_FIELDS.iter().position(|name| *name == key)
}

/// Writes a message for a response that is not a Coasty envelope, saying what
/// the body was so the reader can tell a proxy failure from an API error.
fn describe_foreign_body(
    status: u16,
    headers: &[(String, String)],
    body: &[u8],
    parsed: Option<&Json>,
) -> String {
    let trimmed = body.trim_ascii();
    let content_type = header_value(headers, "Content-Type").unwrap_or("");
    // Media types are case-insensitive, so `Text/HTML` counts too.
    let is_html = trimmed.starts_with(b"<")
        || content_type
            .as_bytes()
            .windows(4)
            .any(|window| window.eq_ignore_ascii_case(b"html"));

    if trimmed.is_empty() {
        return format!("HTTP {status} with an empty body, not a Coasty API response");
    }
    if let Some(value) = parsed {
        return match foreign_json_message(value) {
            Some(quoted) => format!(
                "HTTP {status} with JSON that is not a Coasty error envelope: {}",
                shorten(quoted)
            ),
            None => format!("HTTP {status} with JSON that is not a Coasty error envelope"),
        };
    }
    if is_html {
        return format!(
            "HTTP {status} from a proxy or gateway (HTML body), not a Coasty API response"
        );
    }

    let text = String::from_utf8_lossy(&trimmed[..trimmed.len().min(QUOTED_MESSAGE_MAX_BYTES * 2)]);
    let first_line = text.lines().next().unwrap_or("");
    format!(
        "HTTP {status} with a non-JSON body, not a Coasty API response: {}",
        shorten(first_line)
    )
}

/// Replaces every credential that starts with one of [`SECRET_PREFIXES`] by
/// `[REDACTED]`, so an echoed key never reaches a log through the error.
fn redact_secrets(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut output = String::with_capacity(text.len());
    let mut copied = 0;
    let mut index = 0;
    // Every prefix and every credential byte is ASCII, so each index where
    // a match starts or ends is a character boundary.
    while index < bytes.len() {
        let rest = &bytes[index..];
        let Some(prefix) = SECRET_PREFIXES
            .iter()
            .find(|prefix| rest.starts_with(prefix.as_bytes()))
        else {
            index += 1;
            continue;
        };
        let mut end = index + prefix.len();
        while bytes
            .get(end)
            .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        {
            end += 1;
        }
        // A bare prefix, as in "expected sk-coasty-live- or cua_sk_", names a
        // key format and is kept; a prefix followed by key material is not.
        if end > index + prefix.len() {
            output.push_str(&text[copied..index]);
            output.push_str("[REDACTED]");
            copied = end;
        }
        index = end;
    }
    output.push_str(&text[copied..]);
    output
}

/// Applies [`redact_secrets`] to every string inside `value`. Object keys
/// are left as they are.
fn redact_json_strings(value: &mut Json) {
    match value {
        Json::String(text) => *text = redact_secrets(text),
        Json::Array(items) => items.iter_mut().for_each(redact_json_strings),
        Json::Object(members) => {
            for (_, member) in members {
                redact_json_strings(member);
            }
        }
        Json::Null | Json::Bool(_) | Json::Number(_) => {}
    }
}

/// Finds a human-readable message in foreign JSON: `message`, `error` or
/// `detail` as a string, or `error.message`.
fn foreign_json_message(value: &Json) -> Option<&str> {
    let members = value.as_object()?;
    for key in ["message", "error", "detail"] {
        if let Some(text) = last_member(members, key).and_then(Json::as_str) {
            return Some(text);
        }
    }
    let error = last_member(members, "error")?.as_object()?;
    last_member(error, "message")?.as_str()
}

/// Cuts text to [`QUOTED_MESSAGE_MAX_BYTES`] on a character boundary.
fn shorten(text: &str) -> String {
    if text.len() <= QUOTED_MESSAGE_MAX_BYTES {
        return text.to_owned();
    }
    let mut end = QUOTED_MESSAGE_MAX_BYTES;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &text[..end])
}

/// Keeps the first [`RAW_BODY_MAX_BYTES`] bytes. When the cut falls inside a
/// UTF-8 sequence, the cut moves back to the sequence's first byte so that the
/// split character is dropped rather than replaced.
fn raw_body_prefix(body: &[u8]) -> String {
    let mut end = body.len().min(RAW_BODY_MAX_BYTES);
    if end < body.len() {
        // A UTF-8 sequence has at most 3 continuation bytes (0b10xxxxxx).
        let mut steps = 0;
        while end > 0 && steps < 3 && body[end] & 0xC0 == 0x80 {
            end -= 1;
            steps += 1;
        }
    }
    String::from_utf8_lossy(&body[..end]).into_owned()
}
