//! Verification and signing of Coasty webhook deliveries.
//!
//! Coasty signs each delivery with a header
//! `Coasty-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=<hex>...]`. The MAC
//! covers the `t` digits as sent, a `.`, and the raw body bytes, keyed by the UTF-8
//! bytes of the run's `webhook_secret`, `whsec_` prefix included.
//!
//! A delivery is checked in this order, and the first failure is reported:
//!
//! 1. the header is present ([`WebhookError::MissingHeader`]);
//! 2. it is well formed: one `t` of ASCII digits, at least one `v1`
//!    ([`WebhookError::MalformedHeader`]);
//! 3. some `v1` matches under some secret ([`WebhookError::NoMatchingSignature`]);
//! 4. `|now - t| <= tolerance` ([`WebhookError::TimestampOutOfTolerance`]);
//! 5. when an event is requested, the body is a UTF-8 JSON object
//!    ([`WebhookError::InvalidPayload`]).

mod error;
mod event;
mod header;
mod verifier;

pub use error::{ArgumentError, InvalidPayload, MalformedHeader, WebhookError};
pub use event::{normalize_run_event, RunEventSummary, RUN_EVENT_TYPES};
pub use header::SignatureHeader;
pub use verifier::{check_event_payload, sign, signature_hex, Verified, Verifier};

/// Name of the signature header.
pub const SIGNATURE_HEADER: &str = "Coasty-Signature";

/// Name of the alias header that carries the same value.
pub const SIGNATURE_HEADER_ALIAS: &str = "X-Coasty-Signature";

/// Default tolerance between `t` and the receiver's clock, in seconds.
pub const DEFAULT_TOLERANCE_SECONDS: u64 = 300;

/// Maximum length of a header value, in bytes; a longer one is malformed.
pub const MAX_HEADER_BYTES: usize = 8 * 1024;

/// Maximum number of `v1` items in one header; more make it malformed.
pub const MAX_SIGNATURES: usize = 32;
