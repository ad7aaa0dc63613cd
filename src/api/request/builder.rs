//! The request builder: collects path parameters, query, body and headers,
//! then checks them all in [`RequestBuilder::build`].

use super::http::percent_encode;
use super::{
    AuthScheme, BuildError, ClientConfig, HttpRequest, API_KEY_HEADER, IDEMPOTENCY_KEY_HEADER,
    LLM_API_KEY_HEADER,
};
use crate::api::operation::{operation, BodyRule, Idempotency, Operation};
use crate::api::validate::{
    decimal, render_value, truncate_chars, validate_body, validate_query_value, validate_value,
    FieldKind, Pattern, ValidationError,
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
            id: truncate_chars(operation_id, 100).to_string(),
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
    #[inline]
    pub fn path_param(mut self, name: &str, value: &str) -> Self {
        set(&mut self.path_params, name, value, false);
        self
    }

    /// Sets a query parameter. The name and value are percent-encoded.
    /// Setting a name again replaces its value.
    #[inline]
    pub fn query(mut self, name: &str, value: &str) -> Self {
        set(&mut self.query, name, value, false);
        self
    }

    /// Sets the JSON body. It is sent exactly as given, with its key order
    /// and number text, so a field left out is absent from the request. A
    /// `null` body counts as no body, except for `triggers.webhook`, which
    /// sends any JSON value.
    #[inline]
    pub fn body(mut self, body: Json) -> Self {
        self.body = Some(body);
        self
    }

    /// Sets the `Idempotency-Key` header: 1-128 characters from
    /// `[A-Za-z0-9_:-]`, on POST operations only.
    #[inline]
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        self.idempotency_key = Some(key.into());
        self
    }

    /// Adds an extra header, such as `X-LLM-Provider`. Setting a name again
    /// replaces its value, and an `Accept` header replaces the default one.
    #[inline]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        set(&mut self.headers, name, value, true);
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
        // Working on a borrow drops the builder once, here, instead of on
        // every early return, which keeps the WebAssembly module smaller.
        self.build_borrowed(config)
    }

    fn build_borrowed(&self, config: &ClientConfig) -> Result<HttpRequest, BuildError> {
        let operation = self.operation;
        let mut url = config.base_url().to_string();
        self.push_path(&mut url)?;
        self.push_query(&mut url)?;

        let body = self
            .body
            .as_ref()
            .filter(|value| !value.is_null() || operation.body == BodyRule::AnyJson);
        validate_body(operation, body)?;
        if let Some(key) = &self.idempotency_key {
            check_idempotency_key(operation, key)?;
        }

        let accept = if operation.streams {
            "text/event-stream"
        } else {
            "application/json"
        };
        let mut headers = vec![pair("Accept", accept)];
        if operation.api_key {
            let key = config.api_key().ok_or(BuildError::MissingApiKey {
                operation: operation.id,
            })?;
            let secret = key.expose_secret();
            headers.push(match config.auth_scheme() {
                AuthScheme::ApiKeyHeader => pair(API_KEY_HEADER, secret),
                AuthScheme::Bearer => pair("Authorization", &["Bearer ", secret].concat()),
            });
        }
        if body.is_some() {
            headers.push(pair("Content-Type", "application/json"));
        }
        if let Some(key) = &self.idempotency_key {
            headers.push(pair(IDEMPOTENCY_KEY_HEADER, key));
        }
        for (name, value) in &self.headers {
            check_extra_header(name, value)?;
            if name.eq_ignore_ascii_case("Accept") {
                headers[0].1 = value.clone();
            } else {
                headers.push(pair(name, value));
            }
        }

        Ok(HttpRequest {
            operation: operation.id,
            method: operation.method,
            url,
            headers,
            body: body.map(|value| value.to_string().into_bytes()),
            idempotency_key: self.idempotency_key.clone(),
        })
    }

    /// Appends the filled, percent-encoded path to `url`.
    fn push_path(&self, url: &mut String) -> Result<(), BuildError> {
        let operation = self.operation;
        let unknown = self
            .path_params
            .iter()
            .find(|(name, _)| !placeholders(operation.path).any(|known| known == name));
        if let Some((name, _)) = unknown {
            return Err(ValidationError::new(
                truncate_chars(name, 100),
                "",
                &["not a path parameter of ", operation.id].concat(),
                &["the parameters in ", operation.path].concat(),
            )
            .into());
        }

        for segment in operation.path.split('/').skip(1) {
            url.push('/');
            let Some(name) = placeholder(segment) else {
                url.push_str(segment);
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
            percent_encode(url, value);
        }
        Ok(())
    }

    /// Appends `?name=value&...` to `url`, percent-encoded.
    fn push_query(&self, url: &mut String) -> Result<(), BuildError> {
        for (index, (name, value)) in self.query.iter().enumerate() {
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
            url.push(if index == 0 { '?' } else { '&' });
            percent_encode(url, name);
            url.push('=');
            percent_encode(url, value);
        }
        Ok(())
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

/// Sets `name` to `value` in `pairs`, replacing an earlier value. Header
/// names compare without regard to case.
///
/// The builder's setters are inlined wrappers around this function, so that
/// chained calls compile to updates in place rather than moves of the whole
/// builder.
#[inline(never)]
fn set(pairs: &mut Vec<(String, String)>, name: &str, value: &str, ignore_case: bool) {
    let existing = pairs
        .iter_mut()
        .find(|(known, _)| known == name || (ignore_case && known.eq_ignore_ascii_case(name)));
    match existing {
        Some(entry) => entry.1 = value.to_string(),
        None => pairs.push(pair(name, value)),
    }
}

/// Copies a name and a value. Never inlined, so that the many callers
/// share one copy of the allocation code.
#[inline(never)]
fn pair(name: &str, value: &str) -> (String, String) {
    (name.to_string(), value.to_string())
}

/// Returns the `{name}` placeholders of a path template.
fn placeholders(path: &str) -> impl Iterator<Item = &str> {
    path.split('/').filter_map(placeholder)
}

/// Returns `name` for a path segment written `{name}`.
fn placeholder(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}')
}

/// Rejects dot segments, which URL parsers resolve even when encoded
/// (`%2E%2E`), and applies the operation's extra rule for the parameter.
fn check_path_value(operation: &Operation, name: &str, value: &str) -> Result<(), BuildError> {
    let text = Json::from(value);
    if value == "." || value == ".." {
        return Err(ValidationError::new(
            name,
            &render_value(&text),
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

fn check_idempotency_key(operation: &Operation, key: &str) -> Result<(), BuildError> {
    if operation.idempotency == Idempotency::NotAccepted {
        let problem = [
            "not accepted by ",
            operation.id,
            " (",
            operation.method.as_str(),
            ")",
        ]
        .concat();
        return Err(ValidationError::new(
            IDEMPOTENCY_KEY_HEADER,
            "",
            &problem,
            "a key only on POST operations, except triggers.webhook",
        )
        .into());
    }
    let kind = FieldKind::Pattern(Pattern::IdempotencyKey);
    validate_value(IDEMPOTENCY_KEY_HEADER, &kind, &Json::from(key))?;
    Ok(())
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
    let is_token_byte = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    let problem = if name.is_empty() || !name.bytes().all(is_token_byte) {
        "not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)".to_string()
    } else if let Some((_, how)) = RESERVED_HEADERS
        .iter()
        .find(|(reserved, _)| reserved.eq_ignore_ascii_case(name))
    {
        ["this header ", how].concat()
    } else if value.bytes().any(|b| b == b'\r' || b == b'\n' || b == 0) {
        "the value contains CR, LF or NUL, which could inject headers".to_string()
    } else if !value
        .bytes()
        .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
    {
        "the value contains control or non-ASCII characters".to_string()
    } else {
        let length = value.len();
        if !name.eq_ignore_ascii_case(LLM_API_KEY_HEADER) || (16..=512).contains(&length) {
            return Ok(());
        }
        // The value is ASCII by now, so its length in bytes is its length
        // in characters.
        [
            "the value has ",
            &decimal(length as i64),
            " characters; allowed 16-512",
        ]
        .concat()
    };
    // A valid name needs no escaping, and an invalid one is shown with JSON
    // escapes, without the quotes, so that it cannot break a log line.
    let quoted = Json::from(truncate_chars(name, 100)).to_string();
    let escaped = quoted
        .strip_prefix('"')
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or(&quoted);
    Err(BuildError::InvalidHeader {
        name: escaped.to_string(),
        problem,
    })
}
