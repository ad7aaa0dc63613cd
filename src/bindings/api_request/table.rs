//! The operation table as JSON, for form generators and documentation.

use wasm_bindgen::prelude::*;

use super::writer::JsonWriter;
use crate::api::operation::{operations, BodyRule, Idempotency, Operation};
use crate::api::scope::required_scope;
use crate::api::validate::{Field, FieldKind, Pattern, NO_MAX};

/// Returns every operation as a JSON array of `{id, method, path, scope,
/// idempotency, streams, body, pathParams, fields, query}`, plus
/// `exactlyOneOf` where the body needs exactly one of some fields.
///
/// `scope` is null when no scope is needed or when it depends on the `{op}`
/// path parameter. `body` is `none`, `optional`, `required`, `nonEmpty` or
/// `any`. `pathParams` lists the names in the path. Each field is `{name,
/// required, kind}` plus the limits of its kind: see `write_kind`.
#[wasm_bindgen(js_name = operationsJson)]
pub fn operations_json() -> String {
    let mut writer = JsonWriter::new();
    writer.open('[');
    for operation in operations() {
        write_operation(&mut writer, operation);
    }
    writer.close(']').finish()
}

fn write_operation(writer: &mut JsonWriter, operation: &Operation) {
    let idempotency = match operation.idempotency {
        Idempotency::Honoured => "honoured",
        Idempotency::Accepted => "accepted",
        Idempotency::NotAccepted => "not_accepted",
    };
    let body = match operation.body {
        BodyRule::None => "none",
        BodyRule::Optional => "optional",
        BodyRule::Required => "required",
        BodyRule::NonEmpty => "nonEmpty",
        BodyRule::AnyJson => "any",
    };

    writer.open('{');
    writer.key("id").string(operation.id);
    writer.key("method").string(operation.method.as_str());
    writer.key("path").string(operation.path);
    writer
        .key("scope")
        .optional_string(required_scope(operation.id));
    writer.key("idempotency").string(idempotency);
    writer.key("streams").boolean(operation.streams);
    writer.key("body").string(body);

    writer.key("pathParams").open('[');
    for segment in operation.path.split('/') {
        if let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            writer.string(name);
        }
    }
    writer.close(']');

    writer.key("fields");
    write_fields(writer, operation.fields);
    writer.key("query");
    write_fields(writer, operation.query);
    write_names(writer, "exactlyOneOf", operation.exactly_one_of);
    writer.close('}');
}

fn write_fields(writer: &mut JsonWriter, fields: &[Field]) {
    writer.open('[');
    for field in fields {
        writer.open('{');
        writer.key("name").string(field.name);
        writer.key("required").boolean(field.required);
        write_kind(writer, &field.kind);
        writer.close('}');
    }
    writer.close(']');
}

/// Writes `kind` and the rule's limits: `nullable: true`, `min` and `max`,
/// `blank: false`, `values` and `open: true` (enums), `pattern` (a regular
/// expression), `fields` (records), `item` (the kind of array items) and
/// `stringValues`.
///
/// `min` and `max` count characters, keys or items, or bound an integer.
/// Both are left out when unbounded, and `min` also when it is 0, except for
/// integers.
fn write_kind(writer: &mut JsonWriter, kind: &FieldKind) {
    // The limit that the JSON leaves out. u32::MAX marks an unbounded length.
    const UNBOUNDED: i64 = u32::MAX as i64;
    let (name, min, max) = match *kind {
        FieldKind::Text {
            min_chars,
            max_chars,
            ..
        }
        | FieldKind::Secret {
            min_chars,
            max_chars,
        } => (kind_name(kind), i64::from(min_chars), i64::from(max_chars)),
        FieldKind::Integer { min, max } | FieldKind::IntegerOrZero { min, max } => {
            let max = if max == NO_MAX { UNBOUNDED } else { max.into() };
            (kind_name(kind), min.into(), max)
        }
        FieldKind::Object { max_keys, .. } => ("object", 0, i64::from(max_keys)),
        FieldKind::Array { max_items, .. } => ("array", 0, i64::from(max_items)),
        FieldKind::Nullable(inner) => {
            writer.key("nullable").boolean(true);
            return write_kind(writer, inner);
        }
        _ => (kind_name(kind), 0, UNBOUNDED),
    };
    writer.key("kind").string(name);
    let integer = matches!(
        kind,
        FieldKind::Integer { .. } | FieldKind::IntegerOrZero { .. }
    );
    if min != 0 || integer {
        writer.key("min").integer(min);
    }
    if max != UNBOUNDED {
        writer.key("max").integer(max);
    }
    match *kind {
        FieldKind::Text {
            allow_blank: false, ..
        } => {
            writer.key("blank").boolean(false);
        }
        FieldKind::Enum { values, open } => {
            write_names(writer, "values", values);
            if open {
                writer.key("open").boolean(true);
            }
        }
        FieldKind::Pattern(pattern) => {
            writer.key("pattern").string(pattern_regex(pattern));
        }
        FieldKind::Object {
            string_values: true,
            ..
        } => {
            writer.key("stringValues").boolean(true);
        }
        FieldKind::Record { fields, .. } => {
            writer.key("fields");
            write_fields(writer, fields);
        }
        FieldKind::Array { item, .. } => {
            writer.key("item").open('{');
            write_kind(writer, item);
            writer.close('}');
        }
        _ => {}
    }
}

fn kind_name(kind: &FieldKind) -> &'static str {
    match kind {
        FieldKind::Text { .. } => "text",
        FieldKind::Secret { .. } => "secret",
        FieldKind::Integer { .. } => "integer",
        FieldKind::IntegerOrZero { .. } => "integerOrZero",
        FieldKind::Number => "number",
        FieldKind::Bool => "boolean",
        FieldKind::Enum { .. } => "enum",
        FieldKind::Url => "url",
        FieldKind::Pattern(_) => "pattern",
        FieldKind::Screenshot => "screenshot",
        FieldKind::Record { .. } => "record",
        _ => "any",
    }
}

/// Writes `"key": [names...]`, or nothing for an empty list.
fn write_names(writer: &mut JsonWriter, key: &str, names: &[&str]) {
    if names.is_empty() {
        return;
    }
    writer.key(key).open('[');
    for name in names {
        writer.string(name);
    }
    writer.close(']');
}

/// Returns a regular expression (JavaScript syntax) for a pattern.
fn pattern_regex(pattern: Pattern) -> &'static str {
    match pattern {
        Pattern::Slug => "^[a-z0-9][a-z0-9_-]{0,62}$",
        Pattern::KeyId => "^[A-Za-z0-9_-]{1,128}$",
        Pattern::IdempotencyKey => "^[A-Za-z0-9_:-]{1,128}$",
        Pattern::YearMonth => "^[0-9]{4}-(0[1-9]|1[0-2])$",
    }
}
