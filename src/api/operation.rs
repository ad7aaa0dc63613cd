//! The static table of Coasty API operations: method, path, scope,
//! idempotency, body rules and field rules of every route.
//!
//! One table drives request building, validation and scope lookup, which
//! keeps the WebAssembly module smaller than a type per operation would.
//! Operation ids are `group.action`, such as `runs.create`. Paths are
//! relative to a base URL that ends in `/v1`.

mod account;
mod inference;
mod machines;
mod runs;
mod schedules;
mod workflows;

use super::scope::ScopeRule;
use super::validate::{Field, FieldKind, NO_MAX};

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Method {
    /// `GET`
    Get,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
}

impl Method {
    /// Returns the method name in upper case, as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// Treatment of the `Idempotency-Key` header by an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Idempotency {
    /// The API reference lists the operation as deduplicating by key, so a
    /// client should add a key automatically (see
    /// [`idempotency_key_from_random`](super::request::idempotency_key_from_random)).
    Honoured,
    /// Any other POST: a key the caller supplies is sent.
    Accepted,
    /// GET, PUT, PATCH, DELETE and the signed trigger webhook: a key is
    /// rejected before sending.
    NotAccepted,
}

/// Whether and how an operation takes a request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyRule {
    /// No body. Passing one is an error.
    None,
    /// An optional JSON object.
    Optional,
    /// A required JSON object.
    Required,
    /// A required JSON object with at least one field, because the server
    /// returns `400 EMPTY_UPDATE` for an empty one.
    NonEmpty,
    /// Any JSON value, or none. Used by the inbound trigger webhook, whose
    /// body is whatever the sending system posts.
    AnyJson,
}

/// One API route and its rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// Id such as `runs.create`.
    pub id: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Path template relative to the base URL, such as `/runs/{id}/cancel`.
    pub path: &'static str,
    /// Rule that decides the required scope.
    pub scope: ScopeRule,
    /// Treatment of the `Idempotency-Key` header.
    pub idempotency: Idempotency,
    /// Whether a body is taken.
    pub body: BodyRule,
    /// Rules for the body's fields.
    pub fields: &'static [Field],
    /// Rules for known query parameters. Other query parameters are sent
    /// unchecked.
    pub query: &'static [Field],
    /// Whether the server rejects body fields missing from `fields`.
    pub strict: bool,
    /// Whether the response is a server-sent event stream.
    pub streams: bool,
    /// Extra rules for path parameters, such as the allowed `{op}` values.
    /// Every `{name}` in `path` is required and non-empty whether listed here
    /// or not.
    pub path_params: &'static [Field],
    /// Body fields of which exactly one must be present (empty when there is
    /// no such rule).
    pub exactly_one_of: &'static [&'static str],
    /// Whether the request carries the API key. Only the HMAC-signed trigger
    /// webhook goes without.
    pub api_key: bool,
}

/// Returns the operation with this id, such as `runs.create`.
pub fn operation(id: &str) -> Option<&'static Operation> {
    OPERATIONS.iter().find(|operation| operation.id == id)
}

/// Returns every operation, grouped as the API reference groups them.
pub fn operations() -> &'static [Operation] {
    &OPERATIONS
}

const GROUPS: [&[Operation]; 6] = [
    runs::OPERATIONS,
    inference::OPERATIONS,
    machines::OPERATIONS,
    workflows::OPERATIONS,
    schedules::OPERATIONS,
    account::OPERATIONS,
];

const COUNT: usize = count(&GROUPS);

static OPERATIONS: [Operation; COUNT] = concat(&GROUPS);

const fn count(groups: &[&[Operation]]) -> usize {
    let mut total = 0;
    let mut index = 0;
    while index < groups.len() {
        total += groups[index].len();
        index += 1;
    }
    total
}

const fn concat<const N: usize>(groups: &[&[Operation]]) -> [Operation; N] {
    let mut out = [GET; N];
    let mut next = 0;
    let mut group = 0;
    while group < groups.len() {
        let mut index = 0;
        while index < groups[group].len() {
            out[next] = groups[group][index];
            next += 1;
            index += 1;
        }
        group += 1;
    }
    out
}

// Templates that table entries complete with struct update syntax.

const GET: Operation = Operation {
    id: "",
    method: Method::Get,
    path: "",
    scope: ScopeRule::None,
    idempotency: Idempotency::NotAccepted,
    body: BodyRule::None,
    fields: &[],
    query: &[],
    strict: false,
    streams: false,
    path_params: &[],
    exactly_one_of: &[],
    api_key: true,
};

const POST: Operation = Operation {
    method: Method::Post,
    idempotency: Idempotency::Accepted,
    body: BodyRule::Optional,
    ..GET
};

const PUT: Operation = Operation {
    method: Method::Put,
    body: BodyRule::Required,
    ..GET
};

const PATCH: Operation = Operation {
    method: Method::Patch,
    body: BodyRule::Required,
    ..GET
};

const DELETE: Operation = Operation {
    method: Method::Delete,
    ..GET
};

// Field rules shared by several groups.

const fn text(min_chars: u32, max_chars: u32) -> FieldKind {
    FieldKind::Text {
        min_chars,
        max_chars,
        allow_blank: true,
    }
}

const fn int(min: i32, max: i32) -> FieldKind {
    FieldKind::Integer { min, max }
}

const fn closed(values: &'static [&'static str]) -> FieldKind {
    FieldKind::Enum {
        values,
        open: false,
    }
}

const fn open(values: &'static [&'static str]) -> FieldKind {
    FieldKind::Enum { values, open: true }
}

const fn object(max_keys: u32) -> FieldKind {
    FieldKind::Object {
        max_keys,
        string_values: false,
    }
}

const ANY_TEXT: FieldKind = text(0, u32::MAX);
const NON_EMPTY_TEXT: FieldKind = text(1, u32::MAX);
const ANY_OBJECT: FieldKind = object(u32::MAX);

/// `cua_version` values. Open, because the newer API revision added `v5`.
const CUA_VERSIONS: &[&str] = &["v1", "v3", "v4", "v5"];

/// Page size of list operations.
const LIMIT: Field = Field::optional("limit", int(1, 200));

/// Event cursor of event streams: events after this sequence number.
const AFTER: Field = Field::optional("after", int(0, NO_MAX));

/// Run and workflow run states. Open, so that a state added later still
/// passes.
const RUN_STATES: &[&str] = &[
    "queued",
    "running",
    "awaiting_human",
    "succeeded",
    "failed",
    "cancelled",
    "timed_out",
];

#[cfg(test)]
mod tests;
