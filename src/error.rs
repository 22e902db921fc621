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
        Error { kind, code, message, http_status: None, details: Vec::new(), body: None, retry_delay_ms: None }
    }

    pub fn invalid_argument(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::InvalidArgument, Code::INVALID_ARGUMENT, message.into())
    }

    pub fn network(message: impl Into<String>) -> Error {
        Error::new(ErrorKind::Network, Code::UNAVAILABLE, message.into())
    }

    pub fn timeout(timeout_ms: u32) -> Error {
        Error::new(ErrorKind::Timeout, Code::DEADLINE_EXCEEDED, format!("no answer within {timeout_ms} ms (timeoutMs)"))
    }

    /// The whole call's deadline passed (as opposed to one attempt's timeout).
    pub fn deadline(message: String) -> Error {
        Error::new(ErrorKind::Timeout, Code::DEADLINE_EXCEEDED, message)
    }

    /// A 3xx (or the opaque status 0 browsers give a manual redirect).
    pub fn redirect(http_status: u16) -> Error {
        let message = format!(
            "the server answered with a redirect (HTTP {http_status}), which this client does not follow; check the endpoint"
        );
        Error { http_status: Some(http_status), ..Error::new(ErrorKind::Api, Code::UNKNOWN, message) }
    }

    /// A body larger than the client reads (announced, or found while reading).
    pub fn too_large(http_status: u16, limit: usize) -> Error {
        let message = format!(
            "HTTP {http_status}: the response body is larger than {limit} bytes ({} MiB), the most this client reads; \
             the rest was not read",
            limit >> 20
        );
        Error { http_status: Some(http_status), ..Error::new(ErrorKind::BadResponse, Code::UNKNOWN, message) }
    }

    pub fn aborted() -> Error {
        Error::new(ErrorKind::Aborted, Code::CANCELLED, "the call was aborted by its AbortSignal".into())
    }

    pub fn api(code: Code, http_status: u16, message: String) -> Error {
        Error { http_status: Some(http_status), ..Error::new(ErrorKind::Api, code, message) }
    }

    pub fn bad_response(http_status: u16, message: String, body: &str) -> Error {
        Error {
            http_status: Some(http_status),
            body: Some(snippet(body)),
            ..Error::new(ErrorKind::BadResponse, Code::UNKNOWN, message)
        }
    }

    /// Whether the retry policy would try this again (`policy::is_retryable`).
    pub fn retryable(&self) -> bool {
        crate::policy::is_retryable(self)
    }

    /// Removes `secret` from the text this error carries, in case a server
    /// or proxy echoed it back: verbatim, JSON-escaped, percent-encoded, every
    /// run of 8 or more characters between its `+`, `/` and `=` (however the
    /// server escaped those), in a detail (a detail whose decoded strings hold
    /// it is replaced whole), and at the end of a body cut short mid-token.
    /// Secrets under 8 characters are not real access tokens and are left
    /// alone, so messages stay readable.
    pub fn redact(mut self, secret: &str) -> Error {
        if secret.len() < 8 {
            return self;
        }
        // The token as sent, JSON-escaped and percent-encoded; then each run of
        // 8 or more characters between its `+`, `/` and `=`, which no escaping
        // (percent, JSON `\u002f`, HTML entities, either case) changes.
        let mut variants =
            vec![secret.to_owned(), secret.replace('/', "\\/"), crate::name::encode_path(secret).replace('/', "%2F")];
        variants.extend(
            secret.split(['+', '/', '=']).filter(|run| run.len() >= 8 && run.len() < secret.len()).map(str::to_owned),
        );
        let pieces = Pieces::of(secret.as_bytes());
        let clean = |text: &mut String| {
            for variant in &variants {
                if text.contains(variant.as_str()) {
                    *text = text.replace(variant.as_str(), "[REDACTED]");
                }
            }
            hide_pieces(text, &pieces);
        };
        clean(&mut self.message);
        for detail in &mut self.details {
            clean(detail);
            if crate::json::parse(detail).is_ok_and(|v| v.contains_text(secret)) {
                *detail = r#"{"@type":"redacted","reason":"this detail contained the access token"}"#.to_owned();
            }
        }
        if let Some(body) = self.body.as_mut() {
            clean(body);
            if body.len() >= MAX_BODY_SNIPPET {
                let cut =
                    (1..secret.len()).rev().find(|&k| secret.get(..k).is_some_and(|prefix| body.ends_with(prefix)));
                if let Some(k) = cut {
                    body.truncate(body.len() - k);
                    body.push_str("[REDACTED]");
                }
            }
        }
        self
    }
}

/// Shortest piece of the token that [`Error::redact`] hides wherever it
/// appears: an echo cut short, or with some characters escaped, keeps no
/// [`PIECE`] characters of the token in a row.
const PIECE: usize = 12;

/// The [`PIECE`]-byte windows of a token, in an open-addressed hash table of
/// their start offsets (a sorted list cost 2 KB of wasm for the sort alone).
struct Pieces<'s> {
    secret: &'s [u8],
    slots: Vec<usize>,
}

impl<'s> Pieces<'s> {
    const EMPTY: usize = usize::MAX;

    fn hash(window: &[u8]) -> usize {
        window.iter().fold(0usize, |h, &b| h.wrapping_mul(31).wrapping_add(usize::from(b)))
    }

    fn of(secret: &'s [u8]) -> Pieces<'s> {
        let windows = secret.len().saturating_sub(PIECE - 1);
        let mut pieces = Pieces { secret, slots: vec![Self::EMPTY; (windows * 2).next_power_of_two()] };
        for (start, window) in secret.windows(PIECE).enumerate() {
            if let Some(slot) = pieces.slot(window) {
                if let Some(entry) = pieces.slots.get_mut(slot) {
                    *entry = start;
                }
            }
        }
        pieces
    }

    /// The slot holding `window`, or the empty slot where it would go.
    fn slot(&self, window: &[u8]) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut slot = Self::hash(window) & mask;
        loop {
            let start = *self.slots.get(slot)?;
            if start == Self::EMPTY || self.secret.get(start..start + PIECE) == Some(window) {
                return Some(slot);
            }
            slot = (slot + 1) & mask;
        }
    }

    fn contains(&self, window: &[u8]) -> bool {
        self.slot(window).and_then(|slot| self.slots.get(slot)).is_some_and(|&start| start != Self::EMPTY)
    }
}

/// Replaces each stretch of `text` made of overlapping pieces of the token
/// with `[REDACTED]`. Tokens are ASCII, so every stretch starts and ends on a
/// character boundary.
fn hide_pieces(text: &mut String, pieces: &Pieces<'_>) {
    let mut stretches: Vec<(usize, usize)> = Vec::new();
    for (start, window) in text.as_bytes().windows(PIECE).enumerate() {
        if pieces.contains(window) {
            match stretches.last_mut() {
                Some((_, end)) if *end >= start => *end = start + PIECE,
                _ => stretches.push((start, start + PIECE)),
            }
        }
    }
    if stretches.is_empty() {
        return;
    }
    let mut kept = String::with_capacity(text.len());
    let mut at = 0;
    for (start, end) in stretches {
        kept.push_str(text.get(at..start).unwrap_or_default());
        kept.push_str("[REDACTED]");
        at = end;
    }
    kept.push_str(text.get(at..).unwrap_or_default());
    *text = kept;
}

/// Shortest run of token characters the panic report hides.
const SECRET_LIKE_RUN: usize = 40;

/// The text the panic hook prints: where the panic happened, and its message
/// with every run of [`SECRET_LIKE_RUN`] or more characters that could be
/// part of an access token (letters, digits, `-._~+/=`) replaced by
/// `[REDACTED]`. The hook cannot know the caller's token, and a panic message
/// could quote one (access tokens run to hundreds of characters; shorter runs,
/// such as most operation names, stay readable); the location comes from the
/// source, so it is kept.
pub fn panic_report(info: &std::panic::PanicHookInfo<'_>) -> String {
    let payload = info.payload();
    let message = payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)");
    let location = info.location().map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column())).unwrap_or_default();
    format!(
        "route-optimization-operations: internal error, please report it: at {location}: {}",
        hide_secret_like_runs(message)
    )
}

fn hide_secret_like_runs(text: &str) -> String {
    let is_token_char = |c: char| c.is_ascii_alphanumeric() || "-._~+/=".contains(c);
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        out.push_str(if run.len() >= SECRET_LIKE_RUN { "[REDACTED]" } else { run.as_str() });
        run.clear();
    };
    for c in text.chars() {
        if is_token_char(c) {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
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
        assert_eq!(Error::invalid_argument("x").kind.as_str(), "invalid-argument");
        assert_eq!(Error::network("x").kind.as_str(), "network");
        assert_eq!(Error::timeout(5).kind.as_str(), "timeout");
        assert_eq!(Error::aborted().kind.as_str(), "aborted");
        assert_eq!(Error::api(Code::NOT_FOUND, 404, "x".into()).kind.as_str(), "api");
        assert_eq!(Error::bad_response(200, "x".into(), "").kind.as_str(), "bad-response");
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
        let mut e = Error::bad_response(200, "got tok/en-long here".into(), "<p>tok/en-long</p>");
        e.details.push(r#"{"metadata":{"token":"tok\/en-long"}}"#.into());
        e.details.push(r#"{"t":"\u0074ok/en-long"}"#.into());
        e.details.push(r#"{"kept":"yes"}"#.into());
        let e = e.redact("tok/en-long");
        assert_eq!(e.message, "got [REDACTED] here");
        assert_eq!(e.body.as_deref(), Some("<p>[REDACTED]</p>"));
        for detail in &e.details[..2] {
            assert!(!crate::json::parse(detail).unwrap().contains_text("tok/en"), "{detail}");
        }
        assert_eq!(e.details[2], r#"{"kept":"yes"}"#);
    }

    #[test]
    fn redact_handles_cut_bodies_encodings_and_short_secrets() {
        let secret = "ya29.a0AfB_secret+token/x=";
        let body = format!("{}{}", "x".repeat(MAX_BODY_SNIPPET - 9), secret);
        let e = Error::bad_response(502, "m".into(), &body).redact(secret);
        let kept = e.body.unwrap();
        assert!(kept.ends_with("[REDACTED]") && !kept.contains("ya29.a0A"), "{kept}");
        let encoded = crate::name::encode_path(secret).replace('/', "%2F");
        let e = Error::invalid_argument(format!("echo {encoded}")).redact(secret);
        assert_eq!(e.message, "echo [REDACTED]");
        let e = Error::invalid_argument("Request had invalid authentication").redact("e");
        assert_eq!(e.message, "Request had invalid authentication");
    }

    #[test]
    fn redact_removes_the_token_whatever_escaping_the_server_used() {
        let secret = "ya29.Secret+Tok/en_value-1234567890==";
        for echoed in [
            "ya29.Secret%2btok%2fen_value-1234567890%3d%3d", // lower-case percent-encoding
            r"ya29.Secret+Tok\u002fen_value-1234567890==",   // JSON \u escape
            "ya29.Secret&#43;Tok&#47;en_value-1234567890&#61;&#61;", // HTML entities
        ] {
            let e = Error::bad_response(200, format!("echo {echoed}"), &format!("<p>{echoed}</p>")).redact(secret);
            for text in [&e.message, e.body.as_ref().unwrap()] {
                assert!(!text.contains("en_value-1234567890"), "{text}");
                assert!(text.contains("[REDACTED]"), "{text}");
            }
        }
    }

    #[test]
    fn redact_hides_every_piece_of_12_characters_or_more() {
        let secret = "ya29.a0AfB_Secret-TOKEN_value1234+Part2secret/Part3secret==";
        for echoed in [
            "ya29&#46;a0AfB_Secret-TOKEN_value1234&#43;Part2secret", // '.' and '+' as HTML entities
            "ya29.a0AfB_Secret-TOKEN_value1",                        // the first 30 characters
            "lue1234+Part2secret/Par",                               // from the middle
        ] {
            let e = Error::invalid_argument(format!("echo: {echoed}; end")).redact(secret);
            assert!(e.message.starts_with("echo: ") && e.message.ends_with("; end"), "{}", e.message);
            assert!(e.message.contains("[REDACTED]"), "{}", e.message);
            for piece in secret.as_bytes().windows(PIECE) {
                assert!(!e.message.as_bytes().windows(PIECE).any(|w| w == piece), "{}", e.message);
            }
        }
        let e = Error::invalid_argument("no token here, only é and ya29.a0AfB").redact(secret);
        assert_eq!(e.message, "no token here, only é and ya29.a0AfB");
    }

    #[test]
    fn panic_report_hides_tokens() {
        use std::sync::Mutex;
        static REPORTS: Mutex<Vec<String>> = Mutex::new(Vec::new());
        let token = format!("ya29.a0AfB_{}", "xY9-kQ2_vL7pR4sT1uW8zA3bC6dE0fG5hJ".repeat(6));
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(|info| REPORTS.lock().unwrap().push(panic_report(info))));
        let quoted = token.clone();
        let _ = std::panic::catch_unwind(move || panic!("request with Bearer {quoted} failed"));
        let formatted = token.clone();
        let _ = std::panic::catch_unwind(move || panic!("{}", format!("token={formatted}&x=1")));
        let _ = std::panic::catch_unwind(|| panic!("a short message"));
        std::panic::set_hook(previous);
        let reports = REPORTS.lock().unwrap().clone();
        assert_eq!(reports.len(), 3);
        for report in &reports {
            assert!(!report.contains(&token) && !report.contains("ya29.a0AfB_xY9"), "{report}");
            assert!(report.contains("src/error.rs:"), "{report}");
        }
        assert!(reports[0].ends_with("request with Bearer [REDACTED] failed"), "{}", reports[0]);
        assert!(reports[2].ends_with("a short message"), "{}", reports[2]);
    }
}
