//! Checks run inside WebAssembly, in Node and in headless Chromium: the core on
//! wasm32 (32-bit `usize`, no clock) and the exported bindings.

use coasty::bindings::webhook::{
    invalid_payload_message, normalize_run_event_js, wasm_memory, WasmVerifier,
};
use coasty::json::Json;
use coasty::webhook::{sign, Verifier};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

const VECTORS: &str = include_str!("../vectors/webhook-verify.json");

fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut bit_count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET.iter().position(|a| *a == byte).unwrap() as u32;
        bits = (bits << 6) | value;
        bit_count += 6;
        if bit_count >= 8 {
            bit_count -= 8;
            out.push((bits >> bit_count) as u8);
        }
    }
    out
}

struct Case {
    id: String,
    secret: String,
    header: Vec<String>,
    body: Vec<u8>,
    now: i64,
    tolerance: u64,
    parse: bool,
    expected: Option<String>,
}

fn cases() -> Vec<Case> {
    let vectors = Json::parse(VECTORS).unwrap();
    let text = |value: &Json, key: &str| value.get(key).and_then(Json::as_str).unwrap().to_owned();
    vectors
        .as_array()
        .unwrap()
        .iter()
        .map(|case| {
            let input = case.get("input").unwrap();
            let header = match input.get("header").unwrap() {
                Json::Null => vec![],
                Json::String(value) => vec![value.clone()],
                Json::Array(values) => values.iter().map(|v| v.as_str().unwrap().into()).collect(),
                other => panic!("header {other}"),
            };
            let body = match input.get("body_b64") {
                Some(encoded) => decode_base64(encoded.as_str().unwrap()),
                None => text(input, "body").into_bytes(),
            };
            let expect = case.get("expect").unwrap();
            Case {
                id: text(case, "id"),
                secret: text(input, "secret"),
                header,
                body,
                now: input.get("now").and_then(Json::as_i64).unwrap(),
                tolerance: input.get("tolerance").and_then(Json::as_u64).unwrap(),
                parse: input.get("parse").and_then(Json::as_bool).unwrap(),
                expected: expect
                    .get("error")
                    .and_then(Json::as_str)
                    .map(str::to_ascii_uppercase),
            }
        })
        .collect()
}

#[wasm_bindgen_test]
fn core_passes_every_vector() {
    let cases = cases();
    assert!(cases.len() >= 51);
    for case in cases {
        let verifier = Verifier::new(&[case.secret.as_str()])
            .unwrap()
            .with_tolerance(case.tolerance);
        let header: Vec<&str> = case.header.iter().map(String::as_str).collect();
        let result = if case.parse {
            verifier
                .verify_values(&header, &case.body, case.now)
                .and_then(|_| coasty::webhook::check_event_payload(&case.body).map(|_| ()))
        } else {
            verifier
                .verify_values(&header, &case.body, case.now)
                .map(|_| ())
        };
        let actual = result.err().map(|err| err.code().to_owned());
        assert_eq!(actual, case.expected, "vector {}", case.id);
    }
}

/// Writes header and payload into the verifier's transfer buffer the way the JS
/// layer does, through a view of wasm memory.
fn verify_through_buffer(
    verifier: &mut WasmVerifier,
    header: &[String],
    body: &[u8],
    now: i64,
) -> i32 {
    let first = header.first().map(String::as_str).unwrap_or("");
    let start = verifier.buffer(first.len() + body.len()) as u32;
    let memory: js_sys::WebAssembly::Memory = wasm_memory().unchecked_into();
    let bytes = js_sys::Uint8Array::new(&memory.buffer());
    bytes.set(&js_sys::Uint8Array::from(first.as_bytes()), start);
    bytes.set(&js_sys::Uint8Array::from(body), start + first.len() as u32);
    verifier.verify_buffer(first.len(), header.len() as u32, body.len(), now as f64)
}

#[wasm_bindgen_test]
fn bindings_pass_every_signature_vector() {
    for case in cases().into_iter().filter(|case| !case.parse) {
        let mut verifier = WasmVerifier::new(vec![case.secret.clone()], case.tolerance as f64)
            .unwrap_or_else(|_| panic!("verifier for {}", case.id));
        let result = verify_through_buffer(&mut verifier, &case.header, &case.body, case.now);
        let code = match result {
            0.. => None,
            -1 => Some("MISSING_HEADER"),
            -2 => Some("MALFORMED_HEADER"),
            -3 => Some("NO_MATCHING_SIGNATURE"),
            -4 => Some("TIMESTAMP_OUT_OF_TOLERANCE"),
            other => panic!("vector {}: result {other}", case.id),
        };
        assert_eq!(code.map(str::to_owned), case.expected, "vector {}", case.id);
    }
}

#[wasm_bindgen_test]
fn bindings_report_timestamp_and_skew() {
    let body = br#"{"event":"run.failed"}"#;
    let header = sign("whsec_wasm", body, 1_700_000_000).unwrap();
    let mut verifier = WasmVerifier::new(vec!["whsec_wasm".into()], 300.0).unwrap();
    let result = verify_through_buffer(&mut verifier, &[header], body, 1_700_000_400);
    assert_eq!(result, -4);
    assert_eq!(verifier.timestamp(), Some(1_700_000_000.0));
    assert_eq!(verifier.skew_seconds(), Some(400.0));
    assert!(verifier
        .error_message()
        .unwrap()
        .contains("400 s in the past"));
}

#[wasm_bindgen_test]
fn bindings_reject_overrun_lengths() {
    let mut verifier = WasmVerifier::new(vec!["whsec_wasm".into()], 300.0).unwrap();
    verifier.buffer(8);
    assert_eq!(verifier.verify_buffer(8, 1, 1_000_000, 0.0), -5);
}

#[wasm_bindgen_test]
fn bindings_reject_empty_secret() {
    assert!(WasmVerifier::new(vec![String::new()], 300.0).is_err());
    assert!(WasmVerifier::new(vec![], 300.0).is_err());
}

#[wasm_bindgen_test]
fn normalize_and_messages() {
    let summary =
        normalize_run_event_js(r#"{"event":"run.failed","run":{"id":"r1","state":"failed"}}"#)
            .unwrap();
    let summary = Json::parse(&summary).unwrap();
    assert_eq!(summary.get("runId").and_then(Json::as_str), Some("r1"));
    assert_eq!(summary.get("status").and_then(Json::as_str), Some("failed"));
    assert!(normalize_run_event_js("not json").is_err());
    assert!(invalid_payload_message(0).contains("UTF-8"));
    assert!(invalid_payload_message(2).contains("not an object"));
}
