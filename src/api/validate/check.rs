//! Checks of JSON values and query strings against field rules.

use super::describe::{describe, expected_type, render_value, wrong_type};
use super::{syntax, Field, FieldKind, ValidationError};
use crate::api::operation::{BodyRule, Operation};
use crate::json::Json;

/// Checks a request body against an operation's body rule, field rules and
/// exactly-one-of rule. `None` means no body.
///
/// # Errors
///
/// Returns a [`ValidationError`] for a body where none is taken, a missing
/// or non-object body where an object is required, an empty update, any
/// broken field rule, or a broken exactly-one-of rule.
pub fn validate_body(operation: &Operation, body: Option<&Json>) -> Result<(), ValidationError> {
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
        (_, Some(Json::Object(object))) => object,
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

fn check_exactly_one(names: &[&str], object: &[(String, Json)]) -> Result<(), ValidationError> {
    if names.is_empty() {
        return Ok(());
    }
    let present: Vec<&str> = names
        .iter()
        .copied()
        .filter(|name| object.iter().any(|(key, _)| key == name))
        .collect();
    let problem = match present.len() {
        1 => return Ok(()),
        0 => "none is set".to_string(),
        _ => present.join(" and ") + " are all set",
    };
    Err(ValidationError::new(
        names.join(" and "),
        "",
        problem,
        "exactly one of ".to_string() + &names.join(" or "),
    ))
}

/// Checks the members of a JSON object against `fields`.
///
/// `prefix` is prepended to field names in errors (`""` at the top level,
/// `"steps[2]."` inside an array). With `strict`, a key missing from
/// `fields` is an error, because some operations make the server reject
/// unknown fields. A known field that appears more than once is an error,
/// because servers differ in which occurrence they read.
///
/// # Errors
///
/// Returns the first broken rule: unknown keys are reported first, then the
/// fields in table order.
pub fn validate_object(
    fields: &[Field],
    object: &[(String, Json)],
    strict: bool,
    prefix: &str,
) -> Result<(), ValidationError> {
    if strict {
        let unknown = object
            .iter()
            .find(|(key, _)| !fields.iter().any(|field| field.name == key));
        if let Some((key, _)) = unknown {
            return Err(ValidationError::new(
                prefix.to_string() + key,
                "",
                "unknown field, and the server rejects unknown fields here",
                "only the fields ".to_string() + &field_names(fields),
            ));
        }
    }

    for field in fields {
        let path = prefix.to_string() + field.name;
        let mut values = object.iter().filter(|(key, _)| key == field.name);
        match (values.next(), values.count()) {
            (Some((_, value)), 0) => validate_value(&path, &field.kind, value)?,
            (Some(_), repeats) => {
                return Err(ValidationError::new(
                    path,
                    "",
                    format!("appears {} times", repeats + 1),
                    "each field once",
                ));
            }
            (None, _) if field.required => {
                return Err(ValidationError::new(
                    path,
                    "",
                    "missing required field",
                    describe(&field.kind),
                ));
            }
            (None, _) => {}
        }
    }
    Ok(())
}

/// Joins the names of `fields` with `, `.
pub(super) fn field_names(fields: &[Field]) -> String {
    let names: Vec<&str> = fields.iter().map(|field| field.name).collect();
    names.join(", ")
}

/// Checks one JSON value against `kind`; `path` names it in the error.
///
/// # Errors
///
/// Returns a [`ValidationError`] naming `path` when the value breaks the rule.
pub fn validate_value(path: &str, kind: &FieldKind, value: &Json) -> Result<(), ValidationError> {
    if let FieldKind::Nullable(inner) = kind {
        return match value {
            Json::Null => Ok(()),
            _ => validate_value(path, inner, value),
        };
    }
    match check_value(path, kind, value)? {
        None => Ok(()),
        Some(problem) => {
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
        }
    }
}

/// Returns `Ok(Some(problem))` for a problem with the value itself and
/// `Err` for a problem inside it, which already names its own path.
/// [`validate_value`] has unwrapped [`FieldKind::Nullable`] already.
fn check_value(
    path: &str,
    kind: &FieldKind,
    value: &Json,
) -> Result<Option<String>, ValidationError> {
    let problem = match (kind, value) {
        (FieldKind::Any, _) => return Ok(None),
        (_, Json::Null) => "null is not accepted; omit the field to leave it unset".into(),
        (FieldKind::Text { .. } | FieldKind::Secret { .. }, Json::String(text)) => {
            return Ok(check_text(kind, text).err());
        }
        (FieldKind::Integer { min, max }, _) => match whole_number(value) {
            Some(n) if (i128::from(*min)..=i128::from(*max)).contains(&n) => return Ok(None),
            Some(n) => n.to_string(),
            None => wrong_type("an integer", value),
        },
        (FieldKind::IntegerOrZero { min, max }, _) => match whole_number(value) {
            Some(n) if n == 0 || (i128::from(*min)..=i128::from(*max)).contains(&n) => {
                return Ok(None)
            }
            Some(n) => n.to_string(),
            None => wrong_type("an integer", value),
        },
        (FieldKind::Number, Json::Number(_)) | (FieldKind::Bool, Json::Bool(_)) => return Ok(None),
        (FieldKind::Enum { values, open }, Json::String(text)) => {
            if values.contains(&text.as_str()) || (*open && !text.is_empty()) {
                return Ok(None);
            }
            render_value(value) + " is not an accepted value"
        }
        (FieldKind::Url, Json::String(text)) => return Ok(syntax::check_url(text).err()),
        (FieldKind::Pattern(pattern), Json::String(text)) => {
            if pattern.matches(text) {
                return Ok(None);
            }
            render_value(value) + " does not match"
        }
        (FieldKind::Screenshot, Json::String(text)) => {
            return Ok(syntax::check_screenshot(text).err());
        }
        (FieldKind::Object { .. } | FieldKind::Record { .. }, Json::Object(object)) => {
            return check_object(path, kind, object);
        }
        (FieldKind::Array { max_items, item }, Json::Array(items)) => {
            if items.len() > *max_items as usize {
                return Ok(Some(format!("{} items", items.len())));
            }
            for (index, element) in items.iter().enumerate() {
                validate_value(&format!("{path}[{index}]"), item, element)?;
            }
            return Ok(None);
        }
        _ => wrong_type(expected_type(kind), value),
    };
    Ok(Some(problem))
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

fn check_object(
    path: &str,
    kind: &FieldKind,
    object: &[(String, Json)],
) -> Result<Option<String>, ValidationError> {
    match *kind {
        FieldKind::Object {
            max_keys,
            string_values,
        } => {
            if object.len() > max_keys as usize {
                return Ok(Some(format!("{} keys", object.len())));
            }
            let bad = object.iter().find(|(_, value)| value.as_str().is_none());
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
            validate_object(fields, object, strict, &(path.to_string() + "."))?;
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
            Ok(n) => Json::from(n),
            Err(_) => Json::from(text),
        },
        FieldKind::Bool if text == "true" || text == "false" => Json::Bool(text == "true"),
        _ => Json::from(text),
    };
    validate_value(field.name, &field.kind, &value)
}

/// Reads a JSON number as an integer when its value is whole, such as `5`,
/// `5.0` (as JavaScript may write it) or `2.5e1`, working on the number's
/// text so that no float parsing is compiled in.
///
/// Returns `None` for a fraction, for anything that is not a number, and
/// for a whole number beyond the `i128` range (about 1.7e38). The result is
/// an `i128` so that any integer a client sends, even one above `i64::MAX`,
/// can be compared with a range and shown in an error.
pub(super) fn whole_number(value: &Json) -> Option<i128> {
    let text = value.as_number()?;
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], unsigned[at + 1..].trim_start_matches('+')),
        None => (unsigned, "0"),
    };
    // An exponent too large for an i64 still decides the outcome: a huge
    // positive one overflows any non-zero value, a huge negative one leaves
    // only a fraction.
    let exponent = exponent
        .parse::<i64>()
        .unwrap_or(if exponent.starts_with('-') {
            i64::MIN
        } else {
            i64::MAX
        });
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() || !(whole.bytes().chain(fraction.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }

    // Digits at index >= `point` sit after the decimal point once the
    // exponent is applied, and must all be zero.
    let point = (whole.len() as i64).saturating_add(exponent);
    let mut magnitude: i128 = 0;
    let mut index: i64 = 0;
    for digit in whole.bytes().chain(fraction.bytes()).map(|b| b - b'0') {
        if index < point {
            magnitude = magnitude.checked_mul(10)?.checked_add(digit.into())?;
        } else if digit != 0 {
            return None;
        }
        index += 1;
    }
    while index < point && magnitude != 0 {
        magnitude = magnitude.checked_mul(10)?;
        index += 1;
    }
    Some(if negative { -magnitude } else { magnitude })
}
