//! Class names, next-step hints, scope and credit details, and the `Display`
//! text of [`ApiError`].

use std::fmt;

use crate::json::Json;

use super::{ApiError, ErrorClass};

/// Credit figures of an insufficient-credits error. One credit is $0.01.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditShortfall {
    /// Credits the operation needs, from the envelope's `required`.
    pub required: u64,
    /// Wallet balance in credits, from the envelope's `balance`.
    pub balance: u64,
    /// Credits missing: `required - balance`, or 0 when the balance covers it.
    pub shortfall: u64,
}

impl CreditShortfall {
    /// Formats the shortfall as dollars, such as `$0.15`.
    pub fn shortfall_dollars(&self) -> String {
        format_dollars(self.shortfall)
    }
}

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
            _ => self
                .extra_text("suggestion")
                .map(str::to_owned)
                .or_else(|| self.retry_hint()),
        }
    }

    /// Builds the next step for a retryable error without a suggestion.
    fn retry_hint(&self) -> Option<String> {
        if !self.retryable {
            return None;
        }
        let wait = match self.retry_after_seconds {
            Some(seconds) => format!("after {seconds} s"),
            None => "with exponential backoff".to_owned(),
        };
        Some(format!(
            "a temporary failure: retry {wait}, and send the same Idempotency-Key on a POST \
             so the retry cannot run the operation twice"
        ))
    }

    /// Returns the envelope's `required_scope`, when it is a string.
    pub fn required_scope(&self) -> Option<&str> {
        self.extra_text("required_scope")
    }

    /// Returns the string items of the envelope's `current_scopes`, or `None`
    /// when that field is missing or not an array.
    pub fn current_scopes(&self) -> Option<Vec<&str>> {
        let scopes = self.extra("current_scopes")?.as_array()?;
        Some(scopes.iter().filter_map(Json::as_str).collect())
    }

    /// Returns the envelope's `required` and `balance` credits and the
    /// shortfall, when both are non-negative integers.
    pub fn credit_shortfall(&self) -> Option<CreditShortfall> {
        let required = self.extra("required")?.as_u64()?;
        let balance = self.extra("balance")?.as_u64()?;
        Some(CreditShortfall {
            required,
            balance,
            shortfall: required.saturating_sub(balance),
        })
    }

    fn extra_text(&self, name: &str) -> Option<&str> {
        self.extra(name).and_then(Json::as_str)
    }

    fn scope_hint(&self) -> String {
        let current = match self.current_scopes() {
            Some(names) if !names.is_empty() => {
                format!(" (current scopes: {})", names.join(", "))
            }
            Some(_) => " (current scopes: none)".to_owned(),
            None => String::new(),
        };
        match self.required_scope() {
            Some(scope) => format!("add the `{scope}` scope to this API key{current}"),
            None => format!("use an API key with the scope this operation requires{current}"),
        }
    }

    fn credits_hint(&self) -> String {
        let advice = "top up the wallet or use a sk-coasty-test- key, which is never billed";
        match self.credit_shortfall() {
            Some(figures) => {
                let shortfall = figures.shortfall;
                let dollars = figures.shortfall_dollars();
                format!("{shortfall} more credits ({dollars}) are needed: {advice}")
            }
            None => advice.to_owned(),
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
