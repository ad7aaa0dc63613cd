//! Field rules for request bodies and query strings, and the error a broken
//! rule produces.
//!
//! Each operation lists its fields as a static table of [`Field`]s, and
//! [`validate_object`] checks a JSON object against such a table. Patterns are
//! checked by hand rather than with a regex crate, to keep the WebAssembly
//! module small.

mod check;
mod describe;
mod syntax;

use std::fmt;

pub use check::{validate_body, validate_object, validate_query_value, validate_value};
pub(crate) use describe::{decimal, quote_text, truncate_chars};
pub use describe::{describe, render_value};
pub(crate) use syntax::parse_http_url;

/// The `max` of an integer rule without an upper limit, such as an event
/// cursor.
pub const NO_MAX: i32 = i32::MAX;
/// Maximum length of a URL field such as `webhook_url`, in characters.
pub const MAX_URL_CHARS: usize = 2048;
/// Minimum length of a base64 screenshot, in characters (the API requires
/// more than 100).
pub const MIN_SCREENSHOT_CHARS: usize = 101;
/// Maximum length of a base64 screenshot, in characters (10 MiB of base64).
pub const MAX_SCREENSHOT_CHARS: usize = 10_485_760;

/// One field of a request body or query string, and the rule its value follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field {
    /// Name of the JSON key or query parameter.
    pub name: &'static str,
    /// Whether a request without this field is invalid.
    pub required: bool,
    /// The rule the value follows.
    pub kind: FieldKind,
}

impl Field {
    /// Creates a field that must be present.
    pub const fn required(name: &'static str, kind: FieldKind) -> Self {
        Field {
            name,
            required: true,
            kind,
        }
    }

    /// Creates a field that may be left out.
    pub const fn optional(name: &'static str, kind: FieldKind) -> Self {
        Field {
            name,
            required: false,
            kind,
        }
    }
}

/// The rule a field's value follows. Lengths count Unicode scalar values, as
/// the server does, and all ranges are inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldKind {
    /// A string of `min_chars..=max_chars` characters. Unless `allow_blank`,
    /// a string of only whitespace is rejected.
    Text {
        /// Minimum length in characters.
        min_chars: u32,
        /// Maximum length in characters.
        max_chars: u32,
        /// Whether a string of only whitespace is accepted.
        allow_blank: bool,
    },
    /// An integer in `min..=max`, with no upper limit when `max` is
    /// [`NO_MAX`]. A float with no fractional part, such as `5.0` from
    /// JavaScript, counts as an integer. The bounds are `i32` because `i64`
    /// bounds made every field rule of the operation table 16 bytes larger
    /// in the WebAssembly module.
    Integer {
        /// Minimum value.
        min: i32,
        /// Maximum value, or [`NO_MAX`].
        max: i32,
    },
    /// `0`, or an integer in `min..=max` (for settings where 0 clears them).
    IntegerOrZero {
        /// Minimum non-zero value.
        min: i32,
        /// Maximum value, or [`NO_MAX`].
        max: i32,
    },
    /// Any JSON number.
    Number,
    /// `true` or `false`.
    Bool,
    /// One string out of `values`. An open enum also accepts any other
    /// non-empty string, for values the server may add later.
    Enum {
        /// The documented values.
        values: &'static [&'static str],
        /// Whether strings outside `values` are accepted.
        open: bool,
    },
    /// An https URL of at most [`MAX_URL_CHARS`] characters, without user
    /// info. Plain http is accepted only for the loopback hosts `127.0.0.1`,
    /// `localhost` and `[::1]`, for local development against a fake server.
    Url,
    /// A string matching a fixed pattern.
    Pattern(Pattern),
    /// Raw base64 image data: more than 100 and at most
    /// [`MAX_SCREENSHOT_CHARS`] characters, with no `data:` prefix and no
    /// whitespace.
    Screenshot,
    /// A secret string, such as a provider API key. Errors never show it.
    Secret {
        /// Minimum length in characters.
        min_chars: u32,
        /// Maximum length in characters.
        max_chars: u32,
    },
    /// A JSON object with at most `max_keys` keys.
    Object {
        /// Maximum number of keys.
        max_keys: u32,
        /// Whether every value must be a string (metadata tags).
        string_values: bool,
    },
    /// A JSON object whose keys follow their own rules.
    Record {
        /// Rules for the known keys.
        fields: &'static [Field],
        /// Whether keys missing from `fields` are rejected.
        strict: bool,
    },
    /// A JSON array of at most `max_items` items, each following `item`.
    Array {
        /// Maximum number of items.
        max_items: u32,
        /// The rule every item follows.
        item: &'static FieldKind,
    },
    /// `null`, or a value following the inner rule. Without this wrapper a
    /// `null` is rejected, because the API documents it only for some fields.
    Nullable(&'static FieldKind),
    /// Any JSON value.
    Any,
}

/// A fixed string pattern, checked without a regex engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Pattern {
    /// A workflow slug: `^[a-z0-9][a-z0-9_-]{0,62}$`.
    Slug,
    /// An API key id: 1-128 characters from `[A-Za-z0-9_-]`.
    KeyId,
    /// An idempotency key: 1-128 characters from `[A-Za-z0-9_:-]`.
    IdempotencyKey,
    /// A calendar month as `YYYY-MM`, with a month from 01 to 12.
    YearMonth,
}

impl Pattern {
    /// Checks whether `text` matches the pattern.
    pub fn matches(self, text: &str) -> bool {
        match self {
            Pattern::Slug => syntax::is_slug(text),
            Pattern::KeyId => syntax::is_token(text, 128, b"_-"),
            Pattern::IdempotencyKey => syntax::is_token(text, 128, b"_:-"),
            Pattern::YearMonth => syntax::is_year_month(text),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Pattern::Slug => "a slug matching ^[a-z0-9][a-z0-9_-]{0,62}$",
            Pattern::KeyId => "1-128 characters from A-Z, a-z, 0-9, _ and -",
            Pattern::IdempotencyKey => "1-128 characters from A-Z, a-z, 0-9, _, : and -",
            Pattern::YearMonth => "a month written YYYY-MM",
        }
    }
}

/// A value that breaks a field rule.
///
/// `Display` reads like `invalid task: 16001 characters; allowed 1-16000
/// characters`. `value` is a short rendering that is safe to log: long
/// strings are cut, and secret fields show `[redacted]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Field path, such as `task`, `steps[3].timeout_ms` or `Idempotency-Key`.
    pub field: String,
    /// Short, log-safe rendering of the rejected value (empty when missing).
    pub value: String,
    /// Problem with the value, such as `16001 characters`.
    pub problem: String,
    /// Accepted values, such as `1-16000 characters`.
    pub allowed: String,
}

impl ValidationError {
    /// Creates an error from its four parts.
    ///
    /// The parameters are plain `&str` rather than generic, and the function
    /// is never inlined, so that its many callers share one copy of the
    /// allocation code in the WebAssembly module.
    #[inline(never)]
    pub fn new(field: &str, value: &str, problem: &str, allowed: &str) -> Self {
        ValidationError {
            field: field.to_string(),
            value: value.to_string(),
            problem: problem.to_string(),
            allowed: allowed.to_string(),
        }
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ValidationError {
            field,
            problem,
            allowed,
            ..
        } = self;
        write!(f, "invalid {field}: {problem}; allowed {allowed}")
    }
}

impl std::error::Error for ValidationError {}

#[cfg(test)]
mod tests;
