//! Server-sent events: framing rules, chunk boundaries, run events and the
//! resume cursor.

use coasty::api::sse::{EventStreamCursor, RunEventKind, SseEvent, SseParser};
use coasty::json::Json;

fn parse_whole(stream: &[u8]) -> Vec<SseEvent> {
    let mut parser = SseParser::new();
    let mut events = parser.push(stream);
    events.extend(parser.finish());
    events
}

fn parse_bytewise(stream: &[u8]) -> Vec<SseEvent> {
    let mut parser = SseParser::new();
    let mut events = Vec::new();
    for byte in stream {
        events.extend(parser.push(std::slice::from_ref(byte)));
    }
    events.extend(parser.finish());
    events
}

fn event(id: Option<&str>, event: &str, data: &str) -> SseEvent {
    SseEvent {
        id: id.map(str::to_owned),
        event: event.to_owned(),
        data: data.to_owned(),
        retry_ms: None,
    }
}

const RUN_STREAM: &[u8] = b": keepalive\n\
id: 1\nevent: status\ndata: {\"status\": \"running\"}\n\n\
id: 2\r\nevent: step\r\ndata: {\"steps_completed\": 1}\r\n\r\n\
id: 3\revent: billing\rdata: {\"credits_charged\": 5,\rdata: \"cost_cents\": 5}\r\r\
id: 4\nevent: text\ndata: caf\xc3\xa9 \xe2\x9c\x93\n\n\
id: 5\nevent: done\ndata: {\"status\": \"succeeded\"}\n\n";

#[test]
fn data_lines_join_with_newline() {
    let events = parse_whole(b"data: one\ndata:two\ndata\ndata:  three\n\n");
    assert_eq!(events, vec![event(None, "message", "one\ntwo\n\n three")]);
}

#[test]
fn event_type_defaults_to_message() {
    let events = parse_whole(b"data: a\n\nevent: custom\ndata: b\n\nevent:\ndata: c\n\n");
    let types: Vec<&str> = events.iter().map(|e| e.event.as_str()).collect();
    assert_eq!(types, ["message", "custom", "message"]);
}

#[test]
fn block_without_data_is_not_dispatched() {
    let events = parse_whole(b"event: status\nid: 7\n\ndata: x\n\n");
    assert_eq!(events, vec![event(None, "message", "x")]);
}

#[test]
fn empty_data_line_dispatches_empty_event() {
    assert_eq!(parse_whole(b"data\n\n"), vec![event(None, "message", "")]);
    assert_eq!(parse_whole(b"data:\n\n"), vec![event(None, "message", "")]);
}

#[test]
fn comments_and_unknown_fields_ignored() {
    let events = parse_whole(b":comment\n: data: no\nfoo: bar\nDATA: upper\ndata: yes\n\n");
    assert_eq!(events, vec![event(None, "message", "yes")]);
}

#[test]
fn only_one_space_after_colon_removed() {
    let events = parse_whole(b"data:   padded \n\n");
    assert_eq!(events[0].data, "  padded ");
}

#[test]
fn id_with_nul_is_ignored() {
    let mut parser = SseParser::new();
    let events = parser.push(b"id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n");
    assert_eq!(events[0].id.as_deref(), Some("1"));
    assert_eq!(events[1].id, None);
    assert_eq!(parser.last_event_id(), "1");
}

#[test]
fn id_is_per_event_and_last_id_persists() {
    let mut parser = SseParser::new();
    let events = parser.push(b"id: 9\ndata: a\n\ndata: b\n\n");
    assert_eq!(events[1].id, None);
    assert_eq!(parser.last_event_id(), "9");
    parser.push(b"id\ndata: c\n\n");
    assert_eq!(parser.last_event_id(), "");
}

#[test]
fn retry_accepts_digits_only() {
    let mut parser = SseParser::new();
    let events =
        parser.push(b"retry: 1500\ndata: a\n\nretry: 2s\ndata: b\n\nretry: -1\ndata: c\n\n");
    let retries: Vec<Option<u64>> = events.iter().map(|e| e.retry_ms).collect();
    assert_eq!(retries, [Some(1500), None, None]);
    assert_eq!(parser.retry_ms(), Some(1500));

    parser.push(b"retry: 250\n\n");
    assert_eq!(parser.retry_ms(), Some(250));
    parser.push(b"retry: 99999999999999999999999\n\n");
    assert_eq!(parser.retry_ms(), Some(250));
}

#[test]
fn bom_ignored_only_at_start() {
    let events = parse_whole(b"\xEF\xBB\xBFdata: a\n\n\xEF\xBB\xBFdata: b\n\ndata: c\n\n");
    let data: Vec<&str> = events.iter().map(|e| e.data.as_str()).collect();
    // The second BOM is not at the stream start, so its line has an unknown field.
    assert_eq!(data, ["a", "c"]);
    assert_eq!(
        parse_bytewise(b"\xEF\xBB\xBFdata: a\n\n"),
        vec![event(None, "message", "a")]
    );
}

#[test]
fn line_endings_cr_lf_crlf() {
    for ending in ["\n", "\r", "\r\n"] {
        let stream = format!("data: a{ending}data: b{ending}{ending}");
        let events = parse_whole(stream.as_bytes());
        assert_eq!(events, vec![event(None, "message", "a\nb")], "{ending:?}");
    }
}

#[test]
fn crlf_split_across_chunks() {
    let mut parser = SseParser::new();
    let mut events = parser.push(b"data: a\r");
    events.extend(parser.push(b"\ndata: b\r"));
    assert_eq!(events, Vec::new());
    // A CR ends the blank line at once, without waiting for a possible LF.
    events.extend(parser.push(b"\n\r"));
    assert_eq!(events, vec![event(None, "message", "a\nb")]);
    // The LF completes that CRLF, so it is not a second blank line.
    assert_eq!(parser.push(b"\n"), Vec::new());
    assert_eq!(
        parser.push(b"data: c\n\n"),
        vec![event(None, "message", "c")]
    );
}

#[test]
fn cr_cr_is_two_line_ends() {
    assert_eq!(parse_whole(b"data: a\r\r").len(), 1);
    let mut parser = SseParser::new();
    parser.push(b"data: a\r");
    assert_eq!(parser.push(b"\r").len(), 1);
}

#[test]
fn utf8_split_across_chunks() {
    let text = "héllo ✓ 😀";
    let stream = format!("data: {text}\n\n");
    let bytes = stream.as_bytes();
    for split in 0..bytes.len() {
        let mut parser = SseParser::new();
        let mut events = parser.push(&bytes[..split]);
        events.extend(parser.push(&bytes[split..]));
        assert_eq!(
            events,
            vec![event(None, "message", text)],
            "split at {split}"
        );
    }
}

#[test]
fn invalid_utf8_replaced() {
    let events = parse_whole(b"data: a\xffb\n\n");
    assert_eq!(events[0].data, "a\u{FFFD}b");
}

#[test]
fn bytewise_equals_whole() {
    let whole = parse_whole(RUN_STREAM);
    assert_eq!(whole.len(), 5);
    assert_eq!(parse_bytewise(RUN_STREAM), whole);
    for chunk_size in [2, 3, 7, 64] {
        let mut parser = SseParser::new();
        let mut events = Vec::new();
        for chunk in RUN_STREAM.chunks(chunk_size) {
            events.extend(parser.push(chunk));
        }
        assert_eq!(events, whole, "chunk size {chunk_size}");
    }
}

#[test]
fn unterminated_event_is_discarded() {
    let mut parser = SseParser::new();
    assert_eq!(
        parser.push(b"data: a\n\ndata: partial\n"),
        vec![event(None, "message", "a")]
    );
    assert_eq!(parser.finish(), Vec::new());
    // After finish the parser starts a new stream cleanly.
    assert_eq!(
        parser.push(b"data: b\n\n"),
        vec![event(None, "message", "b")]
    );
}

#[test]
fn run_events_are_typed() {
    let mut cursor = EventStreamCursor::new();
    let run_events: Vec<_> = parse_whole(RUN_STREAM)
        .iter()
        .filter_map(|e| cursor.accept(e))
        .collect();
    let kinds: Vec<&RunEventKind> = run_events.iter().map(|e| &e.kind).collect();
    assert_eq!(
        kinds,
        [
            &RunEventKind::Status {
                status: "running".into()
            },
            &RunEventKind::Step { steps_completed: 1 },
            &RunEventKind::Billing {
                credits_charged: 5,
                cost_cents: 5
            },
            &RunEventKind::Other,
            &RunEventKind::Done {
                status: Some("succeeded".into())
            },
        ]
    );
    assert_eq!(run_events[3].data, Json::from("café ✓"));
    assert_eq!(run_events[3].event_type, "text");
    assert_eq!(run_events[4].seq, Some(5));
    assert!(cursor.is_done());
    assert!(!cursor.should_reconnect());
}

#[test]
fn malformed_run_event_data_is_other() {
    let mut parser = SseParser::new();
    let mut cursor = EventStreamCursor::new();
    let stream = b"event: status\ndata: {\"status\": 3}\n\n\
event: step\ndata: not json\n\n\
event: billing\ndata: {\"credits_charged\": 5}\n\n\
event: brand_new\ndata: {}\n\n";
    let events: Vec<_> = parser
        .push(stream)
        .iter()
        .filter_map(|e| cursor.accept(e))
        .collect();
    assert_eq!(events.len(), 4);
    for run_event in &events {
        assert_eq!(
            run_event.kind,
            RunEventKind::Other,
            "{}",
            run_event.event_type
        );
    }
    assert_eq!(events[1].data, Json::from("not json"));
}

#[test]
fn cursor_drops_replayed_events() {
    let first_connection = b"id: 1\nevent: status\ndata: {\"status\": \"running\"}\n\n\
id: 2\nevent: step\ndata: {\"steps_completed\": 1}\n\n\
id: 3\nevent: step\ndata: {\"steps_completed\": 2}\n";
    let mut cursor = EventStreamCursor::new();
    assert_eq!(cursor.resume_header(), None);

    let mut parser = SseParser::new();
    let seen: Vec<u64> = parser
        .push(first_connection)
        .iter()
        .filter_map(|e| cursor.accept(e))
        .filter_map(|e| e.seq)
        .collect();
    parser.finish();
    assert_eq!(seen, [1, 2]);
    assert!(cursor.should_reconnect());
    assert_eq!(
        cursor.resume_header(),
        Some(("Last-Event-ID".to_owned(), "2".to_owned()))
    );

    // The server replays from an older position after the reconnect.
    let second_connection = b"id: 1\nevent: status\ndata: {}\n\n\
id: 2\nevent: step\ndata: {}\n\n\
id: 3\nevent: step\ndata: {\"steps_completed\": 2}\n\n\
id: 4\nevent: done\ndata: {}\n\n";
    let replayed: Vec<u64> = parser
        .push(second_connection)
        .iter()
        .filter_map(|e| cursor.accept(e))
        .filter_map(|e| e.seq)
        .collect();
    assert_eq!(replayed, [3, 4]);
    assert_eq!(cursor.last_seq(), Some(4));
    assert!(!cursor.should_reconnect());
    assert_eq!(cursor.accept(&event(Some("4"), "done", "{}")), None);
}

#[test]
fn cursor_resume_and_retry() {
    let mut cursor = EventStreamCursor::resume_after(10);
    assert_eq!(cursor.retry_ms(), 3_000);
    let mut replay = event(Some("10"), "step", "{}");
    replay.retry_ms = Some(500);
    assert_eq!(cursor.accept(&replay), None);
    assert_eq!(cursor.retry_ms(), 500);

    let unnumbered = event(None, "text", "hi");
    assert!(cursor.accept(&unnumbered).is_some());
    assert_eq!(cursor.last_seq(), Some(10));
    cursor.set_retry_ms(42);
    assert_eq!(cursor.retry_ms(), 42);
}

#[test]
fn hostile_long_line_is_dropped() {
    let mut parser = SseParser::with_max_event_bytes(1_024);
    let mut events = parser.push(b"id: 1\ndata: ");
    let junk = vec![b'x'; 4_096];
    for _ in 0..1_000 {
        events.extend(parser.push(&junk));
    }
    events.extend(parser.push(b"\ndata: tail\n\ndata: next\n\n"));
    assert_eq!(events, vec![event(None, "message", "next")]);
    assert_eq!(parser.dropped_events(), 1);
}

#[test]
fn hostile_many_data_lines_dropped() {
    let mut parser = SseParser::with_max_event_bytes(1_024);
    let mut events = Vec::new();
    for _ in 0..10_000 {
        events.extend(parser.push(b"data: 0123456789abcdef\n"));
    }
    events.extend(parser.push(b"\ndata: ok\n\n"));
    assert_eq!(events, vec![event(None, "message", "ok")]);
    assert_eq!(parser.dropped_events(), 1);
}

#[test]
fn event_at_cap_is_kept() {
    let mut parser = SseParser::with_max_event_bytes(16);
    // "data: " plus 10 bytes is a 16-byte line, and the data is 11 bytes.
    let events = parser.push(b"data: 0123456789\n\n");
    assert_eq!(events, vec![event(None, "message", "0123456789")]);
    assert_eq!(parser.dropped_events(), 0);
}

proptest::proptest! {
    #[test]
    fn any_chunking_gives_same_events(splits in proptest::collection::vec(0..RUN_STREAM.len(), 0..12)) {
        let mut cuts = splits;
        cuts.sort_unstable();
        let mut parser = SseParser::new();
        let mut events = Vec::new();
        let mut start = 0;
        for cut in cuts.into_iter().chain([RUN_STREAM.len()]) {
            events.extend(parser.push(&RUN_STREAM[start..cut]));
            start = cut;
        }
        proptest::prop_assert_eq!(events, parse_whole(RUN_STREAM));
    }

    #[test]
    fn arbitrary_bytes_bytewise_equals_whole(
        stream in proptest::collection::vec(
            proptest::sample::select(b"da:ti \r\n\xEF\xBB\xBF\xc3\xa9\x00ervy".to_vec()),
            0..300,
        ),
    ) {
        proptest::prop_assert_eq!(parse_bytewise(&stream), parse_whole(&stream));
    }
}

#[test]
fn run_event_repeated_names_last_wins() {
    let mut cursor = EventStreamCursor::new();
    let status = event(
        Some("1"),
        "status",
        r#"{"status": "queued", "status": "running"}"#,
    );
    let accepted = cursor.accept(&status).unwrap();
    assert_eq!(
        accepted.kind,
        RunEventKind::Status {
            status: "running".into()
        }
    );
    // Numbers keep their source text when the data is written back.
    let billing = event(
        Some("2"),
        "billing",
        r#"{"credits_charged": 5, "cost_cents": 5, "cost_usd": 0.050}"#,
    );
    let accepted = cursor.accept(&billing).unwrap();
    assert_eq!(
        accepted.data.to_string(),
        r#"{"credits_charged":5,"cost_cents":5,"cost_usd":0.050}"#
    );
}
