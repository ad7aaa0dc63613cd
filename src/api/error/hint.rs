//! Class names, next-step hints and the `Display` text of [`ApiError`].

use std::fmt;

use serde_json::Value;

use super::{ApiError, ErrorClass};

impl ApiError {
    /// Returns the JS error class name, such as `InsufficientScopeError`, or
    /// `CoastyApiError` for [`ErrorClass::Other`].
    pub fn class_name(&self) -> &'static str {
        match self.class {
            ErrorClass::Authentication => "AuthenticationError",
            ErrorClass::InsufficientCredits => "InsufficientCreditsError",
            ErrorClass::InsufficientScope => "InsufficientScopeError",
            ErrorClass::NotFound => "NotFoundError",
            ErrorClass::Conflict => "ConflictError",
            ErrorClass::Validation => "ValidationError",
            ErrorClass::RateLimit => "RateLimitError",
            ErrorClass::Server => "ServerError",
            ErrorClass::Other => "CoastyApiError",
        }
    }

    /// Builds the next step for the caller, or `None` when there is nothing
    /// more specific than the message. Falls back to the envelope's
    /// `suggestion` text.
    pub fn hint(&self) -> Option<String> {
        match self.class {
            ErrorClass::InsufficientScope => Some(self.scope_hint()),
            ErrorClass::InsufficientCredits => Some(self.credits_hint()),
            ErrorClass::Authentication => Some(self.authentication_hint()),
            ErrorClass::RateLimit => Some(self.rate_limit_hint()),
            _ => self.extra_text("suggestion").map(str::to_owned),
        }
    }

    fn extra_text(&self, name: &str) -> Option<&str> {
        self.extras.get(name).and_then(Value::as_str)
    }

    fn scope_hint(&self) -> String {
        let current = match self.extras.get("current_scopes").and_then(Value::as_array) {
            Some(scopes) if !scopes.is_empty() => {
                let names: Vec<&str> = scopes.iter().filter_map(Value::as_str).collect();
                format!(" (current scopes: {})", names.join(", "))
            }
            Some(_) => " (current scopes: none)".to_owned(),
            None => String::new(),
        };
        match self.extra_text("required_scope") {
            Some(scope) => format!("add the `{scope}` scope to this API key{current}"),
            None => format!("use an API key with the scope this operation requires{current}"),
        }
    }

    fn credits_hint(&self) -> String {
        let credits = |name: &str| self.extras.get(name).and_then(Value::as_u64);
        let advice = "top up the wallet or use a sk-coasty-test- key, which is never billed";
        match (credits("required"), credits("balance")) {
            (Some(required), Some(balance)) => {
                let shortfall = required.saturating_sub(balance);
                let dollars = format_dollars(shortfall);
                format!("{shortfall} more credits ({dollars}) are needed: {advice}")
            }
            _ => advice.to_owned(),
        }
    }

    fn authentication_hint(&self) -> String {
        if self.code.as_deref() == Some("INVALID_SIGNATURE") {
            return "sign the trigger request with the trigger's secret and a current timestamp"
                .to_owned();
        }
        "check COASTY_API_KEY: send the key as `X-API-Key: <key>` or \
         `Authorization: Bearer <key>`, never `Bearer ` inside X-API-Key"
            .to_owned()
    }

    fn rate_limit_hint(&self) -> String {
        if let Some(seconds) = self.retry_after_seconds {
            return format!("wait {seconds} s before retrying");
        }
        match self.rate_limit.as_ref().and_then(|limit| limit.reset) {
            Some(reset) => format!("wait until the rate window resets at unix time {reset}"),
            None => "wait and retry with exponential backoff".to_owned(),
        }
    }
}

/// Formats credits as dollars with exact integer arithmetic: 1 credit is $0.01.
fn format_dollars(credits: u64) -> String {
    format!("${}.{:02}", credits / 100, credits % 100)
}

impl fmt::Display for ApiError {
    /// Writes `<code>: <message>`, then the hint and the request id. Without a
    /// code the message already starts with `HTTP <status>`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{code}: {}", self.message)?,
            None => f.write_str(&self.message)?,
        }
        if let Some(hint) = self.hint() {
            write!(f, " ({hint})")?;
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request id {request_id}]")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}
