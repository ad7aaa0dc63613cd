//! Metadata that Coasty sends in response headers, and normalisation of run
//! objects whose field names vary between API versions.

use crate::json::Json;

/// Correlation id header, `req_<hex>`. Missing on some live responses.
pub const REQUEST_ID_HEADER: &str = "X-Coasty-Request-Id";
/// Credits the request cost. It is 0 on test keys and idempotent replays.
pub const CREDITS_CHARGED_HEADER: &str = "X-Credits-Charged";
/// Wallet balance in cents after the charge. One credit is one cent.
pub const CREDITS_REMAINING_HEADER: &str = "X-Credits-Remaining";
/// Credits returned after a failed billed operation.
pub const CREDITS_REFUNDED_HEADER: &str = "X-Credits-Refunded";
/// `true` when the response was replayed from the idempotency cache.
pub const IDEMPOTENT_REPLAY_HEADER: &str = "X-Coasty-Idempotent-Replay";
/// Newer name for [`IDEMPOTENT_REPLAY_HEADER`].
pub const IDEMPOTENCY_REPLAYED_HEADER: &str = "Idempotency-Replayed";
/// `true` on responses to `sk-coasty-test-` keys.
pub const TEST_MODE_HEADER: &str = "X-Coasty-Test-Mode";
/// Kind of the API key: `live`, `test` or `legacy`.
pub const KEY_KIND_HEADER: &str = "X-Coasty-Key-Kind";
/// Wait before retrying, in delta-seconds or as an HTTP-date.
pub const RETRY_AFTER_HEADER: &str = "Retry-After";

/// Rate-limit window from the `X-RateLimit-*` or `RateLimit-*` headers.
///
/// Each figure is `None` when its header is missing or not an integer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in the window.
    pub limit: Option<u64>,
    /// Requests left in the window.
    pub remaining: Option<u64>,
    /// Time the window resets, in unix seconds.
    // NOTE: the IETF RateLimit draft defines `RateLimit-Reset` as seconds
    // from now, but Coasty documents unix seconds for both header families,
    // so the value is passed through unchanged.
    pub reset: Option<u64>,
}

impl RateLimit {
    /// Reads the rate-limit headers, preferring `X-RateLimit-*` over
    /// `RateLimit-*`. Returns `None` when no figure is present.
    pub fn from_headers(headers: &[(String, String)]) -> Option<RateLimit> {
        let figure = |[legacy, ietf]: [&str; 2]| {
            header_u64(headers, legacy).or_else(|| header_u64(headers, ietf))
        };
        let rate_limit = RateLimit {
            limit: figure(["X-RateLimit-Limit", "RateLimit-Limit"]),
            remaining: figure(["X-RateLimit-Remaining", "RateLimit-Remaining"]),
            reset: figure(["X-RateLimit-Reset", "RateLimit-Reset"]),
        };
        if rate_limit == RateLimit::default() {
            return None;
        }
        Some(rate_limit)
    }
}

/// Metadata of a successful (or failed) response, read from its headers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResponseMeta {
    /// Value of `X-Coasty-Request-Id`.
    pub request_id: Option<String>,
    /// Credits this request cost, from `X-Credits-Charged`.
    pub credits_charged: Option<u64>,
    /// Wallet balance in cents (equal to credits), from `X-Credits-Remaining`.
    pub credits_remaining: Option<u64>,
    /// Credits refunded after a failed billed operation.
    pub credits_refunded: Option<u64>,
    /// Whether the response was replayed from the idempotency cache.
    pub idempotent_replay: bool,
    /// Whether the request used a test key, so nothing was billed.
    pub test_mode: bool,
    /// Value of `X-Coasty-Key-Kind`: `live`, `test` or `legacy`.
    pub key_kind: Option<String>,
    /// Rate-limit window, when the response carries one.
    pub rate_limit: Option<RateLimit>,
}

impl ResponseMeta {
    /// Reads the metadata from response headers. Header names are matched
    /// case-insensitively. A malformed value reads as absent, never as an error.
    pub fn from_headers(headers: &[(String, String)]) -> ResponseMeta {
        let replay = header_is_true(headers, IDEMPOTENT_REPLAY_HEADER)
            || header_is_true(headers, IDEMPOTENCY_REPLAYED_HEADER);
        ResponseMeta {
            request_id: header_value(headers, REQUEST_ID_HEADER).map(str::to_owned),
            credits_charged: header_u64(headers, CREDITS_CHARGED_HEADER),
            credits_remaining: header_u64(headers, CREDITS_REMAINING_HEADER),
            credits_refunded: header_u64(headers, CREDITS_REFUNDED_HEADER),
            idempotent_replay: replay,
            test_mode: header_is_true(headers, TEST_MODE_HEADER),
            key_kind: header_value(headers, KEY_KIND_HEADER).map(str::to_owned),
            rate_limit: RateLimit::from_headers(headers),
        }
    }
}

/// Finds a header by case-insensitive name and returns its value without
/// surrounding ASCII whitespace. An empty value counts as absent.
pub(crate) fn header_value<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(key, _)| key.trim_ascii().eq_ignore_ascii_case(name))
        .map(|(_, value)| value.trim_ascii())
        .filter(|value| !value.is_empty())
}

/// Reads an integer header. Node joins a repeated header with ", ", so only
/// the first item of a list is read.
fn header_u64(headers: &[(String, String)], name: &str) -> Option<u64> {
    let value = header_value(headers, name)?;
    let first = value.split(',').next()?.trim_ascii();
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    first.parse().ok()
}

fn header_is_true(headers: &[(String, String)], name: &str) -> bool {
    header_value(headers, name).is_some_and(|value| value.eq_ignore_ascii_case("true"))
}

/// Returns the value of the last member called `key`. `JSON.parse` keeps
/// the last of repeated names, so decoding here agrees with the JS layer.
pub(crate) fn last_member<'a>(members: &'a [(String, Json)], key: &str) -> Option<&'a Json> {
    members
        .iter()
        .rev()
        .find(|(name, _)| name == key)
        .map(|(_, value)| value)
}

fn has_member(members: &[(String, Json)], key: &str) -> bool {
    members.iter().any(|(name, _)| name == key)
}

/// Normalises a run object to the field names `id` and `status`.
///
/// A top-level `{"run": {...}}` is unwrapped, and the wrapper's other fields
/// (such as `request_id`) are kept unless the run has the same field. Then
/// `run_id` is copied to `id` and `state` to `status` when the canonical
/// field is absent. Every other field is kept in its order, the wrapper's
/// fields and the copies follow the run's own, and a value that is not an
/// object is returned unchanged.
pub fn normalize_run(value: Json) -> Json {
    let Json::Object(mut outer) = value else {
        return value;
    };

    let run_index = outer.iter().rposition(|(key, _)| key == "run");
    let mut run = match run_index {
        Some(index) if !has_member(&outer, "id") => match outer.remove(index) {
            (_, Json::Object(inner)) => merge_wrapper(inner, outer),
            other => {
                outer.insert(index, other);
                outer
            }
        },
        _ => outer,
    };

    copy_alias(&mut run, "run_id", "id");
    copy_alias(&mut run, "state", "status");
    Json::Object(run)
}

/// Appends each wrapper field the run lacks. A repeated wrapper name is
/// added once, with its last value, and a repeated `run` is dropped because
/// `JSON.parse` would keep only the one that was unwrapped.
// NOTE: the name lookups take O(run fields x wrapper fields) time. That is
// fast for the tens of fields a run has, but slow for a body with tens of
// thousands of fields at both levels.
fn merge_wrapper(
    mut run: Vec<(String, Json)>,
    wrapper: Vec<(String, Json)>,
) -> Vec<(String, Json)> {
    let own_fields = run.len();
    for (key, value) in wrapper {
        if key == "run" {
            continue;
        }
        match run.iter().position(|(name, _)| *name == key) {
            Some(index) if index >= own_fields => run[index].1 = value,
            Some(_) => {}
            None => run.push((key, value)),
        }
    }
    run
}

fn copy_alias(object: &mut Vec<(String, Json)>, alias: &str, canonical: &str) {
    if has_member(object, canonical) {
        return;
    }
    if let Some(value) = last_member(object, alias).cloned() {
        object.push((canonical.to_owned(), value));
    }
}
