//! Every case of `tests/vectors/webhook-verify.json`, checked natively.

use coasty::webhook::Verifier;
use serde_json::Value;

fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut bit_count = 0;
    let mut out = Vec::new();
    for byte in text.bytes().filter(|b| *b != b'=') {
        let value = ALPHABET
            .iter()
            .position(|a| *a == byte)
            .expect("base64 digit");
        bits = (bits << 6) | value as u32;
        bit_count += 6;
        if bit_count >= 8 {
            bit_count -= 8;
            out.push((bits >> bit_count) as u8);
        }
    }
    out
}

fn header_values(header: &Value) -> Vec<String> {
    match header {
        Value::Null => vec![],
        Value::String(value) => vec![value.clone()],
        Value::Array(values) => values
            .iter()
            .map(|value| value.as_str().expect("header item").to_owned())
            .collect(),
        other => panic!("unexpected header {other}"),
    }
}

#[test]
fn webhook_verify_vectors() {
    let text = std::fs::read_to_string("tests/vectors/webhook-verify.json").unwrap();
    let cases: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert!(cases.len() >= 51, "only {} cases", cases.len());

    let mut failures = Vec::new();
    for case in &cases {
        let id = case["id"].as_str().unwrap();
        let input = &case["input"];
        let body = match input.get("body_b64") {
            Some(encoded) => decode_base64(encoded.as_str().unwrap()),
            None => input["body"].as_str().unwrap().as_bytes().to_vec(),
        };
        let values = header_values(&input["header"]);
        let values: Vec<&str> = values.iter().map(String::as_str).collect();
        let verifier = Verifier::new(&[input["secret"].as_str().unwrap()])
            .unwrap()
            .with_tolerance(input["tolerance"].as_u64().unwrap());
        let now = input["now"].as_i64().unwrap();

        let outcome = if input["parse"].as_bool().unwrap() {
            verifier
                .verify_values(&values, &body, now)
                .and_then(|_| coasty::webhook::check_event_payload(&body).map(|_| ()))
        } else {
            verifier.verify_values(&values, &body, now).map(|_| ())
        };

        let expected = &case["expect"];
        let actual_code = outcome.err().map(|err| err.code().to_ascii_lowercase());
        let expected_code = expected["error"].as_str().map(str::to_owned);
        if expected["ok"].as_bool().unwrap() != actual_code.is_none()
            || actual_code != expected_code
        {
            failures.push(format!(
                "{id}: expected {expected_code:?}, got {actual_code:?} ({})",
                case["note"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
