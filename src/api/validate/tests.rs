//! Unit tests of the field rules.

use super::*;
use crate::json::Json;

fn check(kind: FieldKind, value: Json) -> Result<(), ValidationError> {
    validate_value("field", &kind, &value)
}

/// Parses JSON text written in a test.
fn json(text: &str) -> Json {
    Json::parse(text).unwrap()
}

const fn text(min_chars: u32, max_chars: u32) -> FieldKind {
    FieldKind::Text {
        min_chars,
        max_chars,
        allow_blank: true,
    }
}

#[test]
fn display_names_field_problem_and_allowed() {
    let error = validate_value("task", &text(1, 16_000), &Json::from("a".repeat(16_001)));
    let error = error.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid task: 16001 characters; allowed 1-16000 characters"
    );
    assert_eq!(error.value, format!("{:?}…", "a".repeat(40)));
}

#[test]
fn text_counts_characters_not_bytes() {
    assert!(check(text(1, 3), Json::from("éèê")).is_ok());
    assert!(check(text(1, 3), Json::from("éèêë")).is_err());
    assert!(check(text(1, 3), Json::from("")).is_err());
}

#[test]
fn blank_text_rejected_unless_allowed() {
    let name = FieldKind::Text {
        min_chars: 1,
        max_chars: 100,
        allow_blank: false,
    };
    let error = check(name, Json::from(" \t ")).unwrap_err();
    assert_eq!(error.problem, "only whitespace");
    assert!(check(text(1, 100), Json::from("   ")).is_ok());
}

#[test]
fn integers_accept_whole_floats_only() {
    let kind = FieldKind::Integer { min: 1, max: 10 };
    assert!(check(kind, json("10")).is_ok());
    assert!(check(kind, json("5.0")).is_ok());
    assert_eq!(
        check(kind, json("5.5")).unwrap_err().problem,
        "expected an integer, got a number"
    );
    assert_eq!(check(kind, json("11")).unwrap_err().problem, "11");
    assert_eq!(
        check(kind, Json::from(u64::MAX)).unwrap_err().problem,
        u64::MAX.to_string()
    );
    assert_eq!(
        check(kind, Json::from("5")).unwrap_err().problem,
        "expected an integer, got a string"
    );
    assert!(check(kind, Json::Bool(true)).is_err());
}

#[test]
fn integer_or_zero_accepts_zero() {
    let kind = FieldKind::IntegerOrZero {
        min: 5,
        max: 10_080,
    };
    for ok in [0_i64, 5, 10_080] {
        assert!(check(kind, Json::from(ok)).is_ok(), "{ok}");
    }
    for bad in [-1_i64, 1, 4, 10_081] {
        assert!(check(kind, Json::from(bad)).is_err(), "{bad}");
    }
}

#[test]
fn null_needs_nullable() {
    let error = check(text(0, 10), Json::Null).unwrap_err();
    assert!(error.problem.contains("omit the field"));
    const INNER: FieldKind = text(0, 10);
    assert!(check(FieldKind::Nullable(&INNER), Json::Null).is_ok());
    assert!(check(FieldKind::Nullable(&INNER), Json::from("x".repeat(11))).is_err());
    assert!(check(FieldKind::Any, Json::Null).is_ok());
}

#[test]
fn closed_and_open_enums() {
    let closed = FieldKind::Enum {
        values: &["pause", "fail"],
        open: false,
    };
    let open = FieldKind::Enum {
        values: &["v1", "v3"],
        open: true,
    };
    assert!(check(closed, Json::from("pause")).is_ok());
    let error = check(closed, Json::from("wait")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid field: \"wait\" is not an accepted value; allowed one of pause, fail"
    );
    assert!(check(open, Json::from("v9")).is_ok());
    assert!(check(open, Json::from("")).is_err());
    assert!(check(open, json("3")).is_err());
}

#[test]
fn secret_values_never_shown() {
    let kind = FieldKind::Secret {
        min_chars: 16,
        max_chars: 512,
    };
    let error = check(kind, Json::from("sk-ant-short")).unwrap_err();
    assert_eq!(error.value, "[redacted]");
    assert!(!error.to_string().contains("sk-ant"));
    let error = check(kind, json("12345")).unwrap_err();
    assert_eq!(error.value, "[redacted]");
}

#[test]
fn objects_and_records() {
    let tags = FieldKind::Object {
        max_keys: 2,
        string_values: true,
    };
    assert!(check(tags, json(r#"{"a": "1", "b": "2"}"#)).is_ok());
    assert_eq!(
        check(tags, json(r#"{"a": "1", "b": "2", "c": "3"}"#))
            .unwrap_err()
            .problem,
        "3 keys"
    );
    assert_eq!(
        check(tags, json(r#"{"a": 1}"#)).unwrap_err().field,
        "field.a"
    );

    const FIELDS: &[Field] = &[Field::required("command", text(1, 10))];
    let record = FieldKind::Record {
        fields: FIELDS,
        strict: true,
    };
    assert!(check(record, json(r#"{"command": "click"}"#)).is_ok());
    assert_eq!(
        check(record, json(r#"{}"#)).unwrap_err().field,
        "field.command"
    );
    assert_eq!(
        check(record, json(r#"{"command": "x", "extra": 1}"#))
            .unwrap_err()
            .field,
        "field.extra"
    );
}

#[test]
fn arrays_name_the_failing_item() {
    const ITEM: FieldKind = FieldKind::Integer { min: 0, max: 1 };
    let kind = FieldKind::Array {
        max_items: 3,
        item: &ITEM,
    };
    assert!(check(kind, json(r#"[0, 1, 1]"#)).is_ok());
    assert_eq!(
        check(kind, json(r#"[0, 1, 1, 0]"#)).unwrap_err().problem,
        "4 items"
    );
    assert_eq!(
        check(kind, json(r#"[0, 2]"#)).unwrap_err().field,
        "field[1]"
    );
}

#[test]
fn strict_object_reports_unknown_field_first() {
    const FIELDS: &[Field] = &[Field::required("task", FieldKind::Any)];
    let object = json(r#"{"taks": "typo"}"#);
    let object = object.as_object().unwrap();
    let error = validate_object(FIELDS, object, true, "").unwrap_err();
    assert_eq!(error.field, "taks");
    assert!(error.allowed.contains("task"));
    let error = validate_object(FIELDS, object, false, "").unwrap_err();
    assert_eq!(error.field, "task");
    assert_eq!(error.problem, "missing required field");
}

#[test]
fn query_values_parse_by_kind() {
    let limit = Field::optional("limit", FieldKind::Integer { min: 1, max: 200 });
    assert!(validate_query_value(&limit, "200").is_ok());
    assert_eq!(
        validate_query_value(&limit, "201").unwrap_err().problem,
        "201"
    );
    assert!(validate_query_value(&limit, "ten").is_err());
    assert!(validate_query_value(&limit, "").is_err());
    let flag = Field::optional("flag", FieldKind::Bool);
    assert!(validate_query_value(&flag, "true").is_ok());
    assert!(validate_query_value(&flag, "yes").is_err());
}

#[test]
fn patterns() {
    assert!(Pattern::Slug.matches("invoice-bot_2"));
    assert!(!Pattern::Slug.matches("Invoice"));
    assert!(Pattern::KeyId.matches("key_AB-12"));
    assert!(!Pattern::KeyId.matches("key:1"));
    assert!(Pattern::IdempotencyKey.matches("order:42_retry-1"));
    assert!(!Pattern::IdempotencyKey.matches("order 42"));
    assert!(Pattern::YearMonth.matches("2026-07"));
}

#[test]
fn render_is_short_and_safe() {
    assert_eq!(render_value(&Json::from("a\nb")), "\"a\\nb\"");
    assert_eq!(render_value(&json(r#"[1, 2]"#)), "an array of 2 items");
    assert_eq!(render_value(&json(r#"{"k": 1}"#)), "an object of 1 keys");
    assert_eq!(render_value(&Json::Null), "null");
}

#[test]
fn whole_numbers_read_from_text() {
    let cases: &[(&str, Option<i128>)] = &[
        ("0", Some(0)),
        ("-0", Some(0)),
        ("5.0", Some(5)),
        ("-5.000", Some(-5)),
        ("1e3", Some(1000)),
        ("1E+3", Some(1000)),
        ("2.5e1", Some(25)),
        ("250e-1", Some(25)),
        ("0e999999999999999999999", Some(0)),
        ("0.0e-5", Some(0)),
        ("18446744073709551615", Some(u64::MAX.into())),
        ("18446744073709551616", Some(u64::MAX.into())),
        ("-18446744073709551616", Some(-i128::from(u64::MAX))),
        ("1e39", Some(u64::MAX.into())),
        ("1e999999999999999999999", Some(u64::MAX.into())),
        ("5.5", None),
        ("1e-1", None),
        ("25e-1", None),
        ("1e-999999999999999999999", None),
    ];
    for (text, expected) in cases {
        assert_eq!(check::whole_number(&json(text)), *expected, "{text}");
    }
    let not_numbers = [
        Json::from("5"),
        Json::Number("5x".into()),
        Json::Number(String::new()),
    ];
    for value in not_numbers {
        assert_eq!(check::whole_number(&value), None, "{value:?}");
    }
}

#[test]
fn huge_integers_out_of_range() {
    let kind = FieldKind::Integer { min: 1, max: 10 };
    assert_eq!(check(kind, json("1e3")).unwrap_err().problem, "1e3");
    assert_eq!(check(kind, json("1e40")).unwrap_err().problem, "1e40");
    assert_eq!(check(kind, json("-1e40")).unwrap_err().problem, "-1e40");
    let long = format!("1{}", "0".repeat(60));
    let error = check(kind, json(&long)).unwrap_err();
    assert_eq!(error.value, format!("1{}…", "0".repeat(39)));
}

#[test]
fn repeated_field_rejected() {
    const FIELDS: &[Field] = &[Field::required("task", text(1, 10))];
    let object = json(r#"{"task": "ok", "task": ""}"#);
    let error = validate_object(FIELDS, object.as_object().unwrap(), true, "").unwrap_err();
    assert_eq!(error.field, "task");
    assert_eq!(error.problem, "appears 2 times");
}

#[test]
fn nullable_secret_stays_redacted() {
    const SECRET: FieldKind = FieldKind::Secret {
        min_chars: 16,
        max_chars: 512,
    };
    let error = check(FieldKind::Nullable(&SECRET), Json::from("sk-short")).unwrap_err();
    assert_eq!(error.value, "[redacted]");
    assert_eq!(error.allowed, "16-512 characters");
}
