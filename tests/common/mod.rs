//! The wasm suite, shared by `tests/browser.rs` and `tests/node.rs`. It runs
//! against real emulators whose URLs are baked in at compile time from
//! `EMULATOR_URL` (full mode) and `EMULATOR_GOOGLE_URL` (`--mode google`);
//! `scripts/test.sh` starts both.

mod hostile;
mod secrets;
mod surface;

use calls::{cancel_operation, get_operation};
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

const TOKEN: &str = "local-dev-token";

/// The package's functions, awaited: each returns a promise.
mod calls {
    use wasm_bindgen::JsValue;
    use wasm_bindgen_futures::JsFuture;

    macro_rules! awaited {
        ($($name:ident($($arg:ident),*);)*) => {$(
            pub async fn $name($($arg: JsValue),*) -> Result<JsValue, JsValue> {
                JsFuture::from(route_optimization_operations::$name($($arg),*)).await
            }
        )*};
    }

    awaited! {
        cancel_operation(name, token, options);
        get_operation(name, token, options);
        delete_operation(name, token, options);
        list_operations(token, options);
        wait_operation(name, token, options);
        cancel_and_confirm(name, token, options);
        cancel_operations(names, token, options);
    }
}

fn emulator() -> &'static str {
    option_env!("EMULATOR_URL").expect("EMULATOR_URL must be set when the tests are built (scripts/test.sh does it)")
}

fn google_emulator() -> &'static str {
    option_env!("EMULATOR_GOOGLE_URL").expect("EMULATOR_GOOGLE_URL must be set when the tests are built")
}

#[wasm_bindgen]
extern "C" {
    // Not the library's own binding: the two would clash at link time.
    #[wasm_bindgen(js_namespace = globalThis, js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: i32) -> JsValue;
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, ms);
    });
    JsFuture::from(promise).await.unwrap();
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn get(value: &JsValue, key: &str) -> JsValue {
    Reflect::get(value, &key.into()).unwrap()
}

fn text(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_else(|| panic!("{key} is not a string"))
}

fn number(value: &JsValue, key: &str) -> f64 {
    get(value, key).as_f64().unwrap_or_else(|| panic!("{key} is not a number"))
}

fn options(pairs: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in pairs {
        Reflect::set(&object, &(*key).into(), value).unwrap();
    }
    object.into()
}

fn at(endpoint: &str) -> JsValue {
    options(&[("endpoint", endpoint.into())])
}

/// Calls the emulator's control API.
async fn control(method: &str, path: &str, body: &str) -> String {
    let url = format!("{}/__emulator/{path}", emulator());
    let request = match method {
        "GET" => gloo_net::http::Request::get(&url).build().unwrap(),
        "DELETE" => gloo_net::http::Request::delete(&url).build().unwrap(),
        _ => gloo_net::http::Request::post(&url).body(body.to_owned()).unwrap(),
    };
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200, "control {path}");
    response.text().await.unwrap()
}

/// A new operation on the full emulator that runs for `run_ms`.
async fn create_operation(run_ms: u32) -> String {
    let body = control("POST", "operations", &format!(r#"{{"runMs": {run_ms}}}"#)).await;
    let operation = js_sys::JSON::parse(&body).unwrap();
    text(&operation, "name")
}

async fn add_fault(path: &str, fault: &str) {
    let fault = fault.trim_start_matches('{');
    control("POST", "faults", &format!(r#"{{"path": "{path}", {fault}"#)).await;
}

async fn stats() -> JsValue {
    js_sys::JSON::parse(&control("GET", "stats", "").await).unwrap()
}

async fn requests_seen() -> f64 {
    number(&stats().await, "requests")
}

/// Asserts the common shape of an `OperationsError` and returns it.
fn expect_error(result: Result<JsValue, JsValue>, kind: &str, status: &str) -> JsValue {
    let error = match result {
        Ok(value) => panic!("expected a {kind} error, got {value:?}"),
        Err(error) => error,
    };
    assert!(error.is_instance_of::<js_sys::Error>(), "not an Error: {error:?}");
    assert_eq!(text(&error, "name"), "OperationsError");
    assert_eq!(text(&error, "kind"), kind, "{error:?}");
    assert_eq!(text(&error, "status"), status, "{error:?}");
    assert!(js_sys::Array::is_array(&get(&error, "details")));
    assert!(get(&error, "retryable").as_bool().is_some());
    assert!(!text(&error, "message").contains(TOKEN), "the token leaked into the message");
    error
}

#[wasm_bindgen_test]
async fn cancel_then_get_shows_cancelled() {
    let name = create_operation(60_000).await;
    let status = cancel_operation(name.clone().into(), TOKEN.into(), at(emulator())).await.unwrap();
    assert_eq!(number(&status, "code"), 0.0);
    assert_eq!(text(&status, "status"), "OK");
    assert_eq!(text(&status, "message"), "");
    assert_eq!(js_sys::Array::from(&get(&status, "details")).length(), 0);

    let operation = get_operation(name.clone().into(), TOKEN.into(), at(emulator())).await.unwrap();
    assert_eq!(text(&operation, "name"), name);
    assert_eq!(get(&operation, "done"), JsValue::TRUE);
    let error = get(&operation, "error");
    assert_eq!(number(&error, "code"), 1.0);
    assert_eq!(text(&error, "status"), "CANCELLED");
    assert!(get(&operation, "response").is_undefined());
    assert!(text(&get(&operation, "metadata"), "@type").ends_with("BatchOptimizeToursMetadata"));
}

#[wasm_bindgen_test]
async fn quota_project_is_sent_as_a_header() {
    let name = create_operation(60_000).await;
    let opts = options(&[("endpoint", emulator().into()), ("quotaProject", "billing-project-42".into())]);
    cancel_operation(name.clone().into(), TOKEN.into(), opts).await.unwrap();
    assert_eq!(text(&stats().await, "lastUserProject"), "billing-project-42");
    get_operation(name.into(), TOKEN.into(), at(emulator())).await.unwrap();
    assert!(get(&stats().await, "lastUserProject").is_null(), "sent without being asked for");
}

#[wasm_bindgen_test]
async fn running_operation_is_not_done() {
    let name = create_operation(60_000).await;
    let operation = get_operation(name.into(), TOKEN.into(), at(emulator())).await.unwrap();
    assert_eq!(get(&operation, "done"), JsValue::FALSE);
    assert!(get(&operation, "error").is_undefined());
}

#[wasm_bindgen_test]
async fn cancel_after_completion_keeps_the_result() {
    let name = create_operation(0).await;
    let status = cancel_operation(name.clone().into(), TOKEN.into(), at(emulator())).await.unwrap();
    assert_eq!(text(&status, "status"), "OK");
    let operation = get_operation(name.into(), TOKEN.into(), at(emulator())).await.unwrap();
    assert_eq!(get(&operation, "done"), JsValue::TRUE);
    assert!(get(&operation, "error").is_undefined(), "it completed before the cancel");
    assert!(text(&get(&operation, "response"), "@type").ends_with("BatchOptimizeToursResponse"));
}

#[wasm_bindgen_test]
async fn unknown_operation_is_not_found() {
    let name = "projects/emulator/locations/global/operations/does-not-exist";
    for result in [
        cancel_operation(name.into(), TOKEN.into(), at(emulator())).await,
        get_operation(name.into(), TOKEN.into(), at(emulator())).await,
    ] {
        let error = expect_error(result, "api", "NOT_FOUND");
        assert_eq!(number(&error, "code"), 5.0);
        assert_eq!(number(&error, "httpStatus"), 404.0);
        assert_eq!(get(&error, "retryable"), JsValue::FALSE);
        assert!(text(&error, "message").contains("does-not-exist"));
    }
}

#[wasm_bindgen_test]
async fn wrong_token_is_unauthenticated_with_details() {
    let name = create_operation(60_000).await;
    let error = expect_error(
        cancel_operation(name.into(), "wrong-token".into(), at(emulator())).await,
        "api",
        "UNAUTHENTICATED",
    );
    assert_eq!(number(&error, "code"), 16.0);
    assert_eq!(number(&error, "httpStatus"), 401.0);
    let detail = js_sys::Array::from(&get(&error, "details")).get(0);
    assert_eq!(text(&detail, "@type"), "type.googleapis.com/google.rpc.ErrorInfo");
    assert_eq!(text(&detail, "reason"), "ACCESS_TOKEN_TYPE_UNSUPPORTED");
    assert!(!text(&error, "message").contains("wrong-token"));
}

#[wasm_bindgen_test]
async fn google_mode_answers_unimplemented() {
    let error = expect_error(
        cancel_operation("operations/123".into(), TOKEN.into(), at(google_emulator())).await,
        "api",
        "UNIMPLEMENTED",
    );
    assert_eq!(number(&error, "code"), 12.0);
    assert_eq!(number(&error, "httpStatus"), 501.0);
    assert_eq!(get(&error, "retryable"), JsValue::FALSE);
    assert!(text(&error, "message").starts_with("UNIMPLEMENTED (HTTP 501)"));
}

#[wasm_bindgen_test]
async fn google_mode_html_404_is_a_typed_error() {
    let name = "projects/p/locations/global/operations/1";
    let error =
        expect_error(cancel_operation(name.into(), TOKEN.into(), at(google_emulator())).await, "api", "NOT_FOUND");
    assert_eq!(number(&error, "httpStatus"), 404.0);
    assert!(text(&error, "body").starts_with("<!DOCTYPE html>"));
}

#[wasm_bindgen_test]
async fn invalid_input_is_refused_without_a_request() {
    let before = requests_seen().await;
    let lone_surrogate = js_sys::JsString::from("operations/a").concat(&js_sys::JsString::from_char_code1(0xD800));
    let valid_name: JsValue = "operations/x".into();
    let cases: Vec<(JsValue, JsValue, JsValue, &str)> = vec![
        ("".into(), TOKEN.into(), at(emulator()), "empty"),
        ("/operations/x".into(), TOKEN.into(), at(emulator()), "start or end"),
        ("operations/x/".into(), TOKEN.into(), at(emulator()), "start or end"),
        ("operations//x".into(), TOKEN.into(), at(emulator()), "empty segment"),
        ("operations/../x".into(), TOKEN.into(), at(emulator()), "'..'"),
        ("operations/./x".into(), TOKEN.into(), at(emulator()), "'.'"),
        ("operations/a\u{0}b".into(), TOKEN.into(), at(emulator()), "control"),
        ("jobs/1".into(), TOKEN.into(), at(emulator()), "not an operation name"),
        (lone_surrogate.into(), TOKEN.into(), at(emulator()), "surrogate"),
        (JsValue::from(42), TOKEN.into(), at(emulator()), "name must be a string"),
        (JsValue::UNDEFINED, TOKEN.into(), at(emulator()), "name must be a string"),
        (valid_name.clone(), "".into(), at(emulator()), "token is empty"),
        (valid_name.clone(), "abc def".into(), at(emulator()), "whitespace"),
        (valid_name.clone(), "abc\r\nX-Injected: 1".into(), at(emulator()), "whitespace"),
        (valid_name.clone(), JsValue::NULL, at(emulator()), "token must be a string"),
        (valid_name.clone(), TOKEN.into(), "fast".into(), "options must be an object"),
        (valid_name.clone(), TOKEN.into(), at("example.com"), "absolute http"),
        (valid_name.clone(), TOKEN.into(), at("https://example.com/?a=1"), "query or fragment"),
        (valid_name.clone(), TOKEN.into(), options(&[("endpoint", JsValue::from(1))]), "endpoint must be a string"),
        (valid_name.clone(), TOKEN.into(), options(&[("timeoutMs", JsValue::from(0))]), "timeoutMs"),
        (valid_name.clone(), TOKEN.into(), options(&[("timeoutMs", "100".into())]), "timeoutMs must be a number"),
        (valid_name.clone(), TOKEN.into(), options(&[("signal", "x".into())]), "AbortSignal"),
        (valid_name.clone(), TOKEN.into(), options(&[("quotaProject", "a b".into())]), "quotaProject"),
    ];
    for (name, token, opts, expected) in cases {
        for result in [
            cancel_operation(name.clone(), token.clone(), opts.clone()).await,
            get_operation(name.clone(), token.clone(), opts.clone()).await,
        ] {
            let error = expect_error(result, "invalid-argument", "INVALID_ARGUMENT");
            assert_eq!(number(&error, "code"), 3.0);
            assert!(get(&error, "httpStatus").is_undefined());
            let message = text(&error, "message");
            assert!(message.contains(expected), "{message:?} should mention {expected:?}");
        }
    }
    assert_eq!(requests_seen().await, before, "an invalid call reached the server");
}

#[wasm_bindgen_test]
async fn reserved_characters_reach_the_server_as_one_name() {
    let name = "operations/a b?c#d%e:f/🚀";
    control("POST", "operations", &format!(r#"{{"name": "{name}", "runMs": 60000}}"#)).await;
    let status = cancel_operation(name.into(), TOKEN.into(), at(emulator())).await.unwrap();
    assert_eq!(text(&status, "status"), "OK");
    let operation = get_operation(name.into(), TOKEN.into(), at(emulator())).await.unwrap();
    assert_eq!(text(&operation, "name"), name);
    assert_eq!(number(&get(&operation, "error"), "code"), 1.0);
}

#[wasm_bindgen_test]
async fn abort_signal_stops_a_call_in_flight() {
    let name = create_operation(60_000).await;
    add_fault(&format!("/v1/{name}:cancel"), r#"{"status": 200, "body": "{}", "delayMs": 10000}"#).await;
    let controller = web_sys::AbortController::new().unwrap();
    let abort = {
        let controller = controller.clone();
        Closure::once_into_js(move || controller.abort_with_reason(&"a reason that is not an Error".into()))
    };
    set_timeout(abort.unchecked_ref(), 100);
    let started = now_ms();
    let result = cancel_operation(
        name.into(),
        TOKEN.into(),
        options(&[("endpoint", emulator().into()), ("signal", controller.signal().into())]),
    )
    .await;
    let error = expect_error(result, "aborted", "CANCELLED");
    assert_eq!(number(&error, "code"), 1.0);
    assert!(now_ms() - started < 5000.0, "the abort did not stop the call");
}

#[wasm_bindgen_test]
async fn aborted_signal_sends_nothing() {
    let before = requests_seen().await;
    let controller = web_sys::AbortController::new().unwrap();
    controller.abort();
    let opts = options(&[("endpoint", emulator().into()), ("signal", controller.signal().into())]);
    expect_error(cancel_operation("operations/x".into(), TOKEN.into(), opts.clone()).await, "aborted", "CANCELLED");
    expect_error(get_operation("operations/x".into(), TOKEN.into(), opts).await, "aborted", "CANCELLED");
    assert_eq!(requests_seen().await, before);
}

#[wasm_bindgen_test]
async fn timeout_fires_on_a_slow_server() {
    let name = create_operation(60_000).await;
    add_fault(&format!("/v1/{name}"), r#"{"status": 200, "body": "{}", "delayMs": 10000}"#).await;
    let started = now_ms();
    let opts = options(&[("endpoint", emulator().into()), ("timeoutMs", JsValue::from(200))]);
    let error = expect_error(get_operation(name.into(), TOKEN.into(), opts).await, "timeout", "DEADLINE_EXCEEDED");
    assert_eq!(number(&error, "code"), 4.0);
    assert_eq!(get(&error, "retryable"), JsValue::FALSE, "a timed-out attempt is not retried");
    assert!(now_ms() - started < 5000.0, "the timeout did not stop the call");
}

#[wasm_bindgen_test]
async fn html_502_from_a_proxy_is_unavailable() {
    let name = create_operation(60_000).await;
    let html = "<!DOCTYPE html><html><title>502 Bad Gateway</title><body>upstream connect error</body></html>";
    add_fault(
        &format!("/v1/{name}:cancel"),
        &format!(r#"{{"status": 502, "headers": {{"content-type": "text/html"}}, "body": "{html}"}}"#),
    )
    .await;
    let no_retry = options(&[("endpoint", emulator().into()), ("retry", JsValue::FALSE)]);
    let error = expect_error(cancel_operation(name.into(), TOKEN.into(), no_retry).await, "api", "UNAVAILABLE");
    assert_eq!(number(&error, "code"), 14.0);
    assert_eq!(number(&error, "httpStatus"), 502.0);
    assert_eq!(text(&error, "body"), html);
    assert_eq!(get(&error, "retryable"), JsValue::TRUE);
}

#[wasm_bindgen_test]
async fn success_bodies_that_mean_ok() {
    let name = create_operation(60_000).await;
    let path = format!("/v1/{name}:cancel");
    add_fault(&path, r#"{"status": 204}"#).await;
    add_fault(&path, r#"{"status": 200, "body": ""}"#).await;
    for _ in 0..2 {
        let status = cancel_operation(name.clone().into(), TOKEN.into(), at(emulator())).await.unwrap();
        assert_eq!((number(&status, "code"), text(&status, "status")), (0.0, "OK".into()));
    }
}

#[wasm_bindgen_test]
async fn garbled_success_is_a_bad_response() {
    let name = create_operation(60_000).await;
    add_fault(&format!("/v1/{name}:cancel"), r#"{"status": 200, "body": "<html>captive portal</html>"}"#).await;
    add_fault(&format!("/v1/{name}"), r#"{"status": 200, "body": "{\"name\": \"x\", \"done\": tr"}"#).await;
    let error = expect_error(
        cancel_operation(name.clone().into(), TOKEN.into(), at(emulator())).await,
        "bad-response",
        "UNKNOWN",
    );
    assert_eq!(number(&error, "httpStatus"), 200.0);
    assert_eq!(text(&error, "body"), "<html>captive portal</html>");
    expect_error(get_operation(name.into(), TOKEN.into(), at(emulator())).await, "bad-response", "UNKNOWN");
}

#[wasm_bindgen_test]
async fn unreachable_server_is_a_network_error() {
    let opts = options(&[("endpoint", "http://127.0.0.1:9".into()), ("retry", JsValue::FALSE)]);
    let error =
        expect_error(cancel_operation("operations/x".into(), TOKEN.into(), opts).await, "network", "UNAVAILABLE");
    assert!(get(&error, "httpStatus").is_undefined());
    assert_eq!(get(&error, "retryable"), JsValue::TRUE);
}
