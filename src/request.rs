//! Everything a call needs before it touches the network: checked endpoint,
//! token and options, and the HTTP request they make.

use crate::name::{encode_path, OperationName};
use crate::policy::Backoff;
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
        if text.len() > 2048 {
            return Err("endpoint is longer than 2048 bytes".into());
        }
        let lower = text.get(..8).unwrap_or(text).to_ascii_lowercase();
        let scheme_len = if lower.starts_with("https://") {
            8
        } else if lower.starts_with("http://") {
            7
        } else {
            return Err(format!("endpoint {text:?} must be an absolute http:// or https:// URL"));
        };
        let rest = text.get(scheme_len..).unwrap_or_default();
        if let Some(c) = rest.chars().find(|c| !c.is_ascii_graphic()) {
            return Err(format!("endpoint {text:?} contains {c:?}; encode it or use the host's ASCII form"));
        }
        if rest.contains(['?', '#']) {
            // Not echoed: a query may carry a key.
            return Err("endpoint must not have a query or fragment".into());
        }
        if rest.contains('\\') {
            return Err(format!("endpoint {text:?} must not contain '\\'"));
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        if authority.contains('@') {
            // Not echoed: it holds a password.
            return Err("endpoint must not carry credentials (user:password@)".into());
        }
        let (host, port) = match authority.rfind(':') {
            Some(i) if !authority.ends_with(']') => (authority.get(..i).unwrap_or_default(), authority.get(i + 1..)),
            _ => (authority, None),
        };
        let host_ok = if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
            !inner.is_empty() && inner.chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.')
        } else {
            !host.is_empty() && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        };
        if !host_ok {
            return Err(format!("endpoint {text:?} has no valid host"));
        }
        if let Some(port) = port {
            if !port.bytes().all(|b| b.is_ascii_digit()) || !matches!(port.parse::<u32>(), Ok(1..=65535)) {
                return Err(format!("endpoint {text:?} has an invalid port"));
            }
        }
        // `fetch` would resolve these (`%2e` included) and send elsewhere.
        let dot = |s: &str| matches!(s.to_ascii_lowercase().replace("%2e", ".").as_str(), "." | "..");
        if path.split('/').any(dot) {
            return Err(format!("endpoint {text:?} has a '.' or '..' path segment"));
        }
        let scheme = lower.get(..scheme_len).unwrap_or_default();
        Ok(Endpoint(format!("{scheme}{authority}{}", path.trim_end_matches('/'))))
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
        let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | '~' | '+' | '/');
        if body.is_empty() || !body.chars().all(allowed) {
            let what = if text.chars().any(|c| c.is_whitespace() || c.is_control()) {
                "whitespace or control characters"
            } else {
                "characters outside the bearer-token alphabet (letters, digits, -._~+/ and trailing =)"
            };
            return Err(format!("token contains {what}; pass the bare access token without \"Bearer \""));
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
        || !text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '_'))
    {
        return Err("quotaProject must be a project ID or number (1-128 letters, digits, -._:)".into());
    }
    Ok(text.to_owned())
}

/// Checks a timeout in milliseconds as JS gives it (any number).
pub fn parse_timeout_ms(value: f64) -> Result<u32, String> {
    if !value.is_finite() || value < 1.0 || value > f64::from(MAX_TIMEOUT_MS) {
        return Err(format!("timeoutMs must be a number from 1 to {MAX_TIMEOUT_MS}"));
    }
    // In range, so the conversion is exact after rounding up.
    Ok(value.ceil() as u32)
}

/// Checks a `userAgent` suffix for the `x-goog-api-client` header.
pub fn parse_user_agent(text: &str) -> Result<String, String> {
    if text.is_empty() || text.len() > 256 || !text.chars().all(|c| c.is_ascii_graphic() || c == ' ') {
        return Err("userAgent must be 1-256 printable ASCII characters".into());
    }
    Ok(text.to_owned())
}

/// Options shared by every call, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct CallOptions {
    pub endpoint: Endpoint,
    pub quota_project: Option<String>,
    /// Time allowed for one attempt.
    pub timeout_ms: u32,
    /// Time allowed for the whole call, retries and backoff included.
    pub deadline_ms: Option<u32>,
    pub backoff: Backoff,
    pub user_agent: Option<String>,
}

impl Default for CallOptions {
    fn default() -> Self {
        CallOptions {
            endpoint: Endpoint::default(),
            quota_project: None,
            timeout_ms: DEFAULT_TIMEOUT_MS,
            deadline_ms: None,
            backoff: Backoff::RETRY,
            user_agent: None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

/// One HTTP request, minus the credentials (the transport adds those).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
}

fn request(method: Method, path: String, options: &CallOptions) -> HttpRequest {
    let mut headers = Vec::new();
    if let Some(project) = &options.quota_project {
        headers.push(("x-goog-user-project", project.clone()));
    }
    let client = match &options.user_agent {
        Some(suffix) => format!("{CLIENT_ID} {suffix}"),
        None => CLIENT_ID.to_owned(),
    };
    headers.push(("x-goog-api-client", client));
    HttpRequest { method, url: format!("{}/v1/{path}", options.endpoint.as_str()), headers }
}

/// How this client names itself in `x-goog-api-client`.
pub const CLIENT_ID: &str = concat!("route-optimization-operations/", env!("CARGO_PKG_VERSION"));

/// `POST {endpoint}/v1/{name}:cancel`
pub fn cancel(name: &OperationName, options: &CallOptions) -> HttpRequest {
    request(Method::Post, format!("{}:cancel", name.to_path()), options)
}

/// `GET {endpoint}/v1/{name}`
pub fn get(name: &OperationName, options: &CallOptions) -> HttpRequest {
    request(Method::Get, name.to_path(), options)
}

/// `DELETE {endpoint}/v1/{name}`
pub fn delete(name: &OperationName, options: &CallOptions) -> HttpRequest {
    request(Method::Delete, name.to_path(), options)
}

/// What to list, checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// The collection, `operations` unless told otherwise.
    pub name: Option<String>,
    pub filter: Option<String>,
    pub page_size: Option<u32>,
    pub page_token: Option<String>,
}

/// Checks a collection name for listing: segments like an operation name's.
pub fn parse_collection(name: &str) -> Result<String, String> {
    let bad_segment = name.split('/').any(|s| s.is_empty() || s == "." || s == "..");
    if name.is_empty() || name.len() > 1024 || bad_segment || name.chars().any(char::is_control) {
        return Err(format!("list name {name:?} must be a collection such as \"operations\""));
    }
    Ok(name.to_owned())
}

/// `GET {endpoint}/v1/{name}?filter=&pageSize=&pageToken=`
pub fn list(query: &ListQuery, options: &CallOptions) -> HttpRequest {
    let mut path = encode_path(query.name.as_deref().unwrap_or("operations"));
    let mut separator = '?';
    let mut param = |key: &str, value: &str| {
        path.push(separator);
        path.push_str(key);
        path.push('=');
        path.push_str(&encode_query_value(value));
        separator = '&';
    };
    if let Some(filter) = &query.filter {
        param("filter", filter);
    }
    if let Some(size) = query.page_size {
        param("pageSize", &size.to_string());
    }
    if let Some(token) = query.page_token.as_deref().filter(|t| !t.is_empty()) {
        param("pageToken", token);
    }
    request(Method::Get, path, options)
}

/// Percent-encodes a query value: everything but `[A-Za-z0-9-_.~]`.
fn encode_query_value(value: &str) -> String {
    encode_path(value).replace('/', "%2F")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints() {
        let ok = |t: &str| Endpoint::parse(t).unwrap_or_else(|e| panic!("{t}: {e}")).0;
        assert_eq!(ok("https://routeoptimization.googleapis.com"), DEFAULT_ENDPOINT);
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
    fn endpoints_with_dot_segments_are_refused() {
        // Found by the `name_url` fuzz target: `fetch` resolves dot segments
        // (`%2e` too), so the request would not go to the path built.
        for bad in
            ["https://h//.", "http://h/a/.", "http://h/../x", "http://h/a/%2e%2E/b", "http://h/.%2e", "http://h/%2E"]
        {
            let message = Endpoint::parse(bad).expect_err(bad);
            assert!(message.contains("'.' or '..'"), "{message}");
        }
        for good in ["http://h/..x", "http://h/a.b/", "http://h/%2e%2ex", "http://h//base"] {
            assert!(Endpoint::parse(good).is_ok(), "{good:?} should be accepted");
        }
    }

    #[test]
    fn tokens() {
        let real_shape = "ya29.a0AfB_byC-1234567890abcdefghijklmnopqrstuvwxyzABCDEFGHIJ_KLMNOP-qrs";
        assert!(Token::parse(real_shape).is_ok());
        assert!(Token::parse("abc+/=").is_ok());
        assert!(Token::parse("abc==").is_ok());
        for bad in ["", " ", "Bearer abc", "abc def", "abc\r\nX-Evil: 1", "abc\t", "tök", "a\"b", "a=b", "=", "a,b"] {
            let err = Token::parse(bad).expect_err(bad);
            assert!(bad.len() < 3 || !err.contains(bad), "message {err:?} echoes the token");
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
        assert_eq!(parse_timeout_ms(f64::from(MAX_TIMEOUT_MS)), Ok(MAX_TIMEOUT_MS));
        for bad in [0.0, 0.5, -1.0, f64::NAN, f64::INFINITY, f64::from(MAX_TIMEOUT_MS) + 1.0] {
            assert!(parse_timeout_ms(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn urls() {
        let options =
            CallOptions { endpoint: Endpoint::parse("http://127.0.0.1:9/base/").unwrap(), ..CallOptions::default() };
        let name = OperationName::parse("operations/a b?c#d").unwrap();
        assert_eq!(cancel(&name, &options).url, "http://127.0.0.1:9/base/v1/operations/a%20b%3Fc%23d:cancel");
        assert_eq!(cancel(&name, &options).method, Method::Post);
        let name = OperationName::parse("projects/p/locations/l/operations/1").unwrap();
        let request = get(&name, &CallOptions::default());
        assert_eq!(request.url, "https://routeoptimization.googleapis.com/v1/projects/p/locations/l/operations/1");
        assert_eq!(request.method, Method::Get);
    }

    #[test]
    fn delete_and_headers() {
        let name = OperationName::parse("operations/a b").unwrap();
        let request = delete(&name, &CallOptions::default());
        assert_eq!(request.method, Method::Delete);
        assert_eq!(request.url, "https://routeoptimization.googleapis.com/v1/operations/a%20b");
        assert_eq!(request.headers, vec![("x-goog-api-client", CLIENT_ID.to_owned())]);
        let options = CallOptions {
            quota_project: Some("p".into()),
            user_agent: Some("console/2".into()),
            ..CallOptions::default()
        };
        let full = get(&name, &options);
        assert_eq!(
            full.headers,
            vec![("x-goog-user-project", "p".into()), ("x-goog-api-client", format!("{CLIENT_ID} console/2"))]
        );
        assert!(parse_user_agent("a\r\nb").is_err());
        assert!(parse_user_agent("").is_err());
    }

    #[test]
    fn list_urls() {
        let options = CallOptions::default();
        assert_eq!(list(&ListQuery::default(), &options).url, "https://routeoptimization.googleapis.com/v1/operations");
        let query = ListQuery {
            name: None,
            filter: Some("done = false".into()),
            page_size: Some(50),
            page_token: Some("a/b+c=&d".into()),
        };
        assert_eq!(
            list(&query, &options).url,
            "https://routeoptimization.googleapis.com/v1/operations?filter=done%20%3D%20false&pageSize=50&pageToken=a%2Fb%2Bc%3D%26d"
        );
        let empty_token = ListQuery { page_token: Some(String::new()), ..ListQuery::default() };
        assert!(!list(&empty_token, &options).url.contains("pageToken"));
        assert!(parse_collection("operations").is_ok());
        for bad in ["", "a//b", "../x", "a\n"] {
            assert!(parse_collection(bad).is_err(), "{bad:?}");
        }
    }
}
