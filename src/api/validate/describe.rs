//! Human-readable descriptions of field rules and of rejected values.

use super::{FieldKind, MAX_SCREENSHOT_CHARS, MAX_URL_CHARS, MIN_SCREENSHOT_CHARS};
use crate::json::Json;

/// Describes what `kind` accepts, for the `allowed` part of an error.
pub fn describe(kind: &FieldKind) -> String {
    match *kind {
        FieldKind::Text {
            min_chars,
            max_chars,
            allow_blank,
        } => {
            let range = describe_length(min_chars, max_chars);
            if allow_blank {
                range
            } else {
                format!("{range}, not only whitespace")
            }
        }
        FieldKind::Secret {
            min_chars,
            max_chars,
        } => describe_length(min_chars, max_chars),
        FieldKind::Integer { min, max } => format!("integers {min}-{max}"),
        FieldKind::IntegerOrZero { min, max } => format!("0 (to clear) or integers {min}-{max}"),
        FieldKind::Number => "a number".into(),
        FieldKind::Bool => "true or false".into(),
        FieldKind::Enum {
            values,
            open: false,
        } => format!("one of {}", values.join(", ")),
        FieldKind::Enum { values, open: true } => {
            format!("a non-empty string such as {}", values.join(", "))
        }
        FieldKind::Url => format!(
            "an https URL of at most {MAX_URL_CHARS} characters without user info \
             (http only for 127.0.0.1, localhost or [::1])"
        ),
        FieldKind::Pattern(pattern) => pattern.describe().into(),
        FieldKind::Screenshot => format!(
            "raw base64 of {MIN_SCREENSHOT_CHARS}-{MAX_SCREENSHOT_CHARS} characters \
             without a data: prefix or whitespace"
        ),
        FieldKind::Object {
            max_keys,
            string_values,
        } => {
            let values = if string_values {
                " with string values"
            } else {
                ""
            };
            format!("an object of at most {max_keys} keys{values}")
        }
        FieldKind::Record { fields, .. } => {
            "an object with the fields ".to_string() + &super::check::field_names(fields)
        }
        FieldKind::Array { max_items, item } => {
            format!(
                "an array of at most {max_items} items, each {}",
                describe(item)
            )
        }
        FieldKind::Nullable(inner) => format!("{}, or null", describe(inner)),
        FieldKind::Any => "any JSON value".into(),
    }
}

fn describe_length(min: u32, max: u32) -> String {
    match (min, max) {
        (0, u32::MAX) => "any string".into(),
        (0, max) => format!("strings of at most {max} characters"),
        (min, u32::MAX) => format!("strings of at least {min} characters"),
        (min, max) => format!("{min}-{max} characters"),
    }
}

pub(super) fn expected_type(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Number => "a number",
        FieldKind::Bool => "a boolean",
        FieldKind::Object { .. } | FieldKind::Record { .. } => "an object",
        FieldKind::Array { .. } => "an array",
        _ => "a string",
    }
}

pub(super) fn wrong_type(expected: &str, value: &Json) -> String {
    let article = match value {
        Json::Null => "",
        Json::Array(_) | Json::Object(_) => "an ",
        _ => "a ",
    };
    format!("expected {expected}, got {article}{}", value.type_name())
}

/// Renders a value briefly and safely for an error message: strings are
/// quoted and cut after 40 characters, arrays and objects show their size.
pub fn render_value(value: &Json) -> String {
    const MAX_CHARS: usize = 40;
    match value {
        Json::String(text) if text.chars().count() > MAX_CHARS => {
            let head: String = text.chars().take(MAX_CHARS).collect();
            format!("{head:?}…")
        }
        Json::String(text) => format!("{text:?}"),
        Json::Array(items) => format!("an array of {} items", items.len()),
        Json::Object(members) => format!("an object of {} keys", members.len()),
        Json::Number(text) if text.chars().count() > MAX_CHARS => {
            let head: String = text.chars().take(MAX_CHARS).collect();
            head + "…"
        }
        other => other.to_string(),
    }
}
