//! Signature computation and the reusable [`Verifier`].

use hmac::digest::{CtOutput, Output};
use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::json::Json;

use super::error::{ArgumentError, InvalidPayload, WebhookError};
use super::header::{SignatureHeader, MAC_LEN};
use super::DEFAULT_TOLERANCE_SECONDS;

type HmacSha256 = Hmac<Sha256>;

/// A successful verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verified {
    /// The header's `t` value, in unix seconds.
    pub timestamp: i64,
    /// Position, among the configured secrets, of the secret that matched.
    pub secret_index: usize,
}

/// Verifies signature headers against one or more secrets.
///
/// The HMAC key schedule of each secret is computed once, in [`Verifier::new`],
/// so a verifier kept for many deliveries saves that work on every call.
#[derive(Clone)]
pub struct Verifier {
    keys: Vec<HmacSha256>,
    tolerance_seconds: u64,
    /// Whether a secret has the form of an API key; only used in messages.
    api_key_like: bool,
}

impl std::fmt::Debug for Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Verifier")
            .field("secrets", &format_args!("[{} redacted]", self.keys.len()))
            .field("tolerance_seconds", &self.tolerance_seconds)
            .finish()
    }
}

impl Verifier {
    /// Creates a verifier for the given secrets, with the default tolerance of
    /// [`DEFAULT_TOLERANCE_SECONDS`].
    ///
    /// Each secret is used as it is: its UTF-8 bytes, `whsec_` prefix included, are
    /// the HMAC key. Several secrets serve a rotation, and the result of a
    /// verification names the one that matched.
    ///
    /// # Errors
    ///
    /// [`ArgumentError::NoSecrets`] for an empty list and
    /// [`ArgumentError::EmptySecret`] for an empty string.
    pub fn new<S: AsRef<[u8]>>(secrets: &[S]) -> Result<Self, ArgumentError> {
        if secrets.is_empty() {
            return Err(ArgumentError::NoSecrets);
        }
        let keys = secrets
            .iter()
            .enumerate()
            .map(|(index, secret)| hmac_for(secret.as_ref(), index))
            .collect::<Result<_, _>>()?;
        let api_key_like = secrets.iter().any(|secret| {
            let secret = secret.as_ref();
            secret.starts_with(b"sk-coasty-") || secret.starts_with(b"cua_sk_")
        });
        Ok(Self {
            keys,
            tolerance_seconds: DEFAULT_TOLERANCE_SECONDS,
            api_key_like,
        })
    }

    /// Sets how far, in seconds and in either direction, `t` may be from `now`.
    ///
    /// The boundary is inclusive, and 0 means "the same second", not "disabled".
    pub fn with_tolerance(mut self, tolerance_seconds: u64) -> Self {
        self.tolerance_seconds = tolerance_seconds;
        self
    }

    /// Returns the tolerance in seconds.
    pub fn tolerance_seconds(&self) -> u64 {
        self.tolerance_seconds
    }

    /// Returns how many secrets the verifier holds.
    pub fn secret_count(&self) -> usize {
        self.keys.len()
    }

    /// Verifies a delivery given the signature header value, if any.
    ///
    /// `payload` is the raw request body, hashed exactly as received; `now` is the
    /// current time in unix seconds.
    ///
    /// # Errors
    ///
    /// The first failing check: [`WebhookError::MissingHeader`],
    /// [`WebhookError::MalformedHeader`], [`WebhookError::NoMatchingSignature`] or
    /// [`WebhookError::TimestampOutOfTolerance`].
    pub fn verify(
        &self,
        header: Option<&str>,
        payload: &[u8],
        now: i64,
    ) -> Result<Verified, WebhookError> {
        let header = SignatureHeader::parse(header.unwrap_or(""))?;
        self.verify_parsed(&header, payload, now)
    }

    /// Verifies a delivery whose signature header arrived as a list of values.
    ///
    /// Frameworks that keep repeated headers apart (Node's `req.headersDistinct`)
    /// give such a list. An empty list is a missing header and two or more values
    /// are malformed.
    ///
    /// # Errors
    ///
    /// As [`Verifier::verify`].
    pub fn verify_values(
        &self,
        header_values: &[&str],
        payload: &[u8],
        now: i64,
    ) -> Result<Verified, WebhookError> {
        let header = SignatureHeader::parse_values(header_values)?;
        self.verify_parsed(&header, payload, now)
    }

    /// Verifies a delivery against an already parsed header.
    ///
    /// # Errors
    ///
    /// [`WebhookError::NoMatchingSignature`] or
    /// [`WebhookError::TimestampOutOfTolerance`].
    pub fn verify_parsed(
        &self,
        header: &SignatureHeader<'_>,
        payload: &[u8],
        now: i64,
    ) -> Result<Verified, WebhookError> {
        let secret_index =
            self.matching_secret(header, payload)
                .ok_or(WebhookError::NoMatchingSignature {
                    timestamp: header.timestamp,
                    secret_looks_like_api_key: self.api_key_like,
                })?;
        self.check_timestamp(header.timestamp, now)?;
        Ok(Verified {
            timestamp: header.timestamp,
            secret_index,
        })
    }

    /// Verifies a delivery and checks that the payload is an event: UTF-8 JSON
    /// whose top level is an object. One leading UTF-8 byte order mark is skipped
    /// for the JSON check only; the signature covers it.
    ///
    /// Returns the result and the payload with that mark removed.
    ///
    /// # Errors
    ///
    /// As [`Verifier::verify`], then [`WebhookError::InvalidPayload`].
    pub fn verify_event<'p>(
        &self,
        header: Option<&str>,
        payload: &'p [u8],
        now: i64,
    ) -> Result<(Verified, &'p str), WebhookError> {
        let verified = self.verify(header, payload, now)?;
        let json = check_event_payload(payload)?;
        Ok((verified, json))
    }

    /// Signs a payload with the first secret; see [`sign`].
    ///
    /// # Errors
    ///
    /// [`ArgumentError::NegativeTimestamp`] for a timestamp before 1970.
    pub fn sign(&self, payload: &[u8], timestamp: i64) -> Result<String, ArgumentError> {
        if timestamp < 0 {
            return Err(ArgumentError::NegativeTimestamp { timestamp });
        }
        let digits = timestamp.to_string();
        let mac = compute(&self.keys[0], &digits, payload);
        Ok(format!("t={digits},v1={}", hex(&mac.into_bytes())))
    }

    fn matching_secret(&self, header: &SignatureHeader<'_>, payload: &[u8]) -> Option<usize> {
        let candidates: Vec<CtOutput<HmacSha256>> = header
            .candidates
            .iter()
            .flatten()
            .map(|bytes| CtOutput::new(Output::<HmacSha256>::clone_from_slice(bytes)))
            .collect();
        if candidates.is_empty() {
            return None;
        }
        // Every secret and candidate is compared, so the time taken does not
        // reveal which one matched.
        let mut matched = None;
        for (index, key) in self.keys.iter().enumerate() {
            let expected = compute(key, header.timestamp_digits, payload);
            for candidate in &candidates {
                // `CtOutput` equality is a constant-time comparison (`subtle`).
                if *candidate == expected && matched.is_none() {
                    matched = Some(index);
                }
            }
        }
        matched
    }

    fn check_timestamp(&self, timestamp: i64, now: i64) -> Result<(), WebhookError> {
        let skew = i128::from(now) - i128::from(timestamp);
        if skew.unsigned_abs() <= u128::from(self.tolerance_seconds) {
            return Ok(());
        }
        let skew_seconds = skew.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        Err(WebhookError::TimestampOutOfTolerance {
            timestamp,
            skew_seconds,
            tolerance_seconds: self.tolerance_seconds,
        })
    }
}

/// Signs a payload: returns the header value `t=<timestamp>,v1=<hex>` that Coasty
/// would send for it.
///
/// # Errors
///
/// [`ArgumentError::EmptySecret`] for an empty secret and
/// [`ArgumentError::NegativeTimestamp`] for a timestamp before 1970.
pub fn sign(secret: &str, payload: &[u8], timestamp: i64) -> Result<String, ArgumentError> {
    Verifier::new(&[secret])?.sign(payload, timestamp)
}

/// Returns the lower-case hex `v1` value for a payload, a secret and the `t`
/// digits as they appear in the header.
///
/// # Errors
///
/// [`ArgumentError::EmptySecret`] for an empty secret.
pub fn signature_hex(
    secret: &[u8],
    timestamp_digits: &str,
    payload: &[u8],
) -> Result<String, ArgumentError> {
    let key = hmac_for(secret, 0)?;
    Ok(hex(&compute(&key, timestamp_digits, payload).into_bytes()))
}

/// Checks that a payload is an event; see [`Verifier::verify_event`].
///
/// # Errors
///
/// [`WebhookError::InvalidPayload`] naming the problem.
pub fn check_event_payload(payload: &[u8]) -> Result<&str, WebhookError> {
    let payload = payload.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(payload);
    let text = std::str::from_utf8(payload)
        .map_err(|_| WebhookError::InvalidPayload(InvalidPayload::NotUtf8))?;
    let value =
        Json::parse(text).map_err(|_| WebhookError::InvalidPayload(InvalidPayload::NotJson))?;
    if value.as_object().is_none() {
        return Err(WebhookError::InvalidPayload(InvalidPayload::NotObject));
    }
    Ok(text)
}

fn hmac_for(secret: &[u8], index: usize) -> Result<HmacSha256, ArgumentError> {
    if secret.is_empty() {
        return Err(ArgumentError::EmptySecret { index });
    }
    // HMAC accepts keys of any length, so this cannot fail.
    HmacSha256::new_from_slice(secret).map_err(|_| ArgumentError::EmptySecret { index })
}

fn compute(key: &HmacSha256, timestamp_digits: &str, payload: &[u8]) -> CtOutput<HmacSha256> {
    let mut mac = key.clone();
    mac.update(timestamp_digits.as_bytes());
    mac.update(b".");
    mac.update(payload);
    mac.finalize()
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for byte in bytes {
        out.push(DIGITS[usize::from(byte >> 4)] as char);
        out.push(DIGITS[usize::from(byte & 0x0f)] as char);
    }
    out
}

const _: () = assert!(MAC_LEN == 32);
