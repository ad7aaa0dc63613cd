//! Errors returned by webhook verification and signing.

use std::fmt;

/// A failed webhook check, one variant per failure code.
///
/// Checks run in a fixed order (header present, header well formed, signature,
/// timestamp, payload), and the first failure is returned. No variant carries the
/// secret, the signature values or the payload.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookError {
    /// The signature header is absent, empty or whitespace only.
    MissingHeader,
    /// The signature header does not follow `t=<unix>,v1=<hex>[,v1=<hex>...]`.
    MalformedHeader(MalformedHeader),
    /// No `v1` value matches the payload under any configured secret.
    NoMatchingSignature {
        /// The `t` value of the header, in unix seconds.
        timestamp: i64,
        /// Whether a configured secret has the form of an API key
        /// (`sk-coasty-...`, `cua_sk_...`), a common mistake.
        secret_looks_like_api_key: bool,
    },
    /// The signature matches, but `t` is too far from `now`.
    TimestampOutOfTolerance {
        /// The `t` value of the header, in unix seconds.
        timestamp: i64,
        /// `now - timestamp`: positive when the timestamp is in the past.
        skew_seconds: i64,
        /// The tolerance that was exceeded.
        tolerance_seconds: u64,
    },
    /// The signature is valid, but the payload is not a UTF-8 JSON object.
    InvalidPayload(InvalidPayload),
}

/// The reason a signature header is malformed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MalformedHeader {
    /// Two or more header values were given (a proxy duplicated the header).
    Duplicated {
        /// How many values were given.
        count: usize,
    },
    /// The value is longer than [`MAX_HEADER_BYTES`](super::MAX_HEADER_BYTES).
    TooLong {
        /// Length of the value in bytes.
        len: usize,
    },
    /// More than [`MAX_SIGNATURES`](super::MAX_SIGNATURES) `v1` items.
    TooManySignatures {
        /// How many `v1` items the value has.
        count: usize,
    },
    /// No `t` item.
    MissingTimestamp,
    /// More than one `t` item.
    RepeatedTimestamp,
    /// A `t` value that is not ASCII digits fitting a signed 64-bit integer.
    InvalidTimestamp,
    /// No `v1` item.
    MissingSignature,
}

/// The reason a verified payload is not an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum InvalidPayload {
    /// The payload is not valid UTF-8.
    NotUtf8,
    /// The payload is not JSON.
    NotJson,
    /// The payload is JSON, but its top level is not an object.
    NotObject,
}

impl WebhookError {
    /// Returns the stable failure code, such as `NO_MATCHING_SIGNATURE`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::MissingHeader => "MISSING_HEADER",
            Self::MalformedHeader(_) => "MALFORMED_HEADER",
            Self::NoMatchingSignature { .. } => "NO_MATCHING_SIGNATURE",
            Self::TimestampOutOfTolerance { .. } => "TIMESTAMP_OUT_OF_TOLERANCE",
            Self::InvalidPayload(_) => "INVALID_PAYLOAD",
        }
    }

    /// Returns the header's `t` value when the header got far enough to have one.
    pub fn timestamp(&self) -> Option<i64> {
        match self {
            Self::NoMatchingSignature { timestamp, .. }
            | Self::TimestampOutOfTolerance { timestamp, .. } => Some(*timestamp),
            _ => None,
        }
    }

    /// Returns `now - timestamp` for a timestamp outside the tolerance.
    pub fn skew_seconds(&self) -> Option<i64> {
        match self {
            Self::TimestampOutOfTolerance { skew_seconds, .. } => Some(*skew_seconds),
            _ => None,
        }
    }
}

/// Unix seconds from this value on are after the year 5000, so such a `t` is
/// almost certainly in milliseconds.
const MILLISECOND_TIMESTAMPS_FROM: u64 = 100_000_000_000;

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::MissingHeader => f.write_str(
                "missing Coasty-Signature header: the request has neither \
                 Coasty-Signature nor X-Coasty-Signature; check that a proxy \
                 forwards it",
            ),
            Self::MalformedHeader(reason) => {
                write!(f, "malformed Coasty-Signature header: {reason}")
            }
            Self::NoMatchingSignature {
                secret_looks_like_api_key,
                ..
            } => {
                f.write_str(
                    "no v1 signature matches the payload: usually the body was parsed \
                     or re-serialised before verification (pass the raw request bytes), \
                     or the secret is not this run's webhook_secret",
                )?;
                if *secret_looks_like_api_key {
                    f.write_str(
                        "; the configured secret looks like an API key, but deliveries \
                         are signed with the run's webhook_secret (whsec_...)",
                    )?;
                }
                Ok(())
            }
            Self::TimestampOutOfTolerance {
                timestamp,
                skew_seconds,
                tolerance_seconds,
            } => {
                let (amount, direction) = if *skew_seconds >= 0 {
                    (skew_seconds.unsigned_abs(), "in the past")
                } else {
                    (skew_seconds.unsigned_abs(), "in the future")
                };
                write!(
                    f,
                    "timestamp {timestamp} is {amount} s {direction}, outside the \
                     {tolerance_seconds} s tolerance: a replayed delivery, or a clock \
                     that is wrong on one side"
                )?;
                if timestamp.unsigned_abs() >= MILLISECOND_TIMESTAMPS_FROM {
                    f.write_str("; t looks like milliseconds, but it must be unix seconds")?;
                }
                Ok(())
            }
            Self::InvalidPayload(reason) => write!(f, "invalid payload: {reason}"),
        }
    }
}

impl fmt::Display for MalformedHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Duplicated { count } => write!(
                f,
                "{count} header values were given; a proxy or framework duplicated \
                 the header, so pass the single value Coasty sent"
            ),
            Self::TooLong { len } => write!(
                f,
                "the value is {len} bytes long; at most {} are accepted",
                super::MAX_HEADER_BYTES
            ),
            Self::TooManySignatures { count } => write!(
                f,
                "the value has {count} v1 items; at most {} are accepted",
                super::MAX_SIGNATURES
            ),
            Self::MissingTimestamp => f.write_str("no t item; expected t=<unix seconds>,v1=<hex>"),
            Self::RepeatedTimestamp => f.write_str("the t item appears more than once"),
            Self::InvalidTimestamp => {
                f.write_str("the t value is not a whole number of unix seconds (ASCII digits only)")
            }
            Self::MissingSignature => f.write_str("no v1 item; expected t=<unix seconds>,v1=<hex>"),
        }
    }
}

impl fmt::Display for InvalidPayload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotUtf8 => "the signed body is not valid UTF-8",
            Self::NotJson => "the signed body is not JSON",
            Self::NotObject => "the signed body is JSON, but its top level is not an object",
        })
    }
}

impl std::error::Error for WebhookError {}

/// An invalid argument to a verifier or signer, reported before any check runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ArgumentError {
    /// No secret was given.
    NoSecrets,
    /// The secret at this position is the empty string.
    EmptySecret {
        /// Position of the secret in the list, from 0.
        index: usize,
    },
    /// A signing timestamp before the unix epoch; `t` must be ASCII digits.
    NegativeTimestamp {
        /// The rejected timestamp.
        timestamp: i64,
    },
}

impl fmt::Display for ArgumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::NoSecrets => {
                f.write_str("no webhook secret given: pass the run's webhook_secret (whsec_...)")
            }
            Self::EmptySecret { index } => write!(
                f,
                "webhook secret at index {index} is empty: pass the run's \
                 webhook_secret (whsec_...)"
            ),
            Self::NegativeTimestamp { timestamp } => write!(
                f,
                "timestamp {timestamp} is before 1970; pass unix seconds >= 0"
            ),
        }
    }
}

impl std::error::Error for ArgumentError {}
