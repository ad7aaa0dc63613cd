//! The fields a receiver needs from a run webhook, whatever shape it arrived in.

use crate::json::Json;

/// The run webhook event types Coasty documents. Others may appear and are kept.
pub const RUN_EVENT_TYPES: [&str; 5] = [
    "run.awaiting_human",
    "run.succeeded",
    "run.failed",
    "run.cancelled",
    "run.timed_out",
];

/// The common fields of a run webhook event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunEventSummary {
    /// The event type, such as `run.succeeded`; `None` when the payload has none.
    pub event: Option<String>,
    /// The run id, from `run_id`, `run.id` or `id`, in that order.
    pub run_id: Option<String>,
    /// The run status, from `status`, `run.status`, `state` or `run.state`.
    pub status: Option<String>,
    /// The reason the run waits for a person, from `awaiting_human_reason` or
    /// `reason`.
    pub reason: Option<String>,
    /// The run result object, when present and not null.
    pub result: Option<Json>,
    /// The run error object, when present and not null.
    pub error: Option<Json>,
    /// The event or run creation time as sent (an ISO-8601 string).
    pub created_at: Option<String>,
    /// Whether `event` is one of [`RUN_EVENT_TYPES`].
    pub known_event: bool,
}

impl RunEventSummary {
    /// Returns the summary as a JSON object with camelCase keys; absent fields
    /// are `null`.
    pub fn to_json(&self) -> Json {
        let object = |value: &Option<Json>| value.clone().unwrap_or(Json::Null);
        Json::Object(vec![
            ("event".into(), self.event.clone().into()),
            ("runId".into(), self.run_id.clone().into()),
            ("status".into(), self.status.clone().into()),
            ("reason".into(), self.reason.clone().into()),
            ("result".into(), object(&self.result)),
            ("error".into(), object(&self.error)),
            ("createdAt".into(), self.created_at.clone().into()),
            ("knownEvent".into(), self.known_event.into()),
        ])
    }
}

/// Reads the common fields from any of the payload shapes seen in run webhooks:
/// `{event, run_id, status, ...}`, `{event, run: {id, status, ...}}` and
/// `{id, run_id, state, ...}`. Fields that are absent or not strings are `None`.
pub fn normalize_run_event(payload: &Json) -> RunEventSummary {
    let run = payload.get("run").filter(|run| run.as_object().is_some());
    let text = |value: Option<&Json>| value.and_then(Json::as_str).map(str::to_owned);
    let first = |paths: &[(Option<&Json>, &str)]| {
        paths
            .iter()
            .find_map(|(object, key)| text(object.and_then(|object| object.get(key))))
    };
    let top = Some(payload);
    let object = |key: &str| {
        [top, run]
            .into_iter()
            .flatten()
            .find_map(|source| source.get(key).filter(|value| !value.is_null()))
            .cloned()
    };

    let event = text(payload.get("event"));
    let known_event = event
        .as_deref()
        .is_some_and(|event| RUN_EVENT_TYPES.contains(&event));
    RunEventSummary {
        run_id: first(&[(top, "run_id"), (run, "id"), (top, "id")]),
        status: first(&[
            (top, "status"),
            (run, "status"),
            (top, "state"),
            (run, "state"),
        ]),
        reason: first(&[
            (top, "awaiting_human_reason"),
            (run, "awaiting_human_reason"),
            (top, "reason"),
        ]),
        result: object("result"),
        error: object("error"),
        created_at: first(&[(top, "created_at"), (run, "created_at")]),
        known_event,
        event,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Json {
        Json::parse(text).unwrap()
    }

    #[test]
    fn flat_shape() {
        let summary = normalize_run_event(&json(
            r#"{
            "event": "run.succeeded", "run_id": "run_123", "status": "succeeded",
            "result": {"passed": true}, "error": null, "created_at": "2026-01-01T00:00:00Z"
        }"#,
        ));
        assert_eq!(summary.event.as_deref(), Some("run.succeeded"));
        assert_eq!(summary.run_id.as_deref(), Some("run_123"));
        assert_eq!(summary.status.as_deref(), Some("succeeded"));
        assert_eq!(summary.result, Some(json(r#"{"passed": true}"#)));
        assert_eq!(summary.error, None);
        assert_eq!(summary.created_at.as_deref(), Some("2026-01-01T00:00:00Z"));
        assert!(summary.known_event);
    }

    #[test]
    fn awaiting_human_reason() {
        let summary = normalize_run_event(&json(
            r#"{
            "event": "run.awaiting_human", "run_id": "run_456", "reason": "captcha"
        }"#,
        ));
        assert_eq!(summary.reason.as_deref(), Some("captcha"));
        assert_eq!(summary.status, None);
    }

    #[test]
    fn wrapped_run_shape() {
        let summary = normalize_run_event(&json(
            r#"{
            "event": "run.failed",
            "run": {"id": "run_9", "object": "agent.run", "status": "failed",
                    "error": {"code": "WALLET_EXHAUSTED"}}
        }"#,
        ));
        assert_eq!(summary.run_id.as_deref(), Some("run_9"));
        assert_eq!(summary.status.as_deref(), Some("failed"));
        assert_eq!(summary.error, Some(json(r#"{"code": "WALLET_EXHAUSTED"}"#)));
    }

    #[test]
    fn state_shape_prefers_run_id_over_event_id() {
        let summary = normalize_run_event(&json(
            r#"{
            "id": "evt_1", "run_id": "run_7", "state": "running", "step": 3
        }"#,
        ));
        assert_eq!(summary.run_id.as_deref(), Some("run_7"));
        assert_eq!(summary.status.as_deref(), Some("running"));
        assert_eq!(summary.event, None);
        assert!(!summary.known_event);
    }

    #[test]
    fn id_alone_is_the_run_id() {
        let summary = normalize_run_event(&json(r#"{"event": "run.cancelled", "id": "run_5"}"#));
        assert_eq!(summary.run_id.as_deref(), Some("run_5"));
    }

    #[test]
    fn unknown_event_and_non_string_id() {
        let summary = normalize_run_event(&json(r#"{"event": "run.paused", "run_id": 42}"#));
        assert_eq!(summary.event.as_deref(), Some("run.paused"));
        assert!(!summary.known_event);
        assert_eq!(summary.run_id, None);
    }
}
