//! Parsing of the `Coasty-Signature` header value.

use super::error::{MalformedHeader, WebhookError};
use super::{MAX_HEADER_BYTES, MAX_SIGNATURES};

/// Length of a SHA-256 MAC in bytes.
pub(crate) const MAC_LEN: usize = 32;

/// A parsed signature header.
#[derive(Clone, PartialEq, Eq)]
pub struct SignatureHeader<'a> {
    /// The `t` digits exactly as received; they are part of the signed message.
    pub(crate) timestamp_digits: &'a str,
    /// The `t` value in unix seconds.
    pub timestamp: i64,
    /// Every `v1` item, hex-decoded; `None` for one that is not 64 hex characters.
    pub(crate) candidates: Vec<Option<[u8; MAC_LEN]>>,
}

impl std::fmt::Debug for SignatureHeader<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SignatureHeader")
            .field("timestamp", &self.timestamp)
            .field("signatures", &self.candidates.len())
            .finish()
    }
}

impl<'a> SignatureHeader<'a> {
    /// Parses the values of the signature header as a request carried them.
    ///
    /// An empty list means the header is absent. One value is parsed; two or more
    /// (even identical ones) are malformed, because a proxy duplicated the header.
    ///
    /// # Errors
    ///
    /// [`WebhookError::MissingHeader`] for no value, or one that is empty or
    /// whitespace only; [`WebhookError::MalformedHeader`] for anything else that is
    /// not `t=<digits>,v1=<hex>[,v1=<hex>...]`.
    pub fn parse_values(values: &[&'a str]) -> Result<Self, WebhookError> {
        match values {
            [] => Err(WebhookError::MissingHeader),
            [value] => Self::parse(value),
            _ => Err(malformed(MalformedHeader::Duplicated {
                count: values.len(),
            })),
        }
    }

    /// Parses one header value.
    ///
    /// # Errors
    ///
    /// As [`SignatureHeader::parse_values`].
    pub fn parse(value: &'a str) -> Result<Self, WebhookError> {
        if value.trim().is_empty() {
            return Err(WebhookError::MissingHeader);
        }
        if value.len() > MAX_HEADER_BYTES {
            return Err(malformed(MalformedHeader::TooLong { len: value.len() }));
        }

        let mut timestamp_digits = None;
        let mut candidates = Vec::new();
        for item in value.split(',') {
            let item = item.trim_matches([' ', '\t']);
            let Some((key, item_value)) = item.split_once('=') else {
                continue;
            };
            match key {
                "t" if timestamp_digits.is_some() => {
                    return Err(malformed(MalformedHeader::RepeatedTimestamp));
                }
                "t" => timestamp_digits = Some(item_value),
                "v1" => candidates.push(decode_hex_mac(item_value)),
                _ => {}
            }
        }

        let timestamp_digits =
            timestamp_digits.ok_or(malformed(MalformedHeader::MissingTimestamp))?;
        let timestamp = parse_timestamp(timestamp_digits)
            .ok_or(malformed(MalformedHeader::InvalidTimestamp))?;
        if candidates.is_empty() {
            return Err(malformed(MalformedHeader::MissingSignature));
        }
        if candidates.len() > MAX_SIGNATURES {
            return Err(malformed(MalformedHeader::TooManySignatures {
                count: candidates.len(),
            }));
        }

        Ok(Self {
            timestamp_digits,
            timestamp,
            candidates,
        })
    }

    /// Returns how many `v1` items the header has, valid or not.
    pub fn signature_count(&self) -> usize {
        self.candidates.len()
    }
}

fn malformed(reason: MalformedHeader) -> WebhookError {
    WebhookError::MalformedHeader(reason)
}

/// Parses ASCII digits into an `i64`; `str::parse` alone would accept a `+` sign.
fn parse_timestamp(digits: &str) -> Option<i64> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn decode_hex_mac(hex: &str) -> Option<[u8; MAC_LEN]> {
    let bytes = hex.as_bytes();
    if bytes.len() != MAC_LEN * 2 {
        return None;
    }
    let mut mac = [0u8; MAC_LEN];
    for (out, pair) in mac.iter_mut().zip(bytes.chunks_exact(2)) {
        *out = (hex_digit(pair[0])? << 4) | hex_digit(pair[1])?;
    }
    Some(mac)
}

fn hex_digit(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAC: &str = "5f70978eab52dbf5838da76e5eb6c6c465560ce8e746ed8e6113c159d8bbb2d4";

    fn parse_err(value: &str) -> WebhookError {
        SignatureHeader::parse(value).unwrap_err()
    }

    #[test]
    fn parses_timestamp_and_signature() {
        let header_value = format!("t=1750000000,v1={MAC}");
        let header = SignatureHeader::parse(&header_value).unwrap();
        assert_eq!(header.timestamp, 1_750_000_000);
        assert_eq!(header.timestamp_digits, "1750000000");
        assert_eq!(header.signature_count(), 1);
        assert!(header.candidates[0].is_some());
    }

    #[test]
    fn keeps_timestamp_digits_as_received() {
        let header_value = format!("t=0001750000000,v1={MAC}");
        let header = SignatureHeader::parse(&header_value).unwrap();
        assert_eq!(header.timestamp, 1_750_000_000);
        assert_eq!(header.timestamp_digits, "0001750000000");
    }

    #[test]
    fn ignores_spaces_tabs_empty_and_unknown_items() {
        let value = format!(" \tt=1 ,, v0=abc,\tv1={MAC} ,v2=zz,noequals, ");
        let header = SignatureHeader::parse(&value).unwrap();
        assert_eq!(header.timestamp, 1);
        assert_eq!(header.signature_count(), 1);
    }

    #[test]
    fn splits_items_on_first_equals() {
        let header_value = format!("t=1,v1={MAC},v1=ab=cd");
        let header = SignatureHeader::parse(&header_value).unwrap();
        assert_eq!(header.signature_count(), 2);
        assert!(header.candidates[1].is_none());
    }

    #[test]
    fn keys_are_case_sensitive() {
        let err = parse_err(&format!("T=1,v1={MAC}"));
        assert_eq!(err, malformed(MalformedHeader::MissingTimestamp));
        let err = parse_err(&format!("t=1,V1={MAC}"));
        assert_eq!(err, malformed(MalformedHeader::MissingSignature));
    }

    #[test]
    fn hex_is_case_insensitive() {
        let upper = MAC.to_ascii_uppercase();
        let header_value = format!("t=1,v1={upper}");
        let header = SignatureHeader::parse(&header_value).unwrap();
        let lower_value = format!("t=1,v1={MAC}");
        let lower = SignatureHeader::parse(&lower_value).unwrap();
        assert_eq!(header.candidates, lower.candidates);
    }

    #[test]
    fn junk_candidate_is_kept_as_non_matching() {
        for junk in [
            "",
            "abc",
            &MAC[..63],
            &format!("{MAC}0"),
            &MAC.replace('5', "g"),
        ] {
            let header_value = format!("t=1,v1={junk}");
            let header = SignatureHeader::parse(&header_value).unwrap();
            assert_eq!(header.candidates, vec![None], "candidate {junk:?}");
        }
    }

    #[test]
    fn empty_or_blank_value_is_missing() {
        for value in ["", " ", "\t \t", "\r\n"] {
            assert_eq!(parse_err(value), WebhookError::MissingHeader, "{value:?}");
        }
        assert_eq!(
            SignatureHeader::parse_values(&[]).unwrap_err(),
            WebhookError::MissingHeader
        );
    }

    #[test]
    fn two_values_are_malformed_even_when_identical() {
        let value = format!("t=1,v1={MAC}");
        let err = SignatureHeader::parse_values(&[&value, &value]).unwrap_err();
        assert_eq!(err, malformed(MalformedHeader::Duplicated { count: 2 }));
    }

    #[test]
    fn one_value_in_a_list_is_that_value() {
        let value = format!("t=1,v1={MAC}");
        let header = SignatureHeader::parse_values(&[&value]).unwrap();
        assert_eq!(header.timestamp, 1);
    }

    #[test]
    fn repeated_timestamp_is_malformed() {
        let err = parse_err(&format!("t=1,t=1,v1={MAC}"));
        assert_eq!(err, malformed(MalformedHeader::RepeatedTimestamp));
    }

    #[test]
    fn non_digit_timestamps_are_malformed() {
        for t in ["", "+1", "-1", "1.5", "1e9", " 1", "0x10", "１２"] {
            let err = parse_err(&format!("t={t},v1={MAC}"));
            assert_eq!(err, malformed(MalformedHeader::InvalidTimestamp), "t={t:?}");
        }
    }

    #[test]
    fn timestamp_must_fit_i64() {
        let max = i64::MAX;
        assert!(SignatureHeader::parse(&format!("t={max},v1={MAC}")).is_ok());
        let err = parse_err(&format!("t=9223372036854775808,v1={MAC}"));
        assert_eq!(err, malformed(MalformedHeader::InvalidTimestamp));
    }

    #[test]
    fn millisecond_timestamp_parses() {
        let header_value = format!("t=1750000000000,v1={MAC}");
        let header = SignatureHeader::parse(&header_value).unwrap();
        assert_eq!(header.timestamp, 1_750_000_000_000);
    }

    #[test]
    fn oversized_value_is_malformed() {
        let value = format!("t=1,v1={MAC},x={}", "a".repeat(MAX_HEADER_BYTES));
        assert!(matches!(
            parse_err(&value),
            WebhookError::MalformedHeader(MalformedHeader::TooLong { .. })
        ));
    }

    #[test]
    fn signature_count_is_capped() {
        let items = vec![format!("v1={MAC}"); MAX_SIGNATURES];
        let at_cap = format!("t=1,{}", items.join(","));
        assert!(SignatureHeader::parse(&at_cap).is_ok());
        let over = format!("{at_cap},v1={MAC}");
        assert_eq!(
            parse_err(&over),
            malformed(MalformedHeader::TooManySignatures {
                count: MAX_SIGNATURES + 1
            })
        );
    }

    #[test]
    fn debug_hides_signatures() {
        let header_value = format!("t=1,v1={MAC}");
        let header = SignatureHeader::parse(&header_value).unwrap();
        let debug = format!("{header:?}");
        assert!(!debug.contains(&MAC[..16]), "{debug}");
    }
}
