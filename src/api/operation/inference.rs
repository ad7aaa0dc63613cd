//! Stateless and session inference: predict, sessions, ground, parse and
//! the model list. The caller executes the returned actions.

use super::{
    int, object, open, text, BodyRule, Operation, ANY_TEXT, CUA_VERSIONS, DELETE, GET,
    NON_EMPTY_TEXT, POST,
};
use crate::api::scope::ScopeRule::{self, Fixed};
use crate::api::validate::{Field, FieldKind};

const SESSION: ScopeRule = Fixed("session");

const SCREEN_WIDTH: Field = Field::optional("screen_width", int(320, 3840));
const SCREEN_HEIGHT: Field = Field::optional("screen_height", int(240, 2160));
const INCLUDE_REASONING: Field = Field::optional("include_reasoning", FieldKind::Bool);
const INCLUDE_RAW_CODE: Field = Field::optional("include_raw_code", FieldKind::Bool);
const SCREENSHOT: Field = Field::required("screenshot", FieldKind::Screenshot);
const INSTRUCTION: Field = Field::required("instruction", NON_EMPTY_TEXT);
const CUA_VERSION: Field = Field::optional("cua_version", open(CUA_VERSIONS));
const SYSTEM_PROMPT: Field = Field::optional("system_prompt", FieldKind::Nullable(&ANY_TEXT));
const INSTRUCTIONS: Field = Field::optional("instructions", FieldKind::Nullable(&ANY_TEXT));

/// Allowed action types (`tools`): a list of names, or null for all.
const TOOL_LIST: FieldKind = FieldKind::Array {
    max_items: u32::MAX,
    item: &NON_EMPTY_TEXT,
};
const TOOLS: Field = Field::optional("tools", FieldKind::Nullable(&TOOL_LIST));

/// One earlier step sent with a stateless predict.
const TRAJECTORY_STEP: FieldKind = FieldKind::Record {
    fields: &[
        Field::required("screenshot", FieldKind::Screenshot),
        Field::optional("actions", FieldKind::Any),
        Field::optional("reasoning", FieldKind::Any),
    ],
    strict: false,
};

const PREDICT_FIELDS: &[Field] = &[
    SCREENSHOT,
    INSTRUCTION,
    CUA_VERSION,
    SYSTEM_PROMPT,
    INSTRUCTIONS,
    SCREEN_WIDTH,
    SCREEN_HEIGHT,
    Field::optional(
        "trajectory",
        FieldKind::Array {
            max_items: u32::MAX,
            item: &TRAJECTORY_STEP,
        },
    ),
    Field::optional("max_actions", int(1, 10)),
    TOOLS,
    INCLUDE_REASONING,
    INCLUDE_RAW_CODE,
];

const SESSION_CREATE_FIELDS: &[Field] = &[
    CUA_VERSION,
    SCREEN_WIDTH,
    SCREEN_HEIGHT,
    Field::optional("max_trajectory_length", int(1, 20)),
    SYSTEM_PROMPT,
    INSTRUCTIONS,
    TOOLS,
    Field::optional("metadata", object(u32::MAX)),
];

const SESSION_PREDICT_FIELDS: &[Field] =
    &[SCREENSHOT, INSTRUCTION, INCLUDE_REASONING, INCLUDE_RAW_CODE];

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        id: "predict.create",
        path: "/predict",
        scope: Fixed("predict"),
        body: BodyRule::Required,
        fields: PREDICT_FIELDS,
        ..POST
    },
    Operation {
        id: "sessions.create",
        path: "/sessions",
        scope: SESSION,
        fields: SESSION_CREATE_FIELDS,
        ..POST
    },
    Operation {
        id: "sessions.list",
        path: "/sessions",
        scope: SESSION,
        ..GET
    },
    Operation {
        id: "sessions.get",
        path: "/sessions/{id}",
        scope: SESSION,
        ..GET
    },
    Operation {
        id: "sessions.predict",
        path: "/sessions/{id}/predict",
        scope: SESSION,
        body: BodyRule::Required,
        fields: SESSION_PREDICT_FIELDS,
        ..POST
    },
    Operation {
        id: "sessions.reset",
        path: "/sessions/{id}/reset",
        scope: SESSION,
        body: BodyRule::None,
        ..POST
    },
    Operation {
        id: "sessions.delete",
        path: "/sessions/{id}",
        scope: SESSION,
        ..DELETE
    },
    Operation {
        id: "ground.create",
        path: "/ground",
        scope: Fixed("ground"),
        body: BodyRule::Required,
        fields: &[
            SCREENSHOT,
            Field::required("element", NON_EMPTY_TEXT),
            SCREEN_WIDTH,
            SCREEN_HEIGHT,
        ],
        ..POST
    },
    Operation {
        id: "parse.create",
        path: "/parse",
        scope: Fixed("parse"),
        body: BodyRule::Required,
        fields: &[Field::required("code", text(1, 49_999))],
        ..POST
    },
    Operation {
        id: "models.list",
        path: "/models",
        scope: ScopeRule::None,
        ..GET
    },
];
