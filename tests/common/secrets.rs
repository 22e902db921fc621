//! A token shaped like a real OAuth access token never shows up in an
//! `OperationsError` (message, fields, `toString()`, stack), in a request URL
//! or in the emulator's request log, whatever the server echoes back.

use super::*;
use route_optimization_operations::{delete_operation, list_operations};

/// A token of the shape and length Google issues (`ya29.` access tokens run
/// to a couple of hundred characters of `[A-Za-z0-9._-]`).
fn real_shaped_token() -> String {
    let alphabet = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_aBcDeFgHiJkLmNoPqRsTuVwXyZ";
    let body: String = alphabet.chars().cycle().skip(7).step_by(3).take(214).collect();
    format!("ya29.a0AfB_{body}")
}

/// Pieces of the token that must not appear either (a cut-off copy).
fn fragments(token: &str) -> Vec<String> {
    let piece = |from: usize, to: usize| token.get(from..to).expect("the token is ASCII and long enough").to_owned();
    vec![token.to_owned(), piece(0, 24), piece(token.len() - 24, token.len()), piece(60, 100)]
}

/// Every text an error offers: message, `toString()`, stack, each field and
/// the whole object as JSON.
fn texts_of(error: &JsValue) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let to_string: js_sys::Function = get(error, "toString").into();
    out.push(("toString()".into(), to_string.call0(error).unwrap().as_string().unwrap()));
    for key in ["message", "stack", "kind", "status", "body", "code", "httpStatus", "retryDelayMs"] {
        let value = get(error, key);
        out.push((key.into(), value.as_string().unwrap_or_else(|| format!("{value:?}"))));
    }
    out.push(("details".into(), String::from(js_sys::JSON::stringify(&get(error, "details")).unwrap())));
    out.push(("JSON".into(), String::from(js_sys::JSON::stringify(error).unwrap())));
    let names = js_sys::Object::get_own_property_names(error.unchecked_ref::<js_sys::Object>());
    for name in names.iter() {
        let value = Reflect::get(error, &name).unwrap();
        let shown = js_sys::JSON::stringify(&value).ok().and_then(|v| v.as_string()).unwrap_or_default();
        out.push((format!("own {}", name.as_string().unwrap_or_default()), shown));
    }
    out
}

fn assert_clean(label: &str, error: &JsValue, token: &str) {
    assert!(error.is_instance_of::<js_sys::Error>(), "{label}: not an Error: {error:?}");
    for (field, text) in texts_of(error) {
        for fragment in fragments(token) {
            assert!(!text.contains(&fragment), "{label}: the token leaked into {field}: {text}");
        }
    }
}

fn opts(endpoint: &str, extra: &[(&str, JsValue)]) -> JsValue {
    let mut pairs = vec![("endpoint", JsValue::from(endpoint)), ("retry", JsValue::FALSE)];
    pairs.extend(extra.iter().cloned());
    options(&pairs)
}

async fn every_call(token: &JsValue, name: &str, options: &JsValue) -> Vec<(&'static str, Result<JsValue, JsValue>)> {
    vec![
        ("cancel", cancel_operation(name.into(), token.clone(), options.clone()).await),
        ("get", get_operation(name.into(), token.clone(), options.clone()).await),
        ("list", list_operations(token.clone(), options.clone()).await),
        ("delete", delete_operation(name.into(), token.clone(), options.clone()).await),
    ]
}

#[wasm_bindgen_test]
async fn a_real_shaped_token_never_leaks() {
    let token = real_shaped_token();
    assert!(token.len() > 200);
    let name = create_operation(600_000).await;
    let mut checked = 0;

    // The emulator refuses the token (401 with ErrorInfo details).
    for (call, result) in every_call(&token.clone().into(), &name, &opts(emulator(), &[])).await {
        let error = result.unwrap_err();
        assert_eq!(text(&error, "status"), "UNAUTHENTICATED", "{call}");
        assert_clean(&format!("401 {call}"), &error, &token);
        checked += 1;
    }

    // Servers and proxies that echo the token back, in every place they can.
    let echo_envelope = format!(
        r#"{{"error": {{"code": 401, "status": "UNAUTHENTICATED", "message": "token {token} is invalid", "details": [{{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "x", "metadata": {{"token": "{token}"}}}}, {{"@type": "t", "escaped": "{escaped}"}}]}}}}"#,
        escaped = token.replace('.', "\\u002e"),
    );
    let echoes = [
        (401, echo_envelope.clone()),
        (200, echo_envelope),
        (502, format!("<html><body>upstream refused Authorization: Bearer {token}</body></html>")),
        (200, format!("<html>captive portal for {token}</html>")),
        // The token straddles the 1 KiB cut of the kept body.
        (200, format!("{}{token}", "x".repeat(1000))),
        (500, format!("{}{token}", "y".repeat(1010))),
    ];
    for (index, (status, body)) in echoes.iter().enumerate() {
        let body = js_sys::JSON::stringify(&JsValue::from_str(body)).unwrap();
        for path in [format!("/v1/{name}:cancel"), format!("/v1/{name}"), "/v1/secret/echo".to_owned()] {
            add_fault(&path, &format!(r#"{{"status": {status}, "body": {body}, "times": 2}}"#)).await;
        }
        let options = opts(emulator(), &[("name", "secret/echo".into())]);
        for (call, result) in every_call(&token.clone().into(), &name, &options).await {
            assert_clean(&format!("echo {index} {call}"), &result.unwrap_err(), &token);
            checked += 1;
        }
        control("DELETE", "faults", "").await;
    }

    // Network failure, timeout, abort, too large: no server text at all.
    let failures = [
        ("network", opts("http://127.0.0.1:2", &[])),
        ("timeout", opts(emulator(), &[("timeoutMs", JsValue::from(300))])),
    ];
    add_fault(&format!("/v1/{name}"), r#"{"status": 200, "body": "{}", "delayMs": 5000}"#).await;
    for (label, options) in failures {
        let error = get_operation(name.clone().into(), token.clone().into(), options).await.unwrap_err();
        assert_eq!(text(&error, "kind"), label);
        assert_clean(label, &error, &token);
        checked += 1;
    }
    control("DELETE", "faults", "").await;
    let controller = web_sys::AbortController::new().unwrap();
    controller.abort();
    let aborted = opts(emulator(), &[("signal", controller.signal().into())]);
    let error = cancel_operation(name.clone().into(), token.clone().into(), aborted).await.unwrap_err();
    assert_clean("aborted", &error, &token);

    // A provider handing out the token, refreshed once after the 401.
    let handed = token.clone();
    let provider = Closure::<dyn FnMut() -> JsValue>::new(move || JsValue::from(handed.clone())).into_js_value();
    let error = cancel_operation(name.clone().into(), provider, opts(emulator(), &[])).await.unwrap_err();
    assert_clean("provider", &error, &token);

    // Tokens refused before sending are not quoted back.
    for bad in [format!("{token} "), format!("Bearer {token}"), format!("{token}\n"), token.repeat(40)] {
        let error = cancel_operation(name.clone().into(), bad.into(), opts(emulator(), &[])).await.unwrap_err();
        assert_eq!(text(&error, "kind"), "invalid-argument");
        assert_clean("refused token", &error, &token);
        checked += 1;
    }
    assert_eq!(checked, 4 + 6 * 4 + 2 + 4);

    // The emulator saw the requests, with the token redacted and never in a URL.
    let lines = log_lines().await;
    let ours: Vec<&String> = lines.iter().filter(|l| l.contains(&name) || l.contains("secret/echo")).collect();
    assert!(ours.len() >= 20, "the log misses requests: {lines:?}");
    assert!(ours.iter().any(|l| l.contains("authorization: Bearer [redacted]")), "{ours:?}");
    for line in &lines {
        for fragment in fragments(&token) {
            assert!(!line.contains(&fragment), "the token reached the emulator's log: {line}");
        }
    }
}

/// The emulator's request log (method, URL with its query, status, and how
/// the request authenticated).
async fn log_lines() -> Vec<String> {
    let log = js_sys::JSON::parse(&control("GET", "log", "").await).unwrap();
    js_sys::Array::from(&get(&log, "lines")).iter().map(|l| l.as_string().unwrap()).collect()
}
