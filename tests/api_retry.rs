//! Retry decisions: one test per rule of `RetryPolicy::decide`.

use coasty::api::error::{decode_api_error, ApiError};
use coasty::api::retry::{Decision, FailedResponse, Outcome, RetryPolicy, StopReason};
use serde_json::json;

const NOW: i64 = 1_700_000_000;

fn response(status: u16, fields: serde_json::Value, retry_after: Option<&str>) -> ApiError {
    let mut error = json!({"code": "SOME_CODE", "message": "m"});
    for (key, value) in fields.as_object().unwrap() {
        error[key] = value.clone();
    }
    let body = json!({ "error": error }).to_string();
    let headers: Vec<(String, String)> = retry_after
        .map(|value| vec![("Retry-After".to_owned(), value.to_owned())])
        .unwrap_or_default();
    decode_api_error(status, &headers, body.as_bytes(), NOW)
}

fn retry_delay(decision: Decision) -> u64 {
    match decision {
        Decision::Retry { delay_ms, .. } => delay_ms,
        Decision::Stop { reason } => panic!("expected a retry, got: {reason}"),
    }
}

fn stop_reason(decision: Decision) -> StopReason {
    match decision {
        Decision::Stop { reason } => reason,
        retry => panic!("expected a stop, got {retry:?}"),
    }
}

#[test]
fn default_policy_values() {
    let policy = RetryPolicy::default();
    assert_eq!(policy.max_retries, 2);
    assert_eq!(policy.base_delay_ms, 500);
    assert_eq!(policy.max_delay_ms, 8_000);
    assert_eq!(policy.max_retry_after_ms, 60_000);
}

#[test]
fn backoff_full_jitter() {
    let policy = RetryPolicy {
        max_retries: 10,
        ..RetryPolicy::default()
    };
    let decide = |retries_done, unit| {
        retry_delay(policy.decide(retries_done, Outcome::Timeout, "GET", false, unit, None))
    };
    assert_eq!(decide(0, 0.5), 250);
    assert_eq!(decide(1, 0.5), 500);
    assert_eq!(decide(2, 0.5), 1_000);
    assert_eq!(decide(0, 0.0), 0);
    assert_eq!(decide(0, 0.999), 499);
    // The ceiling stops at max_delay_ms = 8000.
    assert_eq!(decide(5, 0.5), 4_000);
    assert_eq!(decide(9, 0.5), 4_000);
}

#[test]
fn backoff_with_odd_random_unit() {
    let policy = RetryPolicy::default();
    let decide =
        |unit| retry_delay(policy.decide(0, Outcome::NetworkError, "GET", false, unit, None));
    assert_eq!(decide(f64::NAN), 0);
    assert_eq!(decide(-3.0), 0);
    assert_eq!(decide(7.0), 500);
}

#[test]
fn backoff_with_huge_retry_count() {
    let policy = RetryPolicy {
        max_retries: u32::MAX,
        ..RetryPolicy::default()
    };
    let decision = policy.decide(200, Outcome::Timeout, "GET", false, 0.5, None);
    assert_eq!(retry_delay(decision), 4_000);
}

#[test]
fn retry_after_overrides_jitter() {
    let error = response(503, json!({}), Some("3"));
    let decision = RetryPolicy::default().decide(0, Outcome::from(&error), "GET", false, 0.1, None);
    assert_eq!(retry_delay(decision), 3_000);

    let body_only = response(429, json!({"retry_after": 2}), None);
    let decision =
        RetryPolicy::default().decide(0, Outcome::from(&body_only), "GET", false, 0.1, None);
    assert_eq!(retry_delay(decision), 2_000);
}

#[test]
fn retry_after_at_cap_is_honoured() {
    let error = response(429, json!({}), Some("60"));
    let decision = RetryPolicy::default().decide(0, Outcome::from(&error), "GET", false, 0.1, None);
    assert_eq!(retry_delay(decision), 60_000);
}

#[test]
fn retry_after_above_cap_stops() {
    let error = response(429, json!({}), Some("120"));
    let decision = RetryPolicy::default().decide(0, Outcome::from(&error), "GET", false, 0.1, None);
    let reason = stop_reason(decision);
    assert_eq!(
        reason,
        StopReason::RetryAfterTooLong {
            attempts: 1,
            retry_after_seconds: 120,
            max_retry_after_ms: 60_000,
        }
    );
    assert_eq!(
        reason.to_string(),
        "gave up after 1 attempt: the server asked to wait 120 s, above the 60 s cap"
    );
}

#[test]
fn retryable_error_retries() {
    let error = response(401, json!({"retryable": true}), None);
    let decision = RetryPolicy::default().decide(0, Outcome::from(&error), "GET", false, 0.5, None);
    assert_eq!(retry_delay(decision), 250);
}

#[test]
fn non_retryable_error_stops() {
    let error = response(503, json!({"retryable": false}), None);
    let decision = RetryPolicy::default().decide(0, Outcome::from(&error), "GET", false, 0.5, None);
    let reason = stop_reason(decision);
    assert_eq!(
        reason.to_string(),
        "gave up after 1 attempt: HTTP 503 SOME_CODE is not retryable"
    );

    let validation = decode_api_error(400, &[], b"bad", NOW);
    let decision =
        RetryPolicy::default().decide(0, Outcome::from(&validation), "GET", false, 0.5, None);
    assert!(matches!(
        stop_reason(decision),
        StopReason::NotRetryable {
            status: 400,
            code: None,
            ..
        }
    ));
}

#[test]
fn network_error_and_timeout_retry() {
    let policy = RetryPolicy::default();
    for outcome in [Outcome::NetworkError, Outcome::Timeout] {
        let decision = policy.decide(1, outcome, "DELETE", false, 0.5, None);
        assert_eq!(
            decision,
            Decision::Retry {
                delay_ms: 500,
                new_idempotency_key: false
            }
        );
    }
}

#[test]
fn post_without_key_never_retries() {
    let policy = RetryPolicy::default();
    let error = response(503, json!({}), None);
    for method in ["POST", "post", "PATCH", "PROPFIND"] {
        for outcome in [
            Outcome::from(&error),
            Outcome::NetworkError,
            Outcome::Timeout,
        ] {
            let reason = stop_reason(policy.decide(0, outcome, method, false, 0.5, None));
            let expected_method = method.to_ascii_uppercase();
            assert!(
                matches!(&reason, StopReason::MissingIdempotencyKey { method, .. } if *method == expected_method),
                "{method}: {reason:?}"
            );
            assert!(reason.to_string().contains("Idempotency-Key"));
        }
    }
}

#[test]
fn post_with_key_retries() {
    let policy = RetryPolicy::default();
    for method in ["POST", "PATCH"] {
        let decision = policy.decide(0, Outcome::Timeout, method, true, 0.5, None);
        assert_eq!(retry_delay(decision), 250, "{method}");
    }
}

#[test]
fn idempotent_methods_retry_without_key() {
    let policy = RetryPolicy::default();
    for method in ["GET", "HEAD", "PUT", "DELETE", "OPTIONS", " get "] {
        let decision = policy.decide(0, Outcome::NetworkError, method, false, 0.5, None);
        assert_eq!(retry_delay(decision), 250, "{method}");
    }
}

#[test]
fn new_key_when_server_asks() {
    let error = response(
        503,
        json!({"retryable": true, "retry_with_same_idempotency_key": false}),
        None,
    );
    let decision = RetryPolicy::default().decide(0, Outcome::from(&error), "POST", true, 0.5, None);
    assert_eq!(
        decision,
        Decision::Retry {
            delay_ms: 250,
            new_idempotency_key: true
        }
    );
}

#[test]
fn same_key_by_default() {
    let policy = RetryPolicy::default();
    let same = response(
        409,
        json!({"retryable": true, "retry_with_same_idempotency_key": true}),
        None,
    );
    let absent = response(503, json!({}), None);
    for error in [&same, &absent] {
        let decision = policy.decide(0, Outcome::from(error), "POST", true, 0.5, None);
        assert!(
            matches!(
                decision,
                Decision::Retry {
                    new_idempotency_key: false,
                    ..
                }
            ),
            "{decision:?}"
        );
    }
}

#[test]
fn retries_exhausted_stops() {
    let policy = RetryPolicy::default();
    let reason = stop_reason(policy.decide(2, Outcome::Timeout, "GET", false, 0.5, None));
    assert_eq!(reason, StopReason::RetriesExhausted { attempts: 3 });
    assert_eq!(
        reason.to_string(),
        "gave up after 3 attempts: the retry limit of 2 retries is reached"
    );
    assert_eq!(reason.attempts(), 3);

    let no_retries = RetryPolicy {
        max_retries: 0,
        ..RetryPolicy::default()
    };
    let reason = stop_reason(no_retries.decide(0, Outcome::Timeout, "GET", false, 0.5, None));
    assert_eq!(reason, StopReason::RetriesExhausted { attempts: 1 });
}

#[test]
fn deadline_stops_long_delay() {
    let policy = RetryPolicy::default();
    let reason = stop_reason(policy.decide(1, Outcome::Timeout, "GET", false, 0.5, Some(499)));
    assert_eq!(
        reason,
        StopReason::DeadlineExceeded {
            attempts: 2,
            delay_ms: 500,
            remaining_deadline_ms: 499,
        }
    );
    assert!(reason.to_string().contains("(499 ms left)"));

    let fits = policy.decide(1, Outcome::Timeout, "GET", false, 0.5, Some(500));
    assert_eq!(retry_delay(fits), 500);
}

#[test]
fn deadline_applies_to_retry_after() {
    let error = response(503, json!({}), Some("10"));
    let policy = RetryPolicy::default();
    let decision = policy.decide(0, Outcome::from(&error), "GET", false, 0.5, Some(5_000));
    assert!(matches!(
        stop_reason(decision),
        StopReason::DeadlineExceeded {
            delay_ms: 10_000,
            ..
        }
    ));
}

#[test]
fn failed_response_without_api_error() {
    // The JS bindings pass the fields one by one instead of an `ApiError`.
    let failed = FailedResponse {
        status: 409,
        code: Some("IDEMPOTENCY_IN_FLIGHT"),
        retryable: true,
        retry_after_seconds: Some(2),
        retry_with_same_idempotency_key: Some(false),
    };
    let policy = RetryPolicy::default();
    let decision = policy.decide(0, Outcome::Response(failed), "POST", true, 0.5, None);
    assert_eq!(
        decision,
        Decision::Retry {
            delay_ms: 2_000,
            new_idempotency_key: true
        }
    );

    let final_error = FailedResponse {
        retryable: false,
        ..failed
    };
    let decision = policy.decide(0, Outcome::Response(final_error), "POST", true, 0.5, None);
    assert_eq!(
        stop_reason(decision).to_string(),
        "gave up after 1 attempt: HTTP 409 IDEMPOTENCY_IN_FLIGHT is not retryable"
    );
}

#[test]
fn failed_response_from_api_error() {
    let error = response(
        503,
        json!({"retry_with_same_idempotency_key": true}),
        Some("4"),
    );
    let failed = FailedResponse::from(&error);
    assert_eq!(failed.status, 503);
    assert_eq!(failed.code, Some("SOME_CODE"));
    assert!(failed.retryable);
    assert_eq!(failed.retry_after_seconds, Some(4));
    assert_eq!(failed.retry_with_same_idempotency_key, Some(true));
}
