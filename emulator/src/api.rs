//! HTTP handling: CORS, the control API under `/__emulator/`, and the REST
//! surface of the Operations API with Google-style error envelopes.

use crate::faults::{Fault, Faults};
use crate::store::{Operation, Outcome, Store};
use crate::Config;
use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::Response;
use bytes::Bytes;
use serde_json::{json, Value};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

const MAX_BODY: usize = 1 << 20;
/// Log lines kept for `GET /__emulator/log`.
const LOG_LINES: usize = 1000;

pub struct App {
    config: Config,
    state: Mutex<Shared>,
}

#[derive(Default)]
struct Shared {
    store: Store,
    faults: Faults,
    /// API requests received (preflights and the control API not counted).
    requests: u64,
    /// The `x-goog-user-project` header of the latest API request.
    last_user_project: Option<String>,
    /// API requests being answered now, and the most seen at once.
    in_flight: u64,
    peak_in_flight: u64,
    /// Added before every API answer (`POST /__emulator/latency {"ms"}`).
    latency: Duration,
    /// The latest request log lines, as printed (`GET /__emulator/log`).
    log: VecDeque<String>,
}

impl App {
    pub fn new(config: Config) -> App {
        let mut shared = Shared::default();
        if config.seed {
            shared.store.seed(SystemTime::now());
        }
        App { config, state: Mutex::new(shared) }
    }

    /// One line per operation held: its state and name.
    pub fn describe_operations(&self) -> Vec<String> {
        let now = SystemTime::now();
        self.lock().store.operations.values().map(|op| format!("{:<9} {}", op.state(now), op.name)).collect()
    }

    fn lock(&self) -> MutexGuard<'_, Shared> {
        // A poisoned lock only means another request panicked mid-update;
        // the data is still usable for an emulator.
        self.state.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

pub async fn handle(State(app): State<Arc<App>>, request: Request) -> Response {
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    // Logged with its query: the whole URL as sent, never the token.
    let target = request.uri().path_and_query().map_or_else(|| path.clone(), |p| p.as_str().to_owned());
    let auth = describe_auth(request.headers());
    let mut response = if method == Method::OPTIONS {
        empty(StatusCode::NO_CONTENT)
    } else if let Some(control_path) = path.strip_prefix("/__emulator/") {
        let control_path = control_path.to_owned();
        control(&app, &method, &control_path, request).await
    } else {
        let _in_flight = InFlight::enter(&app);
        api(&app, &method, &path, request).await
    };
    add_cors(response.headers_mut());
    let line = format!("{method} {target} -> {} (authorization: {auth})", response.status().as_u16());
    if !app.config.quiet {
        eprintln!("{line}");
    }
    let mut shared = app.lock();
    if shared.log.len() == LOG_LINES {
        shared.log.pop_front();
    }
    shared.log.push_back(line);
    drop(shared);
    response
}

/// Counts a request as in flight for as long as it lives.
struct InFlight<'a>(&'a App);

impl<'a> InFlight<'a> {
    fn enter(app: &'a App) -> InFlight<'a> {
        let mut shared = app.lock();
        shared.in_flight += 1;
        shared.peak_in_flight = shared.peak_in_flight.max(shared.in_flight);
        InFlight(app)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.lock().in_flight -= 1;
    }
}

/// How the request authenticated, for the log: never the token itself.
fn describe_auth(headers: &HeaderMap) -> &'static str {
    match headers.get(header::AUTHORIZATION) {
        None => "none",
        Some(_) => "Bearer [redacted]",
    }
}

fn add_cors(headers: &mut HeaderMap) {
    let pairs = [
        ("access-control-allow-origin", "*"),
        ("access-control-allow-methods", "GET, POST, DELETE, OPTIONS"),
        ("access-control-allow-headers", "authorization, content-type, x-goog-user-project, x-goog-api-client"),
        ("access-control-expose-headers", "retry-after, content-type"),
        ("access-control-max-age", "600"),
    ];
    for (name, value) in pairs {
        headers.insert(HeaderName::from_static(name), HeaderValue::from_static(value));
    }
}

fn empty(status: StatusCode) -> Response {
    let mut response = Response::new(Body::empty());
    *response.status_mut() = status;
    response
}

fn json_response(status: StatusCode, value: &Value) -> Response {
    let mut response = Response::new(Body::from(serde_json::to_vec_pretty(value).unwrap_or_default()));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json; charset=UTF-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A Google-style error envelope.
fn error(status: StatusCode, rpc_status: &str, message: &str, details: Value) -> Response {
    let mut inner = json!({ "code": status.as_u16(), "message": message, "status": rpc_status });
    if details.as_array().is_some_and(|d| !d.is_empty()) {
        inner["details"] = details;
    }
    json_response(status, &json!({ "error": inner }))
}

/// The HTML page Google's front end sends for a path no API serves.
fn html_not_found(path: &str) -> Response {
    let escaped = path.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let page = format!(
        "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 404 (Not Found)!!1</title>\n  \
         <p><b>404.</b> <ins>That’s an error.</ins>\n  <p>The requested URL <code>{escaped}</code> was not found on this server.  \
         <ins>That’s all we know.</ins>\n"
    );
    let mut response = Response::new(Body::from(page));
    *response.status_mut() = StatusCode::NOT_FOUND;
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=UTF-8"));
    response
}

async fn read_json(request: Request) -> Result<Value, Response> {
    let bytes = to_bytes(request.into_body(), MAX_BODY).await.map_err(|_| {
        error(StatusCode::PAYLOAD_TOO_LARGE, "INVALID_ARGUMENT", "Request body is too large.", json!([]))
    })?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", &format!("Invalid JSON payload received. {e}"), json!([]))
    })
}

async fn control(app: &App, method: &Method, path: &str, request: Request) -> Response {
    match (method.as_str(), path) {
        ("GET", "stats") => {
            let shared = app.lock();
            let stats = json!({
                "requests": shared.requests,
                "lastUserProject": shared.last_user_project,
                "inFlight": shared.in_flight,
                "peakInFlight": shared.peak_in_flight,
            });
            json_response(StatusCode::OK, &stats)
        }
        ("GET", "log") => json_response(StatusCode::OK, &json!({ "lines": app.lock().log })),
        ("POST", "faults") => {
            let body = match read_json(request).await {
                Ok(body) => body,
                Err(response) => return response,
            };
            match Fault::from_json(&body) {
                Ok(fault) => {
                    app.lock().faults.push(fault);
                    json_response(StatusCode::OK, &json!({}))
                }
                Err(message) => error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", &message, json!([])),
            }
        }
        ("POST", "latency") => match read_json(request).await {
            Ok(body) => match body.get("ms").and_then(Value::as_u64) {
                Some(ms) => {
                    app.lock().latency = Duration::from_millis(ms.min(10_000));
                    json_response(StatusCode::OK, &json!({}))
                }
                None => error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", "`ms` (number) is required", json!([])),
            },
            Err(response) => response,
        },
        ("DELETE", "stats") => {
            let mut shared = app.lock();
            shared.peak_in_flight = shared.in_flight;
            json_response(StatusCode::OK, &json!({}))
        }
        ("DELETE", "faults") => {
            app.lock().faults.clear();
            json_response(StatusCode::OK, &json!({}))
        }
        ("POST", "operations") => {
            let body = match read_json(request).await {
                Ok(body) => body,
                Err(response) => return response,
            };
            create_for_test(app, &body)
        }
        _ => error(StatusCode::NOT_FOUND, "NOT_FOUND", "Unknown emulator control path.", json!([])),
    }
}

/// `POST /__emulator/operations {name?, runMs?, fail?: {code, message}}`
fn create_for_test(app: &App, body: &Value) -> Response {
    let run_ms = body.get("runMs").and_then(Value::as_u64).unwrap_or(app.config.run_ms);
    let outcome = match body.get("fail") {
        Some(fail) => Outcome::Fail {
            code: fail.get("code").and_then(Value::as_i64).and_then(|c| i32::try_from(c).ok()).unwrap_or(13),
            message: fail.get("message").and_then(Value::as_str).unwrap_or("The optimization failed.").to_owned(),
        },
        None => Outcome::Succeed,
    };
    let now = SystemTime::now();
    let mut shared = app.lock();
    let name = match body.get("name").and_then(Value::as_str) {
        Some(name) if !name.is_empty() => name.to_owned(),
        _ => format!("projects/emulator/locations/global/operations/{}", shared.store.new_id()),
    };
    let operation = Operation::new(name, now, Duration::from_millis(run_ms), outcome);
    let json = operation.to_json(now);
    shared.store.insert(operation);
    json_response(StatusCode::OK, &json)
}

async fn api(app: &App, method: &Method, path: &str, request: Request) -> Response {
    let latency = app.lock().latency;
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    let fault = {
        let mut shared = app.lock();
        shared.requests += 1;
        shared.last_user_project =
            request.headers().get("x-goog-user-project").and_then(|v| v.to_str().ok()).map(str::to_owned);
        shared.faults.take(method.as_str(), path)
    };
    if let Some(fault) = fault {
        return scripted(fault).await;
    }
    if let Some(rejection) = check_auth(&app.config, request.headers()) {
        return rejection;
    }
    let google = app.config.google_mode;
    let Some(rest) = path.strip_prefix("/v1/") else {
        return not_found(google, path);
    };
    let target = match percent_decode(rest) {
        Ok(target) => target,
        Err(message) => return error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", &message, json!([])),
    };
    let now = SystemTime::now();
    match *method {
        Method::POST if rest.ends_with(":cancel") => {
            let name = target.strip_suffix(":cancel").unwrap_or(&target);
            if google {
                return if name.starts_with("operations/") { unimplemented() } else { html_not_found(path) };
            }
            match app.lock().store.operations.get_mut(name) {
                Some(operation) => {
                    operation.cancel(now);
                    json_response(StatusCode::OK, &json!({}))
                }
                None => operation_not_found(name),
            }
        }
        Method::POST if rest.ends_with(":batchOptimizeTours") => {
            let parent = target.strip_suffix(":batchOptimizeTours").unwrap_or(&target);
            if !is_location(parent) {
                return not_found(google, path);
            }
            if let Err(response) = read_json(request).await {
                return response;
            }
            let mut shared = app.lock();
            let name = format!("{parent}/operations/{}", shared.store.new_id());
            let operation = Operation::new(name, now, Duration::from_millis(app.config.run_ms), Outcome::Succeed);
            let json = operation.to_json(now);
            shared.store.insert(operation);
            json_response(StatusCode::OK, &json)
        }
        Method::GET if target == "operations" => {
            if google {
                return unimplemented();
            }
            list(app, request.uri().query().unwrap_or_default(), now)
        }
        Method::DELETE => {
            if google {
                return if target.starts_with("operations/") { unimplemented() } else { html_not_found(path) };
            }
            match app.lock().store.operations.remove(target.as_str()) {
                Some(_) => json_response(StatusCode::OK, &json!({})),
                None => operation_not_found(&target),
            }
        }
        Method::GET => {
            if google && !is_located_operation(&target) {
                return html_not_found(path);
            }
            match app.lock().store.operations.get(target.as_str()) {
                Some(operation) => json_response(StatusCode::OK, &operation.to_json(now)),
                None => operation_not_found(&target),
            }
        }
        _ => not_found(google, path),
    }
}

fn unimplemented() -> Response {
    error(
        StatusCode::NOT_IMPLEMENTED,
        "UNIMPLEMENTED",
        "Operation is not implemented, or supported, or enabled.",
        json!([]),
    )
}

/// Largest page `ListOperations` returns, and the page size when none is asked.
const MAX_PAGE_SIZE: usize = 100;

/// `GET /v1/operations?filter=&pageSize=&pageToken=`. The page token is the
/// name of the last operation of the previous page; the filter understands
/// `done = true` and `done = false`.
fn list(app: &App, query: &str, now: SystemTime) -> Response {
    let mut filter = None;
    let mut page_size = MAX_PAGE_SIZE;
    let mut after = String::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let Ok(value) = percent_decode(&value.replace('+', " ")) else {
            return error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", "Invalid query parameter encoding.", json!([]));
        };
        match key {
            "filter" => {
                let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                filter = match compact.as_str() {
                    "" => None,
                    "done=true" => Some(true),
                    "done=false" => Some(false),
                    _ => {
                        let message = format!("Unsupported filter {value:?}: use done = true or done = false.");
                        return error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", &message, json!([]));
                    }
                }
            }
            "pageSize" => match value.parse::<usize>() {
                Ok(0) => page_size = MAX_PAGE_SIZE,
                Ok(n) => page_size = n.min(MAX_PAGE_SIZE),
                Err(_) => return error(StatusCode::BAD_REQUEST, "INVALID_ARGUMENT", "Invalid pageSize.", json!([])),
            },
            "pageToken" => after = value,
            _ => {}
        }
    }
    let shared = app.lock();
    let matching = shared
        .store
        .operations
        .range::<String, _>((std::ops::Bound::Excluded(&after), std::ops::Bound::Unbounded))
        .map(|(_, op)| op)
        .filter(|op| filter.is_none_or(|done| op.is_done(now) == done));
    let mut page: Vec<&Operation> = Vec::new();
    let mut more = false;
    for op in matching {
        if page.len() == page_size {
            more = true;
            break;
        }
        page.push(op);
    }
    let mut body = json!({ "operations": page.iter().map(|op| op.to_json(now)).collect::<Vec<_>>() });
    if let (true, Some(last)) = (more, page.last()) {
        body["nextPageToken"] = json!(last.name);
    }
    json_response(StatusCode::OK, &body)
}

fn not_found(google: bool, path: &str) -> Response {
    if google {
        html_not_found(path)
    } else {
        error(StatusCode::NOT_FOUND, "NOT_FOUND", &format!("No API method serves {path}."), json!([]))
    }
}

fn operation_not_found(name: &str) -> Response {
    error(StatusCode::NOT_FOUND, "NOT_FOUND", &format!("Operation {name} not found."), json!([]))
}

/// `projects/{p}/locations/{l}`
fn is_location(name: &str) -> bool {
    matches!(name.split('/').collect::<Vec<_>>().as_slice(), ["projects", p, "locations", l] if !p.is_empty() && !l.is_empty())
}

/// `projects/*/locations/*/operations/*`, the only form the public GetOperation serves.
fn is_located_operation(name: &str) -> bool {
    matches!(
        name.split('/').collect::<Vec<_>>().as_slice(),
        ["projects", p, "locations", l, "operations", id] if !p.is_empty() && !l.is_empty() && !id.is_empty()
    )
}

/// The 401 answer for a request without the accepted bearer token.
fn check_auth(config: &Config, headers: &HeaderMap) -> Option<Response> {
    let value = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok());
    let token = value.and_then(|v| v.get(..7).filter(|p| p.eq_ignore_ascii_case("bearer ")).and(v.get(7..)));
    if token == Some(config.token.as_str()) {
        return None;
    }
    let (message, reason) = if value.is_none() {
        (
            "Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
            "CREDENTIALS_MISSING",
        )
    } else {
        (
            "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
            "ACCESS_TOKEN_TYPE_UNSUPPORTED",
        )
    };
    let details = json!([{
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": reason,
        "domain": "googleapis.com",
        "metadata": { "service": "routeoptimization.googleapis.com" },
    }]);
    let mut response = error(StatusCode::UNAUTHORIZED, "UNAUTHENTICATED", message, details);
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\""),
    );
    Some(response)
}

async fn scripted(fault: Fault) -> Response {
    if !fault.delay.is_zero() {
        tokio::time::sleep(fault.delay).await;
    }
    let pattern = if fault.body.is_empty() && fault.size.is_some() { " ".to_owned() } else { fault.body };
    let length = fault.size.unwrap_or(pattern.len() as u64);
    let mut headers = Vec::new();
    let body = if fault.gzip {
        headers.push((header::CONTENT_ENCODING, HeaderValue::from_static("gzip")));
        Body::from(gzip(pattern.as_bytes(), length))
    } else if fault.drop || fault.stall_after.is_some() || fault.size.is_some() {
        // Streamed: no Content-Length, the way a chunked answer arrives.
        Body::from_stream(stream_body(Bytes::from(pattern), length, fault.stall_after, fault.drop))
    } else {
        Body::from(pattern)
    };
    let mut response = Response::new(body);
    *response.status_mut() = StatusCode::from_u16(fault.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    for (name, value) in headers {
        response.headers_mut().insert(name, value);
    }
    for (name, value) in fault.headers {
        if let (Ok(name), Ok(value)) = (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            response.headers_mut().insert(name, value);
        }
    }
    response
}

const CHUNK: u64 = 64 * 1024;

/// Chunks of `pattern` repeated: `chunk(offset, n)` is the `n` (at most
/// [`CHUNK`]) bytes found `offset` bytes into the endless repetition. Cut from
/// one block built once, so that tens of MiB cost no per-byte work.
struct Repeated {
    block: Bytes,
    period: u64,
}

impl Repeated {
    fn new(pattern: &[u8]) -> Repeated {
        let period = pattern.len().max(1) as u64;
        let block: Vec<u8> = pattern.iter().copied().cycle().take((CHUNK + period) as usize).collect();
        Repeated { block: Bytes::from(block), period }
    }

    fn chunk(&self, offset: u64, n: u64) -> Bytes {
        let start = (offset % self.period) as usize;
        self.block.slice(start..(start + n as usize).min(self.block.len()))
    }
}

/// `pattern` repeated to `length` bytes and gzip-compressed in one piece
/// (a small body that inflates to `length`).
fn gzip(pattern: &[u8], length: u64) -> Vec<u8> {
    use std::io::Write;
    let source = Repeated::new(pattern);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut written = 0;
    while written < length {
        let n = CHUNK.min(length - written);
        if encoder.write_all(&source.chunk(written, n)).is_err() {
            break;
        }
        written += n;
    }
    encoder.finish().unwrap_or_default()
}

/// The body in chunks: all `length` bytes, or the first `stall_after` of
/// them and then nothing more (the connection stays open until the client
/// gives up) or, with `drop`, a cut connection.
fn stream_body(
    pattern: Bytes,
    length: u64,
    stall_after: Option<u64>,
    drop: bool,
) -> impl futures_util::Stream<Item = Result<Bytes, std::io::Error>> + Send {
    let end = match (stall_after, drop) {
        (Some(n), _) => n.min(length),
        (None, true) => 0,
        (None, false) => length,
    };
    let cut_short = stall_after.is_some() || drop;
    let source = Arc::new(Repeated::new(&pattern));
    futures_util::stream::unfold((0u64, false), move |(sent, finished)| {
        let source = source.clone();
        async move {
            if finished {
                return None;
            }
            if sent < end {
                let n = CHUNK.min(end - sent);
                return Some((Ok(source.chunk(sent, n)), (sent + n, false)));
            }
            if !cut_short {
                return None;
            }
            if drop {
                // Let the headers and any bytes sent so far reach the client
                // before the cut (a connection closed before anything arrived
                // is retried by browsers on their own).
                tokio::time::sleep(Duration::from_millis(50)).await;
                return Some((Err(std::io::Error::other("dropped by a fault")), (sent, true)));
            }
            futures_util::future::pending::<()>().await;
            None
        }
    })
}

/// Decodes `%XX` escapes; the result must be UTF-8.
fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
            let value =
                hex.and_then(|h| u8::from_str_radix(h, 16).ok()).ok_or("Invalid percent-encoding in the URL path.")?;
            out.push(value);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "The URL path is not UTF-8 after decoding.".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        assert_eq!(percent_decode("operations/a%20b%3Fc%23d").unwrap(), "operations/a b?c#d");
        assert_eq!(percent_decode("operations/%F0%9F%9A%80").unwrap(), "operations/🚀");
        assert!(percent_decode("operations/%zz").is_err());
        assert!(percent_decode("operations/%F0").is_err());
        assert!(percent_decode("operations/%4").is_err());
    }

    #[test]
    fn name_shapes() {
        assert!(is_location("projects/p/locations/global"));
        assert!(!is_location("projects/p/locations/"));
        assert!(is_located_operation("projects/p/locations/l/operations/1"));
        assert!(!is_located_operation("operations/1"));
    }
}
