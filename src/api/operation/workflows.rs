//! Workflows: saved step graphs, and their runs.

use super::{
    closed, int, text, BodyRule, Idempotency, Operation, AFTER, ANY_OBJECT, ANY_TEXT, DELETE, GET,
    LIMIT, NON_EMPTY_TEXT, POST, PUT,
};
use crate::api::scope::ScopeRule::{self, Fixed};
use crate::api::validate::{Field, FieldKind, Pattern};

const READ: ScopeRule = Fixed("workflows:read");
const WRITE: ScopeRule = Fixed("workflows:write");

const NAME: FieldKind = text(1, 128);
const SLUG: FieldKind = FieldKind::Pattern(Pattern::Slug);
const DESCRIPTION: FieldKind = text(0, 2000);
/// Budget in cents; 0 or null leaves the run uncapped.
const BUDGET_CENTS: FieldKind = int(0, 10_000_000);

const CREATE_FIELDS: &[Field] = &[
    Field::required("name", NAME),
    Field::required("slug", SLUG),
    Field::required("definition", ANY_OBJECT),
    Field::optional("inputs_schema", ANY_OBJECT),
    Field::optional("description", DESCRIPTION),
    Field::optional("metadata", ANY_OBJECT),
];

const UPDATE_FIELDS: &[Field] = &[
    Field::optional("name", NAME),
    Field::optional("definition", ANY_OBJECT),
    Field::optional("inputs_schema", ANY_OBJECT),
    Field::optional("description", DESCRIPTION),
    Field::optional("status", closed(&["active", "archived"])),
    Field::optional("metadata", ANY_OBJECT),
];

/// Start fields of a saved workflow; the ad-hoc start differs only in
/// requiring `definition`.
const START_FIELDS: &[Field] = &[
    Field::optional("inputs", ANY_OBJECT),
    Field::optional("machine_id", NON_EMPTY_TEXT),
    Field::optional("budget_cents", FieldKind::Nullable(&BUDGET_CENTS)),
    Field::optional("max_iterations", int(1, 100_000)),
    Field::optional("deadline_seconds", int(1, 86_400)),
    Field::optional("webhook_url", FieldKind::Url),
    Field::optional("metadata", ANY_OBJECT),
    Field::optional("definition", ANY_OBJECT),
    Field::optional("inputs_schema", ANY_OBJECT),
];

const START_AD_HOC_FIELDS: &[Field] = &[
    Field::optional("inputs", ANY_OBJECT),
    Field::optional("machine_id", NON_EMPTY_TEXT),
    Field::optional("budget_cents", FieldKind::Nullable(&BUDGET_CENTS)),
    Field::optional("max_iterations", int(1, 100_000)),
    Field::optional("deadline_seconds", int(1, 86_400)),
    Field::optional("webhook_url", FieldKind::Url),
    Field::optional("metadata", ANY_OBJECT),
    Field::required("definition", ANY_OBJECT),
    Field::optional("inputs_schema", ANY_OBJECT),
];

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        id: "workflows.create",
        path: "/workflows",
        scope: WRITE,
        body: BodyRule::Required,
        fields: CREATE_FIELDS,
        ..POST
    },
    Operation {
        id: "workflows.list",
        path: "/workflows",
        scope: READ,
        query: &[LIMIT],
        ..GET
    },
    Operation {
        id: "workflows.get",
        path: "/workflows/{id}",
        scope: READ,
        ..GET
    },
    Operation {
        id: "workflows.update",
        path: "/workflows/{id}",
        scope: WRITE,
        fields: UPDATE_FIELDS,
        ..PUT
    },
    Operation {
        id: "workflows.delete",
        path: "/workflows/{id}",
        scope: WRITE,
        ..DELETE
    },
    Operation {
        id: "workflows.start",
        path: "/workflows/{id}/runs",
        scope: WRITE,
        idempotency: Idempotency::Honoured,
        fields: START_FIELDS,
        ..POST
    },
    Operation {
        id: "workflows.startAdHoc",
        path: "/workflows/runs",
        scope: WRITE,
        idempotency: Idempotency::Honoured,
        body: BodyRule::Required,
        fields: START_AD_HOC_FIELDS,
        ..POST
    },
    Operation {
        id: "workflows.listRuns",
        path: "/workflows/runs",
        scope: READ,
        query: &[Field::optional("workflow_id", NON_EMPTY_TEXT), LIMIT],
        ..GET
    },
    Operation {
        id: "workflows.getRun",
        path: "/workflows/runs/{id}",
        scope: READ,
        ..GET
    },
    Operation {
        id: "workflows.runEvents",
        path: "/workflows/runs/{id}/events",
        scope: READ,
        query: &[AFTER],
        streams: true,
        ..GET
    },
    Operation {
        id: "workflows.cancelRun",
        path: "/workflows/runs/{id}/cancel",
        scope: WRITE,
        body: BodyRule::None,
        ..POST
    },
    Operation {
        id: "workflows.resumeRun",
        path: "/workflows/runs/{id}/resume",
        scope: WRITE,
        body: BodyRule::Required,
        fields: &[
            Field::required("approved", FieldKind::Bool),
            Field::optional("note", ANY_TEXT),
        ],
        ..POST
    },
];
