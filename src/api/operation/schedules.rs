//! Schedules, their runs and triggers, and the inbound trigger endpoints.

use super::{
    int, open, text, BodyRule, Idempotency, Operation, ANY_OBJECT, ANY_TEXT, DELETE, GET, LIMIT,
    NON_EMPTY_TEXT, PATCH, POST,
};
use crate::api::scope::ScopeRule::{self, Fixed};
use crate::api::validate::Field;

const READ: ScopeRule = Fixed("schedules:read");
const WRITE: ScopeRule = Fixed("schedules:write");
const TRIGGERS: ScopeRule = Fixed("triggers:write");

/// Schedule run states, a different set from run states. Open, like them.
const SCHEDULE_RUN_STATES: &[&str] = &[
    "completed",
    "failed",
    "skipped",
    "cancelled",
    "running",
    "insufficient_credits",
];

const CURSOR: Field = Field::optional("cursor", NON_EMPTY_TEXT);

/// `frequency` is free text (`every_15_minutes` ... `monthly`, or `custom`
/// with `cron`), because the API reference gives no closed list.
const CREATE_FIELDS: &[Field] = &[
    Field::required("name", NON_EMPTY_TEXT),
    Field::required("machine_id", NON_EMPTY_TEXT),
    Field::required("task_prompt", text(1, 8000)),
    Field::optional("frequency", ANY_TEXT),
    Field::optional("cron", ANY_TEXT),
    Field::optional("run_at", ANY_TEXT),
    Field::optional("time", ANY_TEXT),
    Field::optional("timezone", ANY_TEXT),
    Field::optional("day_of_week", int(0, 6)),
    Field::optional("day_of_month", int(1, 28)),
    Field::optional("max_consecutive_failures", int(1, 50)),
    Field::optional("metadata", ANY_OBJECT),
];

const UPDATE_FIELDS: &[Field] = &[
    Field::optional("name", NON_EMPTY_TEXT),
    Field::optional("machine_id", NON_EMPTY_TEXT),
    Field::optional("task_prompt", text(1, 8000)),
    Field::optional("frequency", ANY_TEXT),
    Field::optional("cron", ANY_TEXT),
    Field::optional("run_at", ANY_TEXT),
    Field::optional("time", ANY_TEXT),
    Field::optional("timezone", ANY_TEXT),
    Field::optional("day_of_week", int(0, 6)),
    Field::optional("day_of_month", int(1, 28)),
    Field::optional("max_consecutive_failures", int(1, 50)),
    Field::optional("metadata", ANY_OBJECT),
];

const fn on_schedule(id: &'static str, path: &'static str, scope: ScopeRule) -> Operation {
    Operation {
        id,
        path,
        scope,
        body: BodyRule::None,
        ..POST
    }
}

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        id: "schedules.create",
        path: "/schedules",
        scope: WRITE,
        idempotency: Idempotency::Honoured,
        body: BodyRule::Required,
        fields: CREATE_FIELDS,
        exactly_one_of: &["frequency", "run_at"],
        ..POST
    },
    Operation {
        id: "schedules.list",
        path: "/schedules",
        scope: READ,
        query: &[CURSOR, LIMIT],
        ..GET
    },
    Operation {
        id: "schedules.get",
        path: "/schedules/{id}",
        scope: READ,
        ..GET
    },
    Operation {
        id: "schedules.update",
        path: "/schedules/{id}",
        scope: WRITE,
        body: BodyRule::NonEmpty,
        fields: UPDATE_FIELDS,
        ..PATCH
    },
    Operation {
        id: "schedules.delete",
        path: "/schedules/{id}",
        scope: WRITE,
        ..DELETE
    },
    on_schedule("schedules.run", "/schedules/{id}/run", WRITE),
    on_schedule("schedules.pause", "/schedules/{id}/pause", WRITE),
    on_schedule("schedules.resume", "/schedules/{id}/resume", WRITE),
    Operation {
        id: "schedules.listRuns",
        path: "/schedules/{id}/runs",
        scope: READ,
        query: &[
            CURSOR,
            Field::optional("status", open(SCHEDULE_RUN_STATES)),
            LIMIT,
        ],
        ..GET
    },
    Operation {
        id: "schedules.getRun",
        path: "/schedules/{id}/runs/{run_id}",
        scope: READ,
        ..GET
    },
    // NOTE: the API reference names the scope for adding and removing
    // triggers but not for listing them; `schedules:read` is assumed.
    Operation {
        id: "schedules.listTriggers",
        path: "/schedules/{id}/triggers",
        scope: READ,
        ..GET
    },
    Operation {
        id: "schedules.createTrigger",
        path: "/schedules/{id}/triggers",
        scope: TRIGGERS,
        fields: &[Field::optional("rate_limit_per_minute", int(1, 600))],
        ..POST
    },
    Operation {
        id: "schedules.deleteTrigger",
        path: "/schedules/{id}/triggers/{trigger_id}",
        scope: TRIGGERS,
        ..DELETE
    },
    Operation {
        id: "schedules.emailMailbox",
        path: "/triggers/email-mailbox",
        scope: TRIGGERS,
        ..POST
    },
    // Authenticated by a `Coasty-Signature` HMAC header over the exact body
    // bytes instead of an API key, and deduplicated by body rather than by
    // an idempotency key.
    Operation {
        id: "triggers.webhook",
        path: "/triggers/webhook/{id}",
        scope: ScopeRule::None,
        idempotency: Idempotency::NotAccepted,
        body: BodyRule::AnyJson,
        api_key: false,
        ..POST
    },
];
