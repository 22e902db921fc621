//! Turns an HTTP status and body into the API's result: an empty success,
//! an `Operation`, or a typed [`Error`].

use crate::code::Code;
use crate::error::Error;
use crate::json::{self, Value};

/// `google.rpc.Status` as found in an `Operation.error`.
#[derive(Clone, Debug, PartialEq)]
pub struct RpcStatus {
    pub code: Code,
    pub message: String,
    /// Each detail as its JSON text.
    pub details: Vec<String>,
}

/// `google.longrunning.Operation`. `metadata` and `response` are kept as
/// JSON text.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    pub name: String,
    pub done: bool,
    pub metadata: Option<String>,
    pub error: Option<RpcStatus>,
    pub response: Option<String>,
}

const RETRY_INFO: &str = "type.googleapis.com/google.rpc.RetryInfo";

fn is_success(http_status: u16) -> bool {
    (200..300).contains(&http_status)
}

/// The result of a method whose success is `google.protobuf.Empty`
/// (cancel, delete): `{}`, an empty body, or 204.
pub fn empty(http_status: u16, body: &str) -> Result<(), Error> {
    if is_success(http_status) && body.trim().is_empty() {
        return Ok(());
    }
    if success_json(http_status, body, false)?.is_object() {
        return Ok(());
    }
    Err(Error::bad_response(
        http_status,
        format!("HTTP {http_status}: expected an empty JSON object, got another JSON value"),
        body,
    ))
}

/// An error envelope with a success status (seen from proxies) is still an
/// error: an object with an `error` object. An `Operation` that failed also
/// has one, next to its `name`, so for `GetOperation` only an object without
/// `name` counts (`named_result`).
fn is_error_envelope(value: &Value<'_>, named_result: bool) -> bool {
    value.get("error").is_some_and(Value::is_object) && !(named_result && value.get("name").is_some())
}

/// The JSON of a success answer: a non-2xx status or an error envelope is
/// the API's error, a body that is not JSON a `bad-response`.
fn success_json(http_status: u16, body: &str, named_result: bool) -> Result<Value<'_>, Error> {
    if !is_success(http_status) {
        return Err(api_error(http_status, body));
    }
    let value = json::parse(body).map_err(|_| not_json(http_status, body))?;
    if is_error_envelope(&value, named_result) {
        return Err(api_error(http_status, body));
    }
    Ok(value)
}

/// The result of `GetOperation`.
pub fn operation(http_status: u16, body: &str) -> Result<Operation, Error> {
    let value = success_json(http_status, body, true)?;
    parse_operation(&value).map_err(|what| {
        Error::bad_response(http_status, format!("HTTP {http_status}: the body is not an Operation: {what}"), body)
    })
}

/// Reads an `Operation` object; the error names the field that is wrong.
pub fn parse_operation(value: &Value<'_>) -> Result<Operation, String> {
    if !value.is_object() {
        return Err("expected a JSON object".into());
    }
    let name = match value.get("name") {
        Some(v) => v.as_str().filter(|s| !s.is_empty()).ok_or("`name` is not a non-empty string")?,
        None => return Err("`name` is missing".into()),
    };
    let done = match present(value, "done") {
        Some(v) => v.as_bool().ok_or("`done` is not a boolean")?,
        None => false, // proto3 JSON omits false
    };
    let object_text = |field: &str| -> Result<Option<String>, String> {
        match present(value, field) {
            Some(v) if v.is_object() => Ok(Some(v.raw.to_owned())),
            Some(_) => Err(format!("`{field}` is not an object")),
            None => Ok(None),
        }
    };
    let metadata = object_text("metadata")?;
    let response = object_text("response")?;
    let error = match present(value, "error") {
        Some(v) => Some(parse_rpc_status(v).ok_or("`error` is not a google.rpc.Status")?),
        None => None,
    };
    Ok(Operation { name: name.to_owned(), done, metadata, error, response })
}

/// A member that is present and not `null`.
fn present<'v, 'a>(value: &'v Value<'a>, key: &str) -> Option<&'v Value<'a>> {
    value.get(key).filter(|v| !v.is_null())
}

fn parse_rpc_status(value: &Value<'_>) -> Option<RpcStatus> {
    if !value.is_object() {
        return None;
    }
    let code = match present(value, "code") {
        Some(v) => Code(v.as_i32()?),
        None => Code::OK,
    };
    let message = match present(value, "message") {
        Some(v) => v.as_str()?.to_owned(),
        None => String::new(),
    };
    let details = match present(value, "details") {
        Some(v) => objects(v.as_array()?),
        None => Vec::new(),
    };
    Some(RpcStatus { code, message, details })
}

/// The JSON text of each object of `details`. A detail is a
/// `google.protobuf.Any`, always an object: anything else in the array is
/// dropped, so users can read `detail["@type"]` without checking.
fn objects(details: &[Value<'_>]) -> Vec<String> {
    details.iter().filter(|d| d.is_object()).map(|d| d.raw.to_owned()).collect()
}

/// The error for a non-2xx response. A Google error envelope
/// (`{"error": {"code", "message", "status", "details"}}`) gives the code and
/// details; a known `status` name wins, and the HTTP status decides the code
/// when the name is missing or not a canonical one. Anything else (an HTML
/// page from a proxy, an empty or cut-off body) is kept, shortened, in `body`.
pub fn api_error(http_status: u16, body: &str) -> Error {
    // A 2xx here carries an error envelope (see `empty`): UNKNOWN, never OK.
    let http_code = match Code::from_http(http_status) {
        Code::OK => Code::UNKNOWN,
        code => code,
    };
    let envelope = json::parse(body).ok();
    let inner = envelope.as_ref().and_then(|v| v.get("error")).filter(|e| e.is_object());
    let Some(inner) = inner else {
        let what = if body.trim().is_empty() { "an empty body" } else { "a body that is not a JSON error" };
        let mut error = Error::api(
            http_code,
            http_status,
            format!("{} (HTTP {http_status}): the server sent {what}", http_code.name()),
        );
        if !body.is_empty() {
            error.body = Some(crate::error::snippet(body));
        }
        return error;
    };
    // A failure that names itself OK is not believed: the HTTP status decides.
    let code = inner
        .get("status")
        .and_then(Value::as_str)
        .and_then(Code::from_name)
        .filter(|c| *c != Code::OK)
        .unwrap_or(http_code);
    let server_message = inner.get("message").and_then(Value::as_str).unwrap_or_default();
    let message = if server_message.is_empty() {
        format!("{} (HTTP {http_status})", code.name())
    } else {
        format!("{} (HTTP {http_status}): {server_message}", code.name())
    };
    let details = inner.get("details").and_then(Value::as_array).unwrap_or_default();
    let mut error = Error::api(code, http_status, message);
    error.retry_delay_ms = details.iter().find_map(retry_info_delay_ms);
    error.details = objects(details);
    error
}

/// `retryDelay` of a `google.rpc.RetryInfo` detail, in milliseconds.
fn retry_info_delay_ms(detail: &Value<'_>) -> Option<u64> {
    if detail.get("@type").and_then(Value::as_str) != Some(RETRY_INFO) {
        return None;
    }
    parse_duration_ms(detail.get("retryDelay")?.as_str()?)
}

/// Parses a `google.protobuf.Duration` in JSON form (`"1.5s"`, `"30s"`,
/// `"0.000000001s"`) into whole milliseconds, rounded up. Negative or
/// malformed durations give `None`.
pub fn parse_duration_ms(text: &str) -> Option<u64> {
    let number = text.strip_suffix('s')?;
    let (secs, frac) = number.split_once('.').unwrap_or((number, ""));
    if secs.is_empty() || secs.len() > 12 || frac.len() > 9 {
        return None;
    }
    if !secs.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) || (number.contains('.') && frac.is_empty()) {
        return None;
    }
    let secs: u64 = secs.parse().ok()?;
    let nanos: u64 = if frac.is_empty() { 0 } else { format!("{frac:0<9}").parse().ok()? };
    Some(secs * 1000 + nanos.div_ceil(1_000_000))
}

fn not_json(http_status: u16, body: &str) -> Error {
    Error::bad_response(http_status, format!("HTTP {http_status}: the body is not JSON"), body)
}

/// One page of `ListOperations`.
#[derive(Clone, Debug, PartialEq)]
pub struct ListPage {
    pub operations: Vec<Operation>,
    /// Empty on the last page.
    pub next_page_token: String,
    pub unreachable: Vec<String>,
}

/// The result of `ListOperations`. Missing fields are empty, as proto3 JSON
/// omits them.
pub fn list_page(http_status: u16, body: &str) -> Result<ListPage, Error> {
    let value = success_json(http_status, body, false)?;
    let wrong = |what: String| {
        Error::bad_response(
            http_status,
            format!("HTTP {http_status}: the body is not a list of operations: {what}"),
            body,
        )
    };
    if !value.is_object() {
        return Err(wrong("expected a JSON object".into()));
    }
    let operations = match present(&value, "operations") {
        Some(v) => v
            .as_array()
            .ok_or_else(|| wrong("`operations` is not an array".into()))?
            .iter()
            .map(parse_operation)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| wrong(format!("in `operations`: {e}")))?,
        None => Vec::new(),
    };
    let next_page_token = match present(&value, "nextPageToken") {
        Some(v) => v.as_str().ok_or_else(|| wrong("`nextPageToken` is not a string".into()))?.to_owned(),
        None => String::new(),
    };
    let unreachable = match present(&value, "unreachable") {
        Some(v) => v
            .as_array()
            .and_then(|items| items.iter().map(|i| i.as_str().map(str::to_owned)).collect::<Option<Vec<_>>>())
            .ok_or_else(|| wrong("`unreachable` is not an array of strings".into()))?,
        None => Vec::new(),
    };
    Ok(ListPage { operations, next_page_token, unreachable })
}

/// What became of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    Running,
    /// Done with `error.code == 1`.
    Cancelled,
    /// Done with a response, or with neither a response nor an error.
    Completed,
    /// Done with another error.
    Failed,
}

impl Operation {
    pub fn fate(&self) -> Fate {
        match (&self.done, &self.error) {
            (false, _) => Fate::Running,
            (true, Some(status)) if status.code == Code::CANCELLED => Fate::Cancelled,
            (true, Some(_)) => Fate::Failed,
            (true, None) => Fate::Completed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn error_envelope_with_a_success_status_is_an_api_error_everywhere() {
        let body = r#"{"error": {"code": 403, "status": "PERMISSION_DENIED", "message": "no"}}"#;
        for error in
            [empty(200, body).unwrap_err(), operation(200, body).unwrap_err(), list_page(200, body).unwrap_err()]
        {
            assert_eq!((error.kind, error.code), (ErrorKind::Api, Code::PERMISSION_DENIED), "{error:?}");
        }
        let failed = r#"{"name": "operations/1", "done": true, "error": {"code": 13, "message": "x"}}"#;
        assert_eq!(operation(200, failed).unwrap().error.unwrap().code, Code::INTERNAL);
        // Empty and ListOperationsResponse have no `error` field: a name beside it changes nothing.
        assert_eq!(empty(200, failed).unwrap_err().kind, ErrorKind::Api);
        assert_eq!(list_page(200, failed).unwrap_err().kind, ErrorKind::Api);
    }

    // Captured from the service's responses (identifiers replaced).
    const NOT_FOUND: &str = r#"{
  "error": {
    "code": 404,
    "message": "Operation projects/my-project/locations/global/operations/123 not found.",
    "status": "NOT_FOUND"
  }
}"#;
    const UNAUTHENTICATED: &str = r#"{
  "error": {
    "code": 401,
    "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.",
    "status": "UNAUTHENTICATED",
    "details": [
      {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "ACCESS_TOKEN_TYPE_UNSUPPORTED",
        "metadata": {
          "method": "google.longrunning.Operations.GetOperation",
          "service": "routeoptimization.googleapis.com"
        }
      }
    ]
  }
}"#;
    const RESOURCE_EXHAUSTED: &str = r#"{"error":{"code":429,"message":"Quota exceeded for quota metric 'Requests' and limit 'Requests per minute'.","status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","reason":"RATE_LIMIT_EXCEEDED","domain":"googleapis.com","metadata":{"quota_limit_value":"300"}},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"1.500s"},{"@type":"type.googleapis.com/google.rpc.Help","links":[{"description":"Request a higher quota limit.","url":"https://cloud.google.com/docs/quotas/help/request_increase"}]},{"@type":"type.example.com/Unknown","x":[1,2]}]}}"#;
    const HTML_502: &str = "<!DOCTYPE html>\n<html lang=en>\n  <meta charset=utf-8>\n  <title>Error 502 (Server Error)!!1</title>\n  <p><b>502.</b> <ins>That’s an error.</ins>\n  <p>The server encountered a temporary error and could not complete your request.<p>Please try again in 30 seconds.  <ins>That’s all we know.</ins>\n";

    #[test]
    fn not_found_envelope() {
        let e = api_error(404, NOT_FOUND);
        assert_eq!((e.kind, e.code, e.http_status), (ErrorKind::Api, Code::NOT_FOUND, Some(404)));
        assert_eq!(
            e.message,
            "NOT_FOUND (HTTP 404): Operation projects/my-project/locations/global/operations/123 not found."
        );
        assert!(e.details.is_empty() && e.body.is_none() && !e.retryable());
    }

    #[test]
    fn details_are_kept_as_they_came() {
        let e = api_error(401, UNAUTHENTICATED);
        assert_eq!(e.code, Code::UNAUTHENTICATED);
        assert_eq!(e.details.len(), 1);
        let detail = json::parse(&e.details[0]).unwrap();
        assert_eq!(detail.get("reason").and_then(Value::as_str), Some("ACCESS_TOKEN_TYPE_UNSUPPORTED"));

        let e = api_error(429, RESOURCE_EXHAUSTED);
        assert_eq!(e.code, Code::RESOURCE_EXHAUSTED);
        assert_eq!(e.details.len(), 4);
        assert_eq!(e.details[3], r#"{"@type":"type.example.com/Unknown","x":[1,2]}"#);
        assert_eq!(e.retry_delay_ms, Some(1500));
        assert!(e.retryable());
    }

    #[test]
    fn details_that_are_not_objects_are_dropped() {
        let e = api_error(500, r#"{"error":{"details":[1,"x",null,[],{"@type":"t"},true]}}"#);
        assert_eq!(e.details, [r#"{"@type":"t"}"#]);
        let status = parse_rpc_status(&json::parse(r#"{"code":1,"details":["x",{"a":1}]}"#).unwrap()).unwrap();
        assert_eq!(status.details, [r#"{"a":1}"#]);
    }

    #[test]
    fn status_name_wins_over_http_status() {
        let e = api_error(400, r#"{"error":{"code":400,"message":"m","status":"FAILED_PRECONDITION"}}"#);
        assert_eq!(e.code, Code::FAILED_PRECONDITION);
        assert_eq!(e.message, "FAILED_PRECONDITION (HTTP 400): m");
    }

    #[test]
    fn missing_or_unknown_status_falls_back_to_http() {
        assert_eq!(api_error(503, r#"{"error":{"code":503,"message":"busy"}}"#).code, Code::UNAVAILABLE);
        assert_eq!(api_error(404, r#"{"error":{"status":"NOPE"}}"#).code, Code::NOT_FOUND);
        assert_eq!(api_error(501, r#"{"error":{"status":7}}"#).code, Code::UNIMPLEMENTED);
        let e = api_error(500, r#"{"error":{"message":"x","details":"not an array"}}"#);
        assert_eq!((e.code, e.details.len()), (Code::INTERNAL, 0));
        assert_eq!(api_error(403, r#"{"error":{}}"#).message, "PERMISSION_DENIED (HTTP 403)");
    }

    #[test]
    fn unimplemented_is_a_clear_api_error() {
        let e = api_error(
            501,
            r#"{"error":{"code":501,"message":"Operation is not implemented, or supported, or enabled.","status":"UNIMPLEMENTED"}}"#,
        );
        assert_eq!((e.kind, e.code.name(), e.http_status), (ErrorKind::Api, "UNIMPLEMENTED", Some(501)));
        assert!(!e.retryable());
    }

    #[test]
    fn bodies_that_are_not_envelopes() {
        let e = api_error(502, HTML_502);
        assert_eq!((e.kind, e.code, e.http_status), (ErrorKind::Api, Code::UNAVAILABLE, Some(502)));
        assert!(e.body.as_deref().unwrap().starts_with("<!DOCTYPE html>"));
        assert!(e.retryable());
        assert!(e.message.contains("not a JSON error"), "{}", e.message);

        let e = api_error(500, "");
        assert_eq!((e.code, e.body.clone()), (Code::INTERNAL, None));
        assert!(e.message.contains("empty body"));

        for body in [
            r#"{"error": {"code": 503, "mess"#,
            "[1,2]",
            "\"error\"",
            "null",
            "42",
            r#"{"message":"x"}"#,
            r#"{"error":"boom"}"#,
        ] {
            let e = api_error(503, body);
            assert_eq!((e.kind, e.code), (ErrorKind::Api, Code::UNAVAILABLE), "{body}");
            assert_eq!(e.body.as_deref(), Some(body));
        }

        let huge = format!("<html>{}</html>", "x".repeat(100_000));
        assert_eq!(api_error(504, &huge).body.unwrap().len(), crate::error::MAX_BODY_SNIPPET);
    }

    #[test]
    fn empty_success_forms() {
        assert_eq!(empty(200, "{}"), Ok(()));
        assert_eq!(empty(200, " {}\n"), Ok(()));
        assert_eq!(empty(200, ""), Ok(()));
        assert_eq!(empty(204, ""), Ok(()));
        let e = empty(200, "<html>portal</html>").unwrap_err();
        assert_eq!((e.kind, e.http_status), (ErrorKind::BadResponse, Some(200)));
        assert_eq!(e.body.as_deref(), Some("<html>portal</html>"));
        assert_eq!(empty(200, "[]").unwrap_err().kind, ErrorKind::BadResponse);
        assert_eq!(empty(200, "{\"a\":").unwrap_err().kind, ErrorKind::BadResponse);
        assert_eq!(empty(404, NOT_FOUND).unwrap_err().code, Code::NOT_FOUND);
    }

    #[test]
    fn operations() {
        let running = operation(200, r#"{"name":"operations/1","metadata":{"@type":"type.googleapis.com/google.maps.routeoptimization.v1.BatchOptimizeToursMetadata"}}"#).unwrap();
        assert_eq!(running.name, "operations/1");
        assert!(!running.done && running.error.is_none() && running.response.is_none());
        assert!(running.metadata.unwrap().contains("BatchOptimizeToursMetadata"));

        let cancelled = operation(
            200,
            r#"{"name":"operations/1","done":true,"error":{"code":1,"message":"Operation cancelled."}}"#,
        )
        .unwrap();
        assert!(cancelled.done);
        assert_eq!(
            cancelled.error.unwrap(),
            RpcStatus { code: Code::CANCELLED, message: "Operation cancelled.".into(), details: vec![] }
        );

        let finished =
            operation(200, r#"{"name":"operations/1","done":true,"response":{"@type":"x"},"error":null}"#).unwrap();
        assert_eq!((finished.response.as_deref(), finished.error), (Some(r#"{"@type":"x"}"#), None));

        let done_with_neither = operation(200, r#"{"name":"operations/1","done":true}"#).unwrap();
        assert!(done_with_neither.done && done_with_neither.error.is_none() && done_with_neither.response.is_none());
    }

    #[test]
    fn malformed_operations_are_bad_responses() {
        for (body, field) in [
            ("{}", "`name` is missing"),
            (r#"{"name":""}"#, "`name`"),
            (r#"{"name":5}"#, "`name`"),
            (r#"{"name":"o","done":"yes"}"#, "`done`"),
            (r#"{"name":"o","metadata":[]}"#, "`metadata`"),
            (r#"{"name":"o","response":"x"}"#, "`response`"),
            (r#"{"name":"o","error":{"code":"1"}}"#, "`error`"),
            (r#"{"name":"o","error":{"code":1.5}}"#, "`error`"),
            (r#"{"name":"o","error":{"details":{}}}"#, "`error`"),
            ("[]", "JSON object"),
        ] {
            let e = operation(200, body).unwrap_err();
            assert_eq!(e.kind, ErrorKind::BadResponse, "{body}");
            assert!(e.message.contains(field), "{body}: {}", e.message);
        }
        assert_eq!(operation(200, "not json").unwrap_err().kind, ErrorKind::BadResponse);
        assert_eq!(operation(200, "").unwrap_err().kind, ErrorKind::BadResponse);
        assert_eq!(operation(404, NOT_FOUND).unwrap_err().kind, ErrorKind::Api);
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration_ms("1.5s"), Some(1500));
        assert_eq!(parse_duration_ms("30s"), Some(30_000));
        assert_eq!(parse_duration_ms("0.000000001s"), Some(1));
        assert_eq!(parse_duration_ms("0s"), Some(0));
        for bad in ["", "s", "1", "-1s", "1.s", ".5s", "1.0000000001s", "1e3s", "999999999999999s", "1,5s", "+1s"] {
            assert_eq!(parse_duration_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn list_pages() {
        let page = list_page(
            200,
            r#"{"operations":[{"name":"operations/1"},{"name":"operations/2","done":true}],"nextPageToken":"t2"}"#,
        )
        .unwrap();
        assert_eq!(page.operations.len(), 2);
        assert_eq!((page.next_page_token.as_str(), page.unreachable.len()), ("t2", 0));
        let last = list_page(200, "{}").unwrap();
        assert!(last.operations.is_empty() && last.next_page_token.is_empty());
        let partial = list_page(200, r#"{"unreachable":["projects/p/locations/x"]}"#).unwrap();
        assert_eq!(partial.unreachable, vec!["projects/p/locations/x".to_owned()]);
        for bad in [
            "[]",
            r#"{"operations":{}}"#,
            r#"{"operations":[{}]}"#,
            r#"{"nextPageToken":5}"#,
            r#"{"unreachable":[1]}"#,
            "<html>",
        ] {
            assert_eq!(list_page(200, bad).unwrap_err().kind, ErrorKind::BadResponse, "{bad}");
        }
        assert_eq!(list_page(501, r#"{"error":{"status":"UNIMPLEMENTED"}}"#).unwrap_err().code, Code::UNIMPLEMENTED);
    }

    #[test]
    fn fates() {
        let op = |body: &str| operation(200, body).unwrap().fate();
        assert_eq!(op(r#"{"name":"o"}"#), Fate::Running);
        assert_eq!(op(r#"{"name":"o","done":true,"error":{"code":1}}"#), Fate::Cancelled);
        assert_eq!(op(r#"{"name":"o","done":true,"error":{"code":3}}"#), Fate::Failed);
        assert_eq!(op(r#"{"name":"o","done":true,"response":{}}"#), Fate::Completed);
        assert_eq!(op(r#"{"name":"o","done":true}"#), Fate::Completed);
    }

    #[test]
    fn an_error_envelope_with_a_success_status_is_not_ok() {
        // Found by the `responses` fuzz target: the HTTP status decided the
        // code when the envelope named none, and a 2xx maps to OK.
        for body in [r#"{"error":{}}"#, r#"{"error":{"code":500}}"#, r#"{"error":{"status":"OK"}}"#] {
            let e = empty(200, body).unwrap_err();
            assert_eq!((e.kind, e.code, e.http_status), (ErrorKind::Api, Code::UNKNOWN, Some(200)), "{body}");
            assert!(e.message.starts_with("UNKNOWN (HTTP 200)"), "{}", e.message);
        }
    }

    #[test]
    fn envelopes_that_lie() {
        let e = api_error(500, r#"{"error":{"status":"OK","message":"all good?"}}"#);
        assert_eq!(e.code, Code::INTERNAL);
        let e = empty(200, r#"{"error":{"code":500,"status":"INTERNAL","message":"x"}}"#).unwrap_err();
        assert_eq!((e.kind, e.code, e.http_status), (ErrorKind::Api, Code::INTERNAL, Some(200)));
    }
}
