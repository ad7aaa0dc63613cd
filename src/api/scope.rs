//! API key scopes: the scope names and the scope each operation needs.
//!
//! The server checks scopes and returns `403 INSUFFICIENT_SCOPE` with the
//! `required_scope` it expected. The functions here only predict that scope for
//! messages and key-creation helpers. A client should still send the request
//! and decode the error rather than refuse locally.

use super::operation::operation;
use crate::json::Json;

/// The 23 scope names an API key can carry.
pub const SCOPES: &[&str] = &[
    "predict",
    "session",
    "ground",
    "parse",
    "keys",
    "usage",
    "runs:read",
    "runs:write",
    "workflows:read",
    "workflows:write",
    "machines:read",
    "machines:write",
    "actions:exec",
    "terminal:exec",
    "files:read",
    "files:write",
    "browser:execute",
    "snapshots:write",
    "connection:read",
    "schedules:read",
    "schedules:write",
    "triggers:write",
    "llm_keys",
];

/// File operations that need `files:read`, as `/machines/{id}/files/{op}` names them.
pub const FILE_READ_OPS: &[&str] = &[
    "read",
    "exists",
    "list",
    "list-directory",
    "download",
    "list-downloads",
];

/// File operations that need `files:write`.
pub const FILE_WRITE_OPS: &[&str] = &["write", "edit", "append", "delete", "delete-directory"];

/// Rule that decides an operation's required scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeRule {
    /// No scope: `models.list` (none documented), `idempotency.get`, and
    /// `triggers.webhook`, which is signed with HMAC instead of an API key.
    None,
    /// Always this scope.
    Fixed(&'static str),
    /// Depends on the `command` of the body (`machines.action`) or of each
    /// batch step (`machines.actionBatch`); see [`command_scope`].
    Command,
    /// `files:read` or `files:write`, depending on the `{op}` path parameter.
    FilesOp,
}

/// Returns the scope an operation needs when its body and path are unknown.
///
/// Command-dependent operations return `actions:exec`, the scope of ordinary
/// desktop actions. Returns `None` for unknown operations, for operations
/// that need no scope, and for `machines.files`, whose scope depends on the
/// op: use [`required_scope_for`] for those.
pub fn required_scope(operation_id: &str) -> Option<&'static str> {
    match operation(operation_id)?.scope {
        ScopeRule::None | ScopeRule::FilesOp => None,
        ScopeRule::Fixed(scope) => Some(scope),
        ScopeRule::Command => Some("actions:exec"),
    }
}

/// Returns the scope an operation needs for this body and `{op}` path
/// parameter.
///
/// For a batch whose steps need different scopes, this returns the first
/// scope other than `actions:exec`, because a key that lacks it fails the
/// batch; [`required_scopes_for`] lists them all.
pub fn required_scope_for(
    operation_id: &str,
    body: Option<&Json>,
    path_op: Option<&str>,
) -> Option<&'static str> {
    match operation(operation_id)?.scope {
        ScopeRule::None => None,
        ScopeRule::Fixed(scope) => Some(scope),
        ScopeRule::FilesOp => path_op.and_then(files_op_scope),
        ScopeRule::Command => {
            let elevated = commands(body)
                .map(command_scope)
                .find(|scope| *scope != "actions:exec");
            Some(elevated.unwrap_or("actions:exec"))
        }
    }
}

/// Lists every scope an operation needs for this body and `{op}` path
/// parameter, in the order the steps need them and without repeats.
///
/// The list is empty for unknown operations, for operations that need no
/// scope, and for `machines.files` with a missing or unknown op.
pub fn required_scopes_for(
    operation_id: &str,
    body: Option<&Json>,
    path_op: Option<&str>,
) -> Vec<&'static str> {
    let Some(operation) = operation(operation_id) else {
        return Vec::new();
    };
    match operation.scope {
        ScopeRule::None => Vec::new(),
        ScopeRule::Fixed(scope) => vec![scope],
        ScopeRule::FilesOp => path_op.and_then(files_op_scope).into_iter().collect(),
        ScopeRule::Command => {
            let mut scopes = Vec::new();
            for command in commands(body) {
                let scope = command_scope(command);
                if !scopes.contains(&scope) {
                    scopes.push(scope);
                }
            }
            if scopes.is_empty() {
                scopes.push("actions:exec");
            }
            scopes
        }
    }
}

/// Returns the `command` of each batch step, or of the body itself when it
/// has no `steps` array.
fn commands(body: Option<&Json>) -> impl Iterator<Item = &str> {
    let steps = body
        .and_then(|body| body.get("steps"))
        .and_then(Json::as_array);
    let values = match (steps, body) {
        (Some(steps), _) => steps,
        (None, Some(body)) => std::slice::from_ref(body),
        (None, None) => &[],
    };
    values
        .iter()
        .filter_map(|value| value.get("command")?.as_str())
}

/// Returns the scope that a machine action `command` needs.
///
/// `terminal_*` needs `terminal:exec`, `browser_execute` (raw JavaScript)
/// needs `browser:execute`, file reads need `files:read`, file writes need
/// `files:write`, and any other command needs `actions:exec`.
///
/// NOTE: the API reference names the file scopes for action commands but
/// not the command strings. File commands are assumed to be `file_<op>` or
/// `files_<op>` (and `directory_list`, `directory_delete`), with the ops of
/// [`FILE_READ_OPS`] and [`FILE_WRITE_OPS`] written with `_` or `-`.
pub fn command_scope(command: &str) -> &'static str {
    if command.starts_with("terminal_") {
        return "terminal:exec";
    }
    if command == "browser_execute" {
        return "browser:execute";
    }
    // `directory_<op>` names the op `<op>-directory`.
    let (op, suffix) = match command.strip_prefix("directory_") {
        Some(op) => (Some(op), "-directory"),
        None => {
            let op = command.strip_prefix("files_");
            (op.or_else(|| command.strip_prefix("file_")), "")
        }
    };
    let matches = |known: &&str| {
        op.is_some_and(|op| {
            known
                .strip_suffix(suffix)
                .is_some_and(|head| same_op_name(head, op))
        })
    };
    if FILE_READ_OPS.iter().any(matches) {
        "files:read"
    } else if FILE_WRITE_OPS.iter().any(matches) {
        "files:write"
    } else {
        "actions:exec"
    }
}

/// Compares an op name such as `list-directory` with one written with `_`
/// in place of `-`, without allocating.
fn same_op_name(known: &str, written: &str) -> bool {
    known.len() == written.len()
        && known
            .bytes()
            .zip(written.bytes())
            .all(|(k, w)| k == w || (k == b'-' && w == b'_'))
}

/// Returns the scope of a `/machines/{id}/files/{op}` operation, or `None`
/// for an op outside [`FILE_READ_OPS`] and [`FILE_WRITE_OPS`].
pub fn files_op_scope(op: &str) -> Option<&'static str> {
    if FILE_READ_OPS.contains(&op) {
        Some("files:read")
    } else if FILE_WRITE_OPS.contains(&op) {
        Some("files:write")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Json {
        Json::parse(text).unwrap()
    }

    #[test]
    fn scope_list_has_23_distinct_names() {
        assert_eq!(SCOPES.len(), 23);
        for (index, scope) in SCOPES.iter().enumerate() {
            assert!(!SCOPES[index + 1..].contains(scope), "{scope} repeats");
        }
    }

    #[test]
    fn command_scopes() {
        assert_eq!(command_scope("click"), "actions:exec");
        assert_eq!(command_scope("terminal_run"), "terminal:exec");
        assert_eq!(command_scope("browser_execute"), "browser:execute");
        assert_eq!(command_scope("browser_navigate"), "actions:exec");
        assert_eq!(command_scope("file_read"), "files:read");
        assert_eq!(command_scope("file_list_downloads"), "files:read");
        assert_eq!(command_scope("files_write"), "files:write");
        assert_eq!(command_scope("file_delete"), "files:write");
        assert_eq!(command_scope("directory_delete"), "files:write");
        assert_eq!(command_scope("directory_list"), "files:read");
        assert_eq!(command_scope("file_unknown"), "actions:exec");
        assert_eq!(command_scope("terminal"), "actions:exec");
        assert_eq!(command_scope("file_list-directory"), "files:read");
        assert_eq!(command_scope("directory_list_directory"), "actions:exec");
        assert_eq!(command_scope("file_"), "actions:exec");
        assert_eq!(command_scope("files_list_download"), "actions:exec");
    }

    #[test]
    fn files_op_scopes() {
        for op in FILE_READ_OPS {
            assert_eq!(files_op_scope(op), Some("files:read"), "{op}");
        }
        for op in FILE_WRITE_OPS {
            assert_eq!(files_op_scope(op), Some("files:write"), "{op}");
        }
        assert_eq!(files_op_scope("chmod"), None);
    }

    #[test]
    fn batch_prefers_elevated_scope() {
        let body = json(
            r#"{"steps": [
                {"command": "click"},
                {"command": "terminal_run"},
                {"command": "file_write"},
                {"command": "click"}
            ]}"#,
        );
        let all = required_scopes_for("machines.actionBatch", Some(&body), None);
        assert_eq!(all, ["actions:exec", "terminal:exec", "files:write"]);
        let first = required_scope_for("machines.actionBatch", Some(&body), None);
        assert_eq!(first, Some("terminal:exec"));
    }

    #[test]
    fn scope_for_body_and_op() {
        let body = json(r#"{"command": "file_read"}"#);
        let scope = required_scope_for("machines.action", Some(&body), None);
        assert_eq!(scope, Some("files:read"));
        assert_eq!(
            required_scope_for("machines.action", None, None),
            Some("actions:exec")
        );
        assert_eq!(
            required_scope_for("machines.files", None, Some("edit")),
            Some("files:write")
        );
        assert_eq!(required_scope_for("machines.files", None, None), None);
        assert_eq!(
            required_scope_for("runs.list", None, None),
            Some("runs:read")
        );
        assert_eq!(required_scope_for("nope.nothing", None, None), None);
    }

    #[test]
    fn scope_without_body() {
        assert_eq!(required_scope("runs.create"), Some("runs:write"));
        assert_eq!(required_scope("machines.action"), Some("actions:exec"));
        assert_eq!(required_scope("machines.files"), None);
        assert_eq!(required_scope("models.list"), None);
        assert_eq!(required_scope("triggers.webhook"), None);
        assert_eq!(required_scope("runs.nothing"), None);
    }
}
