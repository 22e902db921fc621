//! The operations surface: retries, deadlines, token refresh, list and
//! iterate, delete, wait, cancel-and-confirm, bulk cancel, the client.

use super::calls::{cancel_and_confirm, cancel_operations, delete_operation, list_operations, wait_operation};
use super::*;
use js_sys::{Array, Function, Promise};
use route_optimization_operations::{iterate_operations, OperationsClient};
use std::cell::RefCell;
use std::rc::Rc;

fn fast_retry(extra: &[(&str, JsValue)]) -> JsValue {
    let retry = options(&[("initialDelayMs", JsValue::from(10)), ("maxDelayMs", JsValue::from(50))]);
    let mut pairs = vec![("endpoint", JsValue::from(emulator())), ("retry", retry)];
    pairs.extend(extra.iter().cloned());
    options(&pairs)
}

async fn promise(p: Promise) -> Result<JsValue, JsValue> {
    JsFuture::from(p).await
}

#[wasm_bindgen_test]
async fn unavailable_then_ok_succeeds_after_one_retry() {
    let name = create_operation(60_000).await;
    add_fault(
        &format!("/v1/{name}:cancel"),
        r#"{"status": 503, "body": {"error": {"code": 503, "status": "UNAVAILABLE", "message": "busy"}}}"#,
    )
    .await;
    let before = requests_seen().await;
    let status = cancel_operation(name.into(), TOKEN.into(), fast_retry(&[])).await.unwrap();
    assert_eq!(text(&status, "status"), "OK");
    assert_eq!(requests_seen().await - before, 2.0);
}

#[wasm_bindgen_test]
async fn dropped_connection_then_ok_succeeds() {
    let name = create_operation(60_000).await;
    add_fault(&format!("/v1/{name}"), r#"{"status": 200, "drop": true}"#).await;
    let before = requests_seen().await;
    let operation = get_operation(name.clone().into(), TOKEN.into(), fast_retry(&[])).await.unwrap();
    assert_eq!(text(&operation, "name"), name);
    assert_eq!(requests_seen().await - before, 2.0);
}

/// Retries whose largest delay leaves room for a server's delay of a second or two.
fn patient() -> JsValue {
    fast_retry(&[("retry", options(&[("maxDelayMs", JsValue::from(5000))]))])
}

#[wasm_bindgen_test]
async fn rate_limit_with_retry_info_waits_the_given_delay() {
    let name = create_operation(60_000).await;
    let body = r#"{"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "message": "slow down", "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "0.400s"}]}}"#;
    add_fault(&format!("/v1/{name}:cancel"), &format!(r#"{{"status": 429, "body": {body}}}"#)).await;
    let started = now_ms();
    cancel_operation(name.into(), TOKEN.into(), patient()).await.unwrap();
    assert!(now_ms() - started >= 400.0, "retried before the server's delay");
}

#[wasm_bindgen_test]
async fn rate_limit_with_retry_after_header_is_retried() {
    let name = create_operation(60_000).await;
    add_fault(&format!("/v1/{name}:cancel"), r#"{"status": 429, "headers": {"retry-after": "1"}, "body": ""}"#).await;
    let started = now_ms();
    cancel_operation(name.into(), TOKEN.into(), patient()).await.unwrap();
    assert!(now_ms() - started >= 1000.0, "retried before Retry-After");
}

#[wasm_bindgen_test]
async fn client_errors_are_not_retried() {
    for status in [400, 403, 404, 429] {
        let name = create_operation(60_000).await;
        add_fault(&format!("/v1/{name}:cancel"), &format!(r#"{{"status": {status}, "times": 3, "body": ""}}"#)).await;
        let before = requests_seen().await;
        let error = cancel_operation(name.into(), TOKEN.into(), fast_retry(&[])).await.unwrap_err();
        assert_eq!(number(&error, "httpStatus"), f64::from(status));
        assert_eq!(requests_seen().await - before, 1.0, "HTTP {status} was retried");
    }
}

#[wasm_bindgen_test]
async fn deadline_while_retrying_is_a_timeout_and_sends_nothing_more() {
    let name = create_operation(60_000).await;
    add_fault(&format!("/v1/{name}:cancel"), r#"{"status": 503, "times": 50, "body": ""}"#).await;
    let retry = options(&[
        ("initialDelayMs", JsValue::from(150)),
        ("multiplier", JsValue::from(1)),
        ("maxAttempts", JsValue::from(50)),
    ]);
    let opts = options(&[("endpoint", emulator().into()), ("retry", retry), ("deadlineMs", JsValue::from(500))]);
    let error = expect_error(cancel_operation(name.into(), TOKEN.into(), opts).await, "timeout", "DEADLINE_EXCEEDED");
    assert!(text(&error, "message").contains("deadline"));
    let after = requests_seen().await;
    sleep(400).await;
    assert_eq!(requests_seen().await, after, "a request was sent after the call settled");
}

#[wasm_bindgen_test]
async fn abort_during_backoff_rejects_at_once() {
    let name = create_operation(60_000).await;
    let body = r#"{"error": {"code": 429, "status": "RESOURCE_EXHAUSTED", "details": [{"@type": "type.googleapis.com/google.rpc.RetryInfo", "retryDelay": "10s"}]}}"#;
    add_fault(&format!("/v1/{name}:cancel"), &format!(r#"{{"status": 429, "body": {body}}}"#)).await;
    let controller = web_sys::AbortController::new().unwrap();
    let abort = {
        let controller = controller.clone();
        Closure::once_into_js(move || controller.abort())
    };
    set_timeout(abort.unchecked_ref(), 300);
    let started = now_ms();
    let opts = options(&[("endpoint", emulator().into()), ("signal", controller.signal().into())]);
    expect_error(cancel_operation(name.into(), TOKEN.into(), opts).await, "aborted", "CANCELLED");
    assert!(now_ms() - started < 5000.0, "the abort waited for the backoff");
}

fn token_provider(answers: &[&'static str], calls: Rc<RefCell<Vec<bool>>>) -> Function {
    let answers: Vec<&'static str> = answers.to_vec();
    Closure::<dyn FnMut(JsValue) -> JsValue>::new(move |options: JsValue| {
        let force = get(&options, "forceRefresh").as_bool().unwrap();
        calls.borrow_mut().push(force);
        let answer = answers.get(calls.borrow().len() - 1).copied().unwrap_or("exhausted");
        let answer: JsValue = answer.into();
        Promise::resolve(&answer).into()
    })
    .into_js_value()
    .unchecked_into()
}

#[wasm_bindgen_test]
async fn token_provider_is_refreshed_once_on_401() {
    let name = create_operation(60_000).await;
    let calls = Rc::new(RefCell::new(Vec::new()));
    let provider = token_provider(&["stale-token", TOKEN], calls.clone());
    let status = cancel_operation(name.clone().into(), provider.into(), at(emulator())).await.unwrap();
    assert_eq!(text(&status, "status"), "OK");
    assert_eq!(*calls.borrow(), vec![false, true]);

    let calls = Rc::new(RefCell::new(Vec::new()));
    let provider = token_provider(&["stale-token", "still-stale"], calls.clone());
    let error =
        expect_error(cancel_operation(name.into(), provider.into(), at(emulator())).await, "api", "UNAUTHENTICATED");
    assert!(!text(&error, "message").contains("still-stale"));
    assert_eq!(*calls.borrow(), vec![false, true], "refreshed more than once");
}

fn page(names: &[&str], token: &str) -> String {
    let ops: Vec<String> = names.iter().map(|n| format!(r#"{{"name": "{n}"}}"#)).collect();
    format!(r#"{{"status": 200, "body": {{"operations": [{}], "nextPageToken": "{token}"}}}}"#, ops.join(","))
}

async fn collect(iterable: JsValue) -> Result<Vec<String>, JsValue> {
    let next: Function = get(&iterable, "next").unchecked_into();
    let mut names = Vec::new();
    loop {
        let step = JsFuture::from(next.call0(&iterable).unwrap().unchecked_into::<Promise>()).await?;
        if get(&step, "done") == JsValue::TRUE {
            return Ok(names);
        }
        names.push(text(&get(&step, "value"), "name"));
    }
}

#[wasm_bindgen_test]
async fn iterate_follows_tokens_past_empty_pages() {
    // Scripted pages on the list path, consumed in order.
    add_fault("/v1/operations", &page(&["operations/a", "operations/b"], "t1")).await;
    add_fault("/v1/operations", &page(&[], "t2")).await;
    add_fault("/v1/operations", &page(&["operations/c"], "")).await;
    let names = collect(iterate_operations(TOKEN.into(), at(emulator()))).await.unwrap();
    assert_eq!(names, ["operations/a", "operations/b", "operations/c"]);
}

#[wasm_bindgen_test]
async fn iterate_stops_on_a_repeated_token() {
    add_fault("/v1/operations", &page(&["operations/a"], "t1")).await;
    add_fault("/v1/operations", &page(&["operations/b"], "t1")).await;
    let error = collect(iterate_operations(TOKEN.into(), at(emulator()))).await.unwrap_err();
    assert_eq!(text(&error, "kind"), "bad-response");
    assert!(text(&error, "message").contains("page token"));
}

#[wasm_bindgen_test]
async fn iterate_gives_up_after_100_empty_pages_in_a_row() {
    // 99 empty pages, each with a new token, are followed; the 100th is refused.
    for i in 0..99 {
        add_fault("/v1/operations", &page(&[], &format!("e{i}"))).await;
    }
    add_fault("/v1/operations", &page(&["operations/c"], "")).await;
    let names = collect(iterate_operations(TOKEN.into(), at(emulator()))).await.unwrap();
    assert_eq!(names, ["operations/c"]);

    add_fault("/v1/operations", &page(&["operations/a"], "f")).await;
    for i in 0..100 {
        add_fault("/v1/operations", &page(&[], &format!("f{i}"))).await;
    }
    let before = requests_seen().await;
    let error = collect(iterate_operations(TOKEN.into(), at(emulator()))).await.unwrap_err();
    assert_eq!(text(&error, "kind"), "bad-response");
    assert!(text(&error, "message").contains("100 empty pages in a row"), "{error:?}");
    assert_eq!(requests_seen().await - before, 101.0, "every scripted page was read, and no more");
}

#[wasm_bindgen_test]
async fn list_filters_and_pages_on_the_real_server() {
    for _ in 0..3 {
        create_operation(600_000).await;
    }
    let opts =
        options(&[("endpoint", emulator().into()), ("filter", "done = false".into()), ("pageSize", JsValue::from(2))]);
    let page = list_operations(TOKEN.into(), opts).await.unwrap();
    let operations = Array::from(&get(&page, "operations"));
    assert_eq!(operations.length(), 2);
    assert!(operations.iter().all(|op| get(&op, "done") == JsValue::FALSE));
    assert!(!text(&page, "nextPageToken").is_empty());
    assert!(Array::is_array(&get(&page, "unreachable")));
    let all = collect(iterate_operations(
        TOKEN.into(),
        options(&[("endpoint", emulator().into()), ("pageSize", JsValue::from(7))]),
    ))
    .await
    .unwrap();
    let mut sorted = all.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), all.len(), "an operation was listed twice");
    assert!(all.len() >= 3);
}

#[wasm_bindgen_test]
async fn delete_removes_the_operation() {
    let name = create_operation(60_000).await;
    let status = delete_operation(name.clone().into(), TOKEN.into(), at(emulator())).await.unwrap();
    assert_eq!(text(&status, "status"), "OK");
    expect_error(get_operation(name.into(), TOKEN.into(), at(emulator())).await, "api", "NOT_FOUND");
    expect_error(
        delete_operation("operations/1".into(), TOKEN.into(), at(google_emulator())).await,
        "api",
        "UNIMPLEMENTED",
    );
    expect_error(list_operations(TOKEN.into(), at(google_emulator())).await, "api", "UNIMPLEMENTED");
}

#[wasm_bindgen_test]
async fn wait_polls_until_done() {
    let name = create_operation(400).await;
    let polls = Rc::new(RefCell::new(0));
    let on_poll: JsValue = {
        let polls = polls.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_| *polls.borrow_mut() += 1).into_js_value()
    };
    let opts = options(&[("endpoint", emulator().into()), ("initialDelayMs", JsValue::from(50)), ("onPoll", on_poll)]);
    let operation = wait_operation(name.into(), TOKEN.into(), opts).await.unwrap();
    assert_eq!(get(&operation, "done"), JsValue::TRUE);
    assert!(get(&operation, "response").is_object());
    assert!(*polls.borrow() >= 2, "polled {} times", polls.borrow());

    let running = create_operation(600_000).await;
    let opts = options(&[("endpoint", emulator().into()), ("timeoutMs", JsValue::from(300))]);
    expect_error(wait_operation(running.into(), TOKEN.into(), opts).await, "timeout", "DEADLINE_EXCEEDED");
}

#[wasm_bindgen_test]
async fn wait_and_confirm_timeouts_bound_a_stalled_first_request() {
    // The first poll of a wait never answers: the wait's timeoutMs ends it,
    // and the message names that option, not the per-request deadline.
    let stalled = create_operation(600_000).await;
    add_fault(&format!("/v1/{stalled}"), r#"{"status": 200, "body": "{}", "delayMs": 20000}"#).await;
    let opts = options(&[("endpoint", emulator().into()), ("timeoutMs", JsValue::from(300))]);
    let error = expect_error(wait_operation(stalled.into(), TOKEN.into(), opts).await, "timeout", "DEADLINE_EXCEEDED");
    assert_eq!(text(&error, "message"), "timeoutMs (300 ms) passed before the operation could be read");

    // cancelAndConfirm's timeoutMs also bounds the cancel request and its retries.
    for fault in [r#"{"status": 200, "body": "{}", "delayMs": 20000}"#, r#"{"status": 503, "body": "", "times": 100}"#]
    {
        let name = create_operation(600_000).await;
        add_fault(&format!("/v1/{name}:cancel"), fault).await;
        let opts = options(&[("endpoint", emulator().into()), ("timeoutMs", JsValue::from(400))]);
        let error =
            expect_error(cancel_and_confirm(name.into(), TOKEN.into(), opts).await, "timeout", "DEADLINE_EXCEEDED");
        let message = text(&error, "message");
        assert!(message.starts_with("timeoutMs (400 ms) passed before the cancel was answered"), "{message}");
        assert_eq!(message.contains("last error:"), fault.contains("503"), "{message}");
    }
}

async fn outcome(name: &str, endpoint: &str, extra: &[(&str, JsValue)]) -> JsValue {
    let mut pairs = vec![("endpoint", JsValue::from(endpoint)), ("initialDelayMs", JsValue::from(50))];
    pairs.extend(extra.iter().cloned());
    cancel_and_confirm(name.into(), TOKEN.into(), options(&pairs)).await.unwrap()
}

#[wasm_bindgen_test]
async fn cancel_and_confirm_reports_each_outcome() {
    let running = create_operation(600_000).await;
    let result = outcome(&running, emulator(), &[]).await;
    assert_eq!(text(&result, "outcome"), "cancelled");
    assert_eq!(number(&get(&get(&result, "operation"), "error"), "code"), 1.0);
    assert_eq!(text(&get(&result, "status"), "status"), "OK");

    let finished = create_operation(0).await;
    assert_eq!(text(&outcome(&finished, emulator(), &[]).await, "outcome"), "completed");

    let body = control("POST", "operations", r#"{"runMs": 0, "fail": {"code": 3, "message": "bad model"}}"#).await;
    let failed = text(&js_sys::JSON::parse(&body).unwrap(), "name");
    let result = outcome(&failed, emulator(), &[]).await;
    assert_eq!(text(&result, "outcome"), "failed");
    assert_eq!(number(&get(&get(&result, "operation"), "error"), "code"), 3.0);

    let result = outcome("projects/p/locations/global/operations/nope", emulator(), &[]).await;
    assert_eq!(text(&result, "outcome"), "not-found");
    assert_eq!(text(&get(&result, "status"), "status"), "NOT_FOUND");

    let result = outcome("operations/anything", google_emulator(), &[]).await;
    assert_eq!(text(&result, "outcome"), "unsupported");
    assert_eq!(text(&get(&result, "status"), "status"), "UNIMPLEMENTED");

    let ignored = create_operation(600_000).await;
    add_fault(&format!("/v1/{ignored}:cancel"), r#"{"status": 200, "body": "{}"}"#).await;
    let result = outcome(&ignored, emulator(), &[("timeoutMs", JsValue::from(400))]).await;
    assert_eq!(text(&result, "outcome"), "pending");
    assert_eq!(get(&get(&result, "operation"), "done"), JsValue::FALSE);
}

#[wasm_bindgen_test]
async fn cancel_and_confirm_on_google_mode_names_it_cannot_cancel() {
    // The public service serves GetOperation for these names but no cancel route.
    let name = "projects/p/locations/global/operations/readable";
    let url = format!("{}/__emulator/operations", google_emulator());
    let body = format!(r#"{{"name": "{name}", "runMs": 600000}}"#);
    gloo_net::http::Request::post(&url).body(body).unwrap().send().await.unwrap();
    let result = outcome(name, google_emulator(), &[]).await;
    assert_eq!(text(&result, "outcome"), "unsupported");
    assert_eq!(text(&get(&result, "operation"), "name"), name);
}

#[wasm_bindgen_test]
async fn bulk_cancel_of_1000_keeps_order_and_the_limit() {
    let mut names = Vec::new();
    for _ in 0..1000 {
        names.push(create_operation(600_000).await);
    }
    let input: Array = names.iter().map(|n| JsValue::from(n.as_str())).collect();
    input.push(&"bad name".into());
    input.push(&"operations/unknown-in-bulk".into());
    control("DELETE", "stats", "").await;
    // Slow answers a little, so that concurrent requests overlap on the server.
    control("POST", "latency", r#"{"ms": 3}"#).await;
    let last_progress = Rc::new(RefCell::new(JsValue::UNDEFINED));
    let on_progress: JsValue = {
        let last = last_progress.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |p| *last.borrow_mut() = p).into_js_value()
    };
    let opts =
        options(&[("endpoint", emulator().into()), ("concurrency", JsValue::from(16)), ("onProgress", on_progress)]);
    let results = Array::from(&cancel_operations(input.clone().into(), TOKEN.into(), opts).await.unwrap());
    assert_eq!(results.length(), 1002);
    for (i, result) in results.iter().enumerate() {
        assert_eq!(get(&result, "name"), input.get(i as u32), "order at {i}");
    }
    assert!(results.iter().take(1000).all(|r| get(&r, "ok") == JsValue::TRUE && get(&r, "started") == JsValue::TRUE));
    assert_eq!(text(&get(&results.get(1000), "error"), "kind"), "invalid-argument");
    assert_eq!(get(&results.get(1000), "started"), JsValue::FALSE, "a refused name is not started");
    assert_eq!(get(&results.get(1001), "started"), JsValue::TRUE);
    assert_eq!(text(&get(&results.get(1001), "error"), "status"), "NOT_FOUND");
    control("POST", "latency", r#"{"ms": 0}"#).await;
    let progress = last_progress.borrow().clone();
    assert_eq!(
        (number(&progress, "done"), number(&progress, "total"), number(&progress, "failed")),
        (1002.0, 1002.0, 2.0)
    );
    let peak = number(&stats().await, "peakInFlight");
    assert!(peak <= 16.0, "peak concurrency {peak}");
    assert!(peak >= 2.0, "requests were not concurrent");
}

#[wasm_bindgen_test]
async fn bulk_cancel_stops_starting_work_when_aborted() {
    let mut names = Vec::new();
    for _ in 0..40 {
        let name = create_operation(600_000).await;
        add_fault(&format!("/v1/{name}:cancel"), r#"{"status": 200, "body": "{}", "delayMs": 100}"#).await;
        names.push(name);
    }
    let input: Array = names.iter().map(|n| JsValue::from(n.as_str())).collect();
    let controller = web_sys::AbortController::new().unwrap();
    let on_progress: JsValue = {
        let controller = controller.clone();
        Closure::<dyn FnMut(JsValue)>::new(move |_| controller.abort()).into_js_value()
    };
    let opts = options(&[
        ("endpoint", emulator().into()),
        ("concurrency", JsValue::from(2)),
        ("signal", controller.signal().into()),
        ("onProgress", on_progress),
    ]);
    let before = requests_seen().await;
    let results = Array::from(&cancel_operations(input.into(), TOKEN.into(), opts).await.unwrap());
    assert_eq!(results.length(), 40);
    let aborted = results
        .iter()
        .filter(|r| get(r, "ok") == JsValue::FALSE && text(&get(r, "error"), "kind") == "aborted")
        .count();
    assert!(aborted >= 37, "only {aborted} of 40 were stopped");
    let started = results.iter().filter(|r| get(r, "started") == JsValue::TRUE).count();
    assert!(requests_seen().await - before <= started as f64, "a cancel that did not start was sent");
    assert!(started <= 3, "requests were started after the abort");
}

#[wasm_bindgen_test]
async fn client_uses_its_config_and_per_call_overrides() {
    let error =
        OperationsClient::new(options(&[("token", TOKEN.into()), ("endpoint", "ftp://x".into())])).err().unwrap();
    assert_eq!(text(&error, "kind"), "invalid-argument");
    assert!(text(&error, "message").contains("endpoint \"ftp://x\""), "{}", text(&error, "message"));
    assert!(OperationsClient::new(options(&[("endpoint", emulator().into())])).is_err(), "a token is required");

    let client = OperationsClient::new(options(&[
        ("token", TOKEN.into()),
        ("endpoint", emulator().into()),
        ("userAgent", "tests/1".into()),
    ]))
    .unwrap();
    let name = create_operation(600_000).await;
    let status = promise(client.cancel(name.clone().into(), JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(text(&status, "status"), "OK");
    let operation = promise(client.get(name.clone().into(), JsValue::UNDEFINED)).await.unwrap();
    assert_eq!(number(&get(&operation, "error"), "code"), 1.0);
    let error = promise(client.get(name.into(), at(google_emulator()))).await.unwrap_err();
    assert_eq!(text(&error, "status"), "NOT_FOUND", "the per-call endpoint was not used");
}

#[wasm_bindgen_test]
async fn redirects_are_reported_not_followed() {
    let name = create_operation(600_000).await;
    let fault = r#"{"status": 302, "headers": {"location": "/v1/operations/elsewhere"}, "body": ""}"#;
    add_fault(&format!("/v1/{name}:cancel"), fault).await;
    let error =
        expect_error(cancel_operation(name.clone().into(), TOKEN.into(), at(emulator())).await, "api", "UNKNOWN");
    assert!(text(&error, "message").contains("redirect"));
    let operation = get_operation(name.into(), TOKEN.into(), at(emulator())).await.unwrap();
    assert_eq!(get(&operation, "done"), JsValue::FALSE, "the cancel must not have happened");
}

#[wasm_bindgen_test]
async fn a_fake_abort_signal_is_refused() {
    let class = Reflect::get(&js_sys::global(), &"AbortSignal".into()).unwrap();
    let prototype = Reflect::get(&class, &"prototype".into()).unwrap();
    let fake: JsValue = Object::create(prototype.unchecked_ref::<Object>()).into();
    let opts = options(&[("endpoint", emulator().into()), ("signal", fake)]);
    let error = expect_error(
        cancel_operation("operations/x".into(), TOKEN.into(), opts).await,
        "invalid-argument",
        "INVALID_ARGUMENT",
    );
    assert!(text(&error, "message").contains("AbortSignal"));
}

/// Evaluates a JS function body and returns what it returns.
fn js(body: &str) -> JsValue {
    Function::new_no_args(body).call0(&JsValue::NULL).unwrap()
}

#[wasm_bindgen_test]
async fn bulk_cancel_survives_throwing_getters_and_proxies() {
    let name = create_operation(600_000).await;
    let names =
        js("const a = [0, 1, 2]; Object.defineProperty(a, 1, { get() { throw new Error('boom'); } }); return a;");
    Reflect::set(&names, &0.into(), &name.as_str().into()).unwrap();
    Reflect::set(&names, &2.into(), &"operations/unknown-in-bulk".into()).unwrap();
    let results = Array::from(&cancel_operations(names, TOKEN.into(), at(emulator())).await.unwrap());
    assert_eq!(results.length(), 3);
    assert_eq!(get(&results.get(0), "ok"), JsValue::TRUE);
    let unreadable = get(&results.get(1), "error");
    assert_eq!(text(&unreadable, "kind"), "invalid-argument");
    assert!(text(&unreadable, "message").contains("names[1]"), "{}", text(&unreadable, "message"));
    assert_eq!(get(&results.get(1), "started"), JsValue::FALSE);
    assert_eq!(text(&get(&results.get(2), "error"), "status"), "NOT_FOUND");

    let no_length =
        js("return new Proxy([], { get(t, k) { if (k === 'length') throw new Error('no'); return t[k]; } });");
    expect_error(
        cancel_operations(no_length, TOKEN.into(), at(emulator())).await,
        "invalid-argument",
        "INVALID_ARGUMENT",
    );
    // The instance still works.
    assert!(cancel_operation(name.into(), TOKEN.into(), at(emulator())).await.is_ok());
}

/// Bulk-cancels `names` with `token` and 64 workers, with a timer set just
/// before the call; returns the results and how many were done when the
/// timer fired (-1: not before the call settled).
async fn bulk_with_a_timer(names: JsValue, token: JsValue) -> (Array, f64) {
    let seen = js("const p = { done: 0, atTimer: -1, onProgress: (r) => { p.done = r.done; } };
                   setTimeout(() => { p.atTimer = p.done; }, 0); return p;");
    let opts = options(&[
        ("endpoint", emulator().into()),
        ("onProgress", get(&seen, "onProgress")),
        ("concurrency", JsValue::from(64)),
    ]);
    let results = Array::from(&cancel_operations(names, token, opts).await.unwrap());
    (results, number(&seen, "atTimer"))
}

#[wasm_bindgen_test]
async fn bulk_cancel_of_many_refused_names_lets_timers_run() {
    // 20,000 holes are refused without a request. The timer must fire while
    // they are settled, not only after the last. With 64 workers each running
    // its own 10 ms slices back to back (about 640 ms before any turn), the
    // timer fired only at the end.
    let (results, at_timer) = bulk_with_a_timer(Array::new_with_length(20_000).into(), TOKEN.into()).await;
    assert_eq!(results.length(), 20_000);
    assert_eq!(text(&get(&results.get(19_999), "error"), "kind"), "invalid-argument");
    assert!(at_timer > 0.0 && at_timer < 20_000.0, "the timer fired with {at_timer} of 20000 done");

    // Valid names whose cancels fail at once (the token provider throws):
    // started, yet no request left, so no turn came from the network.
    let names: Array = (0..20_000).map(|i| JsValue::from(format!("operations/fast-{i}"))).collect();
    let throwing = js("return () => { throw new Error('no token'); };");
    let (results, at_timer) = bulk_with_a_timer(names.into(), throwing).await;
    assert_eq!(text(&get(&results.get(19_999), "error"), "kind"), "invalid-argument");
    assert_eq!(get(&results.get(19_999), "started"), JsValue::TRUE);
    assert!(at_timer > 0.0 && at_timer < 20_000.0, "the timer fired with {at_timer} of 20000 fast failures done");
}

#[wasm_bindgen_test]
async fn bulk_cancel_refuses_more_than_a_million_names_and_revoked_proxies() {
    for names in [
        Array::new_with_length(1_000_001).into(),
        js("return new Proxy([], { get: (t, k) => (k === 'length' ? 2 ** 32 - 1 : undefined) });"),
    ] {
        let error = expect_error(
            cancel_operations(names, TOKEN.into(), at(emulator())).await,
            "invalid-argument",
            "INVALID_ARGUMENT",
        );
        assert!(text(&error, "message").contains("at most 1000000"), "{}", text(&error, "message"));
    }
    let revoked = js("const { proxy, revoke } = Proxy.revocable([], {}); revoke(); return proxy;");
    expect_error(
        cancel_operations(revoked, TOKEN.into(), at(emulator())).await,
        "invalid-argument",
        "INVALID_ARGUMENT",
    );
}

#[wasm_bindgen_test]
async fn a_token_provider_that_never_answers_is_bounded_by_timeout_and_signal() {
    let never = js("return () => new Promise(() => {});");
    let opts = options(&[("endpoint", emulator().into()), ("timeoutMs", JsValue::from(200))]);
    let started = now_ms();
    let error = expect_error(
        cancel_operation("operations/x".into(), never.clone(), opts).await,
        "timeout",
        "DEADLINE_EXCEEDED",
    );
    assert!(text(&error, "message").contains("token provider"), "{}", text(&error, "message"));
    assert!(now_ms() - started < 5_000.0, "took {} ms", now_ms() - started);

    let controller = web_sys::AbortController::new().unwrap();
    controller.abort();
    let opts = options(&[("endpoint", emulator().into()), ("signal", controller.signal().into())]);
    expect_error(cancel_operation("operations/x".into(), never.clone(), opts).await, "aborted", "CANCELLED");

    let opts = options(&[("endpoint", emulator().into()), ("deadlineMs", JsValue::from(200))]);
    expect_error(cancel_operation("operations/x".into(), never, opts).await, "timeout", "DEADLINE_EXCEEDED");

    // A promise whose `constructor` getter throws makes Promise.resolve throw.
    let hostile = js("return () => { const p = Promise.resolve('t'); Object.defineProperty(p, 'constructor', { get() { throw 1; } }); return p; };");
    let error = expect_error(
        cancel_operation("operations/x".into(), hostile, at(emulator())).await,
        "invalid-argument",
        "UNAUTHENTICATED",
    );
    assert!(text(&error, "message").contains("token provider"), "{}", text(&error, "message"));
}

#[wasm_bindgen_test]
async fn a_server_delay_longer_than_max_delay_fails_at_once_with_the_delay() {
    let name = create_operation(600_000).await;
    add_fault(
        &format!("/v1/{name}:cancel"),
        r#"{"status": 429, "headers": {"retry-after": "3600"}, "body": "{\"error\":{\"code\":429,\"status\":\"RESOURCE_EXHAUSTED\",\"message\":\"slow down\"}}", "times": 1}"#,
    )
    .await;
    let opts = fast_retry(&[]);
    let started = now_ms();
    let error =
        expect_error(cancel_operation(name.clone().into(), TOKEN.into(), opts).await, "api", "RESOURCE_EXHAUSTED");
    assert_eq!(number(&error, "retryDelayMs"), 3_600_000.0);
    assert!(now_ms() - started < 5_000.0, "slept {} ms", now_ms() - started);
    assert!(cancel_operation(name.into(), TOKEN.into(), at(emulator())).await.is_ok());
}

#[wasm_bindgen_test]
async fn a_client_refuses_a_signal_in_its_config() {
    let controller = web_sys::AbortController::new().unwrap();
    let error = OperationsClient::new(options(&[("token", TOKEN.into()), ("signal", controller.signal().into())]))
        .err()
        .unwrap();
    assert_eq!(text(&error, "kind"), "invalid-argument");
    assert!(text(&error, "message").contains("signal"), "{}", text(&error, "message"));
}
