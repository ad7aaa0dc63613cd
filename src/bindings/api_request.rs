//! Bindings for request building, curl rendering, the operation table,
//! idempotency keys and cost estimates.
//!
//! Structured data crosses as JSON text: the JS layer calls `JSON.stringify`
//! on the way in and `JSON.parse` on the way out. Error messages name the
//! option and the JSON type that was passed, never the value, because header
//! values and the API key are secrets.

mod estimate;
mod table;
mod writer;

use wasm_bindgen::prelude::*;

use crate::api::operation::{operation, Idempotency, Method};
use crate::api::request::{
    idempotency_key_from_random, ApiKey, AuthScheme, BuildError, ClientConfig, HttpRequest,
    RequestBuilder,
};
use crate::api::scope::{required_scope, required_scope_for};
use crate::api::validate::{quote_text, render_value};
use crate::json::Json;
use writer::JsonWriter;

/// Why `buildRequest` failed: bad options from the JS layer, or a request
/// that the builder rejects.
enum Failure {
    /// A message for the `INVALID_ARGUMENT` code.
    Argument(String),
    /// An error from the core builder.
    Build(BuildError),
}

impl From<BuildError> for Failure {
    fn from(error: BuildError) -> Self {
        Failure::Build(error)
    }
}

/// Builds an HTTP request for an operation such as `runs.create`.
///
/// `request_json` is `{config?: {baseUrl?, apiKey?, authScheme?: "x-api-key"
/// | "bearer"}, pathParams?, query?, body?, idempotencyKey?, headers?}`.
/// Without `baseUrl` the request goes to `https://coasty.ai/v1`. Path
/// parameter, query and header values may be strings, numbers or booleans,
/// and a null value is left out.
///
/// Returns `{ok: true, request: {operation, method, url, headers: [[name,
/// value], ...], body (string or null), idempotencyKey, scope, streams,
/// idempotency}}` or `{ok: false, error: {code, message, field?, value?,
/// problem?, allowed?}}`, where `value` of a secret field is `[redacted]`
/// and `code` is `INVALID_ARGUMENT` for options of the wrong shape.
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request_js(operation_id: &str, request_json: &str) -> String {
    let mut writer = JsonWriter::new();
    writer.open('{');
    match build_request(operation_id, request_json) {
        Ok((request, scope)) => {
            writer.key("ok").boolean(true).key("request");
            write_request(&mut writer, request, scope);
        }
        Err(failure) => {
            writer.key("ok").boolean(false).key("error");
            write_failure(&mut writer, failure);
        }
    }
    writer.close('}').finish()
}

fn build_request(
    operation_id: &str,
    request_json: &str,
) -> Result<(HttpRequest, Option<&'static str>), Failure> {
    let request = Json::parse(request_json).map_err(|error| {
        Failure::Argument(["invalid request options: ", &error.to_string()].concat())
    })?;
    let Json::Object(members) = &request else {
        return Err(wrong_type("request options", "an object", &request));
    };
    let mut builder = RequestBuilder::new(operation_id)?;
    let mut config = ClientConfig::default();
    let mut body = None;
    let mut path_op = None;

    for (key, value) in members {
        match key.as_str() {
            "config" => config = read_config(value)?,
            "body" => body = Some(value),
            "pathParams" | "query" | "headers" => {
                for (name, value) in object_members(value, key)? {
                    let text = match value {
                        Json::Null => continue,
                        Json::String(text) | Json::Number(text) => text.as_str(),
                        Json::Bool(true) => "true",
                        Json::Bool(false) => "false",
                        _ => {
                            let option = [key, ".", name].concat();
                            return Err(wrong_type(&option, "a string, number or boolean", value));
                        }
                    };
                    builder = match key.as_str() {
                        "pathParams" => {
                            if name == "op" {
                                path_op = Some(text);
                            }
                            builder.path_param(name, text)
                        }
                        "query" => builder.query(name, text),
                        _ => builder.header(name, text),
                    };
                }
            }
            "idempotencyKey" => match value {
                Json::Null => {}
                Json::String(key) => builder = builder.idempotency_key(key.as_str()),
                other => return Err(wrong_type("idempotencyKey", "a string", other)),
            },
            _ => {
                return Err(unknown_option(
                    key,
                    "config, pathParams, query, body, idempotencyKey or headers",
                ))
            }
        }
    }

    let scope = required_scope_for(operation_id, body, path_op);
    if let Some(body) = body {
        builder = builder.body(body.clone());
    }
    Ok((builder.build(&config)?, scope))
}

fn read_config(config: &Json) -> Result<ClientConfig, Failure> {
    let (mut base_url, mut api_key, mut scheme) = (None, None, AuthScheme::ApiKeyHeader);
    for (key, value) in object_members(config, "config")? {
        match (key.as_str(), value) {
            (_, Json::Null) => {}
            ("baseUrl", Json::String(url)) => base_url = Some(url),
            ("apiKey", Json::String(key)) => api_key = Some(ApiKey::new(key.as_str())?),
            ("authScheme", Json::String(name)) if name == "x-api-key" => {}
            ("authScheme", Json::String(name)) if name == "bearer" => scheme = AuthScheme::Bearer,
            ("authScheme", other) => {
                return Err(Failure::Argument(
                    [
                        "invalid config.authScheme ",
                        &render_value(other),
                        ": expected \"x-api-key\" or \"bearer\"",
                    ]
                    .concat(),
                ))
            }
            ("baseUrl" | "apiKey", other) => {
                return Err(wrong_type(&["config.", key].concat(), "a string", other))
            }
            _ => {
                let option = ["config.", key].concat();
                return Err(unknown_option(&option, "baseUrl, apiKey or authScheme"));
            }
        }
    }
    let mut config = match base_url {
        Some(url) => ClientConfig::new(url)?,
        None => ClientConfig::default(),
    };
    if let Some(key) = api_key {
        config = config.with_api_key(key);
    }
    Ok(config.with_auth_scheme(scheme))
}

/// Returns the members of an object option, or none for null.
fn object_members<'a>(value: &'a Json, option: &str) -> Result<&'a [(String, Json)], Failure> {
    match value {
        Json::Object(members) => Ok(members),
        Json::Null => Ok(&[]),
        other => Err(wrong_type(option, "an object", other)),
    }
}

fn unknown_option(key: &str, expected: &str) -> Failure {
    Failure::Argument(["unknown option ", &quote_text(key), "; expected ", expected].concat())
}

fn wrong_type(option: &str, expected: &str, value: &Json) -> Failure {
    Failure::Argument(
        [
            "invalid ",
            option,
            ": expected ",
            expected,
            ", got ",
            value.type_name(),
        ]
        .concat(),
    )
}

fn write_failure(writer: &mut JsonWriter, failure: Failure) {
    writer.open('{');
    let error = match failure {
        Failure::Argument(message) => {
            writer.key("code").string("INVALID_ARGUMENT");
            writer.key("message").string(&message);
            writer.close('}');
            return;
        }
        Failure::Build(error) => error,
    };
    writer.key("code").string(error.code());
    writer.key("message").string(&error.to_string());
    match error {
        BuildError::Validation(error) => {
            writer.key("field").string(&error.field);
            writer.key("value").string(&error.value);
            writer.key("problem").string(&error.problem);
            writer.key("allowed").string(&error.allowed);
        }
        BuildError::MissingPathParam { name, .. } | BuildError::InvalidHeader { name, .. } => {
            writer.key("field").string(&name);
        }
        _ => {}
    }
    writer.close('}');
}

fn write_request(writer: &mut JsonWriter, request: HttpRequest, scope: Option<&str>) {
    // `build` found the operation, so the lookup succeeds.
    let operation = operation(request.operation);
    let idempotency = match operation.map(|operation| operation.idempotency) {
        Some(Idempotency::Honoured) => "honoured",
        Some(Idempotency::Accepted) => "accepted",
        _ => "not_accepted",
    };
    writer.open('{');
    writer.key("operation").string(request.operation);
    writer.key("method").string(request.method.as_str());
    writer.key("url").string(&request.url);
    writer.key("headers").open('[');
    for (name, value) in &request.headers {
        writer.open('[').string(name).string(value).close(']');
    }
    writer.close(']');
    // The builder writes the body with the JSON writer, so it is UTF-8.
    let body = request.body.as_deref().map(String::from_utf8_lossy);
    writer.key("body").optional_string(body.as_deref());
    let key = request.idempotency_key.as_deref();
    writer.key("idempotencyKey").optional_string(key);
    writer.key("scope").optional_string(scope);
    let streams = operation.is_some_and(|operation| operation.streams);
    writer.key("streams").boolean(streams);
    writer.key("idempotency").string(idempotency);
    writer.close('}');
}

/// Renders a request from `buildRequest` (its `request` object) as a curl
/// command; see `HttpRequest::to_curl`. Unless `reveal_secrets`, the API key
/// and other secret headers show shell variables and secret body fields show
/// `[redacted]`.
///
/// Throws a message string when `request_json` is not such an object.
#[wasm_bindgen(js_name = toCurl)]
pub fn to_curl_js(request_json: &str, reveal_secrets: bool) -> Result<String, JsValue> {
    match read_request(request_json) {
        Some(request) => Ok(request.to_curl(reveal_secrets)),
        None => Err(JsValue::from_str(
            "invalid request: pass the request object that buildRequest returned",
        )),
    }
}

fn read_request(request_json: &str) -> Option<HttpRequest> {
    let request = Json::parse(request_json).ok()?;
    let text = |name: &str| request.get(name).and_then(Json::as_str);
    let optional_text = |name: &str| match request.get(name) {
        None | Some(Json::Null) => Some(None),
        Some(value) => value.as_str().map(|text| Some(text.to_string())),
    };
    let method = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Patch,
        Method::Delete,
    ]
    .into_iter()
    .find(|method| Some(method.as_str()) == text("method"))?;
    let mut headers = Vec::new();
    for pair in request.get("headers")?.as_array()? {
        let [Json::String(name), Json::String(value)] = pair.as_array()? else {
            return None;
        };
        headers.push((name.clone(), value.clone()));
    }
    Some(HttpRequest {
        operation: operation(text("operation")?)?.id,
        method,
        url: text("url")?.to_string(),
        headers,
        body: optional_text("body")?.map(String::into_bytes),
        idempotency_key: optional_text("idempotencyKey")?,
    })
}

/// Returns the scope an operation needs when its body and path are unknown,
/// or `undefined`; see `required_scope` in the core.
#[wasm_bindgen(js_name = requiredScope)]
pub fn required_scope_js(operation_id: &str) -> Option<String> {
    required_scope(operation_id).map(str::to_string)
}

/// Formats 16 random bytes as an idempotency key (`coasty_` and 32 hex
/// digits). Throws a message string for any other length.
#[wasm_bindgen(js_name = idempotencyKeyFromRandom)]
pub fn idempotency_key_from_random_js(bytes: &[u8]) -> Result<String, JsValue> {
    match <&[u8; 16]>::try_from(bytes) {
        Ok(bytes) => Ok(idempotency_key_from_random(bytes)),
        Err(_) => Err(JsValue::from_str(
            "invalid random bytes: expected exactly 16; pass \
             crypto.getRandomValues(new Uint8Array(16))",
        )),
    }
}
