//! Server-sent events: an incremental parser that follows the WHATWG HTML
//! "event stream interpretation" rules, and the typed run events of
//! `GET /v1/runs/{id}/events` with a cursor that resumes without duplicates.

mod run_event;

pub use run_event::{EventStreamCursor, RunEvent, RunEventKind};

/// Default cap on a pending line and on a pending event's data, in bytes.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 1 << 20;

/// Reconnection delay used until the server sends a `retry` field, in ms.
/// WHATWG leaves the initial value to the client, and browsers use a few seconds.
pub const DEFAULT_RETRY_MS: u64 = 3_000;

/// Request header with the last sequence number received, so the server
/// resumes after it.
pub const LAST_EVENT_ID_HEADER: &str = "Last-Event-ID";

/// One dispatched server-sent event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SseEvent {
    /// Value of this event's own `id` field. Unlike a browser's
    /// `lastEventId`, it is `None` when the event has no `id` line, and
    /// [`SseParser::last_event_id`] keeps the inherited value.
    pub id: Option<String>,
    /// Event type from the `event` field, `message` when none was sent.
    pub event: String,
    /// `data` lines joined with `\n`.
    pub data: String,
    /// Reconnection delay in ms from a `retry` field in this event.
    pub retry_ms: Option<u64>,
}

/// Incremental event-stream parser. Chunks may split the stream anywhere:
/// inside a line, between CR and LF, or inside a UTF-8 sequence.
///
/// A line or an event's data longer than the cap (default
/// [`DEFAULT_MAX_EVENT_BYTES`]) drops that whole event and increments
/// [`SseParser::dropped_events`], so hostile input cannot grow memory without
/// bound. Pending memory stays below about three times the cap.
#[derive(Clone, Debug)]
pub struct SseParser {
    max_event_bytes: usize,
    line: Vec<u8>,
    line_too_long: bool,
    after_cr: bool,
    at_stream_start: bool,
    data: String,
    event_type: String,
    event_id: Option<String>,
    event_retry_ms: Option<u64>,
    event_too_long: bool,
    last_event_id: String,
    retry_ms: Option<u64>,
    dropped_events: u64,
}

impl Default for SseParser {
    fn default() -> Self {
        SseParser::new()
    }
}

impl SseParser {
    /// Creates a parser with the default cap of [`DEFAULT_MAX_EVENT_BYTES`].
    pub fn new() -> SseParser {
        SseParser::with_max_event_bytes(DEFAULT_MAX_EVENT_BYTES)
    }

    /// Creates a parser that drops events whose line or data exceeds
    /// `max_event_bytes`.
    pub fn with_max_event_bytes(max_event_bytes: usize) -> SseParser {
        SseParser {
            max_event_bytes,
            line: Vec::new(),
            line_too_long: false,
            after_cr: false,
            at_stream_start: true,
            data: String::new(),
            event_type: String::new(),
            event_id: None,
            event_retry_ms: None,
            event_too_long: false,
            last_event_id: String::new(),
            retry_ms: None,
            dropped_events: 0,
        }
    }

    /// Feeds the next bytes of the stream and returns the events they complete.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        let mut events = Vec::new();
        let mut rest = chunk;

        while !rest.is_empty() {
            // The LF of a CRLF split across chunks does not end a second line.
            if self.after_cr {
                self.after_cr = false;
                if rest[0] == b'\n' {
                    rest = &rest[1..];
                    continue;
                }
            }
            match rest.iter().position(|&b| b == b'\n' || b == b'\r') {
                Some(end) => {
                    self.append_to_line(&rest[..end]);
                    self.after_cr = rest[end] == b'\r';
                    rest = &rest[end + 1..];
                    self.end_line(&mut events);
                }
                None => {
                    self.append_to_line(rest);
                    break;
                }
            }
        }
        events
    }

    /// Ends the stream. Per the WHATWG rules an event without its closing
    /// blank line is discarded, so this returns no events. It has the same
    /// return type as [`SseParser::push`] so callers can drain both alike.
    ///
    /// The parser is then ready for a new connection. It keeps
    /// [`SseParser::last_event_id`] and [`SseParser::retry_ms`], as a browser
    /// keeps them across reconnections.
    pub fn finish(&mut self) -> Vec<SseEvent> {
        self.line.clear();
        self.line_too_long = false;
        self.after_cr = false;
        self.at_stream_start = true;
        self.reset_event();
        Vec::new()
    }

    /// Returns the last `id` the stream set, `""` when none was set yet.
    pub fn last_event_id(&self) -> &str {
        &self.last_event_id
    }

    /// Returns the last reconnection delay the server sent, in ms. Unlike
    /// [`SseEvent::retry_ms`] it includes a `retry` field in a block without data.
    pub fn retry_ms(&self) -> Option<u64> {
        self.retry_ms
    }

    /// Returns the number of events dropped because they exceeded the cap.
    pub fn dropped_events(&self) -> u64 {
        self.dropped_events
    }

    fn append_to_line(&mut self, bytes: &[u8]) {
        if self.line_too_long {
            return;
        }
        if self.line.len() + bytes.len() > self.max_event_bytes {
            self.line_too_long = true;
            self.line = Vec::new();
            return;
        }
        self.line.extend_from_slice(bytes);
    }

    fn end_line(&mut self, events: &mut Vec<SseEvent>) {
        let line = std::mem::take(&mut self.line);
        let too_long = std::mem::take(&mut self.line_too_long);

        // A byte order mark is ignored only at the very start of the stream.
        let line = if std::mem::take(&mut self.at_stream_start) {
            line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&line).to_vec()
        } else {
            line
        };

        if too_long {
            self.drop_event();
        } else if line.is_empty() {
            self.dispatch(events);
        } else {
            self.process_field(&String::from_utf8_lossy(&line));
        }
    }

    fn process_field(&mut self, line: &str) {
        let (field, value) = match line.find(':') {
            Some(0) => return, // Comment, used as a keepalive.
            Some(colon) => {
                let value = &line[colon + 1..];
                (&line[..colon], value.strip_prefix(' ').unwrap_or(value))
            }
            None => (line, ""),
        };

        match field {
            "event" => value.clone_into(&mut self.event_type),
            "data" if !self.event_too_long => {
                self.data.push_str(value);
                self.data.push('\n');
                if self.data.len() + self.event_type.len() > self.max_event_bytes {
                    self.drop_event();
                }
            }
            "id" if !value.contains('\0') => {
                value.clone_into(&mut self.last_event_id);
                self.event_id = Some(value.to_owned());
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(retry_ms) = value.parse() {
                    self.retry_ms = Some(retry_ms);
                    self.event_retry_ms = Some(retry_ms);
                }
            }
            _ => {}
        }
    }

    /// Marks the pending event as dropped and frees its data. Fields that
    /// follow are ignored until the blank line that ends the event.
    fn drop_event(&mut self) {
        self.event_too_long = true;
        self.data = String::new();
    }

    fn dispatch(&mut self, events: &mut Vec<SseEvent>) {
        let too_long = self.event_too_long;
        let mut data = std::mem::take(&mut self.data);
        let event_type = std::mem::take(&mut self.event_type);
        let id = self.event_id.take();
        let retry_ms = self.event_retry_ms.take();
        self.reset_event();

        if too_long {
            self.dropped_events += 1;
            return;
        }
        // A block without data lines sets fields but dispatches nothing.
        if data.is_empty() {
            return;
        }
        data.pop(); // The trailing "\n" added after the last data line.

        let event = if event_type.is_empty() {
            "message".to_owned()
        } else {
            event_type
        };
        events.push(SseEvent {
            id,
            event,
            data,
            retry_ms,
        });
    }

    fn reset_event(&mut self) {
        self.data.clear();
        self.event_type.clear();
        self.event_id = None;
        self.event_retry_ms = None;
        self.event_too_long = false;
    }
}
