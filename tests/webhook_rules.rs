//! One test per webhook rule, beyond what the shared vectors pin.

use coasty::webhook::{
    check_event_payload, sign, signature_hex, ArgumentError, InvalidPayload, MalformedHeader,
    Verifier, WebhookError, DEFAULT_TOLERANCE_SECONDS,
};

const SECRET: &str = "whsec_test_secret_123";
const BODY: &[u8] = br#"{"event":"run.succeeded","run_id":"run_123","status":"succeeded"}"#;
const T: i64 = 1_750_000_000;

fn verifier(secrets: &[&str]) -> Verifier {
    Verifier::new(secrets).unwrap()
}

#[test]
fn published_vector_signs_and_verifies() {
    let header = sign(SECRET, BODY, T).unwrap();
    assert_eq!(
        header,
        "t=1750000000,v1=5f70978eab52dbf5838da76e5eb6c6c465560ce8e746ed8e6113c159d8bbb2d4"
    );
    let verified = verifier(&[SECRET]).verify(Some(&header), BODY, T).unwrap();
    assert_eq!(verified.timestamp, T);
    assert_eq!(verified.secret_index, 0);
}

#[test]
fn rotation_reports_matching_secret() {
    let header = sign("whsec_new", BODY, T).unwrap();
    let verified = verifier(&["whsec_old", "whsec_new"])
        .verify(Some(&header), BODY, T)
        .unwrap();
    assert_eq!(verified.secret_index, 1);
}

#[test]
fn rotation_with_two_v1_items() {
    let old = sign("whsec_old", BODY, T).unwrap();
    let new = sign("whsec_new", BODY, T).unwrap();
    let both = format!("{old},{}", &new[new.find(",").unwrap() + 1..]);
    for secret in ["whsec_old", "whsec_new"] {
        assert!(
            verifier(&[secret]).verify(Some(&both), BODY, T).is_ok(),
            "{secret}"
        );
    }
    let err = verifier(&["whsec_other"])
        .verify(Some(&both), BODY, T)
        .unwrap_err();
    assert_eq!(err.code(), "NO_MATCHING_SIGNATURE");
}

#[test]
fn junk_v1_does_not_block_rotation() {
    let header = sign(SECRET, BODY, T).unwrap();
    let with_junk = header.replacen(",v1=", ",v1=not-hex,v1=", 1);
    assert!(verifier(&[SECRET])
        .verify(Some(&with_junk), BODY, T)
        .is_ok());
}

#[test]
fn missing_header_forms() {
    let verifier = verifier(&[SECRET]);
    for header in [None, Some(""), Some("   "), Some("\t")] {
        let err = verifier.verify(header, BODY, T).unwrap_err();
        assert_eq!(err, WebhookError::MissingHeader, "{header:?}");
    }
    let err = verifier.verify_values(&[], BODY, T).unwrap_err();
    assert_eq!(err, WebhookError::MissingHeader);
}

#[test]
fn duplicated_header_array_is_malformed() {
    let header = sign(SECRET, BODY, T).unwrap();
    let err = verifier(&[SECRET])
        .verify_values(&[&header, &header], BODY, T)
        .unwrap_err();
    assert_eq!(
        err,
        WebhookError::MalformedHeader(MalformedHeader::Duplicated { count: 2 })
    );
}

#[test]
fn single_item_array_is_that_value() {
    let header = sign(SECRET, BODY, T).unwrap();
    assert!(verifier(&[SECRET])
        .verify_values(&[&header], BODY, T)
        .is_ok());
}

#[test]
fn joined_duplicate_header_is_malformed() {
    // Node's req.headers joins a repeated header with ", ", repeating `t`.
    let header = sign(SECRET, BODY, T).unwrap();
    let joined = format!("{header}, {header}");
    let err = verifier(&[SECRET])
        .verify(Some(&joined), BODY, T)
        .unwrap_err();
    assert_eq!(
        err,
        WebhookError::MalformedHeader(MalformedHeader::RepeatedTimestamp)
    );
}

#[test]
fn malformed_is_reported_before_signature() {
    let err = verifier(&[SECRET])
        .verify(Some("t=abc,v1=00"), BODY, T)
        .unwrap_err();
    assert_eq!(err.code(), "MALFORMED_HEADER");
}

#[test]
fn signature_is_checked_before_timestamp() {
    let header = sign("whsec_wrong", BODY, T).unwrap();
    let err = verifier(&[SECRET])
        .verify(Some(&header), BODY, T + 10_000)
        .unwrap_err();
    assert_eq!(
        err,
        WebhookError::NoMatchingSignature {
            timestamp: T,
            secret_looks_like_api_key: false,
        }
    );
}

#[test]
fn tolerance_is_two_sided_and_inclusive() {
    let header = sign(SECRET, BODY, T).unwrap();
    let verifier = verifier(&[SECRET]);
    let limit = DEFAULT_TOLERANCE_SECONDS as i64;
    for now in [T - limit, T + limit] {
        assert!(
            verifier.verify(Some(&header), BODY, now).is_ok(),
            "now {now}"
        );
    }
    for (now, skew) in [(T - limit - 1, -limit - 1), (T + limit + 1, limit + 1)] {
        let err = verifier.verify(Some(&header), BODY, now).unwrap_err();
        assert_eq!(
            err,
            WebhookError::TimestampOutOfTolerance {
                timestamp: T,
                skew_seconds: skew,
                tolerance_seconds: DEFAULT_TOLERANCE_SECONDS,
            }
        );
        assert_eq!(err.skew_seconds(), Some(skew));
    }
}

#[test]
fn zero_tolerance_means_same_second() {
    let header = sign(SECRET, BODY, T).unwrap();
    let verifier = verifier(&[SECRET]).with_tolerance(0);
    assert!(verifier.verify(Some(&header), BODY, T).is_ok());
    let err = verifier.verify(Some(&header), BODY, T + 1).unwrap_err();
    assert_eq!(err.code(), "TIMESTAMP_OUT_OF_TOLERANCE");
}

#[test]
fn millisecond_timestamp_fails_freshness() {
    let header = sign(SECRET, BODY, T * 1000).unwrap();
    let err = verifier(&[SECRET])
        .verify(Some(&header), BODY, T)
        .unwrap_err();
    assert_eq!(err.code(), "TIMESTAMP_OUT_OF_TOLERANCE");
}

#[test]
fn extreme_timestamps_do_not_overflow() {
    let header = sign(SECRET, BODY, i64::MAX).unwrap();
    let err = verifier(&[SECRET])
        .verify(Some(&header), BODY, i64::MIN)
        .unwrap_err();
    assert_eq!(err.skew_seconds(), Some(i64::MIN));
}

#[test]
fn timestamp_digits_are_signed_as_received() {
    let mac = signature_hex(SECRET.as_bytes(), "01750000000", BODY).unwrap();
    let header = format!("t=01750000000,v1={mac}");
    assert!(verifier(&[SECRET]).verify(Some(&header), BODY, T).is_ok());
    let canonical = format!("t=1750000000,v1={mac}");
    assert!(verifier(&[SECRET])
        .verify(Some(&canonical), BODY, T)
        .is_err());
}

#[test]
fn secret_is_used_verbatim() {
    let header = sign(SECRET, BODY, T).unwrap();
    for variant in [
        " whsec_test_secret_123",
        "whsec_test_secret_123\n",
        "test_secret_123",
    ] {
        let err = verifier(&[variant])
            .verify(Some(&header), BODY, T)
            .unwrap_err();
        assert_eq!(err.code(), "NO_MATCHING_SIGNATURE", "{variant:?}");
    }
}

#[test]
fn event_payload_skips_one_bom() {
    let mut body = b"\xEF\xBB\xBF".to_vec();
    body.extend_from_slice(BODY);
    let header = sign(SECRET, &body, T).unwrap();
    let (_, json) = verifier(&[SECRET])
        .verify_event(Some(&header), &body, T)
        .unwrap();
    assert!(json.starts_with('{'));

    let mut two_boms = b"\xEF\xBB\xBF".to_vec();
    two_boms.extend_from_slice(&body);
    let err = check_event_payload(&two_boms).unwrap_err();
    assert_eq!(err, WebhookError::InvalidPayload(InvalidPayload::NotJson));
}

#[test]
fn bom_is_part_of_signed_bytes() {
    let header = sign(SECRET, BODY, T).unwrap();
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend_from_slice(BODY);
    let err = verifier(&[SECRET])
        .verify(Some(&header), &with_bom, T)
        .unwrap_err();
    assert_eq!(err.code(), "NO_MATCHING_SIGNATURE");
}

#[test]
fn event_payload_problems() {
    let cases: [(&[u8], InvalidPayload); 5] = [
        (b"\xff\xfe{}", InvalidPayload::NotUtf8),
        (b"", InvalidPayload::NotJson),
        (b"{\"a\":", InvalidPayload::NotJson),
        (b"[1,2]", InvalidPayload::NotObject),
        (b"\"text\"", InvalidPayload::NotObject),
    ];
    for (body, problem) in cases {
        let header = sign(SECRET, body, T).unwrap();
        let err = verifier(&[SECRET])
            .verify_event(Some(&header), body, T)
            .unwrap_err();
        assert_eq!(err, WebhookError::InvalidPayload(problem), "{body:?}");
    }
}

#[test]
fn payload_is_checked_after_timestamp() {
    let header = sign(SECRET, b"not json", T).unwrap();
    let err = verifier(&[SECRET])
        .verify_event(Some(&header), b"not json", T + 1000)
        .unwrap_err();
    assert_eq!(err.code(), "TIMESTAMP_OUT_OF_TOLERANCE");
}

#[test]
fn argument_errors() {
    assert_eq!(
        Verifier::new::<&str>(&[]).unwrap_err(),
        ArgumentError::NoSecrets
    );
    assert_eq!(
        Verifier::new(&["whsec_a", ""]).unwrap_err(),
        ArgumentError::EmptySecret { index: 1 }
    );
    assert_eq!(
        sign(SECRET, BODY, -1).unwrap_err(),
        ArgumentError::NegativeTimestamp { timestamp: -1 }
    );
}

#[test]
fn secrets_never_in_messages_or_debug() {
    let header = sign(SECRET, BODY, T).unwrap();
    let verifier = verifier(&[SECRET]);
    let debug = format!("{verifier:?}");
    assert!(!debug.contains("secret_123"), "{debug}");
    let mac = &header[header.find("v1=").unwrap() + 3..];
    for now in [T, T + 1000] {
        for body in [BODY, b"tampered"] {
            if let Err(err) = verifier.verify(Some(&header), body, now) {
                let text = format!("{err} {err:?}");
                assert!(!text.contains("secret_123"), "{text}");
                assert!(!text.contains(&mac[..12]), "{text}");
            }
        }
    }
}

#[test]
fn mismatch_message_names_usual_cause() {
    let header = sign(SECRET, BODY, T).unwrap();
    let err = verifier(&[SECRET])
        .verify(Some(&header), b"{}", T)
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("re-serialised"), "{message}");
    assert!(message.contains("raw request bytes"), "{message}");
}

#[test]
fn api_key_as_secret_is_named() {
    let header = sign(SECRET, BODY, T).unwrap();
    let api_key = format!("sk-coasty-live-{}", "ab".repeat(24));
    let err = verifier(&[&api_key])
        .verify(Some(&header), BODY, T)
        .unwrap_err();
    let message = err.to_string();
    assert!(message.contains("looks like an API key"), "{message}");
    assert!(!message.contains(&api_key[..20]), "{message}");
    let plain = verifier(&["whsec_other"])
        .verify(Some(&header), BODY, T)
        .unwrap_err();
    assert!(!plain.to_string().contains("API key"));
}

#[test]
fn millisecond_timestamp_is_named() {
    let header = sign(SECRET, BODY, T * 1000).unwrap();
    let err = verifier(&[SECRET])
        .verify(Some(&header), BODY, T)
        .unwrap_err();
    assert!(err.to_string().contains("looks like milliseconds"), "{err}");
    let stale = sign(SECRET, BODY, T - 3600).unwrap();
    let err = verifier(&[SECRET])
        .verify(Some(&stale), BODY, T)
        .unwrap_err();
    assert!(!err.to_string().contains("milliseconds"), "{err}");
}
