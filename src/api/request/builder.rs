//! The request builder: collects path parameters, query, body and headers,
//! then checks them all in [`RequestBuilder::build`].

use super::http::percent_encode;
use super::{
    AuthScheme, BuildError, ClientConfig, HttpRequest, API_KEY_HEADER, IDEMPOTENCY_KEY_HEADER,
    LLM_API_KEY_HEADER,
};
use crate::api::operation::{operation, BodyRule, Idempotency, Operation};
use crate::api::validate::{
    render_value, validate_body, validate_query_value, validate_value, FieldKind, Pattern,
    ValidationError,
};
use crate::json::Json;
use std::fmt;

/// Builds one [`HttpRequest`] for one operation.
///
/// Every method consumes and returns the builder. Nothing is checked until
/// [`build`](Self::build), which reports the first problem as a
/// [`BuildError`].
///
/// ```
/// use coasty::api::request::{ApiKey, ClientConfig, RequestBuilder};
///
/// let config = ClientConfig::new("http://127.0.0.1:8787/v1")
///     .unwrap()
///     .with_api_key(ApiKey::new("sk-coasty-test-0123").unwrap());
/// let request = RequestBuilder::new("runs.cancel")
///     .unwrap()
///     .path_param("id", "run_1")
///     .build(&config)
///     .unwrap();
/// assert_eq!(request.url, "http://127.0.0.1:8787/v1/runs/run_1/cancel");
/// assert!(request.body.is_none());
/// ```
#[derive(Clone)]
pub struct RequestBuilder {
    operation: &'static Operation,
    path_params: Vec<(String, String)>,
    query: Vec<(String, String)>,
    body: Option<Json>,
    idempotency_key: Option<String>,
    headers: Vec<(String, String)>,
}

impl RequestBuilder {
    /// Starts a request for the operation with this id, such as
    /// `runs.create`.
    ///
    /// # Errors
    ///
    /// Returns [`BuildError::UnknownOperation`] for an unknown id.
    pub fn new(operation_id: &str) -> Result<Self, BuildError> {
        let operation = operation(operation_id).ok_or_else(|| BuildError::UnknownOperation {
            id: operation_id.chars().take(100).collect(),
        })?;
        Ok(RequestBuilder {
            operation,
            path_params: Vec::new(),
            query: Vec::new(),
            body: None,
            idempotency_key: None,
            headers: Vec::new(),
        })
    }

    /// Returns the operation this builder builds.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// Sets the path parameter `{name}`. The value is percent-encoded, so
    /// `run/1` becomes `run%2F1`. Setting a name again replaces its value.
    pub fn path_param(mut self, name: &str, value: &str) -> Self {
        set(&mut self.path_params, name, value);
        self
    }

    /// Sets a query parameter. The name and value are percent-encoded.
    /// Setting a name again replaces its value.
    pub fn query(mut self, name: &str, value: &str) -> Self {
        set(&mut self.query, name, value);
        self
    }

    /// Sets the JSON body. It is sent exactly as given, with its key order
    /// and number text, so a field left out is absent from the request. A
    /// `null` body counts as no body, except for `triggers.webhook`, which
    /// sends any JSON value.
    pub fn body(mut self, body: Json) -> Self {
        self.body = Some(body);
        self
    }

    /// Sets the `Idempotency-Key` header: 1-128 characters from
    /// `[A-Za-z0-9_:-]`, on POST operations only.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Adds an extra header, such as `X-LLM-Provider`. Setting a name again
    /// replaces its value, and an `Accept` header replaces the default one.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let existing = self
            .headers
            .iter_mut()
            .find(|(known, _)| known.eq_ignore_ascii_case(name));
        match existing {
            Some(entry) => entry.1 = value.to_string(),
            None => self.headers.push((name.to_string(), value.to_string())),
        }
        self
    }

    /// Checks everything and builds the request for `config`.
    ///
    /// # Errors
    ///
    /// Returns the first problem found, in this order: path parameters
    /// ([`BuildError::MissingPathParam`] or a validation error), query,
    /// body, idempotency key, API key ([`BuildError::MissingApiKey`]), and
    /// extra headers ([`BuildError::InvalidHeader`]).
    pub fn build(self, config: &ClientConfig) -> Result<HttpRequest, BuildError> {
        let operation = self.operation;
        let path = self.fill_path()?;
        let query = self.encode_query()?;

        let body = self
            .body
            .filter(|value| !value.is_null() || operation.body == BodyRule::AnyJson);
        validate_body(operation, body.as_ref())?;
        let idempotency_key = check_idempotency_key(operation, self.idempotency_key)?;

        let accept = if operation.streams {
            "text/event-stream"
        } else {
            "application/json"
        };
        let mut headers = vec![("Accept".to_string(), accept.to_string())];
        if operation.api_key {
            let key = config.api_key().ok_or(BuildError::MissingApiKey {
                operation: operation.id,
            })?;
            headers.push(match config.auth_scheme() {
                AuthScheme::ApiKeyHeader => {
                    (API_KEY_HEADER.to_string(), key.expose_secret().to_string())
                }
                AuthScheme::Bearer => (
                    "Authorization".to_string(),
                    "Bearer ".to_string() + key.expose_secret(),
                ),
            });
        }
        if body.is_some() {
            headers.push(("Content-Type".into(), "application/json".into()));
        }
        if let Some(key) = &idempotency_key {
            headers.push((IDEMPOTENCY_KEY_HEADER.to_string(), key.clone()));
        }
        for (name, value) in self.headers {
            check_extra_header(&name, &value)?;
            if name.eq_ignore_ascii_case("Accept") {
                headers[0].1 = value;
            } else {
                headers.push((name, value));
            }
        }

        Ok(HttpRequest {
            operation: operation.id,
            method: operation.method,
            url: format!("{}{path}{query}", config.base_url()),
            headers,
            body: body.map(|value| value.to_string().into_bytes()),
            idempotency_key,
        })
    }

    fn fill_path(&self) -> Result<String, BuildError> {
        let operation = self.operation;
        let names: Vec<&str> = operation
            .path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
            .collect();
        if let Some((unknown, _)) = self
            .path_params
            .iter()
            .find(|(name, _)| !names.contains(&name.as_str()))
        {
            return Err(ValidationError::new(
                unknown.chars().take(100).collect::<String>(),
                "",
                format!("not a path parameter of {}", operation.id),
                format!("the parameters in {}", operation.path),
            )
            .into());
        }

        let mut path = String::new();
        for segment in operation.path.split('/').skip(1) {
            path.push('/');
            let Some(name) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) else {
                path.push_str(segment);
                continue;
            };
            let value = self.path_params.iter().find(|(known, _)| known == name);
            let value = match value {
                Some((_, value)) if !value.is_empty() => value,
                _ => {
                    return Err(BuildError::MissingPathParam {
                        operation: operation.id,
                        name: name.to_string(),
                    })
                }
            };
            check_path_value(operation, name, value)?;
            path.push_str(&percent_encode(value));
        }
        Ok(path)
    }

    fn encode_query(&self) -> Result<String, BuildError> {
        let mut query = String::new();
        for (name, value) in &self.query {
            if name.is_empty() {
                return Err(ValidationError::new(
                    "query",
                    "",
                    "a parameter with an empty name",
                    "non-empty parameter names",
                )
                .into());
            }
            let field = self.operation.query.iter().find(|f| f.name == name);
            if let Some(field) = field {
                validate_query_value(field, value)?;
            }
            query.push(if query.is_empty() { '?' } else { '&' });
            query.push_str(&percent_encode(name));
            query.push('=');
            query.push_str(&percent_encode(value));
        }
        Ok(query)
    }
}

impl fmt::Debug for RequestBuilder {
    /// Shows everything except header values and the body, either of which
    /// may carry a secret.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("RequestBuilder")
            .field("operation", &self.operation.id)
            .field("path_params", &self.path_params)
            .field("query", &self.query)
            .field("body_set", &self.body.is_some())
            .field("idempotency_key", &self.idempotency_key)
            .field("header_names", &header_names)
            .finish()
    }
}

fn set(pairs: &mut Vec<(String, String)>, name: &str, value: &str) {
    match pairs.iter_mut().find(|(known, _)| known == name) {
        Some(entry) => entry.1 = value.to_string(),
        None => pairs.push((name.to_string(), value.to_string())),
    }
}

/// Rejects dot segments, which URL parsers resolve even when encoded
/// (`%2E%2E`), and applies the operation's extra rule for the parameter.
fn check_path_value(operation: &Operation, name: &str, value: &str) -> Result<(), BuildError> {
    let text = Json::from(value);
    if value == "." || value == ".." {
        return Err(ValidationError::new(
            name,
            render_value(&text),
            "a dot segment, which would change the URL path",
            "any other non-empty value",
        )
        .into());
    }
    if let Some(rule) = operation.path_params.iter().find(|f| f.name == name) {
        validate_value(name, &rule.kind, &text)?;
    }
    Ok(())
}

fn check_idempotency_key(
    operation: &Operation,
    key: Option<String>,
) -> Result<Option<String>, BuildError> {
    let Some(key) = key else {
        return Ok(None);
    };
    if operation.idempotency == Idempotency::NotAccepted {
        return Err(ValidationError::new(
            IDEMPOTENCY_KEY_HEADER,
            "",
            format!(
                "not accepted by {} ({})",
                operation.id,
                operation.method.as_str()
            ),
            "a key only on POST operations, except triggers.webhook",
        )
        .into());
    }
    let kind = FieldKind::Pattern(Pattern::IdempotencyKey);
    validate_value(IDEMPOTENCY_KEY_HEADER, &kind, &Json::from(key.as_str()))?;
    Ok(Some(key))
}

/// Header names the builder sets itself, with the way to set them.
const RESERVED_HEADERS: [(&str, &str); 6] = [
    (
        API_KEY_HEADER,
        "is set from ClientConfig; pass the API key there",
    ),
    (
        "Authorization",
        "is set from ClientConfig; pass the API key there",
    ),
    (IDEMPOTENCY_KEY_HEADER, "is set with idempotency_key()"),
    ("Content-Type", "is set by the builder"),
    ("Content-Length", "is set by the HTTP client"),
    ("Host", "is set by the HTTP client"),
];

fn check_extra_header(name: &str, value: &str) -> Result<(), BuildError> {
    let invalid = |problem: String| BuildError::InvalidHeader {
        name: name
            .chars()
            .take(100)
            .collect::<String>()
            .escape_debug()
            .to_string(),
        problem,
    };
    let is_token_byte = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(is_token_byte) {
        return Err(invalid(
            "not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)".into(),
        ));
    }
    if let Some((_, how)) = RESERVED_HEADERS
        .iter()
        .find(|(reserved, _)| reserved.eq_ignore_ascii_case(name))
    {
        return Err(invalid(format!("this header {how}")));
    }
    if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        return Err(invalid(
            "the value contains CR, LF or NUL, which could inject headers".into(),
        ));
    }
    if !value
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    {
        return Err(invalid(
            "the value contains control or non-ASCII characters".into(),
        ));
    }
    let length = value.chars().count();
    if name.eq_ignore_ascii_case(LLM_API_KEY_HEADER) && !(16..=512).contains(&length) {
        return Err(invalid(format!(
            "the value has {length} characters; allowed 16-512"
        )));
    }
    Ok(())
}
