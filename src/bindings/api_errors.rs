//! Bindings for error decoding, response metadata, run normalisation, retry
//! decisions and run event streams.
//!
//! Structured data crosses as JSON text: the JS layer calls `JSON.stringify`
//! on the way in and `JSON.parse` on the way out. Integers above 2^53, such as
//! a saturated `Retry-After`, lose precision in `JSON.parse`.

use wasm_bindgen::prelude::*;

use crate::api::error::{decode_api_error, ApiError, ErrorClass};
use crate::api::response::{normalize_run, RateLimit, ResponseMeta};
use crate::api::retry::{Decision, FailedResponse, Outcome, RetryPolicy};
use crate::api::sse::{EventStreamCursor, RunEvent, SseEvent, SseParser};
use crate::json::Json;

/// Decodes a failed API response; see `decode_api_error` in the core.
///
/// `headers_json` is `[[name, value], ...]` with string names and values, and
/// `now` is unix seconds. Returns a JSON object with `kind` (`api_error`,
/// `rate_limited` or `http_error`), `className` (such as
/// `AuthenticationError`, or `CoastyApiError`), `status`, `code` (null
/// without an envelope), `message`, `type`, `requestId`, `retryable`,
/// `retryAfterSeconds`, `retryWithSameIdempotencyKey`, `rateLimit`
/// (`{limit, remaining, reset}` or null), `extras` (object), `rawBody` and
/// `hint` (string or null). A scope error adds `requiredScope` and
/// `currentScopes` (array of strings), and a credits error adds `required`,
/// `balance`, `shortfallCredits` and `shortfallDollars` (such as `"$0.15"`).
/// Each of these is null when the envelope lacks it.
///
/// Throws a message string when `headers_json` is not such an array. Any
/// status and body bytes are accepted.
#[wasm_bindgen(js_name = decodeApiError)]
pub fn decode_api_error_js(
    status: u16,
    headers_json: &str,
    body: &[u8],
    now: f64,
) -> Result<String, JsValue> {
    let headers = parse_headers(headers_json)?;
    let error = decode_api_error(status, &headers, body, now as i64);
    Ok(api_error_json(&error))
}

/// Reads response metadata from `headers_json` (`[[name, value], ...]`).
///
/// Returns a JSON object with `requestId`, `creditsCharged`,
/// `creditsRemaining`, `creditsRefunded` (numbers), `idempotentReplay`,
/// `testMode` (booleans), `keyKind` and `rateLimit` (`{limit, remaining,
/// reset}`). A missing or malformed header gives null. Throws a message
/// string when `headers_json` is not such an array.
#[wasm_bindgen(js_name = responseMeta)]
pub fn response_meta_js(headers_json: &str) -> Result<String, JsValue> {
    let meta = ResponseMeta::from_headers(&parse_headers(headers_json)?);
    let mut object = ObjectWriter::new();
    object.string("requestId", meta.request_id.as_deref());
    object.number("creditsCharged", meta.credits_charged);
    object.number("creditsRemaining", meta.credits_remaining);
    object.number("creditsRefunded", meta.credits_refunded);
    object.boolean("idempotentReplay", meta.idempotent_replay);
    object.boolean("testMode", meta.test_mode);
    object.string("keyKind", meta.key_kind.as_deref());
    object.raw("rateLimit", &rate_limit_json(meta.rate_limit.as_ref()));
    Ok(object.finish())
}

/// Normalises a run object given as JSON text to the field names `id` and
/// `status`; see `normalize_run` in the core. Returns the new JSON text, or
/// the input unchanged when it is not JSON.
#[wasm_bindgen(js_name = normalizeRun)]
pub fn normalize_run_js(json: &str) -> String {
    match Json::parse(json) {
        Ok(value) => normalize_run(value).to_string(),
        Err(_) => json.to_owned(),
    }
}

/// Decides whether to retry a failed attempt; see `RetryPolicy::decide`.
///
/// The first four arguments are the policy, in ms where named so. `outcome`
/// is `response`, `network` or `timeout`. For `response`, `status`, `code`,
/// `retryable`, `retry_after_seconds` (negative for none) and
/// `retry_with_same_idempotency_key` (-1 for none, 0 for false, 1 for true)
/// describe the decoded error, and they are ignored otherwise.
/// `remaining_deadline_ms` is negative when there is no deadline. A NaN or
/// negative policy figure reads as 0, and a NaN optional figure as none.
///
/// Returns a JSON object with `retry` (boolean), `delayMs` (number, null on
/// a stop), `newIdempotencyKey` (boolean) and `reason` (the sentence for the
/// final error on a stop, else null). Throws a message string for an unknown
/// `outcome`.
#[wasm_bindgen(js_name = retryDecision)]
// Plain numbers cross the boundary without a JSON round trip, which takes
// more parameters than clippy's default limit.
#[allow(clippy::too_many_arguments)]
pub fn retry_decision(
    max_retries: u32,
    base_delay_ms: f64,
    max_delay_ms: f64,
    max_retry_after_ms: f64,
    retries_done: u32,
    outcome: &str,
    status: u16,
    code: Option<String>,
    retryable: bool,
    retry_after_seconds: f64,
    retry_with_same_idempotency_key: i32,
    method: &str,
    has_idempotency_key: bool,
    random_unit: f64,
    remaining_deadline_ms: f64,
) -> Result<String, JsValue> {
    let policy = RetryPolicy {
        max_retries,
        base_delay_ms: base_delay_ms as u64,
        max_delay_ms: max_delay_ms as u64,
        max_retry_after_ms: max_retry_after_ms as u64,
    };
    let outcome = match outcome {
        "response" => Outcome::Response(FailedResponse {
            status,
            code: code.as_deref(),
            retryable,
            retry_after_seconds: optional_u64(retry_after_seconds),
            retry_with_same_idempotency_key: match retry_with_same_idempotency_key {
                0 => Some(false),
                1 => Some(true),
                _ => None,
            },
        }),
        "network" => Outcome::NetworkError,
        "timeout" => Outcome::Timeout,
        _ => {
            return Err(JsValue::from_str(
                "invalid retry outcome: expected \"response\", \"network\" or \"timeout\"",
            ))
        }
    };

    let decision = policy.decide(
        retries_done,
        outcome,
        method,
        has_idempotency_key,
        random_unit,
        optional_u64(remaining_deadline_ms),
    );
    let mut object = ObjectWriter::new();
    match decision {
        Decision::Retry {
            delay_ms,
            new_idempotency_key,
        } => {
            object.boolean("retry", true);
            object.number("delayMs", Some(delay_ms));
            object.boolean("newIdempotencyKey", new_idempotency_key);
            object.string("reason", None);
        }
        Decision::Stop { reason } => {
            object.boolean("retry", false);
            object.number("delayMs", None);
            object.boolean("newIdempotencyKey", false);
            object.string("reason", Some(&reason.to_string()));
        }
    }
    Ok(object.finish())
}

/// A run's event stream (`GET /v1/runs/{id}/events`): an SSE parser and the
/// cursor that drops events a reconnect replays. Keep one per run across
/// reconnections.
#[wasm_bindgen]
#[derive(Default)]
pub struct WasmEventStream {
    parser: SseParser,
    cursor: EventStreamCursor,
}

#[wasm_bindgen]
impl WasmEventStream {
    /// Creates a stream positioned before the first event.
    #[wasm_bindgen(constructor)]
    pub fn new() -> WasmEventStream {
        WasmEventStream::default()
    }

    /// Feeds the next bytes of the response body. Chunks may split the
    /// stream anywhere.
    ///
    /// Returns a JSON array of the run events these bytes complete, without
    /// replayed duplicates. Each is `{seq, type, data, id}`. `seq` is the
    /// integer SSE id or null, and `type` the SSE event type. `data` is the
    /// parsed JSON data, or the raw text as a string when it is not JSON.
    /// `id` is the event's own SSE id or null.
    pub fn push(&mut self, chunk: &[u8]) -> String {
        let mut accepted = String::from("[");
        for event in self.parser.push(chunk) {
            if let Some(run_event) = self.cursor.accept(&event) {
                if accepted.len() > 1 {
                    accepted.push(',');
                }
                accepted.push_str(&run_event_json(&event, &run_event));
            }
        }
        // A `retry` field in a block without data reaches only the parser.
        if let Some(retry_ms) = self.parser.retry_ms() {
            self.cursor.set_retry_ms(retry_ms);
        }
        accepted.push(']');
        accepted
    }

    /// Ends the current connection. An event without its closing blank line
    /// is discarded, and the next `push` starts a new connection.
    pub fn finish(&mut self) {
        self.parser.finish();
    }

    /// Returns the `Last-Event-ID` header value for a reconnect: the last
    /// sequence number accepted, or undefined before the first numbered event.
    #[wasm_bindgen(getter, js_name = lastEventId)]
    pub fn last_event_id(&self) -> Option<String> {
        self.cursor.resume_header().map(|(_, value)| value)
    }

    /// Whether the `done` event arrived, so the client must not reconnect.
    #[wasm_bindgen(getter)]
    pub fn done(&self) -> bool {
        self.cursor.is_done()
    }

    /// Delay before reconnecting, in ms: 3000 until the server sends `retry`.
    #[wasm_bindgen(getter, js_name = retryMs)]
    pub fn retry_ms(&self) -> f64 {
        self.cursor.retry_ms() as f64
    }

    /// Number of events dropped because a line or their data exceeded 1 MiB.
    #[wasm_bindgen(getter, js_name = droppedEvents)]
    pub fn dropped_events(&self) -> f64 {
        self.parser.dropped_events() as f64
    }
}

/// Writes a JSON object as text, one member at a time. Writing text
/// directly compiles to less WebAssembly than building a [`Json`] tree.
struct ObjectWriter {
    text: String,
}

impl ObjectWriter {
    fn new() -> ObjectWriter {
        ObjectWriter {
            text: String::from("{"),
        }
    }

    /// Starts a member. Names are fixed identifiers, so they need no escapes.
    fn key(&mut self, name: &str) {
        if self.text.len() > 1 {
            self.text.push(',');
        }
        self.text.push('"');
        self.text.push_str(name);
        self.text.push_str("\":");
    }

    /// Writes an already valid JSON value.
    fn raw(&mut self, name: &str, json: &str) {
        self.key(name);
        self.text.push_str(json);
    }

    fn json(&mut self, name: &str, value: &Json) {
        self.raw(name, &value.to_string());
    }

    fn string(&mut self, name: &str, value: Option<&str>) {
        match value {
            Some(text) => self.json(name, &Json::from(text)),
            None => self.raw(name, "null"),
        }
    }

    fn number(&mut self, name: &str, value: Option<u64>) {
        match value {
            Some(number) => self.raw(name, &number.to_string()),
            None => self.raw(name, "null"),
        }
    }

    fn boolean(&mut self, name: &str, value: bool) {
        self.raw(name, if value { "true" } else { "false" });
    }

    fn finish(mut self) -> String {
        self.text.push('}');
        self.text
    }
}

/// Reads a finite non-negative number as an integer, and anything else as
/// none. A fraction is cut off, and a value above `u64::MAX` saturates.
fn optional_u64(value: f64) -> Option<u64> {
    (value >= 0.0).then_some(value as u64)
}

/// Reads `[[name, value], ...]`. The error names the position of a bad
/// item, never its text, because a header value can hold a credential.
fn parse_headers(headers_json: &str) -> Result<Vec<(String, String)>, JsValue> {
    let fail = |detail: &str| {
        JsValue::from_str(&format!(
            "invalid headers JSON ({detail}): expected [[name, value], ...] with string \
             names and values"
        ))
    };
    let parsed = Json::parse(headers_json)
        .map_err(|err| fail(&format!("byte {}: {}", err.offset, err.reason)))?;
    let items = parsed
        .as_array()
        .ok_or_else(|| fail(&format!("the top level is {}", parsed.type_name())))?;

    let mut headers = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        match item.as_array() {
            Some([Json::String(name), Json::String(value)]) => {
                headers.push((name.clone(), value.clone()));
            }
            _ => return Err(fail(&format!("item {index} is not a pair of strings"))),
        }
    }
    Ok(headers)
}

fn rate_limit_json(rate_limit: Option<&RateLimit>) -> String {
    let Some(rate_limit) = rate_limit else {
        return "null".to_owned();
    };
    let mut object = ObjectWriter::new();
    object.number("limit", rate_limit.limit);
    object.number("remaining", rate_limit.remaining);
    object.number("reset", rate_limit.reset);
    object.finish()
}

fn api_error_json(error: &ApiError) -> String {
    let mut object = ObjectWriter::new();
    object.string("kind", Some(error.kind.as_str()));
    object.string("className", Some(error.class_name()));
    object.number("status", Some(u64::from(error.status)));
    object.string("code", error.code.as_deref());
    object.string("message", Some(&error.message));
    object.string("type", error.error_type.as_deref());
    object.string("requestId", error.request_id.as_deref());
    object.boolean("retryable", error.retryable);
    object.number("retryAfterSeconds", error.retry_after_seconds);
    match error.retry_with_same_idempotency_key {
        Some(same_key) => object.boolean("retryWithSameIdempotencyKey", same_key),
        None => object.raw("retryWithSameIdempotencyKey", "null"),
    }
    object.raw("rateLimit", &rate_limit_json(error.rate_limit.as_ref()));
    // NOTE: a name the body repeats appears twice here too, and `JSON.parse`
    // keeps the last, as `ApiError::extra` does.
    object.json("extras", &Json::Object(error.extras.clone()));
    object.string("rawBody", Some(&error.raw_body));
    object.string("hint", error.hint().as_deref());
    write_class_details(&mut object, error);
    object.finish()
}

/// Writes the members that only a scope or a credits error has.
fn write_class_details(object: &mut ObjectWriter, error: &ApiError) {
    match error.class {
        ErrorClass::InsufficientScope => {
            object.string("requiredScope", error.required_scope());
            match error.current_scopes() {
                Some(names) => {
                    let scopes = Json::Array(names.into_iter().map(Json::from).collect());
                    object.json("currentScopes", &scopes);
                }
                None => object.raw("currentScopes", "null"),
            }
        }
        ErrorClass::InsufficientCredits => {
            let credits = |name| error.extra(name).and_then(Json::as_u64);
            let figures = error.credit_shortfall();
            object.number("required", credits("required"));
            object.number("balance", credits("balance"));
            object.number("shortfallCredits", figures.map(|f| f.shortfall));
            let dollars = figures.map(|f| f.shortfall_dollars());
            object.string("shortfallDollars", dollars.as_deref());
        }
        _ => {}
    }
}

fn run_event_json(event: &SseEvent, run_event: &RunEvent) -> String {
    let mut object = ObjectWriter::new();
    object.number("seq", run_event.seq);
    object.string("type", Some(&run_event.event_type));
    object.json("data", &run_event.data);
    object.string("id", event.id.as_deref());
    object.finish()
}
