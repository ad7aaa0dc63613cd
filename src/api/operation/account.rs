//! API keys, stored provider keys, usage, and idempotency lookups.

use super::{BodyRule, Operation, DELETE, GET, POST, PUT};
use crate::api::scope::{ScopeRule, ScopeRule::Fixed, SCOPES};
use crate::api::validate::{Field, FieldKind, Pattern};

const KEYS: ScopeRule = Fixed("keys");
const LLM_KEYS: ScopeRule = Fixed("llm_keys");

/// Scopes of a new key. The list is open, so a scope added later still
/// passes. The builder sends it only when the caller sets it, because an
/// omitted field and `[]` may mean different things to the server.
const SCOPE_LIST: FieldKind = FieldKind::Array {
    max_items: u32::MAX,
    item: &FieldKind::Enum {
        values: SCOPES,
        open: true,
    },
};

pub(super) const OPERATIONS: &[Operation] = &[
    Operation {
        id: "keys.create",
        path: "/keys",
        scope: KEYS,
        body: BodyRule::Required,
        fields: &[
            Field::required(
                "name",
                FieldKind::Text {
                    min_chars: 1,
                    max_chars: 100,
                    allow_blank: false,
                },
            ),
            Field::optional("scopes", SCOPE_LIST),
        ],
        ..POST
    },
    Operation {
        id: "keys.list",
        path: "/keys",
        scope: KEYS,
        ..GET
    },
    Operation {
        id: "keys.revoke",
        path: "/keys/{key_id}",
        scope: KEYS,
        path_params: &[Field::required(
            "key_id",
            FieldKind::Pattern(Pattern::KeyId),
        )],
        ..DELETE
    },
    Operation {
        id: "llmKeys.list",
        path: "/llm/keys",
        scope: LLM_KEYS,
        ..GET
    },
    Operation {
        id: "llmKeys.put",
        path: "/llm/keys/{provider}",
        scope: LLM_KEYS,
        fields: &[Field::required(
            "api_key",
            FieldKind::Secret {
                min_chars: 1,
                max_chars: u32::MAX,
            },
        )],
        ..PUT
    },
    Operation {
        id: "llmKeys.delete",
        path: "/llm/keys/{provider}",
        scope: LLM_KEYS,
        ..DELETE
    },
    Operation {
        id: "usage.get",
        path: "/usage",
        scope: Fixed("usage"),
        query: &[Field::optional(
            "period",
            FieldKind::Pattern(Pattern::YearMonth),
        )],
        ..GET
    },
    Operation {
        id: "idempotency.get",
        path: "/idempotency/{key}",
        scope: ScopeRule::None,
        path_params: &[Field::required(
            "key",
            FieldKind::Pattern(Pattern::IdempotencyKey),
        )],
        ..GET
    },
];
