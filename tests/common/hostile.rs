//! Hostile servers: one table of misbehaving answers, scripted with the
//! emulator's faults, each tried on cancel, get, list and delete. Every case
//! must give a typed result or an `OperationsError` of the expected kind, and
//! the same module instance must then still complete a normal cancel.

use super::*;
use route_optimization_operations::{delete_operation, list_operations};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    /// A typed success: the OK status (cancel, delete), an Operation, a page.
    Ok,
    /// An `OperationsError` with this `kind` and `status`.
    Err(&'static str, &'static str),
}

use Expect::{Err as Fails, Ok as Succeeds};

/// Cases run in groups, one test each, so that no test runs for long.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Group {
    /// Error pages and empty bodies.
    Pages,
    /// Valid or broken JSON of the wrong shape.
    Shapes,
    /// Huge, compressed and mislabelled bodies.
    Bodies,
    /// Answers that never finish.
    Stalls,
    /// Dropped connections and redirects.
    Connections,
}

struct Case {
    group: Group,
    name: &'static str,
    /// The emulator fault without its path and method. `{other}` stands for
    /// another emulator's URL, `{self}` for the URL being requested.
    fault: &'static str,
    /// What cancel and delete give (their success is `google.protobuf.Empty`).
    empty: Expect,
    /// What get and list give (their success is a JSON object).
    object: Expect,
    /// Text the error message must contain, when it fails.
    message: &'static str,
    /// Per-attempt timeout for the case.
    timeout_ms: u32,
}

const BAD: Expect = Fails("bad-response", "UNKNOWN");
const HTML: &str =
    "<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Something went wrong</h1></body></html>";
/// Most bytes the client reads (`MAX_BODY_BYTES`): 16 MiB.
const LIMIT: &str = "16777216 bytes";
const T: u32 = 10_000;
const SHORT: u32 = 500;

macro_rules! case {
    ($group:ident, $name:literal, $fault:literal, $empty:expr, $object:expr) => {
        case!($group, $name, $fault, $empty, $object, "", T)
    };
    ($group:ident, $name:literal, $fault:literal, $empty:expr, $object:expr, $message:expr, $timeout:expr) => {
        Case {
            group: Group::$group,
            name: $name,
            fault: $fault,
            empty: $empty,
            object: $object,
            message: $message,
            timeout_ms: $timeout,
        }
    };
}

#[rustfmt::skip]
const CASES: &[Case] = &[
    // HTML error pages, as proxies and load balancers send them.
    case!(Pages, "html-500", r#"{"status": 500, "headers": {"content-type": "text/html"}, "body": "{html}"}"#, Fails("api", "INTERNAL"), Fails("api", "INTERNAL")),
    case!(Pages, "html-502", r#"{"status": 502, "headers": {"content-type": "text/html"}, "body": "{html}"}"#, Fails("api", "UNAVAILABLE"), Fails("api", "UNAVAILABLE")),
    case!(Pages, "html-503", r#"{"status": 503, "headers": {"content-type": "text/html"}, "body": "{html}"}"#, Fails("api", "UNAVAILABLE"), Fails("api", "UNAVAILABLE")),
    case!(Pages, "html-504", r#"{"status": 504, "headers": {"content-type": "text/html"}, "body": "{html}"}"#, Fails("api", "DEADLINE_EXCEEDED"), Fails("api", "DEADLINE_EXCEEDED")),
    case!(Pages, "html-400", r#"{"status": 400, "headers": {"content-type": "text/html"}, "body": "{html}"}"#, Fails("api", "INVALID_ARGUMENT"), Fails("api", "INVALID_ARGUMENT")),
    case!(Pages, "html-403", r#"{"status": 403, "headers": {"content-type": "text/html"}, "body": "{html}"}"#, Fails("api", "PERMISSION_DENIED"), Fails("api", "PERMISSION_DENIED")),
    case!(Pages, "html-404", r#"{"status": 404, "headers": {"content-type": "text/html"}, "body": "{html}"}"#, Fails("api", "NOT_FOUND"), Fails("api", "NOT_FOUND")),
    case!(Pages, "html-200", r#"{"status": 200, "headers": {"content-type": "text/html"}, "body": "{html}"}"#, BAD, BAD),
    // Empty bodies.
    case!(Pages, "empty-200", r#"{"status": 200}"#, Succeeds, BAD),
    case!(Pages, "empty-204", r#"{"status": 204}"#, Succeeds, BAD),
    case!(Pages, "empty-500", r#"{"status": 500}"#, Fails("api", "INTERNAL"), Fails("api", "INTERNAL")),
    // Truncated JSON.
    case!(Shapes, "truncated-200", r#"{"status": 200, "body": "{\"name\": \"operations/t\", \"done\": tr"}"#, BAD, BAD),
    case!(Shapes, "truncated-503", r#"{"status": 503, "body": "{\"error\": {\"code\": 503, \"status\": \"UNAVAIL"}"#, Fails("api", "UNAVAILABLE"), Fails("api", "UNAVAILABLE")),
    // Valid JSON of the wrong shape.
    case!(Shapes, "array-200", r#"{"status": 200, "body": []}"#, BAD, BAD),
    case!(Shapes, "string-200", r#"{"status": 200, "body": "\"OK\""}"#, BAD, BAD),
    case!(Shapes, "number-200", r#"{"status": 200, "body": 42}"#, BAD, BAD),
    case!(Shapes, "null-200", r#"{"status": 200, "body": null}"#, BAD, BAD),
    case!(Shapes, "array-500", r#"{"status": 500, "body": [{"error": {"code": 500, "status": "INTERNAL"}}]}"#, Fails("api", "INTERNAL"), Fails("api", "INTERNAL")),
    case!(Shapes, "string-404", r#"{"status": 404, "body": "\"not found\""}"#, Fails("api", "NOT_FOUND"), Fails("api", "NOT_FOUND")),
    case!(Shapes, "number-429", r#"{"status": 429, "body": 429}"#, Fails("api", "RESOURCE_EXHAUSTED"), Fails("api", "RESOURCE_EXHAUSTED")),
    case!(Shapes, "null-503", r#"{"status": 503, "body": null}"#, Fails("api", "UNAVAILABLE"), Fails("api", "UNAVAILABLE")),
    case!(Shapes, "no-error-member", r#"{"status": 500, "body": {"code": 500, "message": "boom", "status": "INTERNAL"}}"#, Fails("api", "INTERNAL"), Fails("api", "INTERNAL")),
    case!(Shapes, "error-is-a-string", r#"{"status": 403, "body": {"error": "denied"}}"#, Fails("api", "PERMISSION_DENIED"), Fails("api", "PERMISSION_DENIED")),
    case!(Shapes, "error-without-status", r#"{"status": 404, "body": {"error": {"code": 404, "message": "gone"}}}"#, Fails("api", "NOT_FOUND"), Fails("api", "NOT_FOUND"), "gone", T),
    case!(Shapes, "unknown-status-name", r#"{"status": 409, "body": {"error": {"code": 409, "status": "SOMETHING_NEW", "message": "m"}}}"#, Fails("api", "ABORTED"), Fails("api", "ABORTED")),
    case!(Shapes, "status-not-a-string", r#"{"status": 400, "body": {"error": {"code": 400, "status": 7}}}"#, Fails("api", "INVALID_ARGUMENT"), Fails("api", "INVALID_ARGUMENT")),
    case!(Shapes, "details-not-an-array", r#"{"status": 403, "body": {"error": {"code": 403, "status": "PERMISSION_DENIED", "details": {"@type": "x"}}}}"#, Fails("api", "PERMISSION_DENIED"), Fails("api", "PERMISSION_DENIED")),
    case!(Shapes, "error-envelope-200", r#"{"status": 200, "body": {"error": {"code": 7, "status": "PERMISSION_DENIED", "message": "no"}}}"#, Fails("api", "PERMISSION_DENIED"), Fails("api", "PERMISSION_DENIED")),
    // Huge bodies: streamed without Content-Length, compressed, or announced.
    case!(Bodies, "huge-200-chunked", r#"{"status": 200, "size": 20000000, "body": "{html}"}"#, BAD, BAD, LIMIT, T),
    case!(Bodies, "huge-500-chunked", r#"{"status": 500, "size": 20000000, "body": "{html}"}"#, BAD, BAD, LIMIT, T),
    case!(Bodies, "gzip-bomb-200", r#"{"status": 200, "size": 20000000, "gzip": true, "body": "{}"}"#, BAD, BAD, LIMIT, T),
    case!(Bodies, "gzip-small-200", r#"{"status": 200, "gzip": true, "body": {"name": "operations/gz", "done": true}}"#, Succeeds, Succeeds),
    case!(Bodies, "huge-announced", r#"{"status": 200, "size": 20000000, "headers": {"content-length": "20000000"}}"#, BAD, BAD, LIMIT, T),
    // Answers that never finish: the timeout must still fire.
    case!(Stalls, "stall-before-headers", r#"{"status": 200, "body": "{}", "delayMs": 30000}"#, Fails("timeout", "DEADLINE_EXCEEDED"), Fails("timeout", "DEADLINE_EXCEEDED"), "500 ms", SHORT),
    case!(Stalls, "stall-mid-body-200", r#"{"status": 200, "body": {"name": "operations/s", "done": false}, "stallAfter": 12}"#, Fails("timeout", "DEADLINE_EXCEEDED"), Fails("timeout", "DEADLINE_EXCEEDED"), "500 ms", SHORT),
    case!(Stalls, "stall-mid-body-500", r#"{"status": 500, "body": "{html}", "stallAfter": 20}"#, Fails("timeout", "DEADLINE_EXCEEDED"), Fails("timeout", "DEADLINE_EXCEEDED"), "500 ms", SHORT),
    // Dropped connections.
    case!(Connections, "drop-after-headers", r#"{"status": 200, "drop": true}"#, Fails("network", "UNAVAILABLE"), Fails("network", "UNAVAILABLE")),
    case!(Connections, "drop-mid-body", r#"{"status": 200, "body": {"name": "operations/d", "done": false}, "stallAfter": 12, "drop": true}"#, Fails("network", "UNAVAILABLE"), Fails("network", "UNAVAILABLE")),
    // Redirects are never followed: not to another host, not in a loop.
    case!(Connections, "redirect-302-other-host", r#"{"status": 302, "headers": {"location": "{other}"}}"#, Fails("api", "UNKNOWN"), Fails("api", "UNKNOWN"), "redirect", T),
    case!(Connections, "redirect-307-other-host", r#"{"status": 307, "headers": {"location": "{other}"}}"#, Fails("api", "UNKNOWN"), Fails("api", "UNKNOWN"), "redirect", T),
    case!(Connections, "redirect-308-loop", r#"{"status": 308, "headers": {"location": "{self}"}, "times": 50}"#, Fails("api", "UNKNOWN"), Fails("api", "UNKNOWN"), "redirect", T),
    // Content types that do not match the body: the body decides.
    case!(Bodies, "json-as-text-html", r#"{"status": 200, "headers": {"content-type": "text/html"}, "body": {"name": "operations/ct", "done": true}}"#, Succeeds, Succeeds),
    case!(Bodies, "html-as-json", r#"{"status": 200, "headers": {"content-type": "application/json"}, "body": "{html}"}"#, BAD, BAD),
    case!(Bodies, "error-as-text-plain", r#"{"status": 503, "headers": {"content-type": "text/plain"}, "body": {"error": {"code": 503, "status": "UNAVAILABLE", "message": "busy"}}}"#, Fails("api", "UNAVAILABLE"), Fails("api", "UNAVAILABLE"), "busy", T),
    case!(Bodies, "octet-stream-200", r#"{"status": 200, "headers": {"content-type": "application/octet-stream"}, "body": "\u0000\u0001\u0002"}"#, BAD, BAD),
];

#[derive(Clone, Copy, Debug)]
enum Op {
    Cancel,
    Get,
    List,
    Delete,
}

const OPS: [Op; 4] = [Op::Cancel, Op::Get, Op::List, Op::Delete];

impl Op {
    /// The method and path the call sends, for the case numbered `index`.
    fn target(self, index: usize) -> (&'static str, String) {
        match self {
            Op::Cancel => ("POST", format!("/v1/operations/hostile-{index}:cancel")),
            Op::Get => ("GET", format!("/v1/operations/hostile-{index}")),
            Op::List => ("GET", format!("/v1/hostile/{index}")),
            Op::Delete => ("DELETE", format!("/v1/operations/hostile-{index}")),
        }
    }

    async fn call(self, index: usize, timeout_ms: u32) -> Result<JsValue, JsValue> {
        let opts = options(&[
            ("endpoint", emulator().into()),
            ("retry", JsValue::FALSE),
            ("timeoutMs", JsValue::from(timeout_ms)),
            ("name", format!("hostile/{index}").into()),
        ]);
        let name = JsValue::from(format!("operations/hostile-{index}"));
        match self {
            Op::Cancel => cancel_operation(name, TOKEN.into(), opts).await,
            Op::Get => get_operation(name, TOKEN.into(), opts).await,
            Op::List => list_operations(TOKEN.into(), opts).await,
            Op::Delete => delete_operation(name, TOKEN.into(), opts).await,
        }
    }

    /// Whether `value` is this call's typed success.
    fn is_typed_success(self, value: &JsValue) -> bool {
        match self {
            Op::Cancel | Op::Delete => {
                get(value, "status").as_string().as_deref() == Some("OK") && get(value, "code").as_f64() == Some(0.0)
            }
            Op::Get => {
                get(value, "name").as_string().is_some_and(|n| !n.is_empty()) && get(value, "done").as_bool().is_some()
            }
            Op::List => js_sys::Array::is_array(&get(value, "operations")) && get(value, "nextPageToken").is_string(),
        }
    }
}

/// Checks one outcome; the problem, if any, as text.
fn check(op: Op, case: &Case, result: &Result<JsValue, JsValue>, elapsed_ms: f64) -> Result<(), String> {
    let expected = match op {
        Op::Cancel | Op::Delete => case.empty,
        Op::Get | Op::List => case.object,
    };
    match (expected, result) {
        (Succeeds, Ok(value)) if op.is_typed_success(value) => Ok(()),
        (Succeeds, Ok(value)) => Err(format!("not a typed success: {value:?}")),
        (Succeeds, Err(error)) => Err(format!("expected success, got {}", describe(error))),
        (Fails(..), Ok(value)) => Err(format!("expected an error, got {value:?}")),
        (Fails(kind, status), Err(error)) => {
            let problem = if !error.is_instance_of::<js_sys::Error>() {
                "not an Error"
            } else if get(error, "name").as_string().as_deref() != Some("OperationsError") {
                "not an OperationsError"
            } else if get(error, "kind").as_string().as_deref() != Some(kind) {
                "wrong kind"
            } else if get(error, "status").as_string().as_deref() != Some(status) {
                "wrong status"
            } else if !js_sys::Array::is_array(&get(error, "details")) {
                "details is not an array"
            } else if get(error, "retryable").as_bool().is_none() {
                "retryable is not a boolean"
            } else if !get(error, "message").as_string().is_some_and(|m| m.contains(case.message)) {
                "the message lacks the expected text"
            } else if kind == "timeout" && elapsed_ms > f64::from(case.timeout_ms) + 5000.0 {
                "the timeout fired late"
            } else {
                return Ok(());
            };
            Err(format!("{problem}: expected {kind}/{status}, got {}", describe(error)))
        }
    }
}

fn describe(error: &JsValue) -> String {
    format!(
        "{:?}/{:?} {:?}",
        get(error, "kind").as_string(),
        get(error, "status").as_string(),
        get(error, "message").as_string()
    )
}

async fn add_raw_fault(case: &Case, method: &str, path: &str) {
    let fault = case
        .fault
        .replace("{html}", HTML)
        .replace("{other}", &format!("{}{path}", google_emulator()))
        .replace("{self}", &format!("{}{path}", emulator()));
    let fault = js_sys::JSON::parse(&fault).unwrap_or_else(|_| panic!("case {}: the fault is not JSON", case.name));
    Reflect::set(&fault, &"path".into(), &path.into()).unwrap();
    Reflect::set(&fault, &"method".into(), &method.into()).unwrap();
    control("POST", "faults", &String::from(js_sys::JSON::stringify(&fault).unwrap())).await;
}

/// Runs every case of `group` on every call; panics with the list of failures.
async fn run(group: Group) {
    let survivor = create_operation(600_000).await;
    let other_before = other_requests().await;
    let mut failures = Vec::new();
    let mut passed = 0;
    let cases = || CASES.iter().enumerate().filter(|(_, case)| case.group == group);
    for (index, case) in cases() {
        for op in OPS {
            let (method, path) = op.target(index);
            add_raw_fault(case, method, &path).await;
            let started = now_ms();
            let result = op.call(index, case.timeout_ms).await;
            let outcome = check(op, case, &result, now_ms() - started);
            // Faults not used up (a loop's extra answers) must not leak into the next case.
            control("DELETE", "faults", "").await;
            // The same instance still completes a normal call.
            let normal = cancel_operation(survivor.clone().into(), TOKEN.into(), at(emulator())).await;
            let normal_ok = normal.as_ref().is_ok_and(|v| Op::Cancel.is_typed_success(v));
            match (outcome, normal_ok) {
                (Ok(()), true) => passed += 1,
                (Ok(()), false) => failures.push(format!("{} {op:?}: a normal cancel failed afterwards", case.name)),
                (Err(problem), _) => failures.push(format!("{} {op:?}: {problem}", case.name)),
            }
        }
    }
    assert_eq!(other_requests().await, other_before, "a redirect reached the other host");
    let total = cases().count() * OPS.len();
    assert!(failures.is_empty(), "{group:?}: {passed} of {total} passed; failures:\n{}", failures.join("\n"));
    assert!(passed == total && total > 0);
    web_sys::console::log_1(&format!("hostile-server matrix, {group:?}: {passed} of {total} passed").into());
}

#[wasm_bindgen_test]
async fn hostile_error_pages_and_empty_bodies() {
    run(Group::Pages).await;
}

#[wasm_bindgen_test]
async fn hostile_json_of_the_wrong_shape() {
    run(Group::Shapes).await;
}

#[wasm_bindgen_test]
async fn hostile_huge_compressed_and_mislabelled_bodies() {
    run(Group::Bodies).await;
}

#[wasm_bindgen_test]
async fn hostile_stalls_end_in_the_timeout() {
    run(Group::Stalls).await;
}

#[wasm_bindgen_test]
async fn hostile_drops_and_redirects() {
    run(Group::Connections).await;
}

#[wasm_bindgen_test]
fn every_case_has_a_unique_name() {
    let mut names: Vec<&str> = CASES.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), CASES.len());
}

/// API requests the other (google-mode) emulator has received.
async fn other_requests() -> f64 {
    let url = format!("{}/__emulator/stats", google_emulator());
    let response = gloo_net::http::Request::get(&url).send().await.unwrap();
    number(&js_sys::JSON::parse(&response.text().await.unwrap()).unwrap(), "requests")
}

#[wasm_bindgen_test]
async fn network_errors_name_the_url_and_the_runtime_error() {
    // Port 2 is closed on test machines (and, unlike 9, not on fetch's list
    // of blocked ports): the connection is refused.
    let opts = options(&[("endpoint", "http://127.0.0.1:2".into()), ("retry", JsValue::FALSE)]);
    let error = cancel_operation("operations/x".into(), TOKEN.into(), opts).await.unwrap_err();
    assert_eq!(text(&error, "kind"), "network");
    assert_eq!(get(&error, "retryable"), JsValue::TRUE);
    let message = text(&error, "message");
    let reason = message.strip_prefix("could not reach http://127.0.0.1:2/v1/operations/x:cancel: ");
    assert!(reason.is_some_and(|r| !r.trim().is_empty()), "{message}");
}

/// Replaced `fetch` functions (npm's undici or node-fetch, test mocks,
/// polyfills) that give or throw what a runtime's fetch never would. Each is
/// installed on `globalThis` for one cancel (it is called with the URL and an init object); the call must end in a typed
/// error (or, for a faithful copy of `Response`, succeed), and the module
/// must then still work with the real fetch.
#[wasm_bindgen_test]
async fn replaced_fetch_functions_give_typed_errors() {
    #[rustfmt::skip]
    let fakes: &[(&str, Option<&str>, &str)] = &[
        // (the fake, the kind it must fail with or None for success, text in the message)
        ("() => Promise.reject('offline')", Some("network"), "offline"),
        ("() => Promise.reject(42)", Some("network"), "other than an Error"),
        ("() => Promise.reject(new Proxy({}, { get() { throw new Error('trap'); } }))", Some("network"), "other than an Error"),
        ("() => Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: new Error('connect ECONNREFUSED') }))", Some("network"), "TypeError: fetch failed (connect ECONNREFUSED)"),
        ("() => { throw 'thrown synchronously'; }", Some("network"), "thrown synchronously"),
        ("undefined", Some("network"), "TypeError"),
        ("() => ({ then() { throw new Error('bad thenable'); } })", Some("network"), "bad thenable"),
        ("() => Promise.resolve({ ok: true, json: async () => ({}) })", Some("network"), "other than a Response"),
        ("() => ({ status: 200 })", Some("network"), "other than a Response"),
        ("() => Promise.resolve(null)", Some("network"), "other than a Response"),
        ("() => Promise.resolve({ status: 200.5, headers: new Headers() })", Some("network"), "other than a Response"),
        ("() => Promise.resolve({ status: 200, headers: new Headers(), body: '{}' })", Some("network"), "not bytes"),
        ("() => Promise.resolve({ status: 200, headers: new Headers(), get body() { throw new Error('getter'); } })", Some("network"), "not bytes"),
        ("() => Promise.resolve({ status: 200, headers: new Headers(), body: { getReader: () => ({ read() { throw 1; } }) } })", Some("network"), "reading the response"),
        ("() => Promise.resolve({ status: 200, headers: new Headers(), body: { getReader: () => ({ read: async () => ({ done: false, value: 'text' }) }) } })", Some("network"), "not bytes"),
        // A body that is not a web stream (node-fetch gives a Node stream): read with arrayBuffer().
        ("() => Promise.resolve({ status: 200, headers: new Headers(), body: { pipe() {} }, arrayBuffer: async () => new TextEncoder().encode('{}').buffer })", None, ""),
        ("() => Promise.resolve({ status: 200, headers: new Headers(), body: { pipe() {} }, arrayBuffer: async () => 1e9 })", Some("network"), "not bytes"),
        ("() => Promise.resolve({ status: 200, headers: new Headers(), body: { pipe() {} }, arrayBuffer: () => Promise.reject(new Error('reset')) })", Some("network"), "reading the response"),
        ("() => Promise.resolve({ status: 200, headers: new Headers(), body: { pipe() {} }, arrayBuffer: async () => new ArrayBuffer(17 * 1024 * 1024) })", Some("bad-response"), "16777216 bytes"),
        // A Response from another fetch implementation: not `instanceof Response`, same shape.
        ("() => { const r = new Response('{}', { status: 200 }); return Promise.resolve({ status: r.status, headers: new Map([['content-type', 'application/json']]), body: r.body }); }", None, ""),
        ("() => Promise.resolve({ status: 404, headers: new Map(), body: null })", Some("api"), "404"),
        // Promises whose `constructor` getter throws: Promise.resolve throws on them.
        ("() => { const p = Promise.resolve({}); Object.defineProperty(p, 'constructor', { get() { throw 1; } }); return p; }", Some("network"), "other than an Error"),
        ("() => Promise.resolve({ status: 200, headers: new Headers(), body: { getReader: () => ({ read() { const p = Promise.resolve({}); Object.defineProperty(p, 'constructor', { get() { throw 1; } }); return p; } }) } })", Some("network"), "reading the response"),
        // Chunks that lie: a subclass's length getter lies or throws (the bytes are still read right), a Proxy.
        ("() => { class Lying extends Uint8Array { get length() { return 1e9; } } let n = 0; return Promise.resolve({ status: 200, headers: new Headers(), body: { getReader: () => ({ read: async () => (n++ ? { done: true } : { done: false, value: new Lying([123, 125]) }) }) } }); }", None, ""),
        ("() => { class Throwing extends Uint8Array { get length() { throw new Error('no'); } } let n = 0; return Promise.resolve({ status: 200, headers: new Headers(), body: { getReader: () => ({ read: async () => (n++ ? { done: true } : { done: false, value: new Throwing([123, 125]) }) }) } }); }", None, ""),
        ("() => Promise.resolve({ status: 200, headers: new Headers(), body: { getReader: () => ({ read: async () => ({ done: false, value: new Proxy(new Uint8Array(2), {}) }) }) } })", Some("network"), "not bytes"),
    ];
    let global = js_sys::global();
    let real = Reflect::get(&global, &"fetch".into()).unwrap();
    let mut outcomes = Vec::new();
    for (fake, _, _) in fakes {
        let fake = js_sys::Function::new_no_args(&format!("return {fake};")).call0(&JsValue::NULL).unwrap();
        Reflect::set(&global, &"fetch".into(), &fake).unwrap();
        let opts = options(&[("endpoint", emulator().into()), ("retry", JsValue::FALSE), ("timeoutMs", 2000.into())]);
        outcomes.push(cancel_operation("operations/fake-fetch".into(), TOKEN.into(), opts).await);
    }
    Reflect::set(&global, &"fetch".into(), &real).unwrap();

    for ((fake, kind, text), outcome) in fakes.iter().zip(outcomes) {
        match (kind, outcome) {
            (None, Ok(status)) => assert_eq!(self::text(&status, "status"), "OK", "{fake}"),
            (Some(kind), Err(error)) => {
                assert!(error.is_instance_of::<js_sys::Error>(), "{fake}: {error:?}");
                assert_eq!(self::text(&error, "kind"), *kind, "{fake}");
                let message = self::text(&error, "message");
                assert!(message.contains(text), "{fake}: {message}");
            }
            (kind, outcome) => panic!("{fake}: expected {kind:?}, got {outcome:?}"),
        }
    }
    let name = create_operation(60_000).await;
    let status = cancel_operation(name.into(), TOKEN.into(), at(emulator())).await.unwrap();
    assert_eq!(self::text(&status, "status"), "OK", "the module still works with the real fetch");
}

/// A replaced fetch, or a body, that ignores the `AbortSignal` it is given
/// and never settles: the call still ends at its timeout, or when the
/// caller's signal fires.
#[wasm_bindgen_test]
async fn a_fetch_that_ignores_its_signal_still_times_out_and_aborts() {
    let global = js_sys::global();
    let real = Reflect::get(&global, &"fetch".into()).unwrap();
    let install = |body: &str| {
        let fake = js_sys::Function::new_no_args(&format!("return {body};")).call0(&JsValue::NULL).unwrap();
        Reflect::set(&global, &"fetch".into(), &fake).unwrap();
    };
    let opts = |pairs: &[(&str, JsValue)]| {
        let mut all = vec![("endpoint", JsValue::from(emulator())), ("retry", JsValue::FALSE)];
        all.extend(pairs.iter().cloned());
        options(&all)
    };
    let mut outcomes = Vec::new();
    install("() => new Promise(() => {})");
    outcomes.push((
        "headers never come",
        "timeout",
        cancel_operation("operations/x".into(), TOKEN.into(), opts(&[("timeoutMs", 200.into())])).await,
    ));
    outcomes.push((
        "headers never come",
        "timeout",
        cancel_operation("operations/x".into(), TOKEN.into(), opts(&[("deadlineMs", 200.into())])).await,
    ));
    let controller = web_sys::AbortController::new().unwrap();
    let abort = js_sys::Function::new_with_args("c", "setTimeout(() => c.abort(), 50);");
    abort.call1(&JsValue::NULL, &controller).unwrap();
    outcomes.push((
        "headers never come",
        "aborted",
        cancel_operation("operations/x".into(), TOKEN.into(), opts(&[("signal", controller.signal().into())])).await,
    ));
    install("() => Promise.resolve({ status: 200, headers: new Headers(), body: { getReader: () => ({ read: () => new Promise(() => {}) }) } })");
    outcomes.push((
        "body never comes",
        "timeout",
        cancel_operation("operations/x".into(), TOKEN.into(), opts(&[("timeoutMs", 200.into())])).await,
    ));
    // Reads that resolve at once, forever, with empty chunks: only microtasks.
    install("() => Promise.resolve({ status: 200, headers: new Headers(), body: { getReader: () => ({ read: async () => ({ done: false, value: new Uint8Array(0) }) }) } })");
    outcomes.push((
        "body of endless empty chunks",
        "timeout",
        cancel_operation("operations/x".into(), TOKEN.into(), opts(&[("timeoutMs", 200.into())])).await,
    ));
    install("() => Promise.resolve({ status: 200, headers: new Headers(), body: { pipe() {} }, arrayBuffer: () => new Promise(() => {}) })");
    outcomes.push((
        "arrayBuffer never settles",
        "timeout",
        cancel_operation("operations/x".into(), TOKEN.into(), opts(&[("timeoutMs", 200.into())])).await,
    ));
    Reflect::set(&global, &"fetch".into(), &real).unwrap();

    for (what, kind, outcome) in outcomes {
        let error = outcome.expect_err(what);
        assert_eq!(text(&error, "kind"), kind, "{what}: {error:?}");
    }
    let name = create_operation(60_000).await;
    let status = cancel_operation(name.into(), TOKEN.into(), at(emulator())).await.unwrap();
    assert_eq!(text(&status, "status"), "OK", "the module still works with the real fetch");
}
