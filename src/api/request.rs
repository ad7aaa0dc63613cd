//! HTTP requests for Coasty API operations, built without I/O.
//!
//! [`RequestBuilder`] looks an operation up in the table, fills and
//! percent-encodes its path, checks the query, body, headers and
//! idempotency key, and returns an [`HttpRequest`] that the caller sends with
//! any HTTP client.

mod builder;
mod http;

use super::validate::{parse_http_url, quote_text, truncate_chars, ValidationError};
use crate::json::Json;
use std::fmt;

pub use builder::RequestBuilder;
pub use http::HttpRequest;

/// Base URL of the Coasty API. Operation paths are relative to it.
pub const DEFAULT_BASE_URL: &str = "https://coasty.ai/v1";
/// Environment variable that conventionally contains the API key.
pub const API_KEY_ENV_VAR: &str = "COASTY_API_KEY";
/// Header that carries the API key with [`AuthScheme::ApiKeyHeader`].
pub const API_KEY_HEADER: &str = "X-API-Key";
/// Header that carries a key for deduplicating retried POSTs.
pub const IDEMPOTENCY_KEY_HEADER: &str = "Idempotency-Key";
/// Header that carries a bring-your-own provider key (16-512 characters).
pub const LLM_API_KEY_HEADER: &str = "X-LLM-Api-Key";

/// Header scheme for the API key. The API accepts both on every route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuthScheme {
    /// `X-API-Key: <key>`.
    #[default]
    ApiKeyHeader,
    /// `Authorization: Bearer <key>`.
    Bearer,
}

/// A Coasty API key. `Debug` shows at most the documented prefix, never the
/// secret part, and there is no `Display`.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKey(String);

/// Documented key prefixes, shown by `Debug` because they are not secret.
const KEY_PREFIXES: [&str; 3] = ["sk-coasty-live-", "sk-coasty-test-", "cua_sk_"];

impl ApiKey {
    /// Wraps a key after checking that it can be sent in a header.
    ///
    /// The key's format is not checked beyond that, so keys of a local fake
    /// server work too.
    ///
    /// # Errors
    ///
    /// Returns [`BuildError::InvalidApiKey`] for an empty key, a key that
    /// starts with `Bearer ` (the server rejects that in `X-API-Key`), and a
    /// key with whitespace, control or non-ASCII characters.
    pub fn new(key: impl Into<String>) -> Result<Self, BuildError> {
        let key = key.into();
        let problem = if key.is_empty() {
            "it is empty"
        } else if key
            .get(..7)
            .is_some_and(|head| head.eq_ignore_ascii_case("bearer "))
        {
            "it starts with \"Bearer \"; pass the bare key and choose AuthScheme::Bearer \
             to send it as a bearer token"
        } else if !key.bytes().all(|b| b.is_ascii_graphic()) {
            "it contains whitespace, control or non-ASCII characters"
        } else {
            return Ok(ApiKey(key));
        };
        Err(BuildError::InvalidApiKey { problem })
    }

    /// Returns the key itself, for the header that sends it.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = KEY_PREFIXES
            .iter()
            .find(|prefix| self.0.len() > prefix.len() && self.0.starts_with(*prefix))
            .copied()
            .unwrap_or("");
        write!(f, "ApiKey({prefix}…redacted)")
    }
}

/// Base URL, API key and auth scheme for building requests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    base_url: String,
    api_key: Option<ApiKey>,
    auth_scheme: AuthScheme,
}

impl ClientConfig {
    /// Creates a configuration for `base_url`, with no API key and the
    /// `X-API-Key` header. Trailing slashes are removed, so
    /// `https://coasty.ai/v1/` and `https://coasty.ai/v1` are the same.
    ///
    /// # Errors
    ///
    /// Returns [`BuildError::InvalidBaseUrl`] unless `base_url` is an
    /// absolute http or https URL with a host, no user info, no query and no
    /// fragment.
    pub fn new(base_url: &str) -> Result<Self, BuildError> {
        let invalid = |problem: &'static str| {
            let safe_url = if base_url.contains('@') {
                "[redacted because it contains user info]".to_string()
            } else {
                truncate_chars(base_url, 200).to_string()
            };
            BuildError::InvalidBaseUrl {
                url: safe_url,
                problem,
            }
        };
        let url = parse_http_url(base_url).map_err(invalid)?;
        if url.has_query_or_fragment {
            return Err(invalid("has a query or fragment"));
        }
        Ok(ClientConfig {
            base_url: base_url.trim_end_matches('/').to_string(),
            api_key: None,
            auth_scheme: AuthScheme::default(),
        })
    }

    /// Sets the API key.
    pub fn with_api_key(mut self, api_key: ApiKey) -> Self {
        self.api_key = Some(api_key);
        self
    }

    /// Sets how the API key is sent.
    pub fn with_auth_scheme(mut self, auth_scheme: AuthScheme) -> Self {
        self.auth_scheme = auth_scheme;
        self
    }

    /// Returns the base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// Returns the API key, if one is set.
    pub fn api_key(&self) -> Option<&ApiKey> {
        self.api_key.as_ref()
    }

    /// Returns how the API key is sent.
    pub fn auth_scheme(&self) -> AuthScheme {
        self.auth_scheme
    }
}

impl Default for ClientConfig {
    /// Returns a configuration for [`DEFAULT_BASE_URL`] without an API key.
    fn default() -> Self {
        ClientConfig {
            base_url: DEFAULT_BASE_URL.to_string(),
            api_key: None,
            auth_scheme: AuthScheme::default(),
        }
    }
}

/// Error from building a request. No variant carries a secret.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BuildError {
    /// No operation has this id.
    UnknownOperation {
        /// The id that was given.
        id: String,
    },
    /// A `{name}` of the path was not given, or given empty.
    MissingPathParam {
        /// Operation id.
        operation: &'static str,
        /// Name of the path parameter.
        name: String,
    },
    /// A path parameter, query parameter, body field or idempotency key
    /// breaks its rule.
    Validation(ValidationError),
    /// The operation needs an API key and the configuration has none.
    MissingApiKey {
        /// Operation id.
        operation: &'static str,
    },
    /// The API key cannot be sent as given.
    InvalidApiKey {
        /// Problem with the key, without the key itself.
        problem: &'static str,
    },
    /// The base URL is not usable.
    InvalidBaseUrl {
        /// The URL, cut to 200 characters, or a placeholder when it contains
        /// user info.
        url: String,
        /// Problem with the URL.
        problem: &'static str,
    },
    /// An extra header is not allowed or not well formed.
    InvalidHeader {
        /// Header name, cut to 100 characters, with JSON escapes (such as
        /// `\r`) so that it cannot break a log line.
        name: String,
        /// Problem with the header, without its value.
        problem: String,
    },
}

impl BuildError {
    /// Returns a stable machine-readable code, such as `MISSING_API_KEY`.
    pub fn code(&self) -> &'static str {
        match self {
            BuildError::UnknownOperation { .. } => "UNKNOWN_OPERATION",
            BuildError::MissingPathParam { .. } => "MISSING_PATH_PARAM",
            BuildError::Validation(_) => "VALIDATION_FAILED",
            BuildError::MissingApiKey { .. } => "MISSING_API_KEY",
            BuildError::InvalidApiKey { .. } => "INVALID_API_KEY",
            BuildError::InvalidBaseUrl { .. } => "INVALID_BASE_URL",
            BuildError::InvalidHeader { .. } => "INVALID_HEADER",
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            BuildError::UnknownOperation { id } => write!(
                f,
                "unknown operation {}; use an id from operations(), such as runs.create",
                quote_text(id)
            ),
            BuildError::MissingPathParam { operation, name } => write!(
                f,
                "missing path parameter {name} for {operation}; pass a non-empty \
                 {name} (pathParams.{name} in JavaScript, path_param in Rust)"
            ),
            BuildError::Validation(error) => error.fmt(f),
            BuildError::MissingApiKey { operation } => write!(
                f,
                "missing API key for {operation}; pass apiKey or set {API_KEY_ENV_VAR}"
            ),
            BuildError::InvalidApiKey { problem } => write!(f, "invalid API key: {problem}"),
            BuildError::InvalidBaseUrl { url, problem } => write!(
                f,
                "invalid base URL {}: it {problem}; use an http(s) URL such as \
                 {DEFAULT_BASE_URL}",
                Json::from(url.as_str())
            ),
            BuildError::InvalidHeader { name, problem } => {
                write!(f, "invalid header {name}: {problem}")
            }
        }
    }
}

impl std::error::Error for BuildError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            BuildError::Validation(error) => Some(error),
            _ => None,
        }
    }
}

impl From<ValidationError> for BuildError {
    fn from(error: ValidationError) -> Self {
        BuildError::Validation(error)
    }
}

/// Formats 16 random bytes as an idempotency key: `coasty_` and 32
/// lower-case hex digits (39 characters, within the 128-character limit).
///
/// The caller supplies the bytes from a cryptographic random source, such as
/// `crypto.getRandomValues`, because this crate has no source of its own.
pub fn idempotency_key_from_random(bytes: &[u8; 16]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut key = String::with_capacity(39);
    key.push_str("coasty_");
    for byte in bytes {
        key.push(HEX[usize::from(byte >> 4)] as char);
        key.push(HEX[usize::from(byte & 0x0f)] as char);
    }
    key
}

#[cfg(test)]
mod tests;
