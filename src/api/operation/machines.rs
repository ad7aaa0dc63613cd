//! Cloud machines: lifecycle, snapshots, screenshots, and actions, browser,
//! terminal and file operations on a running machine.

use super::{
    closed, int, text, BodyRule, Idempotency, Operation, ANY_OBJECT, ANY_TEXT, DELETE, GET, LIMIT,
    PATCH, POST,
};
use crate::api::scope::ScopeRule::{self, Command, FilesOp, Fixed};
use crate::api::validate::{Field, FieldKind};

const READ: ScopeRule = Fixed("machines:read");
const WRITE: ScopeRule = Fixed("machines:write");

/// Browser operations of `/machines/{id}/browser/{op}`.
const BROWSER_OPS: &[&str] = &[
    "open",
    "navigate",
    "click",
    "type",
    "dom",
    "clickables",
    "state",
    "info",
    "scroll",
    "close",
    "screenshot",
    "wait",
    "list-tabs",
    "open-tab",
    "close-tab",
    "switch-tab",
];

/// File operations of `/machines/{id}/files/{op}`: the union of
/// [`FILE_READ_OPS`](crate::api::scope::FILE_READ_OPS) and
/// [`FILE_WRITE_OPS`](crate::api::scope::FILE_WRITE_OPS).
const FILE_OPS: &[&str] = &[
    "read",
    "exists",
    "list",
    "list-directory",
    "download",
    "list-downloads",
    "write",
    "edit",
    "append",
    "delete",
    "delete-directory",
];

const TIMEOUT_MS: Field = Field::optional("timeout_ms", int(1000, 120_000));
const PARAMETERS: Field = Field::optional("parameters", ANY_OBJECT);

const CREATE_FIELDS: &[Field] = &[
    Field::required("display_name", text(1, 64)),
    Field::optional("os_type", closed(&["linux", "windows"])),
    Field::optional("desktop_enabled", FieldKind::Bool),
    Field::optional("provider", closed(&["aws", "azure", "auto"])),
    Field::optional("cpu_cores", int(1, 16)),
    Field::optional("memory_gb", int(1, 64)),
    Field::optional("storage_gb", int(8, 500)),
    Field::optional("restore_from_snapshot", FieldKind::Bool),
    Field::optional("ttl_minutes", int(5, 10_080)),
    Field::optional(
        "metadata",
        FieldKind::Object {
            max_keys: 16,
            string_values: true,
        },
    ),
];

/// One action: the command is free text, because the API documents no
/// closed list of commands.
const ACTION_FIELDS: &[Field] = &[Field::required("command", ANY_TEXT), PARAMETERS, TIMEOUT_MS];

const ACTION_STEP: FieldKind = FieldKind::Record {
    fields: ACTION_FIELDS,
    strict: false,
};

const fn on_machine(id: &'static str, path: &'static str, template: Operation) -> Operation {
    Operation {
        id,
        path,
        ..template
    }
}

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        id: "machines.create",
        path: "/machines",
        scope: WRITE,
        idempotency: Idempotency::Honoured,
        body: BodyRule::Required,
        fields: CREATE_FIELDS,
        ..POST
    },
    Operation {
        id: "machines.list",
        path: "/machines",
        scope: READ,
        query: &[LIMIT],
        ..GET
    },
    Operation {
        id: "machines.pricing",
        path: "/machines/pricing",
        scope: READ,
        ..GET
    },
    Operation {
        id: "machines.get",
        path: "/machines/{id}",
        scope: READ,
        ..GET
    },
    Operation {
        id: "machines.update",
        path: "/machines/{id}",
        scope: WRITE,
        fields: &[Field::required(
            "ttl_minutes",
            FieldKind::IntegerOrZero {
                min: 5,
                max: 10_080,
            },
        )],
        ..PATCH
    },
    Operation {
        id: "machines.delete",
        path: "/machines/{id}",
        scope: WRITE,
        ..DELETE
    },
    on_machine("machines.start", "/machines/{id}/start", LIFECYCLE),
    on_machine("machines.stop", "/machines/{id}/stop", LIFECYCLE),
    on_machine("machines.restart", "/machines/{id}/restart", LIFECYCLE),
    Operation {
        id: "machines.snapshot",
        path: "/machines/{id}/snapshot",
        scope: Fixed("snapshots:write"),
        idempotency: Idempotency::Honoured,
        ..POST
    },
    Operation {
        id: "machines.screenshot",
        path: "/machines/{id}/screenshot",
        scope: READ,
        ..GET
    },
    Operation {
        id: "machines.connection",
        path: "/machines/{id}/connection",
        scope: Fixed("connection:read"),
        ..GET
    },
    Operation {
        id: "machines.action",
        path: "/machines/{id}/actions",
        scope: Command,
        body: BodyRule::Required,
        fields: ACTION_FIELDS,
        ..POST
    },
    Operation {
        id: "machines.actionBatch",
        path: "/machines/{id}/actions/batch",
        scope: Command,
        body: BodyRule::Required,
        fields: &[
            Field::required(
                "steps",
                FieldKind::Array {
                    max_items: 50,
                    item: &ACTION_STEP,
                },
            ),
            Field::optional("stop_on_error", FieldKind::Bool),
        ],
        ..POST
    },
    Operation {
        id: "machines.browser",
        path: "/machines/{id}/browser/{op}",
        scope: Fixed("actions:exec"),
        fields: &[PARAMETERS, TIMEOUT_MS],
        path_params: &[Field::required("op", closed(BROWSER_OPS))],
        ..POST
    },
    Operation {
        id: "machines.terminal",
        path: "/machines/{id}/terminal",
        scope: Fixed("terminal:exec"),
        body: BodyRule::Required,
        fields: &[
            Field::required("command", text(1, 8192)),
            TIMEOUT_MS,
            Field::optional("session_id", ANY_TEXT),
            Field::optional("cwd", ANY_TEXT),
        ],
        ..POST
    },
    Operation {
        id: "machines.files",
        path: "/machines/{id}/files/{op}",
        scope: FilesOp,
        fields: &[PARAMETERS],
        path_params: &[Field::required("op", closed(FILE_OPS))],
        ..POST
    },
];

/// Start, stop and restart: no body, `machines:write`.
const LIFECYCLE: Operation = Operation {
    scope: WRITE,
    body: BodyRule::None,
    ..POST
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::scope::{FILE_READ_OPS, FILE_WRITE_OPS};

    #[test]
    fn file_ops_are_read_and_write_ops() {
        let mut expected: Vec<&str> = FILE_READ_OPS.to_vec();
        expected.extend_from_slice(FILE_WRITE_OPS);
        assert_eq!(FILE_OPS, expected.as_slice());
    }
}
