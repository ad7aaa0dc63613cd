//! Human-readable descriptions of field rules and of rejected values.
//!
//! Text is joined with `[..].concat()` rather than `format!`, and integers
//! go through [`decimal`], because both keep the WebAssembly module smaller.

use super::{FieldKind, MAX_SCREENSHOT_CHARS, MAX_URL_CHARS, MIN_SCREENSHOT_CHARS, NO_MAX};
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
                range + ", not only whitespace"
            }
        }
        FieldKind::Secret {
            min_chars,
            max_chars,
        } => describe_length(min_chars, max_chars),
        FieldKind::Integer { min, max } => describe_integers("", min, max),
        FieldKind::IntegerOrZero { min, max } => describe_integers("0 (to clear) or ", min, max),
        FieldKind::Number => "a number".into(),
        FieldKind::Bool => "true or false".into(),
        FieldKind::Enum {
            values,
            open: false,
        } => ["one of ", &values.join(", ")].concat(),
        FieldKind::Enum { values, open: true } => {
            ["a non-empty string such as ", &values.join(", ")].concat()
        }
        FieldKind::Url => [
            "an https URL of at most ",
            &decimal(MAX_URL_CHARS as i64),
            " characters without user info (http only for 127.0.0.1, localhost or [::1])",
        ]
        .concat(),
        FieldKind::Pattern(pattern) => pattern.describe().into(),
        FieldKind::Screenshot => [
            "raw base64 of ",
            &decimal(MIN_SCREENSHOT_CHARS as i64),
            "-",
            &decimal(MAX_SCREENSHOT_CHARS as i64),
            " characters without a data: prefix or whitespace",
        ]
        .concat(),
        FieldKind::Object {
            max_keys,
            string_values,
        } => {
            let values = if string_values {
                " with string values"
            } else {
                ""
            };
            [
                "an object of at most ",
                &decimal(max_keys.into()),
                " keys",
                values,
            ]
            .concat()
        }
        FieldKind::Record { fields, .. } => {
            let names: Vec<&str> = fields.iter().map(|field| field.name).collect();
            ["an object with the fields ", &names.join(", ")].concat()
        }
        FieldKind::Array { max_items, item } => [
            "an array of at most ",
            &decimal(max_items.into()),
            " items, each ",
            &describe(item),
        ]
        .concat(),
        FieldKind::Nullable(inner) => describe(inner) + ", or null",
        FieldKind::Any => "any JSON value".into(),
    }
}

fn describe_integers(prefix: &str, min: i32, max: i32) -> String {
    let min = decimal(min.into());
    if max == NO_MAX {
        return [prefix, "integers of at least ", &min].concat();
    }
    [prefix, "integers ", &min, "-", &decimal(max.into())].concat()
}

fn describe_length(min: u32, max: u32) -> String {
    let (min_text, max_text) = (decimal(min.into()), decimal(max.into()));
    match (min, max) {
        (0, u32::MAX) => "any string".into(),
        (0, _) => ["strings of at most ", &max_text, " characters"].concat(),
        (_, u32::MAX) => ["strings of at least ", &min_text, " characters"].concat(),
        _ => [&min_text, "-", &max_text, " characters"].concat(),
    }
}

pub(super) fn expected_type(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Integer { .. } | FieldKind::IntegerOrZero { .. } => "an integer",
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
    ["expected ", expected, ", got ", article, value.type_name()].concat()
}

/// Maximum characters of a string or number that [`render_value`] shows.
const MAX_RENDERED_CHARS: usize = 40;

/// Renders a value briefly and safely for an error message: strings are
/// quoted with JSON escapes (so a line break shows as `\n`), strings and
/// numbers are cut after 40 characters, and arrays and objects show their
/// size.
pub fn render_value(value: &Json) -> String {
    match value {
        Json::String(text) => quote_text(text),
        Json::Number(text) => {
            let head = truncate_chars(text, MAX_RENDERED_CHARS);
            let ellipsis = if head.len() < text.len() { "…" } else { "" };
            [head, ellipsis].concat()
        }
        Json::Array(items) => ["an array of ", &decimal(items.len() as i64), " items"].concat(),
        Json::Object(members) => {
            ["an object of ", &decimal(members.len() as i64), " keys"].concat()
        }
        other => other.to_string(),
    }
}

/// Quotes text for an error message, with JSON escapes, cut after 40
/// characters and followed by `…` when cut.
pub(crate) fn quote_text(text: &str) -> String {
    let head = truncate_chars(text, MAX_RENDERED_CHARS);
    let quoted = Json::from(head).to_string();
    if head.len() < text.len() {
        quoted + "…"
    } else {
        quoted
    }
}

/// Returns the first `max_chars` characters of `text`.
pub(crate) fn truncate_chars(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

/// Writes an integer in decimal.
///
/// Every integer in messages goes through here, as a `u64`, so that the
/// module contains one integer formatter.
#[inline(never)]
pub(crate) fn decimal(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    if value < 0 {
        ["-", &digits].concat()
    } else {
        digits
    }
}
