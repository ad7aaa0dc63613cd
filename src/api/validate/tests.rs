//! Unit tests of the field rules.

use super::*;
use serde_json::{json, Value};

fn check(kind: FieldKind, value: Value) -> Result<(), ValidationError> {
    validate_value("field", &kind, &value)
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
    let error = validate_value("task", &text(1, 16_000), &json!("a".repeat(16_001)));
    let error = error.unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid task: 16001 characters; allowed 1-16000 characters"
    );
    assert_eq!(error.value, format!("{:?}…", "a".repeat(40)));
}

#[test]
fn text_counts_characters_not_bytes() {
    assert!(check(text(1, 3), json!("éèê")).is_ok());
    assert!(check(text(1, 3), json!("éèêë")).is_err());
    assert!(check(text(1, 3), json!("")).is_err());
}

#[test]
fn blank_text_rejected_unless_allowed() {
    let name = FieldKind::Text {
        min_chars: 1,
        max_chars: 100,
        allow_blank: false,
    };
    let error = check(name, json!(" \t ")).unwrap_err();
    assert_eq!(error.problem, "only whitespace");
    assert!(check(text(1, 100), json!("   ")).is_ok());
}

#[test]
fn integers_accept_whole_floats_only() {
    let kind = FieldKind::Integer { min: 1, max: 10 };
    assert!(check(kind, json!(10)).is_ok());
    assert!(check(kind, json!(5.0)).is_ok());
    assert_eq!(
        check(kind, json!(5.5)).unwrap_err().problem,
        "expected an integer, got a number"
    );
    assert_eq!(check(kind, json!(11)).unwrap_err().problem, "11");
    assert_eq!(
        check(kind, json!(u64::MAX)).unwrap_err().problem,
        u64::MAX.to_string()
    );
    assert_eq!(
        check(kind, json!("5")).unwrap_err().problem,
        "expected an integer, got a string"
    );
    assert!(check(kind, json!(true)).is_err());
}

#[test]
fn integer_or_zero_accepts_zero() {
    let kind = FieldKind::IntegerOrZero {
        min: 5,
        max: 10_080,
    };
    for ok in [0, 5, 10_080] {
        assert!(check(kind, json!(ok)).is_ok(), "{ok}");
    }
    for bad in [-1, 1, 4, 10_081] {
        assert!(check(kind, json!(bad)).is_err(), "{bad}");
    }
}

#[test]
fn null_needs_nullable() {
    let error = check(text(0, 10), Value::Null).unwrap_err();
    assert!(error.problem.contains("omit the field"));
    const INNER: FieldKind = text(0, 10);
    assert!(check(FieldKind::Nullable(&INNER), Value::Null).is_ok());
    assert!(check(FieldKind::Nullable(&INNER), json!("x".repeat(11))).is_err());
    assert!(check(FieldKind::Any, Value::Null).is_ok());
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
    assert!(check(closed, json!("pause")).is_ok());
    let error = check(closed, json!("wait")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid field: \"wait\" is not an accepted value; allowed one of pause, fail"
    );
    assert!(check(open, json!("v9")).is_ok());
    assert!(check(open, json!("")).is_err());
    assert!(check(open, json!(3)).is_err());
}

#[test]
fn secret_values_never_shown() {
    let kind = FieldKind::Secret {
        min_chars: 16,
        max_chars: 512,
    };
    let error = check(kind, json!("sk-ant-short")).unwrap_err();
    assert_eq!(error.value, "[redacted]");
    assert!(!error.to_string().contains("sk-ant"));
    let error = check(kind, json!(12345)).unwrap_err();
    assert_eq!(error.value, "[redacted]");
}

#[test]
fn objects_and_records() {
    let tags = FieldKind::Object {
        max_keys: 2,
        string_values: true,
    };
    assert!(check(tags, json!({"a": "1", "b": "2"})).is_ok());
    assert_eq!(
        check(tags, json!({"a": "1", "b": "2", "c": "3"}))
            .unwrap_err()
            .problem,
        "3 keys"
    );
    assert_eq!(check(tags, json!({"a": 1})).unwrap_err().field, "field.a");

    const FIELDS: &[Field] = &[Field::required("command", text(1, 10))];
    let record = FieldKind::Record {
        fields: FIELDS,
        strict: true,
    };
    assert!(check(record, json!({"command": "click"})).is_ok());
    assert_eq!(check(record, json!({})).unwrap_err().field, "field.command");
    assert_eq!(
        check(record, json!({"command": "x", "extra": 1}))
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
    assert!(check(kind, json!([0, 1, 1])).is_ok());
    assert_eq!(
        check(kind, json!([0, 1, 1, 0])).unwrap_err().problem,
        "4 items"
    );
    assert_eq!(check(kind, json!([0, 2])).unwrap_err().field, "field[1]");
}

#[test]
fn strict_object_reports_unknown_field_first() {
    const FIELDS: &[Field] = &[Field::required("task", FieldKind::Any)];
    let object = json!({"taks": "typo"});
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
    assert_eq!(render_value(&json!("a\nb")), "\"a\\nb\"");
    assert_eq!(render_value(&json!([1, 2])), "an array of 2 items");
    assert_eq!(render_value(&json!({"k": 1})), "an object of 1 keys");
    assert_eq!(render_value(&Value::Null), "null");
}
