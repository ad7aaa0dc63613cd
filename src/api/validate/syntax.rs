//! Hand-written checks for URLs, screenshots and fixed string patterns.

use super::describe::decimal;
use super::{MAX_SCREENSHOT_CHARS, MAX_URL_CHARS, MIN_SCREENSHOT_CHARS};

/// The parts of an http(s) URL that the checks need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct HttpUrl<'a> {
    /// Whether the scheme is https.
    pub(crate) https: bool,
    /// Host as written, with brackets for IPv6 (`[::1]`).
    pub(crate) host: &'a str,
    /// Whether a `?` query or `#` fragment follows the path.
    pub(crate) has_query_or_fragment: bool,
}

/// Splits an absolute http or https URL, rejecting whitespace, control
/// characters, user info, an empty host and a bad port.
pub(crate) fn parse_http_url(url: &str) -> Result<HttpUrl<'_>, &'static str> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err("contains whitespace or control characters");
    }
    let (https, rest) = if let Some(rest) = strip_prefix_ignore_case(url, "https://") {
        (true, rest)
    } else if let Some(rest) = strip_prefix_ignore_case(url, "http://") {
        (false, rest)
    } else {
        return Err("is not an http:// or https:// URL");
    };

    let authority_end = rest
        .bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    if authority.contains('@') {
        return Err("contains user info (user@ or user:password@)");
    }
    let (host, port) = split_host_port(authority)?;
    if host.is_empty() {
        return Err("has no host");
    }
    if let Some(port) = port {
        let digits =
            !port.is_empty() && port.len() <= 5 && port.bytes().all(|b| b.is_ascii_digit());
        // At most five digits, so the value cannot overflow.
        let value = port
            .bytes()
            .fold(0_u32, |value, b| value * 10 + u32::from(b - b'0'));
        let valid = digits && (1..=65535).contains(&value);
        if !valid {
            return Err("has an invalid port");
        }
    }

    Ok(HttpUrl {
        https,
        host,
        has_query_or_fragment: tail.bytes().any(|b| b == b'?' || b == b'#'),
    })
}

fn split_host_port(authority: &str) -> Result<(&str, Option<&str>), &'static str> {
    if authority.starts_with('[') {
        let close = authority
            .bytes()
            .position(|b| b == b']')
            .ok_or("has an unclosed [ in its host")?;
        let (host, after) = authority.split_at(close + 1);
        if after.is_empty() {
            return Ok((host, None));
        }
        let port = after
            .strip_prefix(':')
            .ok_or("has characters after the ] of its host")?;
        return Ok((host, Some(port)));
    }
    match authority.bytes().rposition(|b| b == b':') {
        Some(colon) => Ok((&authority[..colon], Some(&authority[colon + 1..]))),
        None => Ok((authority, None)),
    }
}

/// Checks whether `host` is `localhost`, `127.0.0.1` or `[::1]`.
pub(crate) fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1" || host == "[::1]"
}

pub(super) fn check_url(text: &str) -> Result<(), String> {
    let count = text.chars().count();
    if count > MAX_URL_CHARS {
        return Err([&decimal(count as i64), " characters"].concat());
    }
    let url = parse_http_url(text).map_err(String::from)?;
    if !url.https && !is_loopback_host(url.host) {
        return Err("uses plain http for a host other than 127.0.0.1, localhost or [::1]".into());
    }
    Ok(())
}

pub(super) fn check_screenshot(text: &str) -> Result<(), String> {
    if strip_prefix_ignore_case(text, "data:").is_some() {
        return Err("starts with a data: prefix; send the raw base64 only".into());
    }
    if text.bytes().any(|b| b.is_ascii_whitespace()) {
        return Err("contains whitespace or line breaks".into());
    }
    let count = text.chars().count();
    if !(MIN_SCREENSHOT_CHARS..=MAX_SCREENSHOT_CHARS).contains(&count) {
        return Err([&decimal(count as i64), " characters"].concat());
    }
    Ok(())
}

/// Checks `^[a-z0-9][a-z0-9_-]{0,62}$`.
pub(super) fn is_slug(text: &str) -> bool {
    let bytes = text.as_bytes();
    let lower_or_digit = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    match bytes.split_first() {
        Some((first, rest)) => {
            lower_or_digit(first)
                && rest.len() <= 62
                && rest
                    .iter()
                    .all(|b| lower_or_digit(b) || *b == b'_' || *b == b'-')
        }
        None => false,
    }
}

/// Checks for 1..=`max_len` ASCII letters, digits or bytes from `extra`.
pub(super) fn is_token(text: &str, max_len: usize, extra: &[u8]) -> bool {
    (1..=max_len).contains(&text.len())
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || extra.contains(&b))
}

/// Checks `YYYY-MM` with a month from 01 to 12.
pub(super) fn is_year_month(text: &str) -> bool {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    bytes.len() == 7
        && digits(0..4)
        && bytes[4] == b'-'
        && digits(5..7)
        && (1..=12).contains(&((bytes[5] - b'0') * 10 + bytes[6] - b'0'))
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slug_boundaries() {
        assert!(is_slug("a"));
        assert!(is_slug("0-invoice_bot"));
        assert!(is_slug(&format!("a{}", "b".repeat(62))));
        assert!(!is_slug(&format!("a{}", "b".repeat(63))));
        assert!(!is_slug(""));
        assert!(!is_slug("-a"));
        assert!(!is_slug("_a"));
        assert!(!is_slug("Abc"));
        assert!(!is_slug("a.b"));
        assert!(!is_slug("é"));
    }

    #[test]
    fn token_boundaries() {
        assert!(is_token("key_1-A", 128, b"_-"));
        assert!(is_token(&"k".repeat(128), 128, b"_-"));
        assert!(!is_token(&"k".repeat(129), 128, b"_-"));
        assert!(!is_token("", 128, b"_-"));
        assert!(!is_token("a:b", 128, b"_-"));
        assert!(is_token("a:b", 128, b"_:-"));
        assert!(!is_token("a b", 128, b"_:-"));
    }

    #[test]
    fn year_month_values() {
        assert!(is_year_month("2026-01"));
        assert!(is_year_month("2026-12"));
        assert!(!is_year_month("2026-00"));
        assert!(!is_year_month("2026-13"));
        assert!(!is_year_month("2026-1"));
        assert!(!is_year_month("26-01-01"));
        assert!(!is_year_month("2026/01"));
        assert!(!is_year_month("２０２６-01"));
    }

    #[test]
    fn url_parts() {
        let url = parse_http_url("HTTPS://Example.com:8443/v1?x=1").unwrap();
        assert!(url.https);
        assert_eq!(url.host, "Example.com");
        assert!(url.has_query_or_fragment);

        let url = parse_http_url("http://[::1]:8787").unwrap();
        assert!(!url.https);
        assert_eq!(url.host, "[::1]");
        assert!(!url.has_query_or_fragment);
    }

    #[test]
    fn url_rejections() {
        assert!(parse_http_url("ftp://example.com").is_err());
        assert!(parse_http_url("https://").is_err());
        assert!(parse_http_url("https://user:pw@example.com").is_err());
        assert!(parse_http_url("https://example.com:0").is_err());
        assert!(parse_http_url("https://example.com:65536").is_err());
        assert!(parse_http_url("https://example.com:").is_err());
        assert!(parse_http_url("https://exa mple.com").is_err());
        assert!(parse_http_url("https://example.com/\n").is_err());
        assert!(parse_http_url("https://[::1").is_err());
        assert!(parse_http_url("https://[::1]x").is_err());
    }

    #[test]
    fn webhook_url_http_only_on_loopback() {
        assert!(check_url("https://hooks.example.com/coasty").is_ok());
        assert!(check_url("http://127.0.0.1:9000/hook").is_ok());
        assert!(check_url("http://LOCALHOST/hook").is_ok());
        assert!(check_url("http://[::1]:9000/hook").is_ok());
        assert!(check_url("http://hooks.example.com/coasty").is_err());
        assert!(check_url("http://127.0.0.2/hook").is_err());
        assert!(check_url("http://localhost.example.com/hook").is_err());
    }

    #[test]
    fn screenshot_rules() {
        let base = "A".repeat(MIN_SCREENSHOT_CHARS);
        assert!(check_screenshot(&base).is_ok());
        assert!(check_screenshot(&base[1..]).is_err());
        assert!(check_screenshot(&format!("data:image/png;base64,{base}")).is_err());
        assert!(check_screenshot(&format!("DATA:{base}")).is_err());
        assert!(check_screenshot(&format!("{base}\n{base}")).is_err());
    }
}
