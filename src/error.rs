//! The one error type of the crate. It crosses into JS as `OperationsError`.

use crate::code::Code;

/// What went wrong, as a stable string callers can branch on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The caller's input was refused before any request was sent.
    InvalidArgument,
    /// The server answered with an error status (any non-2xx response).
    Api,
    /// No response: the request could not be sent or the connection failed.
    Network,
    /// The call's timeout fired before it finished.
    Timeout,
    /// The caller's `AbortSignal` fired.
    Aborted,
    /// A success status with a body that is not what the API returns.
    BadResponse,
}

impl ErrorKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid-argument",
            ErrorKind::Api => "api",
            ErrorKind::Network => "network",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Aborted => "aborted",
            ErrorKind::BadResponse => "bad-response",
        }
    }
}

/// Most of a body kept on an error for diagnosis, in bytes.
pub const MAX_BODY_SNIPPET: usize = 1024;

#[derive(Clone, Debug, PartialEq)]
pub struct Error {
    pub kind: ErrorKind,
    pub code: Code,
    pub message: String,
    /// The HTTP status, when there was a response.
    pub http_status: Option<u16>,
    /// `google.rpc.Status.details`, each as its JSON text.
    pub details: Vec<String>,
    /// The start of a body that was not a JSON error envelope.
    pub body: Option<String>,
    /// The delay the server asked for before a retry (`RetryInfo`).
    pub retry_delay_ms: Option<u64>,
}

impl Error {
    fn new(kind: ErrorKind, code: Code, message: String) -> Error {
        Error {
            kind,
            code,
            message,
            http_status: None,
            details: Vec::new(),
            body: None,
            retry_delay_ms: None,
        }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(
            ErrorKind::InvalidArgument,
            Code::INVALID_ARGUMENT,
            message.into(),
        )
    }

    pub fn network(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Network, Code::UNAVAILABLE, message.into())
    }

    pub fn timeout(timeout_ms: u32) -> Error {
        Error::new(
            ErrorKind::Timeout,
            Code::DEADLINE_EXCEEDED,
            format!("no answer within {timeout_ms} ms (timeoutMs)"),
        )
    }

    pub fn aborted() -> Error {
        Error::new(
            ErrorKind::Aborted,
            Code::CANCELLED,
            "the call was aborted by its AbortSignal".into(),
        )
    }

    pub fn api(code: Code, http_status: u16, message: String) -> Error {
        Error {
            http_status: Some(http_status),
            ..Error::new(ErrorKind::Api, code, message)
        }
    }

    pub fn bad_response(http_status: u16, message: String, body: &str) -> Error {
        Error {
            http_status: Some(http_status),
            body: Some(snippet(body)),
            ..Error::new(ErrorKind::BadResponse, Code::UNKNOWN, message)
        }
    }

    /// Whether repeating the same call may succeed: the service is
    /// unavailable, the network failed, the attempt timed out, or the server
    /// asked for a retry after a delay.
    pub fn retryable(&self) -> bool {
        match self.kind {
            ErrorKind::Network | ErrorKind::Timeout => true,
            ErrorKind::Api => {
                self.code == Code::UNAVAILABLE
                    || (self.code == Code::RESOURCE_EXHAUSTED && self.retry_delay_ms.is_some())
            }
            _ => false,
        }
    }

    /// Removes every occurrence of `secret` from the text this error carries,
    /// in case a server or proxy echoed it back.
    pub fn redact(mut self, secret: &str) -> Error {
        if secret.is_empty() {
            return self;
        }
        let escaped = secret.replace('/', "\\/");
        let clean = |text: &mut String| {
            for variant in [secret, escaped.as_str()] {
                if text.contains(variant) {
                    *text = text.replace(variant, "[REDACTED]");
                }
            }
        };
        clean(&mut self.message);
        self.details.iter_mut().for_each(clean);
        if let Some(body) = self.body.as_mut() {
            clean(body);
        }
        self
    }
}

/// The first [`MAX_BODY_SNIPPET`] bytes of `body`, cut at a character boundary.
pub fn snippet(body: &str) -> String {
    let mut end = body.len().min(MAX_BODY_SNIPPET);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    body.get(..end).unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_have_stable_names() {
        assert_eq!(
            Error::invalid_argument("x").kind.as_str(),
            "invalid-argument"
        );
        assert_eq!(Error::network("x").kind.as_str(), "network");
        assert_eq!(Error::timeout(5).kind.as_str(), "timeout");
        assert_eq!(Error::aborted().kind.as_str(), "aborted");
        assert_eq!(
            Error::api(Code::NOT_FOUND, 404, "x".into()).kind.as_str(),
            "api"
        );
        assert_eq!(
            Error::bad_response(200, "x".into(), "").kind.as_str(),
            "bad-response"
        );
    }

    #[test]
    fn retryable() {
        assert!(Error::network("x").retryable());
        assert!(Error::timeout(5).retryable());
        assert!(Error::api(Code::UNAVAILABLE, 503, "x".into()).retryable());
        assert!(!Error::api(Code::RESOURCE_EXHAUSTED, 429, "x".into()).retryable());
        let mut told_when = Error::api(Code::RESOURCE_EXHAUSTED, 429, "x".into());
        told_when.retry_delay_ms = Some(1000);
        assert!(told_when.retryable());
        assert!(!Error::api(Code::NOT_FOUND, 404, "x".into()).retryable());
        assert!(!Error::aborted().retryable());
        assert!(!Error::invalid_argument("x").retryable());
    }

    #[test]
    fn snippet_cuts_at_a_char_boundary() {
        let body = "é".repeat(MAX_BODY_SNIPPET);
        let cut = snippet(&body);
        assert!(cut.len() <= MAX_BODY_SNIPPET && cut.len() >= MAX_BODY_SNIPPET - 1);
        assert_eq!(snippet("short"), "short");
    }

    #[test]
    fn redact_removes_echoed_secrets() {
        let mut e = Error::bad_response(200, "got tok/en here".into(), "<p>tok/en</p>");
        e.details.push(r#"{"metadata":{"token":"tok\/en"}}"#.into());
        let e = e.redact("tok/en");
        let all = format!("{e:?}");
        assert!(
            !all.contains("tok/en") && !all.contains("tok\\/en"),
            "{all}"
        );
        assert_eq!(e.message, "got [REDACTED] here");
    }
}
