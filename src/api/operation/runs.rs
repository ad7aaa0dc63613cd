//! Task runs: the server drives the agent loop on a machine.

use super::{
    closed, int, object, open, text, BodyRule, Idempotency, Operation, AFTER, ANY_TEXT,
    CUA_VERSIONS, GET, LIMIT, POST, RUN_STATES,
};
use crate::api::scope::ScopeRule::{self, Fixed};
use crate::api::validate::{Field, FieldKind};

const READ: ScopeRule = Fixed("runs:read");
const WRITE: ScopeRule = Fixed("runs:write");

const INSTRUCTIONS: FieldKind = text(0, 16_000);
const SYSTEM_PROMPT: FieldKind = text(0, 32_000);
const SECONDS: FieldKind = int(1, 86_400);
const METADATA: FieldKind = object(50);

/// Bring-your-own-key model settings. The server rejects any other key here,
/// in particular an `api_key` (provider keys go in headers or `llmKeys.put`).
const LLM_FIELDS: &[Field] = &[
    Field::required("provider", closed(&["managed", "anthropic", "openai"])),
    Field::optional("model", ANY_TEXT),
    Field::optional("grounding_model", ANY_TEXT),
    Field::optional("compaction_model", ANY_TEXT),
    Field::optional("code_agent_model", ANY_TEXT),
];

const CREATE_FIELDS: &[Field] = &[
    Field::required("machine_id", text(1, 128)),
    Field::required("task", text(1, 16_000)),
    Field::optional("cua_version", open(CUA_VERSIONS)),
    Field::optional("instructions", FieldKind::Nullable(&INSTRUCTIONS)),
    Field::optional("system_prompt", FieldKind::Nullable(&SYSTEM_PROMPT)),
    Field::optional("max_steps", int(1, 1000)),
    Field::optional("deadline_seconds", FieldKind::Nullable(&SECONDS)),
    Field::optional("on_awaiting_human", closed(&["pause", "fail", "cancel"])),
    Field::optional(
        "awaiting_human_timeout_seconds",
        FieldKind::Nullable(&SECONDS),
    ),
    Field::optional("webhook_url", FieldKind::Nullable(&FieldKind::Url)),
    Field::optional("metadata", FieldKind::Nullable(&METADATA)),
    Field::optional("model", FieldKind::Nullable(&ANY_TEXT)),
    Field::optional(
        "llm",
        FieldKind::Record {
            fields: LLM_FIELDS,
            strict: true,
        },
    ),
];

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        id: "runs.create",
        path: "/runs",
        scope: WRITE,
        idempotency: Idempotency::Honoured,
        body: BodyRule::Required,
        fields: CREATE_FIELDS,
        strict: true,
        ..POST
    },
    Operation {
        id: "runs.list",
        path: "/runs",
        scope: READ,
        query: &[Field::optional("status", open(RUN_STATES)), LIMIT],
        ..GET
    },
    Operation {
        id: "runs.get",
        path: "/runs/{id}",
        scope: READ,
        ..GET
    },
    Operation {
        id: "runs.cancel",
        path: "/runs/{id}/cancel",
        scope: WRITE,
        body: BodyRule::None,
        ..POST
    },
    Operation {
        id: "runs.resume",
        path: "/runs/{id}/resume",
        scope: WRITE,
        fields: &[Field::optional("note", text(0, 2000))],
        strict: true,
        ..POST
    },
    Operation {
        id: "runs.events",
        path: "/runs/{id}/events",
        scope: READ,
        query: &[AFTER],
        streams: true,
        ..GET
    },
];
