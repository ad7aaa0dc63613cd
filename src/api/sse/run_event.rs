//! Typed run events of `GET /v1/runs/{id}/events`, and the cursor that
//! resumes the stream after a reconnect without duplicates.

use crate::api::response::last_member;
use crate::json::Json;

use super::{SseEvent, DEFAULT_RETRY_MS, LAST_EVENT_ID_HEADER};

/// Typed payload of a run event, for the event types whose data is documented.
/// A documented type whose data lacks the expected fields becomes `Other`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunEventKind {
    /// `status`: the run moved to `status`, such as `running`.
    Status {
        /// New run state.
        status: String,
    },
    /// `step`: the agent completed another step.
    Step {
        /// Steps completed so far.
        steps_completed: u64,
    },
    /// `billing`: credits charged for the run so far.
    Billing {
        /// Credits charged.
        credits_charged: u64,
        /// Cost in cents (1 credit = 1 cent).
        cost_cents: u64,
    },
    /// `done`: the run reached a terminal state and the stream closes.
    Done {
        /// Terminal state, when the server sent it.
        status: Option<String>,
    },
    /// Any other event type, such as `text`, `tool_call` or `error`.
    Other,
}

/// One event of a run's event stream.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunEvent {
    /// Sequence number from the SSE `id` field, when it is an integer.
    pub seq: Option<u64>,
    /// Event type from the SSE `event` field.
    pub event_type: String,
    /// Parsed JSON data, or the raw text as a string when it is not JSON.
    pub data: Json,
    /// Typed view of `data`.
    pub kind: RunEventKind,
}

impl RunEvent {
    /// Interprets a server-sent event as a run event. Never fails: an unknown
    /// type or unexpected data gives [`RunEventKind::Other`].
    pub fn from_sse(event: &SseEvent) -> RunEvent {
        let seq = event
            .id
            .as_deref()
            .and_then(|id| id.trim_ascii().parse().ok());
        let data = Json::parse(&event.data).unwrap_or_else(|_| Json::from(event.data.as_str()));
        let members = data.as_object().unwrap_or(&[]);
        let text = |name| last_member(members, name)?.as_str().map(str::to_owned);
        let count = |name| last_member(members, name)?.as_u64();

        let kind = match event.event.as_str() {
            "status" => text("status").map(|status| RunEventKind::Status { status }),
            "step" => count("steps_completed")
                .map(|steps_completed| RunEventKind::Step { steps_completed }),
            "billing" => match (count("credits_charged"), count("cost_cents")) {
                (Some(credits_charged), Some(cost_cents)) => Some(RunEventKind::Billing {
                    credits_charged,
                    cost_cents,
                }),
                _ => None,
            },
            "done" => Some(RunEventKind::Done {
                status: text("status"),
            }),
            _ => None,
        };

        RunEvent {
            seq,
            event_type: event.event.clone(),
            kind: kind.unwrap_or(RunEventKind::Other),
            data,
        }
    }
}

/// Position in a run's event stream, kept across reconnections so that a
/// replay after `Last-Event-ID` yields no duplicates.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventStreamCursor {
    last_seq: Option<u64>,
    done: bool,
    retry_ms: u64,
}

impl Default for EventStreamCursor {
    fn default() -> Self {
        EventStreamCursor::new()
    }
}

impl EventStreamCursor {
    /// Creates a cursor at the start of the stream.
    pub fn new() -> EventStreamCursor {
        EventStreamCursor {
            last_seq: None,
            done: false,
            retry_ms: DEFAULT_RETRY_MS,
        }
    }

    /// Creates a cursor that resumes after event `last_seq`.
    pub fn resume_after(last_seq: u64) -> EventStreamCursor {
        EventStreamCursor {
            last_seq: Some(last_seq),
            ..EventStreamCursor::new()
        }
    }

    /// Turns a server-sent event into a run event and advances the cursor.
    ///
    /// Returns `None` for an event whose sequence number is at or below the
    /// last one accepted, which a reconnect replays. An event without a
    /// sequence number is always accepted. A `done` event ends the stream, and
    /// a `retry` field updates [`EventStreamCursor::retry_ms`] even on a
    /// duplicate.
    pub fn accept(&mut self, event: &SseEvent) -> Option<RunEvent> {
        if let Some(retry_ms) = event.retry_ms {
            self.retry_ms = retry_ms;
        }
        let run_event = RunEvent::from_sse(event);

        if let (Some(seq), Some(last)) = (run_event.seq, self.last_seq) {
            if seq <= last {
                return None;
            }
        }
        if run_event.seq.is_some() {
            self.last_seq = run_event.seq;
        }
        if run_event.event_type == "done" {
            self.done = true;
        }
        Some(run_event)
    }

    /// Returns the `Last-Event-ID` header for a reconnect, or `None` before
    /// the first numbered event.
    pub fn resume_header(&self) -> Option<(String, String)> {
        let seq = self.last_seq?;
        Some((LAST_EVENT_ID_HEADER.to_owned(), seq.to_string()))
    }

    /// Returns whether the client should reconnect: true until `done` arrives.
    pub fn should_reconnect(&self) -> bool {
        !self.done
    }

    /// Returns the last sequence number accepted.
    pub fn last_seq(&self) -> Option<u64> {
        self.last_seq
    }

    /// Returns whether the `done` event was accepted.
    pub fn is_done(&self) -> bool {
        self.done
    }

    /// Returns the delay before reconnecting, in ms.
    pub fn retry_ms(&self) -> u64 {
        self.retry_ms
    }

    /// Sets the reconnection delay, for example from [`SseParser::retry_ms`](super::SseParser::retry_ms)
    /// after a `retry` field in a block without data.
    pub fn set_retry_ms(&mut self, retry_ms: u64) {
        self.retry_ms = retry_ms;
    }
}
