//! Consistency checks over the whole operation table.

use super::*;
use crate::api::validate::FieldKind;

fn placeholders(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

#[test]
fn ids_are_unique_group_dot_action() {
    for (index, op) in OPERATIONS.iter().enumerate() {
        let (group, action) = op.id.split_once('.').expect("id has a dot");
        assert!(!group.is_empty(), "{}", op.id);
        assert!(!action.is_empty(), "{}", op.id);
        assert!(
            op.id.bytes().all(|b| b.is_ascii_alphabetic() || b == b'.'),
            "{}",
            op.id
        );
        assert!(
            action.starts_with(|c: char| c.is_ascii_lowercase()),
            "{}",
            op.id
        );
        assert!(
            !OPERATIONS[index + 1..]
                .iter()
                .any(|other| other.id == op.id),
            "{} repeats",
            op.id
        );
    }
}

#[test]
fn method_and_path_pairs_are_unique() {
    for (index, op) in OPERATIONS.iter().enumerate() {
        let same = OPERATIONS[index + 1..]
            .iter()
            .find(|other| other.method == op.method && other.path == op.path);
        assert!(same.is_none(), "{} and {:?} share a route", op.id, same);
    }
}

#[test]
fn paths_are_well_formed() {
    for op in operations() {
        assert!(op.path.starts_with('/'), "{}", op.id);
        assert!(!op.path.ends_with('/'), "{}", op.id);
        assert!(
            !op.path.starts_with("/v1"),
            "{} repeats the base path",
            op.id
        );
        for segment in op.path.split('/').skip(1) {
            let braces = segment.contains(['{', '}']);
            let placeholder = segment.starts_with('{') && segment.ends_with('}');
            assert!(!braces || placeholder, "{}: {segment}", op.id);
        }
        for param in op.path_params {
            assert!(placeholders(op.path).contains(&param.name), "{}", op.id);
            assert!(param.required, "{}: path parameters are required", op.id);
        }
    }
}

#[test]
fn bodies_follow_methods() {
    for op in operations() {
        match op.method {
            Method::Get | Method::Delete => {
                assert_eq!(op.body, BodyRule::None, "{}", op.id);
                assert!(op.fields.is_empty(), "{}", op.id);
            }
            Method::Put | Method::Patch => {
                assert!(matches!(op.body, BodyRule::Required | BodyRule::NonEmpty));
            }
            Method::Post => {}
        }
        if op.body == BodyRule::None {
            assert!(op.fields.is_empty(), "{} has fields but no body", op.id);
        }
        if op.strict {
            assert!(!op.fields.is_empty(), "{} is strict without fields", op.id);
        }
    }
}

#[test]
fn idempotency_only_on_post() {
    for op in operations() {
        let takes_key = op.idempotency != Idempotency::NotAccepted;
        if op.method != Method::Post {
            assert!(!takes_key, "{}", op.id);
        }
        if op.method == Method::Post && op.id != "triggers.webhook" {
            assert!(takes_key, "{}", op.id);
        }
    }
    let honoured: Vec<&str> = operations()
        .iter()
        .filter(|op| op.idempotency == Idempotency::Honoured)
        .map(|op| op.id)
        .collect();
    let expected = [
        "runs.create",
        "machines.create",
        "machines.snapshot",
        "workflows.start",
        "workflows.startAdHoc",
        "schedules.create",
    ];
    assert_eq!(honoured, expected);
}

#[test]
fn only_event_streams_stream() {
    let streams: Vec<&str> = operations()
        .iter()
        .filter(|op| op.streams)
        .map(|op| op.id)
        .collect();
    assert_eq!(streams, ["runs.events", "workflows.runEvents"]);
}

#[test]
fn only_trigger_webhook_skips_api_key() {
    for op in operations() {
        assert_eq!(op.api_key, op.id != "triggers.webhook", "{}", op.id);
    }
}

#[test]
fn field_names_are_unique_and_rules_sane() {
    for op in operations() {
        for list in [op.fields, op.query] {
            for (index, field) in list.iter().enumerate() {
                let repeated = list[index + 1..].iter().any(|f| f.name == field.name);
                assert!(!repeated, "{}: {} repeats", op.id, field.name);
                if let FieldKind::Integer { min, max } = field.kind {
                    assert!(min <= max, "{}: {}", op.id, field.name);
                }
                if let FieldKind::Text {
                    min_chars,
                    max_chars,
                    ..
                } = field.kind
                {
                    assert!(min_chars <= max_chars, "{}: {}", op.id, field.name);
                }
            }
        }
        for name in op.exactly_one_of {
            let field = op.fields.iter().find(|f| f.name == *name);
            assert!(field.is_some_and(|f| !f.required), "{}: {name}", op.id);
        }
    }
}

#[test]
fn scope_names_are_known() {
    for op in operations() {
        if let ScopeRule::Fixed(scope) = op.scope {
            assert!(crate::api::scope::SCOPES.contains(&scope), "{}", op.id);
        }
    }
}

#[test]
fn lookup_by_id() {
    let op = operation("runs.cancel").unwrap();
    assert_eq!(op.method, Method::Post);
    assert_eq!(op.path, "/runs/{id}/cancel");
    assert!(operation("runs.Cancel").is_none());
    assert!(operation("").is_none());
    assert_eq!(Method::Patch.as_str(), "PATCH");
}
