//! Request builders, validation limits, scopes and credit estimates, checked
//! against the operation table and the limits of the Coasty API reference.

use coasty::api::credits::{
    estimate_ground_cost, estimate_parse_cost, estimate_predict_cost, estimate_run_cost,
    estimate_session_create_cost, estimate_session_predict_cost, format_dollars, parse_dollars,
    PredictCostInput,
};
use coasty::api::operation::{operation, operations, BodyRule, Idempotency, Method, Operation};
use coasty::api::request::{
    idempotency_key_from_random, ApiKey, AuthScheme, BuildError, ClientConfig, HttpRequest,
    RequestBuilder,
};
use coasty::api::scope::{required_scope, required_scope_for, ScopeRule, SCOPES};
use coasty::api::validate::{FieldKind, Pattern};
use coasty::json::Json;
use serde_json::{json, Map, Value};

const BASE: &str = "http://127.0.0.1:8787/v1";
const KEY: &str = "sk-coasty-test-00112233445566778899aabbccddeeff0011223344556677";

fn config() -> ClientConfig {
    ClientConfig::new(BASE)
        .unwrap()
        .with_api_key(ApiKey::new(KEY).unwrap())
}

/// Every route of the reference's endpoint sections, with the scope its
/// scope table gives: a scope name, `none`, `command` (depends on the
/// action's command) or `files` (depends on the file op).
const ROUTES: &[(&str, &str, &str)] = &[
    ("POST", "/predict", "predict"),
    ("POST", "/sessions", "session"),
    ("GET", "/sessions", "session"),
    ("GET", "/sessions/{}", "session"),
    ("POST", "/sessions/{}/predict", "session"),
    ("POST", "/sessions/{}/reset", "session"),
    ("DELETE", "/sessions/{}", "session"),
    ("POST", "/ground", "ground"),
    ("POST", "/parse", "parse"),
    ("GET", "/models", "none"),
    ("GET", "/usage", "usage"),
    ("POST", "/runs", "runs:write"),
    ("GET", "/runs", "runs:read"),
    ("GET", "/runs/{}", "runs:read"),
    ("POST", "/runs/{}/cancel", "runs:write"),
    ("POST", "/runs/{}/resume", "runs:write"),
    ("GET", "/runs/{}/events", "runs:read"),
    ("POST", "/workflows", "workflows:write"),
    ("GET", "/workflows", "workflows:read"),
    ("GET", "/workflows/{}", "workflows:read"),
    ("PUT", "/workflows/{}", "workflows:write"),
    ("DELETE", "/workflows/{}", "workflows:write"),
    ("POST", "/workflows/{}/runs", "workflows:write"),
    ("POST", "/workflows/runs", "workflows:write"),
    ("GET", "/workflows/runs", "workflows:read"),
    ("GET", "/workflows/runs/{}", "workflows:read"),
    ("GET", "/workflows/runs/{}/events", "workflows:read"),
    ("POST", "/workflows/runs/{}/cancel", "workflows:write"),
    ("POST", "/workflows/runs/{}/resume", "workflows:write"),
    ("POST", "/machines", "machines:write"),
    ("GET", "/machines", "machines:read"),
    ("GET", "/machines/pricing", "machines:read"),
    ("GET", "/machines/{}", "machines:read"),
    ("PATCH", "/machines/{}", "machines:write"),
    ("DELETE", "/machines/{}", "machines:write"),
    ("POST", "/machines/{}/start", "machines:write"),
    ("POST", "/machines/{}/stop", "machines:write"),
    ("POST", "/machines/{}/restart", "machines:write"),
    ("POST", "/machines/{}/snapshot", "snapshots:write"),
    ("GET", "/machines/{}/screenshot", "machines:read"),
    ("GET", "/machines/{}/connection", "connection:read"),
    ("POST", "/machines/{}/actions", "command"),
    ("POST", "/machines/{}/actions/batch", "command"),
    ("POST", "/machines/{}/browser/{}", "actions:exec"),
    ("POST", "/machines/{}/terminal", "terminal:exec"),
    ("POST", "/machines/{}/files/{}", "files"),
    ("POST", "/schedules", "schedules:write"),
    ("GET", "/schedules", "schedules:read"),
    ("GET", "/schedules/{}", "schedules:read"),
    ("PATCH", "/schedules/{}", "schedules:write"),
    ("DELETE", "/schedules/{}", "schedules:write"),
    ("POST", "/schedules/{}/run", "schedules:write"),
    ("POST", "/schedules/{}/pause", "schedules:write"),
    ("POST", "/schedules/{}/resume", "schedules:write"),
    ("GET", "/schedules/{}/runs", "schedules:read"),
    ("GET", "/schedules/{}/runs/{}", "schedules:read"),
    ("GET", "/schedules/{}/triggers", "schedules:read"),
    ("POST", "/schedules/{}/triggers", "triggers:write"),
    ("DELETE", "/schedules/{}/triggers/{}", "triggers:write"),
    ("POST", "/triggers/webhook/{}", "none"),
    ("POST", "/triggers/email-mailbox", "triggers:write"),
    ("POST", "/keys", "keys"),
    ("GET", "/keys", "keys"),
    ("DELETE", "/keys/{}", "keys"),
    ("GET", "/llm/keys", "llm_keys"),
    ("PUT", "/llm/keys/{}", "llm_keys"),
    ("DELETE", "/llm/keys/{}", "llm_keys"),
    ("GET", "/idempotency/{}", "none"),
];

/// Replaces every `{name}` of a path template with `{}`.
fn route_shape(path: &str) -> String {
    let segments: Vec<&str> = path
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                "{}"
            } else {
                segment
            }
        })
        .collect();
    segments.join("/")
}

fn find_route(method: &str, path: &str) -> Option<&'static Operation> {
    operations()
        .iter()
        .find(|op| op.method.as_str() == method && route_shape(op.path) == path)
}

// ---------------------------------------------------------------- samples

/// Returns a minimal valid value for a field rule.
fn sample(kind: &FieldKind) -> Value {
    match kind {
        FieldKind::Text { min_chars, .. } => json!("a".repeat((*min_chars).max(1) as usize)),
        FieldKind::Integer { min, .. } | FieldKind::IntegerOrZero { min, .. } => json!(min),
        FieldKind::Number => json!(1.5),
        FieldKind::Bool => json!(true),
        FieldKind::Enum { values, .. } => json!(values[0]),
        FieldKind::Url => json!("https://hooks.example.com/coasty"),
        FieldKind::Pattern(Pattern::Slug) => json!("invoice-bot"),
        FieldKind::Pattern(Pattern::YearMonth) => json!("2026-07"),
        FieldKind::Pattern(_) => json!("key_1"),
        FieldKind::Screenshot => json!("A".repeat(101)),
        FieldKind::Secret { min_chars, .. } => json!("s".repeat((*min_chars).max(16) as usize)),
        FieldKind::Record { fields, .. } => sample_object(fields),
        FieldKind::Array { .. } => json!([]),
        FieldKind::Nullable(inner) => sample(inner),
        _ => json!({}),
    }
}

fn sample_object(fields: &[coasty::api::validate::Field]) -> Value {
    let mut object = Map::new();
    for field in fields.iter().filter(|field| field.required) {
        object.insert(field.name.to_string(), sample(&field.kind));
    }
    Value::Object(object)
}

/// Returns a minimal valid body for an operation, or `None` when it takes
/// none.
fn sample_body(op: &Operation) -> Option<Value> {
    let mut body = sample_object(op.fields);
    let object = body.as_object_mut().unwrap();
    if let Some(name) = op.exactly_one_of.first() {
        object.insert(name.to_string(), json!("daily"));
    }
    if op.body == BodyRule::NonEmpty && object.is_empty() {
        let field = &op.fields[0];
        object.insert(field.name.to_string(), sample(&field.kind));
    }
    match op.body {
        BodyRule::None => None,
        BodyRule::Optional if object.is_empty() => None,
        _ => Some(body),
    }
}

/// Returns a value accepted for a path parameter of `op`.
fn sample_path_value(op: &Operation, name: &str) -> String {
    match op.path_params.iter().find(|field| field.name == name) {
        Some(field) => sample(&field.kind).as_str().unwrap().to_string(),
        None => format!("{name}_1"),
    }
}

fn placeholders(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

/// Starts a builder for `id` with every path parameter and a minimal body.
fn ready(id: &str) -> RequestBuilder {
    let op = operation(id).unwrap();
    let mut builder = RequestBuilder::new(id).unwrap();
    for name in placeholders(op.path) {
        builder = builder.path_param(name, &sample_path_value(op, name));
    }
    if let Some(body) = sample_body(op) {
        builder = builder.body(to_json(body));
    }
    builder
}

/// Builds `id` with its minimal body, one field replaced by `value`.
fn build_with(id: &str, field: &str, value: Value) -> Result<HttpRequest, BuildError> {
    let op = operation(id).unwrap();
    let mut body = sample_body(op).unwrap_or_else(|| json!({}));
    body[field] = value;
    ready(id).body(to_json(body)).build(&config())
}

/// Converts a `serde_json` value, convenient to write with `json!`, to the
/// crate's JSON type. `serde_json` writes object keys in sorted order.
fn to_json(value: Value) -> Json {
    Json::parse(&value.to_string()).unwrap()
}

fn body_json(request: &HttpRequest) -> Value {
    serde_json::from_slice(request.body.as_ref().unwrap()).unwrap()
}

fn validation_field(error: BuildError) -> String {
    match error {
        BuildError::Validation(error) => error.field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

// ------------------------------------------------------------ route table

#[test]
fn every_reference_route_has_one_operation() {
    for (method, path, _) in ROUTES {
        let matches = operations()
            .iter()
            .filter(|op| op.method.as_str() == *method && route_shape(op.path) == *path)
            .count();
        assert_eq!(matches, 1, "{method} {path}");
    }
}

#[test]
fn every_operation_is_a_reference_route() {
    assert_eq!(operations().len(), ROUTES.len());
    for op in operations() {
        let shape = route_shape(op.path);
        let known = ROUTES
            .iter()
            .any(|(method, path, _)| op.method.as_str() == *method && shape == *path);
        assert!(known, "{} {} {}", op.id, op.method.as_str(), op.path);
    }
}

#[test]
fn undocumented_ocr_route_is_absent() {
    assert!(operations().iter().all(|op| !op.path.contains("ocr")));
}

#[test]
fn scope_rules_match_reference_scope_table() {
    for (method, path, scope) in ROUTES {
        let op = find_route(method, path).unwrap();
        let expected = match *scope {
            "none" => ScopeRule::None,
            "command" => ScopeRule::Command,
            "files" => ScopeRule::FilesOp,
            name => ScopeRule::Fixed(name),
        };
        assert_eq!(op.scope, expected, "{}", op.id);
    }
}

#[test]
fn required_scope_examples() {
    assert_eq!(required_scope("runs.create"), Some("runs:write"));
    assert_eq!(required_scope("runs.events"), Some("runs:read"));
    assert_eq!(required_scope("llmKeys.put"), Some("llm_keys"));
    assert_eq!(required_scope("machines.snapshot"), Some("snapshots:write"));
    assert_eq!(required_scope("idempotency.get"), None);
    let body = json!({"command": "browser_execute"});
    let scope = required_scope_for("machines.action", Some(&to_json(body)), None);
    assert_eq!(scope, Some("browser:execute"));
    let scope = required_scope_for("machines.files", None, Some("list-downloads"));
    assert_eq!(scope, Some("files:read"));
    assert_eq!(SCOPES.len(), 23);
}

#[test]
fn operation_ids_from_the_design_exist() {
    let ids = [
        "runs.create",
        "runs.list",
        "runs.get",
        "runs.cancel",
        "runs.resume",
        "runs.events",
        "usage.get",
        "keys.create",
        "keys.list",
        "keys.revoke",
        "llmKeys.list",
        "llmKeys.put",
        "llmKeys.delete",
        "models.list",
        "machines.create",
        "machines.list",
        "machines.pricing",
        "machines.get",
        "machines.update",
        "machines.delete",
        "machines.start",
        "machines.stop",
        "machines.restart",
        "machines.snapshot",
        "machines.screenshot",
        "machines.connection",
        "machines.action",
        "machines.actionBatch",
        "machines.browser",
        "machines.terminal",
        "machines.files",
        "sessions.create",
        "sessions.list",
        "sessions.get",
        "sessions.predict",
        "sessions.reset",
        "sessions.delete",
        "predict.create",
        "ground.create",
        "parse.create",
        "workflows.create",
        "workflows.list",
        "workflows.get",
        "workflows.update",
        "workflows.delete",
        "workflows.start",
        "workflows.startAdHoc",
        "workflows.listRuns",
        "workflows.getRun",
        "workflows.runEvents",
        "workflows.cancelRun",
        "workflows.resumeRun",
        "schedules.create",
        "schedules.list",
        "schedules.get",
        "schedules.update",
        "schedules.delete",
        "schedules.run",
        "schedules.pause",
        "schedules.resume",
        "schedules.listRuns",
        "schedules.getRun",
        "schedules.listTriggers",
        "schedules.createTrigger",
        "schedules.deleteTrigger",
        "schedules.emailMailbox",
        "triggers.webhook",
        "idempotency.get",
    ];
    for id in ids {
        assert!(operation(id).is_some(), "{id}");
    }
    assert_eq!(ids.len(), operations().len());
}

// ------------------------------------------------------ building requests

#[test]
fn every_operation_builds_from_the_table() {
    for op in operations() {
        let request = ready(op.id)
            .build(&config())
            .unwrap_or_else(|e| panic!("{}: {e}", op.id));
        assert_eq!(request.operation, op.id);
        assert_eq!(request.method, op.method, "{}", op.id);

        let mut path = op.path.to_string();
        for name in placeholders(op.path) {
            path = path.replace(&format!("{{{name}}}"), &sample_path_value(op, name));
        }
        assert_eq!(request.url, format!("{BASE}{path}"), "{}", op.id);

        let accept = if op.streams {
            "text/event-stream"
        } else {
            "application/json"
        };
        assert_eq!(request.header("Accept"), Some(accept), "{}", op.id);
        let key = if op.api_key { Some(KEY) } else { None };
        assert_eq!(request.header("X-API-Key"), key, "{}", op.id);
        assert_eq!(request.header("Authorization"), None, "{}", op.id);

        let content_type = request.body.as_ref().map(|_| "application/json");
        assert_eq!(request.header("Content-Type"), content_type, "{}", op.id);
        let expected_body = sample_body(op);
        assert_eq!(
            request.body.as_ref().map(|_| body_json(&request)),
            expected_body,
            "{}",
            op.id
        );
        assert_eq!(request.idempotency_key, None, "{}", op.id);
    }
}

#[test]
fn runs_create_request_properties() {
    let body = json!({"machine_id": "mch_1", "max_steps": 20, "task": "Open example.com"});
    let request = RequestBuilder::new("runs.create")
        .unwrap()
        .body(to_json(body))
        .idempotency_key("order-42")
        .build(&config())
        .unwrap();
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.url, "http://127.0.0.1:8787/v1/runs");
    assert_eq!(request.header("Accept"), Some("application/json"));
    assert_eq!(request.header("X-API-Key"), Some(KEY));
    assert_eq!(request.header("Content-Type"), Some("application/json"));
    assert_eq!(request.header("Idempotency-Key"), Some("order-42"));
    assert_eq!(request.idempotency_key.as_deref(), Some("order-42"));
    assert_eq!(
        request.body.as_deref(),
        Some(&br#"{"machine_id":"mch_1","max_steps":20,"task":"Open example.com"}"#[..])
    );
    assert_eq!(request.headers.len(), 4);
}

#[test]
fn runs_events_request_properties() {
    let request = RequestBuilder::new("runs.events")
        .unwrap()
        .path_param("id", "run_7a1b")
        .query("after", "41")
        .build(&config())
        .unwrap();
    assert_eq!(request.method, Method::Get);
    assert_eq!(
        request.url,
        "http://127.0.0.1:8787/v1/runs/run_7a1b/events?after=41"
    );
    assert_eq!(request.header("Accept"), Some("text/event-stream"));
    assert_eq!(request.header("Content-Type"), None);
    assert_eq!(request.body, None);
}

#[test]
fn machines_files_request_properties() {
    let request = RequestBuilder::new("machines.files")
        .unwrap()
        .path_param("id", "mch_1")
        .path_param("op", "list-directory")
        .body(to_json(json!({"parameters": {"path": "/tmp"}})))
        .build(&config())
        .unwrap();
    assert_eq!(
        request.url,
        "http://127.0.0.1:8787/v1/machines/mch_1/files/list-directory"
    );
    assert_eq!(body_json(&request), json!({"parameters": {"path": "/tmp"}}));

    let error = RequestBuilder::new("machines.files")
        .unwrap()
        .path_param("id", "mch_1")
        .path_param("op", "chmod")
        .build(&config())
        .unwrap_err();
    assert_eq!(error.code(), "VALIDATION_FAILED");
    assert!(error
        .to_string()
        .starts_with("invalid op: \"chmod\" is not an accepted value"));
}

#[test]
fn trigger_webhook_has_no_auth_header() {
    let payload = json!([{"event": "deploy"}]);
    let no_key = ClientConfig::new(BASE).unwrap();
    let request = RequestBuilder::new("triggers.webhook")
        .unwrap()
        .path_param("id", "whk_1")
        .body(to_json(payload))
        .build(&no_key)
        .unwrap();
    assert_eq!(
        request.url,
        "http://127.0.0.1:8787/v1/triggers/webhook/whk_1"
    );
    assert_eq!(request.header("X-API-Key"), None);
    assert_eq!(request.header("Authorization"), None);
    assert_eq!(
        request.body.as_deref(),
        Some(&br#"[{"event":"deploy"}]"#[..])
    );

    let with_key = ready("triggers.webhook").build(&config()).unwrap();
    assert_eq!(with_key.header("X-API-Key"), None);

    let error = ready("triggers.webhook")
        .idempotency_key("k1")
        .build(&config())
        .unwrap_err();
    assert_eq!(validation_field(error), "Idempotency-Key");
}

#[test]
fn bearer_and_api_key_header() {
    let bearer = config().with_auth_scheme(AuthScheme::Bearer);
    let request = ready("runs.list").build(&bearer).unwrap();
    assert_eq!(
        request.header("Authorization"),
        Some(format!("Bearer {KEY}").as_str())
    );
    assert_eq!(request.header("X-API-Key"), None);

    let request = ready("runs.list").build(&config()).unwrap();
    assert_eq!(request.header("X-API-Key"), Some(KEY));
    assert_eq!(request.header("Authorization"), None);
}

#[test]
fn missing_api_key_message() {
    let error = ready("runs.list")
        .build(&ClientConfig::new(BASE).unwrap())
        .unwrap_err();
    assert_eq!(error.code(), "MISSING_API_KEY");
    assert_eq!(
        error.to_string(),
        "missing API key for runs.list; pass apiKey or set COASTY_API_KEY"
    );
}

#[test]
fn unknown_operation_rejected() {
    let error = RequestBuilder::new("runs.creat").unwrap_err();
    assert_eq!(error.code(), "UNKNOWN_OPERATION");
    assert!(error.to_string().contains("\"runs.creat\""));
}

#[test]
fn omitted_optionals_absent_from_body() {
    let request = RequestBuilder::new("runs.create")
        .unwrap()
        .body(to_json(json!({"machine_id": "mch_1", "task": "t"})))
        .build(&config())
        .unwrap();
    let body = body_json(&request);
    let keys: Vec<&String> = body.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["machine_id", "task"]);
}

#[test]
fn keys_create_scopes_omitted_or_empty() {
    let build = |body: Value| {
        let request = RequestBuilder::new("keys.create")
            .unwrap()
            .body(to_json(body))
            .build(&config());
        body_json(&request.unwrap())
    };
    let omitted = build(json!({"name": "ci"}));
    assert_eq!(omitted.get("scopes"), None);
    let empty = build(json!({"name": "ci", "scopes": []}));
    assert_eq!(empty.get("scopes"), Some(&json!([])));
    let listed = build(json!({"name": "ci", "scopes": ["runs:read", "future:scope"]}));
    assert_eq!(listed["scopes"], json!(["runs:read", "future:scope"]));
}

#[test]
fn unknown_field_on_strict_operations() {
    let error = RequestBuilder::new("runs.resume")
        .unwrap()
        .path_param("id", "run_1")
        .body(to_json(json!({"human_response": "done"})))
        .build(&config())
        .unwrap_err();
    let message = error.to_string();
    assert_eq!(validation_field(error), "human_response");
    assert!(message.contains("unknown field"), "{message}");
    assert!(message.contains("only the fields note"), "{message}");

    let error = build_with("runs.create", "max_step", json!(5)).unwrap_err();
    assert_eq!(validation_field(error), "max_step");
    let error = build_with(
        "runs.create",
        "llm",
        json!({"provider": "openai", "api_key": "x"}),
    );
    assert_eq!(validation_field(error.unwrap_err()), "llm.api_key");

    assert!(build_with("predict.create", "future_field", json!(1)).is_ok());
}

#[test]
fn null_only_where_documented() {
    assert!(build_with("runs.create", "instructions", Value::Null).is_ok());
    assert!(build_with("runs.create", "webhook_url", Value::Null).is_ok());
    assert!(build_with("runs.create", "deadline_seconds", Value::Null).is_ok());
    assert!(build_with("predict.create", "tools", Value::Null).is_ok());
    assert!(build_with("workflows.start", "budget_cents", Value::Null).is_ok());
    let error = build_with("runs.create", "max_steps", Value::Null).unwrap_err();
    assert_eq!(validation_field(error), "max_steps");
    let error = build_with("runs.create", "task", Value::Null).unwrap_err();
    assert_eq!(validation_field(error), "task");
}

#[test]
fn body_shape_rules() {
    let error = RequestBuilder::new("runs.create")
        .unwrap()
        .build(&config())
        .unwrap_err();
    assert_eq!(validation_field(error), "body");
    let error = ready("runs.create")
        .body(to_json(json!(["task"])))
        .build(&config())
        .unwrap_err();
    assert!(error
        .to_string()
        .contains("expected a JSON object, got an array"));
    let error = ready("runs.cancel")
        .body(to_json(json!({"reason": "x"})))
        .build(&config())
        .unwrap_err();
    assert!(error
        .to_string()
        .contains("runs.cancel takes no request body"));

    let request = ready("runs.resume")
        .body(to_json(Value::Null))
        .build(&config())
        .unwrap();
    assert_eq!(request.body, None);
    assert_eq!(request.header("Content-Type"), None);

    let error = ready("schedules.update")
        .body(to_json(json!({})))
        .build(&config())
        .unwrap_err();
    assert!(error.to_string().contains("changes nothing"));
    let error = build_with("runs.create", "task", json!(42)).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid task: expected a string, got a number; allowed 1-16000 characters"
    );
}

#[test]
fn schedule_frequency_xor_run_at() {
    let base = json!({"name": "n", "machine_id": "m", "task_prompt": "t"});
    let build = |extra: Value| {
        let mut body = base.clone();
        body.as_object_mut()
            .unwrap()
            .extend(extra.as_object().unwrap().clone());
        RequestBuilder::new("schedules.create")
            .unwrap()
            .body(to_json(body))
            .build(&config())
    };
    assert!(build(json!({"frequency": "custom", "cron": "0 * * * *"})).is_ok());
    assert!(build(json!({"run_at": "2026-08-01T09:00:00Z"})).is_ok());
    let neither = build(json!({})).unwrap_err().to_string();
    assert_eq!(
        neither,
        "invalid frequency and run_at: none is set; allowed exactly one of frequency or run_at"
    );
    let both = build(json!({"frequency": "daily", "run_at": "2026-08-01T09:00:00Z"}));
    assert!(both
        .unwrap_err()
        .to_string()
        .contains("frequency and run_at are all set"));
}

#[test]
fn open_enums_accept_unknown_values() {
    assert!(build_with("runs.create", "cua_version", json!("v7")).is_ok());
    let request = ready("runs.list")
        .query("status", "paused_new")
        .build(&config());
    assert!(request.is_ok());
    let error = build_with("runs.create", "on_awaiting_human", json!("wait")).unwrap_err();
    assert_eq!(validation_field(error), "on_awaiting_human");
}

#[test]
fn webhook_url_rules() {
    assert!(build_with(
        "runs.create",
        "webhook_url",
        json!("https://h.example.com/x")
    )
    .is_ok());
    assert!(build_with("runs.create", "webhook_url", json!("http://127.0.0.1:9/x")).is_ok());
    for bad in [
        "http://h.example.com/x",
        "https://u:p@h.example.com/x",
        "ftp://h/x",
        "h.example.com",
    ] {
        let error = build_with("runs.create", "webhook_url", json!(bad)).unwrap_err();
        assert_eq!(validation_field(error), "webhook_url", "{bad}");
    }
}

#[test]
fn screenshot_prefix_and_newlines_rejected() {
    let data_url = format!("data:image/png;base64,{}", "A".repeat(200));
    let error = build_with("predict.create", "screenshot", json!(data_url)).unwrap_err();
    assert!(error.to_string().contains("data: prefix"));
    let wrapped = format!("{}\n{}", "A".repeat(76), "A".repeat(76));
    let error = build_with("predict.create", "screenshot", json!(wrapped)).unwrap_err();
    assert!(error.to_string().contains("line breaks"));
    let trajectory = json!([{"screenshot": "short"}]);
    let error = build_with("predict.create", "trajectory", trajectory).unwrap_err();
    assert_eq!(validation_field(error), "trajectory[0].screenshot");
}

// ------------------------------------------------------------ hard limits

/// How a limit is probed: the value of size `n` for a field.
#[derive(Clone, Copy)]
enum Probe {
    /// A string of `n` characters.
    Chars,
    /// The integer `n`.
    Int,
    /// An object of `n` string-valued keys.
    Keys,
    /// An array of `n` valid items (action steps or scope names).
    Items,
    /// An https URL of exactly `n` characters.
    UrlChars,
    /// A base64 screenshot of `n` characters.
    Base64,
}

fn probe_value(probe: Probe, n: i64) -> Value {
    let count = usize::try_from(n).unwrap_or(0);
    match probe {
        Probe::Chars => json!("x".repeat(count)),
        Probe::Int => json!(n),
        Probe::Keys => {
            let object: Map<String, Value> =
                (0..count).map(|i| (format!("k{i}"), json!("v"))).collect();
            Value::Object(object)
        }
        Probe::Items => json!(vec![json!({"command": "click"}); count]),
        Probe::UrlChars => {
            let prefix = "https://h.example.com/";
            json!(format!("{prefix}{}", "p".repeat(count - prefix.len())))
        }
        Probe::Base64 => json!("A".repeat(count)),
    }
}

/// (operation, body field, probe, minimum, maximum): min and max must pass,
/// min-1 and max+1 must fail. A minimum of 0 on a string or list, and the
/// URL minimum (the shortest URL of the probe, not a limit), have no min-1
/// case.
const BODY_LIMITS: &[(&str, &str, Probe, i64, i64)] = &[
    ("runs.create", "task", Probe::Chars, 1, 16_000),
    ("runs.create", "machine_id", Probe::Chars, 1, 128),
    ("runs.create", "instructions", Probe::Chars, 0, 16_000),
    ("runs.create", "system_prompt", Probe::Chars, 0, 32_000),
    ("runs.create", "max_steps", Probe::Int, 1, 1000),
    ("runs.create", "deadline_seconds", Probe::Int, 1, 86_400),
    (
        "runs.create",
        "awaiting_human_timeout_seconds",
        Probe::Int,
        1,
        86_400,
    ),
    ("runs.create", "metadata", Probe::Keys, 0, 50),
    ("runs.create", "webhook_url", Probe::UrlChars, 23, 2048),
    ("runs.resume", "note", Probe::Chars, 0, 2000),
    (
        "predict.create",
        "screenshot",
        Probe::Base64,
        101,
        10_485_760,
    ),
    ("predict.create", "screen_width", Probe::Int, 320, 3840),
    ("predict.create", "screen_height", Probe::Int, 240, 2160),
    ("predict.create", "max_actions", Probe::Int, 1, 10),
    (
        "sessions.create",
        "max_trajectory_length",
        Probe::Int,
        1,
        20,
    ),
    ("sessions.create", "screen_width", Probe::Int, 320, 3840),
    ("ground.create", "screen_height", Probe::Int, 240, 2160),
    ("parse.create", "code", Probe::Chars, 1, 49_999),
    ("keys.create", "name", Probe::Chars, 1, 100),
    ("machines.create", "display_name", Probe::Chars, 1, 64),
    ("machines.create", "cpu_cores", Probe::Int, 1, 16),
    ("machines.create", "memory_gb", Probe::Int, 1, 64),
    ("machines.create", "storage_gb", Probe::Int, 8, 500),
    ("machines.create", "ttl_minutes", Probe::Int, 5, 10_080),
    ("machines.create", "metadata", Probe::Keys, 0, 16),
    ("machines.action", "timeout_ms", Probe::Int, 1000, 120_000),
    ("machines.browser", "timeout_ms", Probe::Int, 1000, 120_000),
    ("machines.terminal", "timeout_ms", Probe::Int, 1000, 120_000),
    ("machines.actionBatch", "steps", Probe::Items, 0, 50),
    ("machines.terminal", "command", Probe::Chars, 1, 8192),
    ("workflows.create", "name", Probe::Chars, 1, 128),
    ("workflows.create", "description", Probe::Chars, 0, 2000),
    ("workflows.update", "name", Probe::Chars, 1, 128),
    ("workflows.start", "budget_cents", Probe::Int, 0, 10_000_000),
    ("workflows.start", "max_iterations", Probe::Int, 1, 100_000),
    ("workflows.start", "deadline_seconds", Probe::Int, 1, 86_400),
    (
        "workflows.startAdHoc",
        "budget_cents",
        Probe::Int,
        0,
        10_000_000,
    ),
    ("schedules.create", "task_prompt", Probe::Chars, 1, 8000),
    ("schedules.create", "day_of_week", Probe::Int, 0, 6),
    ("schedules.create", "day_of_month", Probe::Int, 1, 28),
    (
        "schedules.create",
        "max_consecutive_failures",
        Probe::Int,
        1,
        50,
    ),
    ("schedules.update", "day_of_month", Probe::Int, 1, 28),
    (
        "schedules.createTrigger",
        "rate_limit_per_minute",
        Probe::Int,
        1,
        600,
    ),
];

#[test]
fn body_limits_at_boundaries() {
    for &(id, field, probe, min, max) in BODY_LIMITS {
        let case = format!("{id} {field}");
        assert!(
            build_with(id, field, probe_value(probe, min)).is_ok(),
            "{case} = min"
        );
        assert!(
            build_with(id, field, probe_value(probe, max)).is_ok(),
            "{case} = max"
        );
        let above = build_with(id, field, probe_value(probe, max + 1)).unwrap_err();
        assert_eq!(validation_field(above), field, "{case} = max+1");
        let below_exists = match probe {
            Probe::Int => true,
            Probe::UrlChars => false,
            _ => min > 0,
        };
        if below_exists {
            let below = build_with(id, field, probe_value(probe, min - 1)).unwrap_err();
            assert_eq!(validation_field(below), field, "{case} = min-1");
        }
    }
}

#[test]
fn machine_ttl_update_accepts_zero() {
    for ok in [0, 5, 10_080] {
        assert!(
            build_with("machines.update", "ttl_minutes", json!(ok)).is_ok(),
            "{ok}"
        );
    }
    for bad in [-1, 1, 4, 10_081] {
        let error = build_with("machines.update", "ttl_minutes", json!(bad)).unwrap_err();
        assert_eq!(validation_field(error), "ttl_minutes", "{bad}");
    }
}

#[test]
fn keys_name_not_blank() {
    let error = build_with("keys.create", "name", json!("   ")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid name: only whitespace; allowed 1-100 characters, not only whitespace"
    );
}

#[test]
fn workflow_slug_boundaries() {
    let longest = format!("a{}", "b".repeat(62));
    assert!(build_with("workflows.create", "slug", json!("a")).is_ok());
    assert!(build_with("workflows.create", "slug", json!(longest)).is_ok());
    for bad in [
        String::new(),
        format!("{longest}b"),
        "-a".into(),
        "A".into(),
        "a b".into(),
    ] {
        let error = build_with("workflows.create", "slug", json!(bad)).unwrap_err();
        assert_eq!(validation_field(error), "slug", "{bad:?}");
    }
}

#[test]
fn batch_steps_validated_one_by_one() {
    let steps = json!([{"command": "click"}, {"command": "wait", "timeout_ms": 999}]);
    let error = build_with("machines.actionBatch", "steps", steps).unwrap_err();
    assert_eq!(validation_field(error), "steps[1].timeout_ms");
    let steps = json!([{"parameters": {}}]);
    let error = build_with("machines.actionBatch", "steps", steps).unwrap_err();
    assert_eq!(validation_field(error), "steps[0].command");
}

#[test]
fn list_limit_boundaries() {
    let lists = [
        "runs.list",
        "machines.list",
        "workflows.list",
        "workflows.listRuns",
    ];
    for id in lists
        .into_iter()
        .chain(["schedules.list", "schedules.listRuns"])
    {
        for ok in ["1", "200"] {
            assert!(
                ready(id).query("limit", ok).build(&config()).is_ok(),
                "{id} {ok}"
            );
        }
        for bad in ["0", "201", "-1", "ten", "1.5"] {
            let error = ready(id).query("limit", bad).build(&config()).unwrap_err();
            assert_eq!(validation_field(error), "limit", "{id} {bad}");
        }
    }
}

#[test]
fn usage_period_is_year_month() {
    let request = ready("usage.get")
        .query("period", "2026-07")
        .build(&config())
        .unwrap();
    assert_eq!(request.url, format!("{BASE}/usage?period=2026-07"));
    let error = ready("usage.get")
        .query("period", "2026-13")
        .build(&config())
        .unwrap_err();
    assert_eq!(validation_field(error), "period");
}

#[test]
fn idempotency_key_boundaries() {
    let longest = "k".repeat(128);
    for ok in ["k", longest.as_str(), "order:42_retry-A"] {
        let request = ready("machines.create")
            .idempotency_key(ok)
            .build(&config())
            .unwrap();
        assert_eq!(request.header("Idempotency-Key"), Some(ok));
    }
    let too_long = "k".repeat(129);
    for bad in ["", too_long.as_str(), "has space", "slash/key", "é"] {
        let error = ready("machines.create")
            .idempotency_key(bad)
            .build(&config())
            .unwrap_err();
        assert_eq!(validation_field(error), "Idempotency-Key", "{bad:?}");
    }
}

#[test]
fn idempotency_key_only_on_post() {
    for id in [
        "runs.get",
        "workflows.update",
        "machines.update",
        "keys.revoke",
    ] {
        let error = ready(id)
            .idempotency_key("k1")
            .build(&config())
            .unwrap_err();
        assert!(
            error.to_string().contains("not accepted by"),
            "{id}: {error}"
        );
    }
    let accepted = ready("predict.create")
        .idempotency_key("k1")
        .build(&config())
        .unwrap();
    assert_eq!(accepted.idempotency_key.as_deref(), Some("k1"));
    assert_eq!(
        operation("predict.create").unwrap().idempotency,
        Idempotency::Accepted
    );
    assert_eq!(
        operation("runs.create").unwrap().idempotency,
        Idempotency::Honoured
    );
}

#[test]
fn random_idempotency_keys_build() {
    let key = idempotency_key_from_random(&[7; 16]);
    let request = ready("runs.create")
        .idempotency_key(key.clone())
        .build(&config())
        .unwrap();
    assert_eq!(request.idempotency_key, Some(key));
}

// ------------------------------------------------------ paths and queries

#[test]
fn path_params_percent_encoded() {
    let request = RequestBuilder::new("runs.get")
        .unwrap()
        .path_param("id", "run/1")
        .build(&config())
        .unwrap();
    assert_eq!(request.url, format!("{BASE}/runs/run%2F1"));
    let request = ready("sessions.get")
        .path_param("id", "ses 1?#é")
        .build(&config())
        .unwrap();
    assert_eq!(request.url, format!("{BASE}/sessions/ses%201%3F%23%C3%A9"));
}

#[test]
fn path_param_missing_empty_or_unknown() {
    let error = RequestBuilder::new("runs.get")
        .unwrap()
        .build(&config())
        .unwrap_err();
    assert_eq!(error.code(), "MISSING_PATH_PARAM");
    assert_eq!(
        error.to_string(),
        "missing path parameter id for runs.get; pass a non-empty id \
         (pathParams.id in JavaScript, path_param in Rust)"
    );
    let error = ready("runs.get")
        .path_param("id", "")
        .build(&config())
        .unwrap_err();
    assert_eq!(error.code(), "MISSING_PATH_PARAM");
    let error = ready("runs.get")
        .path_param("run_id", "r")
        .build(&config())
        .unwrap_err();
    assert_eq!(validation_field(error), "run_id");
    for dots in [".", ".."] {
        let error = ready("runs.get")
            .path_param("id", dots)
            .build(&config())
            .unwrap_err();
        assert_eq!(validation_field(error), "id", "{dots}");
    }
    let request = ready("runs.get")
        .path_param("id", "...")
        .build(&config())
        .unwrap();
    assert_eq!(request.url, format!("{BASE}/runs/..."));
}

#[test]
fn path_param_rules_from_table() {
    let error = ready("keys.revoke")
        .path_param("key_id", "key:1")
        .build(&config())
        .unwrap_err();
    assert_eq!(validation_field(error), "key_id");
    let long_id = "k".repeat(129);
    let error = ready("keys.revoke")
        .path_param("key_id", &long_id)
        .build(&config())
        .unwrap_err();
    assert_eq!(validation_field(error), "key_id");
    let error = ready("machines.browser")
        .path_param("op", "eval")
        .build(&config())
        .unwrap_err();
    assert_eq!(validation_field(error), "op");
    let request = ready("idempotency.get")
        .path_param("key", "order:42")
        .build(&config())
        .unwrap();
    assert_eq!(request.url, format!("{BASE}/idempotency/order%3A42"));
}

#[test]
fn query_percent_encoded() {
    let request = ready("schedules.listRuns")
        .query("cursor", "a/b c&d=e")
        .query("status", "failed")
        .build(&config())
        .unwrap();
    let expected = format!("{BASE}/schedules/id_1/runs?cursor=a%2Fb%20c%26d%3De&status=failed");
    assert_eq!(request.url, expected);
    let request = ready("runs.list")
        .query("x y", "1")
        .query("limit", "5")
        .query("x y", "2");
    assert_eq!(
        request.build(&config()).unwrap().url,
        format!("{BASE}/runs?x%20y=2&limit=5")
    );
    let error = ready("runs.list")
        .query("", "1")
        .build(&config())
        .unwrap_err();
    assert_eq!(validation_field(error), "query");
}

// ----------------------------------------------------------------- headers

#[test]
fn extra_headers_checked() {
    let request = ready("runs.create")
        .header("X-LLM-Provider", "anthropic")
        .header("X-LLM-Api-Key", &"s".repeat(16))
        .build(&config())
        .unwrap();
    assert_eq!(request.header("x-llm-provider"), Some("anthropic"));

    let cases = [
        ("X-LLM-Provider", "anthropic\r\nX-Evil: 1", "CR, LF or NUL"),
        ("X-Note", "bell\u{7}", "control or non-ASCII"),
        ("Bad Name", "plain-value-123", "not a valid header name"),
        ("x-api-key", "other-key-123", "ClientConfig"),
        ("Authorization", "Bearer other", "ClientConfig"),
        ("Idempotency-Key", "key-123", "idempotency_key()"),
        ("Content-Type", "text/plain", "set by the builder"),
        ("X-LLM-Api-Key", "short", "has 5 characters; allowed 16-512"),
    ];
    for (name, value, problem) in cases {
        let error = ready("runs.create")
            .header(name, value)
            .build(&config())
            .unwrap_err();
        assert_eq!(error.code(), "INVALID_HEADER", "{name}");
        assert!(error.to_string().contains(problem), "{name}: {error}");
        assert!(!error.to_string().contains(value), "{name}: value leaked");
    }
    let long = "s".repeat(513);
    let error = ready("runs.create")
        .header("X-LLM-Api-Key", &long)
        .build(&config());
    assert_eq!(error.unwrap_err().code(), "INVALID_HEADER");
}

#[test]
fn accept_header_can_be_replaced() {
    let request = ready("predict.create")
        .header("accept", "text/event-stream")
        .build(&config())
        .unwrap();
    assert_eq!(request.header("Accept"), Some("text/event-stream"));
    let accepts = request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("accept"));
    assert_eq!(accepts.count(), 1);
}

// ------------------------------------------------------- secrets and curl

#[test]
fn debug_output_never_contains_key() {
    let request = ready("llmKeys.put")
        .body(to_json(json!({"api_key": "sk-ant-provider-secret-value"})))
        .header("X-LLM-Api-Key", "sk-openai-header-secret-value")
        .build(&config())
        .unwrap();
    let debug_text = format!("{request:?}");
    assert!(!debug_text.contains(KEY), "{debug_text}");
    assert!(!debug_text.contains("provider-secret"), "{debug_text}");
    assert!(!debug_text.contains("header-secret"), "{debug_text}");
    assert!(debug_text.contains("X-API-Key"), "{debug_text}");

    let api_key = ApiKey::new(KEY).unwrap();
    assert_eq!(format!("{api_key:?}"), "ApiKey(sk-coasty-test-…redacted)");
    assert!(!format!("{:?}", config()).contains(&KEY[15..]));
    let builder = ready("runs.create").header("X-LLM-Api-Key", "sk-openai-header-secret-value");
    assert!(!format!("{builder:?}").contains("header-secret"));
}

#[test]
fn curl_redacts_secrets() {
    let request = ready("runs.create")
        .idempotency_key("order-42")
        .header("X-LLM-Api-Key", "sk-openai-header-secret-value")
        .build(&config())
        .unwrap();
    let curl = request.to_curl(false);
    assert!(!curl.contains(KEY), "{curl}");
    assert!(!curl.contains("header-secret"), "{curl}");
    assert!(
        curl.starts_with("curl --request POST 'http://127.0.0.1:8787/v1/runs' "),
        "{curl}"
    );
    assert!(
        curl.contains("--header \"X-API-Key: $COASTY_API_KEY\""),
        "{curl}"
    );
    assert!(
        curl.contains("--header \"X-LLM-Api-Key: $LLM_API_KEY\""),
        "{curl}"
    );
    assert!(
        curl.contains("--header 'Idempotency-Key: order-42'"),
        "{curl}"
    );
    assert!(
        curl.contains("--data-binary '{\"machine_id\":\"a\",\"task\":\"a\"}'"),
        "{curl}"
    );

    let revealed = request.to_curl(true);
    assert!(
        revealed.contains(&format!("--header 'X-API-Key: {KEY}'")),
        "{revealed}"
    );

    let bearer = ready("runs.list").build(&config().with_auth_scheme(AuthScheme::Bearer));
    let curl = bearer.unwrap().to_curl(false);
    assert!(
        curl.contains("--header \"Authorization: Bearer $COASTY_API_KEY\""),
        "{curl}"
    );
}

#[test]
fn curl_redacts_secret_body_fields_and_quotes() {
    let request = ready("llmKeys.put")
        .path_param("provider", "openai")
        .body(to_json(json!({"api_key": "sk-provider-secret"})))
        .build(&config())
        .unwrap();
    let curl = request.to_curl(false);
    assert!(!curl.contains("sk-provider-secret"), "{curl}");
    assert!(
        curl.contains(r#"--data-binary '{"api_key":"[redacted]"}'"#),
        "{curl}"
    );
    assert!(request.to_curl(true).contains("sk-provider-secret"));

    let request = build_with("runs.create", "task", json!("it's done")).unwrap();
    assert!(request.to_curl(false).contains(r#""task":"it'\''s done""#));
    let stream = ready("runs.events")
        .build(&config())
        .unwrap()
        .to_curl(false);
    assert!(
        stream.starts_with("curl --no-buffer --request GET"),
        "{stream}"
    );
}

#[test]
fn secret_field_errors_hide_value() {
    let error = ready("llmKeys.put")
        .body(to_json(json!({"api_key": 12345})))
        .build(&config());
    let error = error.unwrap_err();
    assert!(!error.to_string().contains("12345"));
    match error {
        BuildError::Validation(error) => assert_eq!(error.value, "[redacted]"),
        other => panic!("{other:?}"),
    }
}

// ----------------------------------------------------------------- credits

#[test]
fn credit_formatting() {
    assert_eq!(format_dollars(1234), "$12.34");
    assert_eq!(format_dollars(-1), "-$0.01");
    assert_eq!(format_dollars(100_000_000_000), "$1000000000.00");
    assert_eq!(parse_dollars("12.34"), Ok(1234));
    assert_eq!(parse_dollars("0.1"), Ok(10));
    let error = parse_dollars("1.005").unwrap_err();
    assert!(error
        .to_string()
        .starts_with("invalid amount: more than two decimals"));
}

#[test]
fn run_cost_estimates() {
    let estimate = estimate_run_cost(None, Some("v3"));
    assert_eq!(estimate.steps, 50);
    assert_eq!(estimate.per_step_credits, Some(5));
    assert_eq!(estimate.max_credits, Some(250));
    assert!(estimate.known);
    assert!(estimate.basis.starts_with("estimate of the worst case"));

    let estimate = estimate_run_cost(Some(1000), Some("v4"));
    assert_eq!(estimate.max_credits, Some(5000));
    let estimate = estimate_run_cost(Some(10), Some("v1"));
    assert_eq!(estimate.max_credits, Some(80));
    assert_eq!(estimate_run_cost(Some(5000), Some("v3")).steps, 1000);
    assert_eq!(estimate_run_cost(Some(0), Some("v3")).steps, 1);

    for version in [None, Some("v5"), Some("v9")] {
        let estimate = estimate_run_cost(Some(10), version);
        assert!(!estimate.known, "{version:?}");
        assert_eq!(estimate.per_step_credits, None, "{version:?}");
        assert_eq!(estimate.max_credits, None, "{version:?}");
        assert!(estimate.basis.starts_with("no estimate"), "{version:?}");
    }
}

#[test]
fn request_cost_estimates() {
    let small = PredictCostInput {
        screen_width: Some(1280),
        screen_height: Some(720),
        ..PredictCostInput::default()
    };
    assert_eq!(estimate_predict_cost(&small).credits, 5);
    assert_eq!(estimate_session_predict_cost(&small).credits, 4);

    let default_size = estimate_predict_cost(&PredictCostInput::default());
    assert_eq!(default_size.credits, 6);
    assert_eq!(default_size.surcharge_credits, 1);

    let everything = PredictCostInput {
        cua_version: Some("v1"),
        screen_width: Some(1281),
        screen_height: Some(720),
        trajectory_screenshots: 2,
        system_prompt_chars: 501,
    };
    let estimate = estimate_predict_cost(&everything);
    assert_eq!(estimate.base_credits, 5);
    assert_eq!(estimate.surcharge_credits, 4 + 3 + 3 + 1);
    assert_eq!(estimate.credits, 16);
    assert!(estimate.basis.starts_with("estimate"));

    let prompt_500 = PredictCostInput {
        system_prompt_chars: 500,
        ..small
    };
    assert_eq!(estimate_predict_cost(&prompt_500).credits, 5);
    let tall = PredictCostInput {
        screen_height: Some(721),
        ..small
    };
    assert_eq!(estimate_session_predict_cost(&tall).credits, 5);

    assert_eq!(estimate_session_create_cost().credits, 10);
    assert_eq!(estimate_ground_cost(1280, 720).credits, 3);
    assert_eq!(estimate_ground_cost(1920, 1080).credits, 4);
    assert_eq!(estimate_parse_cost().credits, 0);
    assert!(estimate_parse_cost().basis.starts_with("estimate"));
}

// ------------------------------------------------------------ body bytes

#[test]
fn body_sent_exactly_as_written() {
    let text = r#"{"task":"Open example.com","machine_id":"mch_1","max_steps":2.0e1}"#;
    let request = RequestBuilder::new("runs.create")
        .unwrap()
        .body(Json::parse(text).unwrap())
        .build(&config())
        .unwrap();
    assert_eq!(request.body.as_deref(), Some(text.as_bytes()));
}

#[test]
fn repeated_body_field_rejected() {
    let text = r#"{"machine_id":"mch_1","task":"ok","task":""}"#;
    let error = RequestBuilder::new("runs.create")
        .unwrap()
        .body(Json::parse(text).unwrap())
        .build(&config())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid task: appears 2 times; allowed each field once"
    );
}

#[test]
fn curl_redaction_keeps_key_order() {
    let text = r#"{"zeta":1,"api_key":"sk-provider-secret-123","alpha":2.50}"#;
    let request = ready("llmKeys.put")
        .body(Json::parse(text).unwrap())
        .build(&config())
        .unwrap();
    let curl = request.to_curl(false);
    assert!(
        curl.ends_with(r#"--data-binary '{"zeta":1,"api_key":"[redacted]","alpha":2.50}'"#),
        "{curl}"
    );
}

#[test]
fn event_cursor_has_no_upper_limit() {
    for after in ["0", "2147483648", "99999999999999999999999"] {
        let request = ready("runs.events").query("after", after).build(&config());
        assert!(request.is_ok(), "{after}");
    }
    let error = ready("runs.events")
        .query("after", "-1")
        .build(&config())
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "invalid after: -1; allowed integers of at least 0"
    );
}

#[test]
fn invalid_header_name_escaped() {
    let error = ready("runs.list")
        .header("X-Evil\r\nSet-Cookie", "v")
        .build(&config())
        .unwrap_err();
    match error {
        BuildError::InvalidHeader { name, .. } => assert_eq!(name, "X-Evil\\r\\nSet-Cookie"),
        other => panic!("expected an invalid header, got {other:?}"),
    }
}
