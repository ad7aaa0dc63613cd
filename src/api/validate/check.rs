//! Checks of JSON values and query strings against field rules.

use super::describe::{describe, expected_type, render_value, wrong_type};
use super::{syntax, Field, FieldKind, ValidationError};
use crate::api::operation::{BodyRule, Operation};
use serde_json::{Map, Value};

/// Checks a request body against an operation's body rule, field rules and
/// exactly-one-of rule. `None` means no body.
///
/// # Errors
///
/// Returns a [`ValidationError`] for a body where none is taken, a missing
/// or non-object body where an object is required, an empty update, any
/// broken field rule, or a broken exactly-one-of rule.
pub fn validate_body(operation: &Operation, body: Option<&Value>) -> Result<(), ValidationError> {
    let id = operation.id;
    let object = match (operation.body, body) {
        (BodyRule::AnyJson, _) | (BodyRule::None | BodyRule::Optional, None) => return Ok(()),
        (BodyRule::None, Some(value)) => {
            return Err(ValidationError::new(
                "body",
                render_value(value),
                format!("{id} takes no request body"),
                "no body",
            ));
        }
        (BodyRule::Required | BodyRule::NonEmpty, None) => {
            return Err(ValidationError::new(
                "body",
                "",
                format!("missing; {id} needs a JSON object body"),
                "a JSON object",
            ));
        }
        (_, Some(Value::Object(object))) => object,
        (_, Some(value)) => {
            return Err(ValidationError::new(
                "body",
                render_value(value),
                wrong_type("a JSON object", value),
                "a JSON object",
            ));
        }
    };

    if operation.body == BodyRule::NonEmpty && object.is_empty() {
        return Err(ValidationError::new(
            "body",
            "{}",
            "an empty object, and the server rejects an update that changes nothing",
            "an object with at least one field",
        ));
    }
    validate_object(operation.fields, object, operation.strict, "")?;
    check_exactly_one(operation.exactly_one_of, object)
}

fn check_exactly_one(names: &[&str], object: &Map<String, Value>) -> Result<(), ValidationError> {
    if names.is_empty() {
        return Ok(());
    }
    let present: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| object.contains_key(*name))
        .collect();
    let problem = match present.len() {
        1 => return Ok(()),
        0 => "none is set".to_string(),
        _ => format!("{} are all set", present.join(" and ")),
    };
    Err(ValidationError::new(
        names.join(" and "),
        "",
        problem,
        format!("exactly one of {}", names.join(" or ")),
    ))
}

/// Checks `object` against `fields`.
///
/// `prefix` is prepended to field names in errors (`""` at the top level,
/// `"steps[2]."` inside an array). With `strict`, a key missing from
/// `fields` is an error, because some operations make the server reject
/// unknown fields.
///
/// # Errors
///
/// Returns the first broken rule: unknown keys are reported first, then the
/// fields in table order.
pub fn validate_object(
    fields: &[Field],
    object: &Map<String, Value>,
    strict: bool,
    prefix: &str,
) -> Result<(), ValidationError> {
    if strict {
        let unknown = object
            .keys()
            .find(|key| !fields.iter().any(|field| field.name == key.as_str()));
        if let Some(key) = unknown {
            let names: Vec<&str> = fields.iter().map(|field| field.name).collect();
            return Err(ValidationError::new(
                format!("{prefix}{key}"),
                "",
                "unknown field, and the server rejects unknown fields here",
                format!("only the fields {}", names.join(", ")),
            ));
        }
    }

    for field in fields {
        let path = format!("{prefix}{}", field.name);
        match object.get(field.name) {
            Some(value) => validate_value(&path, &field.kind, value)?,
            None if field.required => {
                return Err(ValidationError::new(
                    path,
                    "",
                    "missing required field",
                    describe(&field.kind),
                ));
            }
            None => {}
        }
    }
    Ok(())
}

/// Checks one JSON value against `kind`; `path` names it in the error.
///
/// # Errors
///
/// Returns a [`ValidationError`] naming `path` when the value breaks the rule.
pub fn validate_value(path: &str, kind: &FieldKind, value: &Value) -> Result<(), ValidationError> {
    let fail = |problem: String| {
        let rendered = match kind {
            FieldKind::Secret { .. } => "[redacted]".to_string(),
            _ => render_value(value),
        };
        Err(ValidationError::new(
            path,
            rendered,
            problem,
            describe(kind),
        ))
    };

    match (kind, value) {
        (FieldKind::Any, _) => Ok(()),
        (FieldKind::Nullable(_), Value::Null) => Ok(()),
        (FieldKind::Nullable(inner), _) => validate_value(path, inner, value),
        (_, Value::Null) => fail("null is not accepted; omit the field to leave it unset".into()),
        (FieldKind::Text { .. } | FieldKind::Secret { .. }, Value::String(text)) => {
            check_text(kind, text).or_else(fail)
        }
        (FieldKind::Integer { min, max }, _) => match as_integer(value) {
            Some(n) if (i128::from(*min)..=i128::from(*max)).contains(&n) => Ok(()),
            Some(n) => fail(n.to_string()),
            None => fail(wrong_type("an integer", value)),
        },
        (FieldKind::IntegerOrZero { min, max }, _) => match as_integer(value) {
            Some(n) if n == 0 || (i128::from(*min)..=i128::from(*max)).contains(&n) => Ok(()),
            Some(n) => fail(n.to_string()),
            None => fail(wrong_type("an integer", value)),
        },
        (FieldKind::Number, Value::Number(_)) | (FieldKind::Bool, Value::Bool(_)) => Ok(()),
        (FieldKind::Enum { values, open }, Value::String(text)) => {
            if values.contains(&text.as_str()) || (*open && !text.is_empty()) {
                Ok(())
            } else {
                fail(format!("{} is not an accepted value", render_value(value)))
            }
        }
        (FieldKind::Url, Value::String(text)) => syntax::check_url(text).or_else(fail),
        (FieldKind::Pattern(pattern), Value::String(text)) => {
            if pattern.matches(text) {
                Ok(())
            } else {
                fail(format!("{} does not match", render_value(value)))
            }
        }
        (FieldKind::Screenshot, Value::String(text)) => {
            syntax::check_screenshot(text).or_else(fail)
        }
        (FieldKind::Object { .. } | FieldKind::Record { .. }, Value::Object(object)) => {
            check_object(path, kind, object)?.map_or(Ok(()), fail)
        }
        (FieldKind::Array { max_items, item }, Value::Array(items)) => {
            if items.len() > *max_items as usize {
                return fail(format!("{} items", items.len()));
            }
            for (index, element) in items.iter().enumerate() {
                validate_value(&format!("{path}[{index}]"), item, element)?;
            }
            Ok(())
        }
        _ => fail(wrong_type(expected_type(kind), value)),
    }
}

fn check_text(kind: &FieldKind, text: &str) -> Result<(), String> {
    let (min, max, allow_blank) = match *kind {
        FieldKind::Text {
            min_chars,
            max_chars,
            allow_blank,
        } => (min_chars, max_chars, allow_blank),
        FieldKind::Secret {
            min_chars,
            max_chars,
        } => (min_chars, max_chars, true),
        _ => return Ok(()),
    };
    let count = text.chars().count();
    if count < min as usize || count > max as usize {
        return Err(format!("{count} characters"));
    }
    if !allow_blank && text.trim().is_empty() {
        return Err("only whitespace".into());
    }
    Ok(())
}

/// Returns `Ok(Some(problem))` for a problem with the object itself and
/// `Err` for a problem inside it, which already names its own path.
fn check_object(
    path: &str,
    kind: &FieldKind,
    object: &Map<String, Value>,
) -> Result<Option<String>, ValidationError> {
    match *kind {
        FieldKind::Object {
            max_keys,
            string_values,
        } => {
            if object.len() > max_keys as usize {
                return Ok(Some(format!("{} keys", object.len())));
            }
            let bad = object.iter().find(|(_, value)| !value.is_string());
            match bad {
                Some((key, value)) if string_values => Err(ValidationError::new(
                    format!("{path}.{key}"),
                    render_value(value),
                    wrong_type("a string", value),
                    "string values only",
                )),
                _ => Ok(None),
            }
        }
        FieldKind::Record { fields, strict } => {
            validate_object(fields, object, strict, &format!("{path}."))?;
            Ok(None)
        }
        _ => Ok(None),
    }
}

/// Checks one query-string value, given as text, against `field`.
///
/// # Errors
///
/// Returns a [`ValidationError`] when the text does not follow the rule.
pub fn validate_query_value(field: &Field, text: &str) -> Result<(), ValidationError> {
    let value = match field.kind {
        FieldKind::Integer { .. } | FieldKind::IntegerOrZero { .. } => match text.parse::<i64>() {
            Ok(n) => Value::from(n),
            Err(_) => Value::String(text.to_string()),
        },
        FieldKind::Bool if text == "true" || text == "false" => Value::Bool(text == "true"),
        _ => Value::String(text.to_string()),
    };
    validate_value(field.name, &field.kind, &value)
}

/// Reads an integer, accepting floats with no fractional part. The result is
/// an `i128` so that any JSON integer, even one above `i64::MAX`, can be
/// compared with a range and shown in an error.
fn as_integer(value: &Value) -> Option<i128> {
    if let Some(n) = value.as_i64() {
        return Some(n.into());
    }
    if let Some(n) = value.as_u64() {
        return Some(n.into());
    }
    let float = value.as_f64()?;
    let whole = float.fract() == 0.0 && float.abs() < 1.0e30;
    whole.then_some(float as i128)
}
