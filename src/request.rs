//! Everything a call needs before it touches the network: checked endpoint,
//! token and options, and the HTTP request they make.

use crate::name::OperationName;
use std::fmt;

/// The service's public endpoint.
pub const DEFAULT_ENDPOINT: &str = "https://routeoptimization.googleapis.com";
/// Per-call timeout when the caller gives none.
pub const DEFAULT_TIMEOUT_MS: u32 = 60_000;
/// Longest timeout a JS timer can hold (2^31 - 1 ms, about 24.8 days).
pub const MAX_TIMEOUT_MS: u32 = i32::MAX as u32;
/// Longest token accepted, in bytes.
pub const MAX_TOKEN_BYTES: usize = 8192;

/// An absolute `http(s)` base URL without query or fragment, stored without
/// trailing slashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint(String);

impl Endpoint {
    pub fn parse(text: &str) -> Result<Endpoint, String> {
        let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
        let scheme_len = if lower.starts_with("https://") {
            8
        } else if lower.starts_with("http://") {
            7
        } else {
            return Err(format!(
                "endpoint {text:?} must be an absolute http:// or https:// URL"
            ));
        };
        let rest = text.get(scheme_len..).unwrap_or_default();
        if let Some(c) = rest.chars().find(|c| !c.is_ascii_graphic()) {
            return Err(format!(
                "endpoint {text:?} contains {c:?}; encode it or use the host's ASCII form"
            ));
        }
        if rest.contains(['?', '#']) {
            return Err(format!(
                "endpoint {text:?} must not have a query or fragment"
            ));
        }
        if rest.contains('\\') {
            return Err(format!("endpoint {text:?} must not contain '\\'"));
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if authority.contains('@') {
            return Err(format!("endpoint {text:?} must not carry credentials"));
        }
        let (host, port) = match authority.rfind(':') {
            Some(i) if !authority.ends_with(']') => (
                authority.get(..i).unwrap_or_default(),
                authority.get(i + 1..),
            ),
            _ => (authority, None),
        };
        let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'))
        {
            !inner.is_empty()
                && inner
                    .chars()
                    .all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        } else {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        };
        if !host_ok {
            return Err(format!("endpoint {text:?} has no valid host"));
        }
        if let Some(port) = port {
            if !port.bytes().all(|b| b.is_ascii_digit())
                || !matches!(port.parse::<u32>(), Ok(1..=65535))
            {
                return Err(format!("endpoint {text:?} has an invalid port"));
            }
        }
        let scheme = lower.get(..scheme_len).unwrap_or_default();
        Ok(Endpoint(format!(
            "{scheme}{authority}{}",
            path.trim_end_matches('/')
        )))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint(DEFAULT_ENDPOINT.to_owned())
    }
}

/// An OAuth 2 bearer token. Its `Debug` form never shows the value, and no
/// error message built here contains it.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Accepts the RFC 6750 `b64token` alphabet (letters, digits, `-._~+/`,
    /// trailing `=`), which every OAuth access token uses. Anything else could
    /// break or inject into the `Authorization` header.
    pub fn parse(text: &str) -> Result<Token, String> {
        if text.is_empty() {
            return Err("token is empty".into());
        }
        if text.len() > MAX_TOKEN_BYTES {
            return Err(format!("token is longer than {MAX_TOKEN_BYTES} bytes"));
        }
        let body = text.trim_end_matches('=');
        let allowed =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '+' | '/');
        if body.is_empty() || !body.chars().all(allowed) {
            let what = if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
                "whitespace or control characters"
            } else {
                "characters outside the bearer-token alphabet (letters, digits, -._~+/ and trailing =)"
            };
            return Err(format!(
                "token contains {what}; pass the bare access token without \"Bearer \""
            ));
        }
        Ok(Token(text.to_owned()))
    }

    /// The value of the `Authorization` header.
    pub fn authorization(&self) -> String {
        format!("Bearer {}", self.0)
    }

    /// The raw token, for removing it from text that must not carry it.
    pub fn secret(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Token(<redacted>)")
    }
}

/// Checks a project ID or number for the `x-goog-user-project` header.
pub fn parse_quota_project(text: &str) -> Result<String, String> {
    if text.is_empty()
        || text.len() > 128
        || !text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '_'))
    {
        return Err(format!(
            "quotaProject {text:?} is not a project ID or number"
        ));
    }
    Ok(text.to_owned())
}

/// Checks a timeout in milliseconds as JS gives it (any number).
pub fn parse_timeout_ms(value: f64) -> Result<u32, String> {
    if !value.is_finite() || value < 1.0 || value > f64::from(MAX_TIMEOUT_MS) {
        return Err(format!(
            "timeoutMs must be a number from 1 to {MAX_TIMEOUT_MS}"
        ));
    }
    // In range, so the conversion is exact after rounding up.
    Ok(value.ceil() as u32)
}

/// Options shared by every call, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CallOptions {
    pub endpoint: Endpoint,
    pub quota_project: Option<String>,
    pub timeout_ms: Option<u32>,
}

impl CallOptions {
    pub fn timeout_ms(&self) -> u32 {
        self.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One HTTP request, minus the credentials (the transport adds those).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub quota_project: Option<String>,
}

/// `POST {endpoint}/v1/{name}:cancel`
pub fn cancel(name: &OperationName, options: &CallOptions) -> HttpRequest {
    HttpRequest {
        method: Method::Post,
        url: format!("{}/v1/{}:cancel", options.endpoint.as_str(), name.to_path()),
        quota_project: options.quota_project.clone(),
    }
}

/// `GET {endpoint}/v1/{name}`
pub fn get(name: &OperationName, options: &CallOptions) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url: format!("{}/v1/{}", options.endpoint.as_str(), name.to_path()),
        quota_project: options.quota_project.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        let ok = |t: &str| Endpoint::parse(t).unwrap_or_else(|e| panic!("{t}: {e}")).0;
        assert_eq!(
            ok("https://routeoptimization.googleapis.com"),
            DEFAULT_ENDPOINT
        );
        assert_eq!(ok("HTTPS://Example.com/"), "https://Example.com");
        assert_eq!(ok("http://127.0.0.1:8787"), "http://127.0.0.1:8787");
        assert_eq!(ok("http://[::1]:8787/prefix//"), "http://[::1]:8787/prefix");
        assert_eq!(ok("http://[::1]"), "http://[::1]");
        assert_eq!(ok("http://localhost/a%20b"), "http://localhost/a%20b");
        for bad in [
            "",
            "routeoptimization.googleapis.com",
            "ftp://example.com",
            "//example.com",
            "https://",
            "https:///path",
            "https://example.com?x=1",
            "https://example.com/#f",
            "https://user:pw@example.com",
            "https://exa mple.com",
            "https://example.com/a b",
            "https://example.com\n",
            "https://exämple.com",
            "https://example.com:0",
            "https://example.com:65536",
            "https://example.com:+80",
            "https://example.com:",
            "https://example.com\\@evil.com",
            "javascript:alert(1)",
        ] {
            assert!(Endpoint::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn tokens() {
        let real_shape = "ya29.a0AfB_byC-1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJ_KLMNOP-qrs";
        assert!(Token::parse(real_shape).is_ok());
        assert!(Token::parse("abc+/=").is_ok());
        assert!(Token::parse("abc==").is_ok());
        for bad in [
            "",
            " ",
            "Bearer abc",
            "abc def",
            "abc\r\nX-Evil: 1",
            "abc\t",
            "tök",
            "a\"b",
            "a=b",
            "=",
            "a,b",
        ] {
            let err = Token::parse(bad).expect_err(bad);
            assert!(
                bad.len() < 3 || !err.contains(bad),
                "message {err:?} echoes the token"
            );
        }
        assert!(Token::parse(&"a".repeat(MAX_TOKEN_BYTES + 1)).is_err());
    }

    #[test]
    fn token_debug_is_redacted() {
        let token = Token::parse("ya29.secret-value").unwrap();
        let shown = format!("{token:?} {:?}", Some(&token));
        assert!(!shown.contains("secret"), "{shown}");
        assert_eq!(token.authorization(), "Bearer ya29.secret-value");
    }

    #[test]
    fn quota_projects_and_timeouts() {
        assert!(parse_quota_project("my-project-123").is_ok());
        assert!(parse_quota_project("123456789012").is_ok());
        for bad in ["", "a b", "a\r\nb", "ä", &"p".repeat(129)] {
            assert!(parse_quota_project(bad).is_err(), "{bad:?}");
        }
        assert_eq!(parse_timeout_ms(1.0), Ok(1));
        assert_eq!(parse_timeout_ms(2.5), Ok(3));
        assert_eq!(
            parse_timeout_ms(f64::from(MAX_TIMEOUT_MS)),
            Ok(MAX_TIMEOUT_MS)
        );
        for bad in [
            0.0,
            0.5,
            -1.0,
            f64::NAN,
            f64::INFINITY,
            f64::from(MAX_TIMEOUT_MS) + 1.0,
        ] {
            assert!(parse_timeout_ms(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        let options = CallOptions {
            endpoint: Endpoint::parse("http://127.0.0.1:9/base/").unwrap(),
            ..CallOptions::default()
        };
        let name = OperationName::parse("operations/a b?c#d").unwrap();
        assert_eq!(
            cancel(&name, &options).url,
            "http://127.0.0.1:9/base/v1/operations/a%20b%3Fc%23d:cancel"
        );
        assert_eq!(cancel(&name, &options).method, Method::Post);
        let name = OperationName::parse("projects/p/locations/l/operations/1").unwrap();
        let request = get(&name, &CallOptions::default());
        assert_eq!(
            request.url,
            "https://routeoptimization.googleapis.com/v1/projects/p/locations/l/operations/1"
        );
        assert_eq!(request.method, Method::Get);
    }
}
