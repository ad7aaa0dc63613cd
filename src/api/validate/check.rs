//! Checks of JSON values and query strings against field rules.

use super::describe::{decimal, describe, expected_type, render_value, wrong_type};
use super::{syntax, Field, FieldKind, ValidationError, NO_MAX};
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
            let problem = [id, " takes no request body"].concat();
            return Err(body_error(&render_value(value), &problem, "no body"));
        }
        (BodyRule::Required | BodyRule::NonEmpty, None) => {
            let problem = ["missing; ", id, " needs a JSON object body"].concat();
            return Err(body_error("", &problem, "a JSON object"));
        }
        (_, Some(Json::Object(object))) => object,
        (_, Some(value)) => {
            let problem = wrong_type("a JSON object", value);
            return Err(body_error(&render_value(value), &problem, "a JSON object"));
        }
    };

    if operation.body == BodyRule::NonEmpty && object.is_empty() {
        return Err(body_error(
            "{}",
            "an empty object, and the server rejects an update that changes nothing",
            "an object with at least one field",
        ));
    }
    validate_object(operation.fields, object, operation.strict, "")?;
    check_exactly_one(operation.exactly_one_of, object)
}

fn body_error(value: &str, problem: &str, allowed: &str) -> ValidationError {
    ValidationError::new("body", value, problem, allowed)
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
    let allowed = ["exactly one of ", &names.join(" or ")].concat();
    Err(ValidationError::new(
        &names.join(" and "),
        "",
        &problem,
        &allowed,
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
            let names: Vec<&str> = fields.iter().map(|field| field.name).collect();
            return Err(ValidationError::new(
                &[prefix, key].concat(),
                "",
                "unknown field, and the server rejects unknown fields here",
                &["only the fields ", &names.join(", ")].concat(),
            ));
        }
    }

    for field in fields {
        let path = [prefix, field.name].concat();
        let mut values = object.iter().filter(|(key, _)| key == field.name);
        match (values.next(), values.count()) {
            (Some((_, value)), 0) => validate_value(&path, &field.kind, value)?,
            (Some(_), repeats) => {
                let problem = ["appears ", &decimal(repeats as i64 + 1), " times"].concat();
                return Err(ValidationError::new(&path, "", &problem, "each field once"));
            }
            (None, _) if field.required => {
                return Err(ValidationError::new(
                    &path,
                    "",
                    "missing required field",
                    &describe(&field.kind),
                ));
            }
            (None, _) => {}
        }
    }
    Ok(())
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
    let Some(problem) = check_value(path, kind, value)? else {
        return Ok(());
    };
    let rendered = match kind {
        FieldKind::Secret { .. } => "[redacted]".to_string(),
        _ => render_value(value),
    };
    Err(ValidationError::new(
        path,
        &rendered,
        &problem,
        &describe(kind),
    ))
}

/// Returns `Ok(Some(problem))` for a problem with the value itself and
/// `Err` for a problem inside it, which already names its own path.
/// [`validate_value`] has unwrapped [`FieldKind::Nullable`] already.
fn check_value(
    path: &str,
    kind: &FieldKind,
    value: &Json,
) -> Result<Option<String>, ValidationError> {
    let accepted = match (kind, value) {
        (FieldKind::Any, _) => true,
        (_, Json::Null) => {
            let problem = "null is not accepted; omit the field to leave it unset";
            return Ok(Some(problem.into()));
        }
        (FieldKind::Text { .. } | FieldKind::Secret { .. }, Json::String(text)) => {
            return Ok(check_text(kind, text).err());
        }
        (
            FieldKind::Integer { min, max } | FieldKind::IntegerOrZero { min, max },
            Json::Number(_),
        ) => match whole_number(value) {
            Some(number) => {
                let or_zero = matches!(kind, FieldKind::IntegerOrZero { .. });
                let in_range =
                    number >= i128::from(*min) && (number <= i128::from(*max) || *max == NO_MAX);
                if in_range || (or_zero && number == 0) {
                    return Ok(None);
                }
                // Shown as written, such as `1e3`.
                return Ok(Some(render_value(value)));
            }
            None => false,
        },
        (FieldKind::Number, Json::Number(_)) | (FieldKind::Bool, Json::Bool(_)) => true,
        (FieldKind::Enum { values, open }, Json::String(text)) => {
            if values.contains(&text.as_str()) || (*open && !text.is_empty()) {
                return Ok(None);
            }
            return Ok(Some(render_value(value) + " is not an accepted value"));
        }
        (FieldKind::Url, Json::String(text)) => return Ok(syntax::check_url(text).err()),
        (FieldKind::Pattern(pattern), Json::String(text)) => {
            if pattern.matches(text) {
                return Ok(None);
            }
            return Ok(Some(render_value(value) + " does not match"));
        }
        (FieldKind::Screenshot, Json::String(text)) => {
            return Ok(syntax::check_screenshot(text).err());
        }
        (FieldKind::Object { .. } | FieldKind::Record { .. }, Json::Object(object)) => {
            return check_object(path, kind, object);
        }
        (FieldKind::Array { max_items, item }, Json::Array(items)) => {
            if items.len() > *max_items as usize {
                return Ok(Some(count_of(items.len(), " items")));
            }
            for (index, element) in items.iter().enumerate() {
                let item_path = [path, "[", &decimal(index as i64), "]"].concat();
                validate_value(&item_path, item, element)?;
            }
            true
        }
        _ => false,
    };
    if accepted {
        Ok(None)
    } else {
        Ok(Some(wrong_type(expected_type(kind), value)))
    }
}

fn count_of(count: usize, unit: &str) -> String {
    [&decimal(count as i64), unit].concat()
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
        return Err(count_of(count, " characters"));
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
                return Ok(Some(count_of(object.len(), " keys")));
            }
            let bad = object.iter().find(|(_, value)| value.as_str().is_none());
            match bad {
                Some((key, value)) if string_values => Err(ValidationError::new(
                    &[path, ".", key].concat(),
                    &render_value(value),
                    &wrong_type("a string", value),
                    "string values only",
                )),
                _ => Ok(None),
            }
        }
        FieldKind::Record { fields, strict } => {
            validate_object(fields, object, strict, &[path, "."].concat())?;
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
    let digits = text.strip_prefix('-').unwrap_or(text);
    let is_integer = !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
    let value = match field.kind {
        FieldKind::Integer { .. } | FieldKind::IntegerOrZero { .. } if is_integer => {
            Json::Number(text.to_string())
        }
        FieldKind::Bool if text == "true" || text == "false" => Json::Bool(text == "true"),
        _ => Json::from(text),
    };
    validate_value(field.name, &field.kind, &value)
}

/// Reads a JSON number as an integer when its value is whole, such as `5`,
/// `5.0` (as JavaScript may write it) or `2.5e1`, working on the number's
/// text so that no float parsing is compiled in.
///
/// Returns `None` for a fraction and for anything that is not a number. A
/// whole number beyond the `u64` range comes back as `u64::MAX` (or its
/// negative), which is outside every range a field allows.
pub(super) fn whole_number(value: &Json) -> Option<i128> {
    let text = value.as_number()?;
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.bytes().position(|b| b == b'e' || b == b'E') {
        Some(at) => (&unsigned[..at], &unsigned[at + 1..]),
        None => (unsigned, "0"),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let digits = whole.bytes().chain(fraction.bytes());
    if whole.is_empty() || !digits.clone().all(|b| b.is_ascii_digit()) {
        return None;
    }

    // Digits at index >= `point` sit after the decimal point once the
    // exponent is applied, and must all be zero.
    let point = whole.len() as i64 + exponent_value(exponent)?;
    let mut magnitude: u64 = 0;
    let mut index: i64 = 0;
    for digit in digits.map(|b| b - b'0') {
        if index < point {
            magnitude = magnitude.saturating_mul(10).saturating_add(digit.into());
        } else if digit != 0 {
            return None;
        }
        index += 1;
    }
    // Stops once saturated, so a huge exponent ends the loop early.
    while index < point && magnitude != 0 && magnitude != u64::MAX {
        magnitude = magnitude.saturating_mul(10);
        index += 1;
    }
    let magnitude = i128::from(magnitude);
    Some(if negative { -magnitude } else { magnitude })
}

/// Reads an exponent such as `3`, `+3` or `-3`, clamped to
/// +-10^12, which already moves every digit out of any range.
fn exponent_value(text: &str) -> Option<i64> {
    const LIMIT: i64 = 1_000_000_000_000;
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() {
        return None;
    }
    let mut value: i64 = 0;
    for byte in digits.bytes() {
        if !byte.is_ascii_digit() {
            return None;
        }
        value = (value * 10 + i64::from(byte - b'0')).min(LIMIT);
    }
    Some(if negative { -value } else { value })
}
