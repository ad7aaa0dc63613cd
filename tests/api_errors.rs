//! Error decoding: the cases of `tests/vectors/api-errors.json`,
//! classification, hints, Retry-After, response headers and malformed input.

use coasty::api::error::{decode_api_error, ApiError, ErrorClass, ErrorKind, RAW_BODY_MAX_BYTES};
use coasty::api::http_date::parse_retry_after;
use coasty::api::response::{normalize_run, RateLimit, ResponseMeta};
use coasty::json::Json;
use serde_json::{json, Value};

const NOW: i64 = 1_700_000_000;

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

fn decode_json(status: u16, body: Value) -> ApiError {
    decode_api_error(status, &[], body.to_string().as_bytes(), NOW)
}

/// Converts a `json!` value to the crate's JSON type.
fn to_json(value: Value) -> Json {
    Json::parse(&value.to_string()).unwrap()
}

fn extra_text<'a>(error: &'a ApiError, name: &str) -> Option<&'a str> {
    error.extra(name).and_then(Json::as_str)
}

fn envelope(code: &str, extras: Value) -> Value {
    let mut error = json!({"code": code, "message": "msg", "type": "t", "request_id": "req_1"});
    for (key, value) in extras.as_object().unwrap() {
        error[key] = value.clone();
    }
    json!({ "error": error })
}

#[test]
fn vector_file_cases() {
    let text = std::fs::read_to_string("tests/vectors/api-errors.json").unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert!(cases.len() >= 10, "expected at least 10 cases");

    for case in &cases {
        let id = case["id"].as_str().unwrap();
        let input = &case["input"];
        let expect = &case["expect"];
        let header_pairs: Vec<(String, String)> = input["headers"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(name, value)| (name.clone(), value.as_str().unwrap().to_owned()))
            .collect();
        let status = input["status"].as_u64().unwrap() as u16;
        let body = input["body"].as_str().unwrap();
        let now = input["now"].as_i64().unwrap();

        let error = decode_api_error(status, &header_pairs, body.as_bytes(), now);

        assert_eq!(error.kind.as_str(), expect["kind"], "{id}: kind");
        assert_eq!(error.status as u64, expect["status"], "{id}: status");
        assert_eq!(error.retryable, expect["retryable"], "{id}: retryable");
        assert_eq!(
            error.retry_after_seconds,
            expect["retry_after_s"].as_u64(),
            "{id}: retry_after_s"
        );
        let optional_text = [
            ("code", error.code.as_deref()),
            ("message", Some(error.message.as_str())),
            ("type", error.error_type.as_deref()),
            ("request_id", error.request_id.as_deref()),
        ];
        for (field, actual) in optional_text {
            if let Some(expected) = expect.get(field) {
                assert_eq!(actual, expected.as_str(), "{id}: {field}");
            }
        }
        if let Some(expected) = expect.get("retry_with_same_idempotency_key") {
            assert_eq!(
                error.retry_with_same_idempotency_key,
                expected.as_bool(),
                "{id}: retry_with_same_idempotency_key"
            );
        }
        if let Some(fragment) = expect.get("raw_body_contains").and_then(Value::as_str) {
            assert!(error.raw_body.contains(fragment), "{id}: raw_body");
        }
    }
}

#[test]
fn class_by_code_before_status() {
    let error = decode_json(401, envelope("UPSTREAM_ERROR", json!({"retryable": true})));
    assert_eq!(error.class, ErrorClass::Server);
    assert_eq!(error.class_name(), "ServerError");

    let reused_409 = decode_json(409, envelope("IDEMPOTENCY_KEY_REUSED", json!({})));
    let reused_422 = decode_json(422, envelope("IDEMPOTENCY_KEY_REUSED", json!({})));
    assert_eq!(reused_409.class, ErrorClass::Conflict);
    assert_eq!(reused_422.class, ErrorClass::Conflict);
}

#[test]
fn class_of_each_code_family() {
    let cases = [
        ("INVALID_API_KEY", 401, ErrorClass::Authentication),
        ("INVALID_SIGNATURE", 401, ErrorClass::Authentication),
        ("WALLET_EXHAUSTED", 402, ErrorClass::InsufficientCredits),
        ("INSUFFICIENT_SCOPE", 403, ErrorClass::InsufficientScope),
        ("RUN_NOT_FOUND", 404, ErrorClass::NotFound),
        ("LLM_KEY_NOT_FOUND", 404, ErrorClass::NotFound),
        ("GUARD_EXCEEDED", 409, ErrorClass::Conflict),
        ("FEATURE_NOT_AVAILABLE", 400, ErrorClass::Validation),
        ("PAYLOAD_TOO_LARGE", 413, ErrorClass::Validation),
        ("TOO_MANY_RUNS", 400, ErrorClass::RateLimit),
        ("PREDICTION_FAILED", 500, ErrorClass::Server),
        ("UPSTREAM_TIMEOUT", 504, ErrorClass::Server),
        ("DB_UNAVAILABLE", 503, ErrorClass::Server),
        ("INTERNAL_ERROR", 500, ErrorClass::Server),
        ("INTERNAL_ERROR", 429, ErrorClass::RateLimit),
        ("SOMETHING_NEW", 404, ErrorClass::NotFound),
        ("SOMETHING_NEW", 403, ErrorClass::Other),
        ("SOMETHING_NEW", 418, ErrorClass::Other),
        ("SOMETHING_NEW", 422, ErrorClass::Validation),
    ];
    for (code, status, class) in cases {
        let error = decode_json(status, envelope(code, json!({})));
        assert_eq!(error.class, class, "{code} with HTTP {status}");
    }
}

#[test]
fn unknown_403_with_scope_is_scope_error() {
    let body = envelope("TIER_GATE", json!({"required_scope": "runs:write"}));
    let error = decode_json(403, body);
    assert_eq!(error.class, ErrorClass::InsufficientScope);
}

#[test]
fn scope_hint_names_scope() {
    let extras =
        json!({"required_scope": "runs:write", "current_scopes": ["runs:read", "machines:read"]});
    let error = decode_json(403, envelope("INSUFFICIENT_SCOPE", extras));
    let hint = error.hint().unwrap();
    assert!(hint.contains("add the `runs:write` scope"), "{hint}");
    assert!(
        hint.contains("current scopes: runs:read, machines:read"),
        "{hint}"
    );
    assert_eq!(error.class_name(), "InsufficientScopeError");
    assert_eq!(extra_text(&error, "required_scope"), Some("runs:write"));
    assert!(error
        .to_string()
        .starts_with("INSUFFICIENT_SCOPE: msg (add the"));
}

#[test]
fn credits_hint_gives_shortfall() {
    let error = decode_json(
        402,
        envelope(
            "INSUFFICIENT_CREDITS",
            json!({"required": 20, "balance": 5}),
        ),
    );
    let hint = error.hint().unwrap();
    assert!(hint.contains("15 more credits ($0.15)"), "{hint}");
    assert!(hint.contains("sk-coasty-test-"), "{hint}");

    let large = decode_json(
        402,
        envelope(
            "INSUFFICIENT_CREDITS",
            json!({"required": 12345, "balance": 40}),
        ),
    );
    assert!(large
        .hint()
        .unwrap()
        .contains("12305 more credits ($123.05)"));
}

#[test]
fn credits_hint_without_figures() {
    let error = decode_json(402, envelope("WALLET_EXHAUSTED", json!({"balance": "n/a"})));
    let hint = error.hint().unwrap();
    assert!(hint.starts_with("top up the wallet"), "{hint}");
}

#[test]
fn authentication_hint_names_variable() {
    let error = decode_json(401, envelope("INVALID_API_KEY", json!({})));
    assert!(error.hint().unwrap().contains("COASTY_API_KEY"));
    assert_eq!(error.class_name(), "AuthenticationError");
}

#[test]
fn rate_limit_hint_gives_wait() {
    let head = headers(&[("Retry-After", "7")]);
    let body = envelope("RATE_LIMITED", json!({})).to_string();
    let error = decode_api_error(429, &head, body.as_bytes(), NOW);
    assert_eq!(error.kind, ErrorKind::RateLimited);
    assert_eq!(error.hint().unwrap(), "wait 7 s before retrying");
}

#[test]
fn other_hint_uses_suggestion() {
    let error = decode_json(
        400,
        envelope("INVALID_LIMIT", json!({"suggestion": "use 1 to 200"})),
    );
    assert_eq!(error.hint().as_deref(), Some("use 1 to 200"));
    assert_eq!(extra_text(&error, "suggestion"), Some("use 1 to 200"));
    assert_eq!(error.extra("code"), None);
    assert_eq!(error.extra("request_id"), None);
}

#[test]
fn retry_after_header_wins_over_envelope() {
    let body = envelope("RATE_LIMITED", json!({"retry_after": 30})).to_string();
    let with_header =
        decode_api_error(429, &headers(&[("retry-after", "5")]), body.as_bytes(), NOW);
    assert_eq!(with_header.retry_after_seconds, Some(5));

    let without_header = decode_api_error(429, &[], body.as_bytes(), NOW);
    assert_eq!(without_header.retry_after_seconds, Some(30));

    let bad_header = decode_api_error(
        429,
        &headers(&[("Retry-After", "soon")]),
        body.as_bytes(),
        NOW,
    );
    assert_eq!(bad_header.retry_after_seconds, Some(30));
}

#[test]
fn retry_after_date_header() {
    // 1_700_000_000 is Tue, 14 Nov 2023 22:13:20 GMT.
    let head = headers(&[("Retry-After", "Tue, 14 Nov 2023 22:14:00 GMT")]);
    let error = decode_api_error(503, &head, b"", NOW);
    assert_eq!(error.retry_after_seconds, Some(40));
}

#[test]
fn http_date_forms() {
    let forms = [
        "Tue, 14 Nov 2023 22:14:00 GMT",
        "Tuesday, 14-Nov-23 22:14:00 GMT",
        "Tue Nov 14 22:14:00 2023",
    ];
    for form in forms {
        assert_eq!(parse_retry_after(form, NOW), Some(40), "{form}");
    }
    assert_eq!(
        parse_retry_after("Sun Nov  6 08:49:37 1994", 784_111_777 - 10),
        Some(10)
    );
    assert_eq!(
        parse_retry_after("Thu, 01 Jan 1970 00:00:00 GMT", 0),
        Some(0)
    );
    assert_eq!(
        parse_retry_after("Thu, 29 Feb 2024 00:00:00 GMT", 1_709_164_800 - 1),
        Some(1)
    );
}

#[test]
fn http_date_in_past_is_zero() {
    assert_eq!(
        parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", NOW),
        Some(0)
    );
    assert_eq!(
        parse_retry_after("Sunday, 06-Nov-94 08:49:37 GMT", NOW),
        Some(0)
    );
}

#[test]
fn rfc850_two_digit_year() {
    // In 2023, "74" is 1974 because 2074 is more than 50 years ahead, but
    // "73" is 2073 and "60" is 2060.
    assert_eq!(
        parse_retry_after("Tuesday, 01-Jan-74 00:00:00 GMT", NOW),
        Some(0)
    );
    let in_2073 = parse_retry_after("Sunday, 01-Jan-73 00:00:00 GMT", NOW).unwrap();
    assert_eq!(in_2073, 3_250_454_400 - NOW as u64);
    let in_2060 = parse_retry_after("Thursday, 01-Jan-60 00:00:00 GMT", NOW).unwrap();
    assert_eq!(in_2060, 2_840_140_800 - NOW as u64);
}

#[test]
fn retry_after_delta_seconds() {
    assert_eq!(parse_retry_after("120", NOW), Some(120));
    assert_eq!(parse_retry_after(" 0 ", NOW), Some(0));
    assert_eq!(
        parse_retry_after("99999999999999999999999", NOW),
        Some(u64::MAX)
    );
}

#[test]
fn retry_after_rejects_malformed() {
    let bad = [
        "",
        "-5",
        "1.5",
        "+3",
        "soon",
        "0x10",
        "Tue, 14 Nov 2023 22:14:00 UTC",
        "Tue, 31 Nov 2023 22:14:00 GMT",
        "Tue, 29 Feb 2023 22:14:00 GMT",
        "Tue, 14 Nov 2023 24:00:00 GMT",
        "Tue, 14 Foo 2023 22:14:00 GMT",
        "Tue, 14 Nov 23 22:14:00 GMT",
        "Xyz, 14 Nov 2023 22:14:00 GMT",
        "Tue 14 Nov 2023 22:14:00 GMT",
        "Tuesday, 14-Nov-2023 22:14:00 GMT",
        "Tue Nov 14 22:14 2023",
        "Tue Nov 14 22:14:00:00 2023",
        "Tue, 14 Nov 2023 22:1٤:00 GMT",
    ];
    for value in bad {
        assert_eq!(parse_retry_after(value, NOW), None, "{value:?}");
    }
}

#[test]
fn invalid_utf8_body() {
    let body = b"\xff\xfe oops \xc3";
    let error = decode_api_error(500, &[], body, NOW);
    assert_eq!(error.kind, ErrorKind::Http);
    assert!(error.raw_body.contains("oops"));
    assert!(error.raw_body.contains('\u{FFFD}'));
    assert!(
        error.message.starts_with("HTTP 500 with a non-JSON body"),
        "{}",
        error.message
    );
}

#[test]
fn huge_body_is_capped() {
    let mut body = vec![b'a'; RAW_BODY_MAX_BYTES - 1];
    body.extend_from_slice("é".repeat(3_000_000).as_bytes());
    let error = decode_api_error(502, &[], &body, NOW);
    assert_eq!(error.raw_body.len(), RAW_BODY_MAX_BYTES - 1);
    assert!(!error.raw_body.contains('\u{FFFD}'));
    assert!(error.message.len() < 400);
}

#[test]
fn large_envelope_is_not_parsed() {
    let padding = "x".repeat(2 << 20);
    let body = envelope("INVALID_LIMIT", json!({"details": padding}));
    let error = decode_json(400, body);
    assert_eq!(error.kind, ErrorKind::Http);
    assert_eq!(error.raw_body.len(), RAW_BODY_MAX_BYTES);
}

#[test]
fn non_envelope_json_shapes() {
    let cases = [
        (
            "null",
            "HTTP 500 with JSON that is not a Coasty error envelope",
        ),
        (
            "[1, 2]",
            "HTTP 500 with JSON that is not a Coasty error envelope",
        ),
        (
            r#"{"error": "boom"}"#,
            "HTTP 500 with JSON that is not a Coasty error envelope: boom",
        ),
        (
            r#"{"error": {"code": 5, "message": "m"}}"#,
            "HTTP 500 with JSON that is not a Coasty error envelope: m",
        ),
        (
            r#"{"error": {"code": "X"}}"#,
            "HTTP 500 with JSON that is not a Coasty error envelope",
        ),
        (
            r#"{"detail": "Not authenticated"}"#,
            "HTTP 500 with JSON that is not a Coasty error envelope: Not authenticated",
        ),
    ];
    for (body, message) in cases {
        let error = decode_api_error(500, &[], body.as_bytes(), NOW);
        assert_eq!(error.kind, ErrorKind::Http, "{body}");
        assert_eq!(error.code, None, "{body}");
        assert_eq!(error.message, message, "{body}");
        assert!(error.retryable, "{body}");
        assert_eq!(error.class, ErrorClass::Server, "{body}");
    }
}

#[test]
fn html_and_empty_messages() {
    let html = decode_api_error(502, &[], b"  <html><body>Bad</body></html>", NOW);
    assert_eq!(
        html.message,
        "HTTP 502 from a proxy or gateway (HTML body), not a Coasty API response"
    );
    // Display adds the hint, here the retry advice for a retryable 502.
    assert!(html.to_string().starts_with(&html.message));
    assert!(html.to_string().contains("retry with exponential backoff"));

    let empty = decode_api_error(504, &[], b"", NOW);
    assert_eq!(
        empty.message,
        "HTTP 504 with an empty body, not a Coasty API response"
    );
    assert_eq!(empty.class_name(), "ServerError");

    let teapot = decode_api_error(418, &[], b"", NOW);
    assert_eq!(teapot.class_name(), "CoastyApiError");
    assert!(!teapot.retryable);
}

#[test]
fn envelope_with_bom_and_extras() {
    let mut body = b"\xEF\xBB\xBF".to_vec();
    let json = envelope(
        "INVALID_STATE",
        json!({"current_state": "succeeded", "allowed_from": ["running"], "retryable": "yes"}),
    );
    body.extend_from_slice(json.to_string().as_bytes());
    let error = decode_api_error(409, &[], &body, NOW);
    assert_eq!(error.kind, ErrorKind::Api);
    assert_eq!(error.class, ErrorClass::Conflict);
    assert_eq!(extra_text(&error, "current_state"), Some("succeeded"));
    assert_eq!(
        error.extra("allowed_from"),
        Some(&to_json(json!(["running"])))
    );
    // A non-boolean retryable is ignored, so the status decides.
    assert!(!error.retryable);
}

#[test]
fn display_has_request_id_but_no_other_headers() {
    let head = headers(&[
        ("X-Coasty-Request-Id", "req_hdr"),
        ("Set-Cookie", "session=secret-cookie"),
        ("Authorization", "Bearer sk-coasty-live-abc"),
    ]);
    let error = decode_api_error(500, &head, b"oops", NOW);
    let rendered = format!("{error} {error:?}");
    assert!(rendered.contains("req_hdr"));
    assert!(!rendered.contains("secret-cookie"));
    assert!(!rendered.contains("sk-coasty-live-abc"));
}

#[test]
fn body_request_id_wins_over_header() {
    let head = headers(&[("x-coasty-request-id", "req_header")]);
    let body = envelope("INTERNAL_ERROR", json!({})).to_string();
    let error = decode_api_error(500, &head, body.as_bytes(), NOW);
    assert_eq!(error.request_id.as_deref(), Some("req_1"));
}

#[test]
fn rate_limit_headers() {
    let legacy = headers(&[
        ("x-ratelimit-limit", "60"),
        ("X-RateLimit-Remaining", "0"),
        ("x-ratelimit-reset", "1700000060"),
    ]);
    let expected = RateLimit {
        limit: Some(60),
        remaining: Some(0),
        reset: Some(1_700_000_060),
    };
    assert_eq!(RateLimit::from_headers(&legacy), Some(expected.clone()));

    let ietf = headers(&[
        ("RateLimit-Limit", "60"),
        ("ratelimit-remaining", "0"),
        ("RateLimit-Reset", "1700000060"),
    ]);
    assert_eq!(RateLimit::from_headers(&ietf), Some(expected));

    let error = decode_api_error(429, &legacy, b"", NOW);
    assert_eq!(error.class, ErrorClass::RateLimit);
    assert_eq!(
        error.rate_limit.as_ref().and_then(|limit| limit.reset),
        Some(1_700_000_060)
    );
    assert!(error.hint().unwrap().contains("1700000060"));

    let malformed = headers(&[
        ("X-RateLimit-Limit", "many"),
        ("X-RateLimit-Remaining", "-1"),
    ]);
    assert_eq!(RateLimit::from_headers(&malformed), None);
}

#[test]
fn response_meta_from_headers() {
    let head = headers(&[
        ("X-Coasty-Request-Id", "req_ok"),
        ("x-credits-charged", "10"),
        ("X-Credits-Remaining", "4990, 4990"),
        ("X-Credits-Refunded", "oops"),
        ("Idempotency-Replayed", "TRUE"),
        ("X-Coasty-Test-Mode", "true"),
        ("X-Coasty-Key-Kind", "test"),
        ("RateLimit-Remaining", "9"),
    ]);
    let meta = ResponseMeta::from_headers(&head);
    assert_eq!(meta.request_id.as_deref(), Some("req_ok"));
    assert_eq!(meta.credits_charged, Some(10));
    assert_eq!(meta.credits_remaining, Some(4990));
    assert_eq!(meta.credits_refunded, None);
    assert!(meta.idempotent_replay);
    assert!(meta.test_mode);
    assert_eq!(meta.key_kind.as_deref(), Some("test"));
    assert_eq!(meta.rate_limit.unwrap().remaining, Some(9));

    let empty = ResponseMeta::from_headers(&[]);
    assert_eq!(empty, ResponseMeta::default());
    let replay = ResponseMeta::from_headers(&headers(&[("X-Coasty-Idempotent-Replay", "true")]));
    assert!(replay.idempotent_replay);
}

#[test]
fn normalize_run_shapes() {
    let wrapped = json!({"run": {"run_id": "run_1", "state": "running"}, "request_id": "req_1"});
    let run = normalize_run(to_json(wrapped));
    let text = |name| run.get(name).and_then(Json::as_str);
    assert_eq!(text("id"), Some("run_1"));
    assert_eq!(text("run_id"), Some("run_1"));
    assert_eq!(text("status"), Some("running"));
    assert_eq!(text("request_id"), Some("req_1"));
    assert!(run.get("run").is_none());

    let canonical =
        to_json(json!({"id": "run_2", "run_id": "other", "status": "queued", "state": "x"}));
    assert_eq!(normalize_run(canonical.clone()), canonical);

    let not_object = to_json(json!({"run": "text", "id": "run_3"}));
    assert_eq!(normalize_run(not_object.clone()), not_object);
    assert_eq!(normalize_run(to_json(json!([1]))), to_json(json!([1])));
}

#[test]
fn decode_never_panics_on_odd_input() {
    let bodies: [&[u8]; 8] = [
        b"",
        b"{",
        b"\x00\x01\x02",
        b"{\"error\": null}",
        b"{\"error\": {\"code\": \"X\", \"message\": \"m\", \"retry_after\": -4}}",
        b"{\"error\": {\"code\": \"X\", \"message\": \"m\", \"current_scopes\": 7}}",
        b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
        "\u{1F600}".as_bytes(),
    ];
    let retry_after_values = [
        "Mon",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT",
    ];
    for status in [0, 100, 200, 403, 429, 599, 999, u16::MAX] {
        for body in bodies {
            for retry_after in retry_after_values {
                for now in [i64::MIN, 0, i64::MAX] {
                    let head = headers(&[("Retry-After", retry_after)]);
                    let error = decode_api_error(status, &head, body, now);
                    assert_eq!(error.status, status);
                    assert!(!error.to_string().is_empty());
                }
            }
        }
    }
}

proptest::proptest! {
    #[test]
    fn decode_arbitrary_input_never_panics(
        status in proptest::prelude::any::<u16>(),
        body in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600),
        retry_after in "\\PC{0,40}",
        now in proptest::prelude::any::<i64>(),
    ) {
        let head = headers(&[("Retry-After", retry_after.as_str()), ("X-Coasty-Request-Id", "req_p")]);
        let error = decode_api_error(status, &head, &body, now);
        proptest::prop_assert_eq!(error.status, status);
        proptest::prop_assert!(error.raw_body.len() <= 3 * RAW_BODY_MAX_BYTES);
        proptest::prop_assert!(!error.to_string().is_empty());
    }

    #[test]
    fn retry_after_date_round_trip(offset in 0i64..5_000_000_000, now in 0i64..4_000_000_000) {
        // Formats `now + offset` as an IMF-fixdate, then parses it back.
        let target = now + offset;
        let days = target.div_euclid(86_400);
        let seconds = target.rem_euclid(86_400);
        let (year, month, day) = civil(days);
        let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][days.rem_euclid(7) as usize];
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
        let value = format!(
            "{weekday}, {day:02} {} {year:04} {:02}:{:02}:{:02} GMT",
            months[month as usize - 1],
            seconds / 3_600,
            seconds / 60 % 60,
            seconds % 60
        );
        proptest::prop_assert_eq!(parse_retry_after(&value, now), Some(offset as u64), "{}", value);
    }
}

/// Converts days since 1970-01-01 to (year, month, day) by walking the
/// calendar, independently of the library's closed-form arithmetic.
fn civil(mut days: i64) -> (i64, i64, i64) {
    let leap = |y: i64| y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let mut year = 1970;
    loop {
        let length = if leap(year) { 366 } else { 365 };
        if days < length {
            break;
        }
        days -= length;
        year += 1;
    }
    let lengths = [
        31,
        if leap(year) { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let mut month = 1;
    for length in lengths {
        if days < length {
            break;
        }
        days -= length;
        month += 1;
    }
    (year, month, days + 1)
}

#[test]
fn echoed_secrets_are_redacted() {
    let key = "sk-coasty-live-0123456789abcdef0123456789abcdef0123456789abcdef";
    let body = format!(
        "{{\"message\": \"bad key {key}\", \"secret\": \"whsec_abc\", \"k\": \"cua_sk_ff\"}}"
    );
    let error = decode_api_error(502, &[], body.as_bytes(), NOW);
    let rendered = format!("{error} {error:?}");
    assert!(!rendered.contains("0123456789abcdef"), "{rendered}");
    assert!(!rendered.contains("whsec_abc"), "{rendered}");
    assert!(!rendered.contains("cua_sk_ff"), "{rendered}");
    assert_eq!(
        error.message,
        "HTTP 502 with JSON that is not a Coasty error envelope: bad key [REDACTED]"
    );
    assert!(
        error.raw_body.contains("\"secret\": \"[REDACTED]\""),
        "{}",
        error.raw_body
    );
}

#[test]
fn repeated_envelope_names_last_wins() {
    // `JSON.parse` keeps the last of repeated names, and decoding agrees.
    let body = br#"{"error": {"code": "A", "message": "first", "retryable": false,
        "message": "second", "retryable": true, "hint": 1, "hint": "x",
        "code": "INVALID_LIMIT"}}"#;
    let error = decode_api_error(400, &[], body, NOW);
    assert_eq!(error.kind, ErrorKind::Api);
    assert_eq!(error.code.as_deref(), Some("INVALID_LIMIT"));
    assert_eq!(error.message, "second");
    assert!(error.retryable);
    assert_eq!(extra_text(&error, "hint"), Some("x"));
    assert_eq!(error.extras.len(), 2);

    // A code that is a string only in its first occurrence is not an envelope.
    let body = br#"{"error": {"code": "A", "message": "m", "code": 5}}"#;
    let error = decode_api_error(400, &[], body, NOW);
    assert_eq!(error.kind, ErrorKind::Http);
    assert_eq!(error.code, None);

    // A typed name with an unexpected type lands in the extras only when last.
    let body = br#"{"error": {"code": "A", "message": "m", "retryable": "yes",
        "retryable": true}}"#;
    let error = decode_api_error(400, &[], body, NOW);
    assert!(error.retryable);
    assert_eq!(error.extra("retryable"), None);
}

#[test]
fn extras_keep_body_order() {
    let body = br#"{"error": {"zeta": 1, "code": "X", "alpha": [true], "message": "m",
        "mid": {"k": 1.50}}}"#;
    let error = decode_api_error(400, &[], body, NOW);
    let names: Vec<&str> = error.extras.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(names, ["zeta", "alpha", "mid"]);
    assert_eq!(error.extra("mid").unwrap().to_string(), r#"{"k":1.50}"#);
}

#[test]
fn scope_and_credit_accessors() {
    let extras = json!({"required_scope": "runs:write", "current_scopes": ["a", 7, "b"]});
    let scope = decode_json(403, envelope("INSUFFICIENT_SCOPE", extras));
    assert_eq!(scope.required_scope(), Some("runs:write"));
    assert_eq!(scope.current_scopes(), Some(vec!["a", "b"]));
    assert_eq!(scope.credit_shortfall(), None);

    let no_strings = decode_json(
        403,
        envelope("INSUFFICIENT_SCOPE", json!({"current_scopes": [7]})),
    );
    assert_eq!(no_strings.current_scopes(), Some(vec![]));
    assert!(no_strings
        .hint()
        .unwrap()
        .contains("(current scopes: none)"));
    let not_array = decode_json(
        403,
        envelope("INSUFFICIENT_SCOPE", json!({"current_scopes": "a"})),
    );
    assert_eq!(not_array.current_scopes(), None);

    let credits = decode_json(
        402,
        envelope(
            "INSUFFICIENT_CREDITS",
            json!({"required": 20, "balance": 5}),
        ),
    );
    let shortfall = credits.credit_shortfall().unwrap();
    assert_eq!(shortfall.required, 20);
    assert_eq!(shortfall.balance, 5);
    assert_eq!(shortfall.shortfall, 15);
    assert_eq!(shortfall.shortfall_dollars(), "$0.15");

    let covered = decode_json(
        402,
        envelope(
            "INSUFFICIENT_CREDITS",
            json!({"required": 5, "balance": 20}),
        ),
    );
    assert_eq!(covered.credit_shortfall().unwrap().shortfall, 0);
    for (required, balance) in [(json!(1.5), json!(0)), (json!(-1), json!(0))] {
        let extras = json!({"required": required, "balance": balance});
        let error = decode_json(402, envelope("INSUFFICIENT_CREDITS", extras));
        assert_eq!(error.credit_shortfall(), None, "{required}");
    }
}

#[test]
fn normalize_run_order_and_repeats() {
    let wrapped = Json::parse(
        r#"{"run": "old", "request_id": "req_1", "run": {"state": "queued", "run_id": "run_1"},
            "request_id": "req_2", "state": "ignored"}"#,
    )
    .unwrap();
    let run = normalize_run(wrapped);
    assert_eq!(
        run.to_string(),
        r#"{"state":"queued","run_id":"run_1","request_id":"req_2","id":"run_1","status":"queued"}"#
    );
}

#[test]
fn secrets_in_extras_are_redacted() {
    let extras = json!({
        "received_key": "sk-coasty-live-0123456789abcdef",
        "details": {"tried": ["cua_sk_abc123", "ok"], "count": 2},
    });
    let error = decode_json(401, envelope("INVALID_API_KEY", extras));
    assert_eq!(extra_text(&error, "received_key"), Some("[REDACTED]"));
    assert_eq!(
        error.extra("details").unwrap().to_string(),
        r#"{"count":2,"tried":["[REDACTED]","ok"]}"#
    );
    let rendered = format!("{error} {error:?}");
    assert!(!rendered.contains("0123456789abcdef"), "{rendered}");
    assert!(!rendered.contains("abc123"), "{rendered}");
}

#[test]
fn bare_key_prefixes_are_not_redacted() {
    let body = br#"{"error":{"code":"INVALID_API_KEY","message":"Malformed API key: expected sk-coasty-live-, sk-coasty-test- or cua_sk_ followed by 48 hex characters. Got sk-coasty-live-0123456789abcdef."}}"#;
    let error = decode_api_error(401, &[], body, 0);
    assert!(
        error
            .message
            .contains("expected sk-coasty-live-, sk-coasty-test- or cua_sk_ followed"),
        "{}",
        error.message
    );
    assert!(
        error.message.contains("Got [REDACTED]."),
        "{}",
        error.message
    );
    assert!(!error.message.contains("0123456789abcdef"));
}

#[test]
fn retryable_errors_get_a_retry_hint() {
    let html = b"<html><body>502 Bad Gateway</body></html>";
    let error = decode_api_error(502, &[], html, 0);
    let hint = error.hint().expect("a hint for a retryable 502");
    assert!(hint.contains("retry with exponential backoff"), "{hint}");
    assert!(hint.contains("Idempotency-Key"), "{hint}");

    let headers = vec![("Retry-After".to_owned(), "7".to_owned())];
    let error = decode_api_error(503, &headers, b"", 0);
    assert!(error.hint().unwrap().contains("retry after 7 s"));

    let error = decode_api_error(404, &[], b"Not Found", 0);
    assert_eq!(error.hint(), None);
}
