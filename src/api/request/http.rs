//! The built request, its log-safe `Debug`, and its curl rendering.

use super::{API_KEY_HEADER, LLM_API_KEY_HEADER};
use crate::api::operation::{operation, Method};
use crate::api::validate::FieldKind;
use crate::json::Json;
use std::fmt;

/// A request ready to send: method, absolute URL, headers and body bytes.
///
/// `Debug` shows header names but no header values and no body, so that the
/// API key and other secrets stay out of logs. Use
/// [`to_curl`](Self::to_curl) to reproduce the request by hand.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// Operation id, such as `runs.create`.
    pub operation: &'static str,
    /// HTTP method.
    pub method: Method,
    /// Absolute URL with the percent-encoded path and query.
    pub url: String,
    /// Headers in sending order, including the API key header.
    pub headers: Vec<(String, String)>,
    /// JSON body bytes, or `None` when no body is sent.
    pub body: Option<Vec<u8>>,
    /// The `Idempotency-Key` header value, if one is sent. Retrying a POST
    /// is safe only with the same key.
    pub idempotency_key: Option<String>,
}

/// Headers whose values are secrets, and the shell variable `to_curl` shows
/// in their place.
const SECRET_HEADERS: [(&str, &str); 5] = [
    (API_KEY_HEADER, "$COASTY_API_KEY"),
    ("Authorization", "Bearer $COASTY_API_KEY"),
    (LLM_API_KEY_HEADER, "$LLM_API_KEY"),
    ("Coasty-Signature", "$COASTY_SIGNATURE"),
    ("X-Coasty-Signature", "$COASTY_SIGNATURE"),
];

impl HttpRequest {
    /// Returns the value of the first header named `name`, compared without
    /// regard to case.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(known, _)| known.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Renders the request as a one-line curl command with shell-quoted
    /// arguments.
    ///
    /// Unless `reveal_secrets`, the API key header shows
    /// `"$COASTY_API_KEY"` (which the shell expands), the other secret
    /// headers show similar variables, and secret body fields show
    /// `[redacted]`.
    pub fn to_curl(&self, reveal_secrets: bool) -> String {
        let mut out = String::from("curl");
        if self.accepts_event_stream() {
            out.push_str(" --no-buffer");
        }
        out.push_str(" --request ");
        out.push_str(self.method.as_str());
        out.push(' ');
        push_shell_quoted(&mut out, &self.url);

        for (name, value) in &self.headers {
            out.push_str(" --header ");
            let placeholder = SECRET_HEADERS
                .iter()
                .find(|(secret, _)| secret.eq_ignore_ascii_case(name))
                .map(|(_, placeholder)| placeholder);
            match placeholder {
                // Double quotes, so that the shell expands the variable. The
                // name is one of SECRET_HEADERS, so it needs no escaping.
                Some(placeholder) if !reveal_secrets => {
                    out.push_str(&["\"", name, ": ", placeholder, "\""].concat());
                }
                _ => push_shell_quoted(&mut out, &[name, ": ", value].concat()),
            }
        }

        if let Some(body) = &self.body {
            let text = if reveal_secrets {
                String::from_utf8_lossy(body).into_owned()
            } else {
                self.redacted_body(body)
            };
            out.push_str(" --data-binary ");
            push_shell_quoted(&mut out, &text);
        }
        out
    }

    fn accepts_event_stream(&self) -> bool {
        self.header("Accept") == Some("text/event-stream")
    }

    /// Replaces the top-level secret fields of the operation's body.
    fn redacted_body(&self, body: &[u8]) -> String {
        let secret_fields: Vec<&str> = operation(self.operation)
            .map(|op| op.fields)
            .unwrap_or_default()
            .iter()
            .filter(|field| matches!(field.kind, FieldKind::Secret { .. }))
            .map(|field| field.name)
            .collect();
        if secret_fields.is_empty() {
            return String::from_utf8_lossy(body).into_owned();
        }
        let parsed = std::str::from_utf8(body).ok().map(Json::parse);
        let Some(Ok(Json::Object(mut members))) = parsed else {
            return "[redacted]".into();
        };
        for (name, value) in &mut members {
            if secret_fields.contains(&name.as_str()) {
                *value = Json::from("[redacted]");
            }
        }
        Json::Object(members).to_string()
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let header_names: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("operation", &self.operation)
            .field("method", &self.method)
            .field("url", &self.url)
            .field("header_names", &header_names)
            .field("body_bytes", &self.body.as_ref().map(Vec::len))
            .field("idempotency_key", &self.idempotency_key)
            .finish()
    }
}

/// Appends `text` to `out`, percent-encoding every byte except the
/// URL-unreserved characters `A-Z a-z 0-9 - . _ ~`, so the result is safe in
/// a path segment and in a query name or value.
pub(super) fn percent_encode(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(byte >> 4)] as char);
            out.push(HEX[usize::from(byte & 0x0f)] as char);
        }
    }
}

/// Appends `text` quoted for a POSIX shell: single quotes, with each `'`
/// written as `'\''`.
fn push_shell_quoted(out: &mut String, text: &str) {
    out.push('\'');
    for (index, part) in text.split('\'').enumerate() {
        if index > 0 {
            out.push_str("'\\''");
        }
        out.push_str(part);
    }
    out.push('\'');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn percent_encoded(text: &str) -> String {
        let mut out = String::new();
        percent_encode(&mut out, text);
        out
    }

    fn shell_quote(text: &str) -> String {
        let mut out = String::new();
        push_shell_quoted(&mut out, text);
        out
    }

    #[test]
    fn percent_encoding_keeps_only_unreserved() {
        assert_eq!(percent_encoded("run/1"), "run%2F1");
        assert_eq!(percent_encoded("a b&c=d?e#f"), "a%20b%26c%3Dd%3Fe%23f");
        assert_eq!(percent_encoded("AZaz09-._~"), "AZaz09-._~");
        assert_eq!(percent_encoded("é"), "%C3%A9");
        assert_eq!(percent_encoded("%"), "%25");
        assert_eq!(percent_encoded(""), "");
    }

    #[test]
    fn shell_quoting() {
        assert_eq!(shell_quote("plain"), "'plain'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote("$HOME `x`"), "'$HOME `x`'");
    }
}
