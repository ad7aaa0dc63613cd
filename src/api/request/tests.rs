//! Unit tests of API keys, client configuration and idempotency keys.

use super::*;
use crate::api::validate::Pattern;

#[test]
fn api_key_rejections() {
    for (key, problem) in [
        ("", "it is empty"),
        ("Bearer sk-coasty-live-abc", "it starts with \"Bearer \""),
        ("bearer sk-coasty-live-abc", "it starts with \"Bearer \""),
        ("sk-coasty-live-abc\r\nX-Evil: 1", "it contains whitespace"),
        (" sk-coasty-live-abc", "it contains whitespace"),
        (
            "sk-coasty-live-é",
            "it contains whitespace, control or non-ASCII",
        ),
    ] {
        let error = ApiKey::new(key).unwrap_err();
        assert_eq!(error.code(), "INVALID_API_KEY", "{key:?}");
        assert!(error.to_string().contains(problem), "{key:?}: {error}");
        if key.len() > 8 {
            assert!(!error.to_string().contains(&key[7..]), "{key:?} leaked");
        }
    }
    assert!(ApiKey::new("Bearerless").is_ok());
    assert!(ApiKey::new("ab€cdefgh").is_err());
}

#[test]
fn api_key_debug_shows_prefix_only() {
    let secret = "0123456789abcdef0123456789abcdef0123456789abcdef";
    for prefix in KEY_PREFIXES {
        let key = ApiKey::new(format!("{prefix}{secret}")).unwrap();
        assert_eq!(format!("{key:?}"), format!("ApiKey({prefix}…redacted)"));
    }
    let key = ApiKey::new("local-fake-key").unwrap();
    assert_eq!(format!("{key:?}"), "ApiKey(…redacted)");
    let key = ApiKey::new("sk-coasty-live-").unwrap();
    assert_eq!(format!("{key:?}"), "ApiKey(…redacted)");
}

#[test]
fn base_url_normalised() {
    let config = ClientConfig::new("http://127.0.0.1:8787/v1/").unwrap();
    assert_eq!(config.base_url(), "http://127.0.0.1:8787/v1");
    let config = ClientConfig::new("https://coasty.ai/v1").unwrap();
    assert_eq!(config.base_url(), DEFAULT_BASE_URL);
    assert_eq!(ClientConfig::default().base_url(), DEFAULT_BASE_URL);
    assert_eq!(
        ClientConfig::default().auth_scheme(),
        AuthScheme::ApiKeyHeader
    );
    assert!(ClientConfig::default().api_key().is_none());
}

#[test]
fn base_url_rejections() {
    for url in [
        "",
        "coasty.ai/v1",
        "ftp://coasty.ai/v1",
        "https:///v1",
        "https://coasty.ai/v1?x=1",
        "https://coasty.ai/v1#top",
        "https://coasty.ai/v1 ",
        "https://user:pw@coasty.ai/v1",
    ] {
        let error = ClientConfig::new(url).unwrap_err();
        assert_eq!(error.code(), "INVALID_BASE_URL", "{url:?}");
    }
    let error = ClientConfig::new("https://user:pw@coasty.ai/v1").unwrap_err();
    assert!(!error.to_string().contains("pw"));
}

#[test]
fn random_idempotency_key_is_valid() {
    let key = idempotency_key_from_random(&[0xab; 16]);
    assert_eq!(key, format!("coasty_{}", "ab".repeat(16)));
    assert_eq!(key.len(), 39);
    assert!(Pattern::IdempotencyKey.matches(&key));
    let key = idempotency_key_from_random(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 255]);
    assert_eq!(key, "coasty_000102030405060708090a0b0c0d0eff");
}

#[test]
fn error_codes_are_distinct() {
    let errors = [
        BuildError::UnknownOperation { id: "x".into() },
        BuildError::MissingPathParam {
            operation: "runs.get",
            name: "id".into(),
        },
        BuildError::Validation(ValidationError::new("a", "", "b", "c")),
        BuildError::MissingApiKey {
            operation: "runs.get",
        },
        BuildError::InvalidApiKey { problem: "p" },
        BuildError::InvalidBaseUrl {
            url: "u".into(),
            problem: "p",
        },
        BuildError::InvalidHeader {
            name: "n".into(),
            problem: "p".into(),
        },
    ];
    for (index, error) in errors.iter().enumerate() {
        let code = error.code();
        assert!(code.bytes().all(|b| b.is_ascii_uppercase() || b == b'_'));
        assert!(!errors[index + 1..].iter().any(|other| other.code() == code));
    }
}
