//! Conversions at the JS boundary: arguments and options in, results and
//! errors out. Nothing here decides anything.

use crate::code::Code;
use crate::error::Error;
use crate::exec::{Auth, Context};
use crate::name::OperationName;
use crate::ops::{Outcome, WaitPlan};
use crate::policy::{Backoff, Polling};
use crate::request::{self, CallOptions, Endpoint, ListQuery, Token};
use crate::response::{ListPage, Operation, RpcStatus};
use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/js/support.js")]
extern "C" {
    type OperationsError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str, fields: &Object) -> OperationsError;
    /// `iterate(listPage, pageToken)`: an async generator over all pages.
    pub fn iterate(list_page: &Function, page_token: &JsValue) -> JsValue;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
    /// `Array.isArray`, which throws for a revoked Proxy.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    pub fn is_array(value: &JsValue) -> Result<bool, JsValue>;
}

/// Reports a panic on the console. A panic is a bug: it leaves the wasm
/// instance unusable, so it must at least be visible.
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error(&crate::error::panic_report(info));
        }));
    });
}

/// A string argument, refused if it is not a string or holds lone UTF-16
/// surrogates (which would otherwise be replaced silently in conversion).
pub fn string_arg(value: &JsValue, what: &str) -> Result<String, Error> {
    let text = value
        .dyn_ref::<js_sys::JsString>()
        .ok_or_else(|| Error::invalid_argument(format!("{what} must be a string")))?;
    if !text.is_valid_utf16() {
        return Err(Error::invalid_argument(format!("{what} contains an unpaired UTF-16 surrogate")));
    }
    Ok(String::from(text))
}

pub fn name_arg(value: &JsValue) -> Result<OperationName, Error> {
    OperationName::parse(&string_arg(value, "name")?).map_err(Error::invalid_argument)
}

/// A token string, or a function that provides one.
pub fn auth_arg(value: &JsValue, what: &str) -> Result<Auth, Error> {
    if let Some(provider) = value.dyn_ref::<Function>() {
        return Ok(Auth::Provider(provider.clone()));
    }
    if !value.is_string() {
        return Err(Error::invalid_argument(format!("{what} must be a string or a function returning one")));
    }
    let text = string_arg(value, what)?;
    // Token::parse says "token ..."; name the argument the caller used.
    Token::parse(&text).map(Auth::Token).map_err(|e| Error::invalid_argument(e.replacen("token", what, 1)))
}

/// The options object itself: `undefined`/`null` read as `{}`.
fn object_arg<'a>(value: &'a JsValue, what: &str) -> Result<Option<&'a JsValue>, Error> {
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    if !value.is_object() || value.is_function() {
        return Err(Error::invalid_argument(format!("{what} must be an object")));
    }
    Ok(Some(value))
}

/// A field of an options object, `None` when absent or `undefined`.
fn field(object: &JsValue, key: &str) -> Result<Option<JsValue>, Error> {
    let value = Reflect::get(object, &JsValue::from_str(key))
        .map_err(|_| Error::invalid_argument(format!("options.{key} could not be read")))?;
    Ok(if value.is_undefined() || value.is_null() { None } else { Some(value) })
}

fn number_field(object: &JsValue, key: &str) -> Result<Option<f64>, Error> {
    field(object, key)?
        .map(|v| v.as_f64().ok_or_else(|| Error::invalid_argument(format!("options.{key} must be a number"))))
        .transpose()
}

fn string_field(object: &JsValue, key: &str) -> Result<Option<String>, Error> {
    field(object, key)?.map(|v| string_arg(&v, &format!("options.{key}"))).transpose()
}

fn function_field(object: &JsValue, key: &str) -> Result<Option<Function>, Error> {
    field(object, key)?
        .map(|v| {
            v.dyn_into::<Function>().map_err(|_| Error::invalid_argument(format!("options.{key} must be a function")))
        })
        .transpose()
}

fn millis_field(object: &JsValue, key: &str) -> Result<Option<u32>, Error> {
    number_field(object, key)?
        .map(|ms| {
            request::parse_timeout_ms(ms)
                .map_err(|e| Error::invalid_argument(e.replacen("timeoutMs", &format!("options.{key}"), 1)))
        })
        .transpose()
}

/// Delays may be zero; other millisecond settings may not.
fn delay_field(object: &JsValue, key: &str) -> Result<Option<f64>, Error> {
    let value = number_field(object, key)?;
    if value.is_some_and(|v| !v.is_finite() || !(0.0..=f64::from(request::MAX_TIMEOUT_MS)).contains(&v)) {
        return Err(Error::invalid_argument(format!(
            "options.{key} must be a number from 0 to {}",
            request::MAX_TIMEOUT_MS
        )));
    }
    Ok(value)
}

/// `retry: false | {maxAttempts, initialDelayMs, maxDelayMs, multiplier}`
fn retry_field(object: &JsValue, base: Backoff) -> Result<Backoff, Error> {
    let Some(retry) = field(object, "retry")? else {
        return Ok(base);
    };
    if retry == JsValue::FALSE {
        return Ok(Backoff::NONE);
    }
    if retry == JsValue::TRUE {
        return Ok(Backoff::RETRY);
    }
    let Some(retry) = object_arg(&retry, "options.retry (or false)")? else {
        return Ok(base);
    };
    let mut backoff = base;
    // The field readers name `options.{key}`; these keys are under `retry`.
    let under_retry = |mut error: Error| {
        error.message = error.message.replacen("options.", "options.retry.", 1);
        error
    };
    if let Some(n) = number_field(retry, "maxAttempts").map_err(under_retry)? {
        if n.fract() != 0.0 || !(1.0..=100.0).contains(&n) {
            return Err(Error::invalid_argument("options.retry.maxAttempts must be an integer from 1 to 100"));
        }
        backoff.max_attempts = n as u32;
    }
    let delay = |key| delay_field(retry, key).map_err(under_retry);
    backoff.initial_delay_ms = delay("initialDelayMs")?.unwrap_or(backoff.initial_delay_ms);
    backoff.max_delay_ms = delay("maxDelayMs")?.unwrap_or(backoff.max_delay_ms);
    backoff.multiplier = number_field(retry, "multiplier").map_err(under_retry)?.unwrap_or(backoff.multiplier);
    backoff.validate().map_err(|e| Error::invalid_argument(format!("options.{e}")))?;
    Ok(backoff)
}

/// Reads the options every call takes (`endpoint`, `quotaProject`,
/// `timeoutMs`, `deadlineMs`, `retry`, `userAgent`, `signal`) over `base`;
/// unknown keys are ignored.
pub fn call_options(value: &JsValue, base: &CallOptions) -> Result<(CallOptions, Option<AbortSignal>), Error> {
    let mut options = base.clone();
    let Some(object) = object_arg(value, "options")? else {
        return Ok((options, None));
    };
    if let Some(endpoint) = string_field(object, "endpoint")? {
        options.endpoint = Endpoint::parse(&endpoint).map_err(Error::invalid_argument)?;
    }
    if let Some(project) = string_field(object, "quotaProject")? {
        options.quota_project = Some(request::parse_quota_project(&project).map_err(Error::invalid_argument)?);
    }
    if let Some(agent) = string_field(object, "userAgent")? {
        options.user_agent = Some(request::parse_user_agent(&agent).map_err(Error::invalid_argument)?);
    }
    options.timeout_ms = millis_field(object, "timeoutMs")?.unwrap_or(options.timeout_ms);
    options.deadline_ms = millis_field(object, "deadlineMs")?.or(options.deadline_ms);
    options.backoff = retry_field(object, options.backoff)?;
    let signal = match field(object, "signal")? {
        None => None,
        Some(value) => {
            let not_a_signal = || Error::invalid_argument("options.signal must be an AbortSignal");
            let signal = value.dyn_into::<AbortSignal>().map_err(|_| not_a_signal())?;
            // A fake made with Object.create(AbortSignal.prototype) throws here.
            let aborted = Reflect::get(&signal, &JsValue::from_str("aborted")).map_err(|_| not_a_signal())?;
            if aborted.as_bool().is_none() {
                return Err(not_a_signal());
            }
            Some(signal)
        }
    };
    Ok((options, signal))
}

/// A call's context from a token argument and its options.
pub fn context(token: &JsValue, options: &JsValue) -> Result<Context, Error> {
    let auth = auth_arg(token, "token")?;
    let (options, signal) = call_options(options, &CallOptions::default())?;
    Ok(Context { auth, options, signal })
}

/// `{name, filter, pageSize, pageToken}` of `listOperations`.
pub fn list_query(value: &JsValue) -> Result<ListQuery, Error> {
    let mut query = ListQuery::default();
    let Some(object) = object_arg(value, "options")? else {
        return Ok(query);
    };
    if let Some(name) = string_field(object, "name")? {
        query.name = Some(request::parse_collection(&name).map_err(Error::invalid_argument)?);
    }
    query.filter = string_field(object, "filter")?;
    if let Some(size) = number_field(object, "pageSize")? {
        if size.fract() != 0.0 || !(1.0..=f64::from(u32::MAX)).contains(&size) {
            return Err(Error::invalid_argument("options.pageSize must be a positive integer"));
        }
        query.page_size = Some(size as u32);
    }
    query.page_token = string_field(object, "pageToken")?;
    Ok(query)
}

/// `{timeoutMs, initialDelayMs, maxDelayMs}` of waiting; `default_timeout`
/// applies when `timeoutMs` is absent. `timeoutMs` here bounds the whole wait.
pub fn wait_plan(value: &JsValue, default_timeout: Option<u32>) -> Result<WaitPlan, Error> {
    let mut plan = WaitPlan { polling: Polling::DEFAULT, timeout_ms: default_timeout };
    let Some(object) = object_arg(value, "options")? else {
        return Ok(plan);
    };
    plan.timeout_ms = millis_field(object, "timeoutMs")?.or(default_timeout);
    plan.polling.initial_delay_ms = delay_field(object, "initialDelayMs")?.unwrap_or(plan.polling.initial_delay_ms);
    plan.polling.max_delay_ms = delay_field(object, "maxDelayMs")?.unwrap_or(plan.polling.max_delay_ms);
    Ok(plan)
}

pub fn callback(value: &JsValue, key: &str) -> Result<Option<Function>, Error> {
    match object_arg(value, "options")? {
        Some(object) => function_field(object, key),
        None => Ok(None),
    }
}

/// `concurrency` of bulk calls: an integer from 1 to 256, default 8.
pub fn concurrency(value: &JsValue) -> Result<usize, Error> {
    let Some(object) = object_arg(value, "options")? else {
        return Ok(8);
    };
    match number_field(object, "concurrency")? {
        None => Ok(8),
        Some(n) if n.fract() == 0.0 && (1.0..=256.0).contains(&n) => Ok(n as usize),
        Some(_) => Err(Error::invalid_argument("options.concurrency must be an integer from 1 to 256")),
    }
}

pub fn set(target: &Object, key: &str, value: &JsValue) {
    // Plain data properties on a fresh object: this cannot fail.
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

/// JSON text that came from a response, as a JS value. The text was already
/// checked by `json::parse`; should the runtime disagree, the text is kept.
fn parse_json(text: &str) -> JsValue {
    js_sys::JSON::parse(text).unwrap_or_else(|_| JsValue::from_str(text))
}

fn details_to_js(details: &[String]) -> Array {
    details.iter().map(|d| parse_json(d)).collect()
}

/// `{code, status, message, details}`
pub fn status_to_js(status: &RpcStatus) -> JsValue {
    let object = Object::new();
    set(&object, "code", &JsValue::from(status.code.0));
    set(&object, "status", &JsValue::from_str(status.code.name()));
    set(&object, "message", &JsValue::from_str(&status.message));
    set(&object, "details", &details_to_js(&status.details));
    object.into()
}

pub fn ok_status() -> JsValue {
    status_to_js(&RpcStatus { code: Code::OK, message: String::new(), details: Vec::new() })
}

/// An error as a `Status`, for outcomes that report what the server said.
fn error_status(error: &Error) -> JsValue {
    status_to_js(&RpcStatus { code: error.code, message: error.message.clone(), details: error.details.clone() })
}

/// `{name, done, metadata?, error?, response?}`
pub fn operation_to_js(operation: &Operation) -> JsValue {
    let object = Object::new();
    set(&object, "name", &JsValue::from_str(&operation.name));
    set(&object, "done", &JsValue::from_bool(operation.done));
    if let Some(metadata) = &operation.metadata {
        set(&object, "metadata", &parse_json(metadata));
    }
    if let Some(error) = &operation.error {
        set(&object, "error", &status_to_js(error));
    }
    if let Some(response) = &operation.response {
        set(&object, "response", &parse_json(response));
    }
    object.into()
}

/// `{operations, nextPageToken, unreachable}`
pub fn list_page_to_js(page: &ListPage) -> JsValue {
    let object = Object::new();
    set(&object, "operations", &page.operations.iter().map(operation_to_js).collect::<Array>());
    set(&object, "nextPageToken", &JsValue::from_str(&page.next_page_token));
    set(&object, "unreachable", &page.unreachable.iter().map(|u| JsValue::from_str(u)).collect::<Array>());
    object.into()
}

/// `{outcome, operation?, status}`
pub fn outcome_to_js(outcome: &Outcome) -> JsValue {
    let (name, operation, status) = match outcome {
        Outcome::Cancelled(op) => ("cancelled", Some(op), ok_status()),
        Outcome::Completed(op) => ("completed", Some(op), ok_status()),
        Outcome::Failed(op) => ("failed", Some(op), ok_status()),
        Outcome::Pending(op) => ("pending", Some(op), ok_status()),
        Outcome::Unsupported(error, op) => ("unsupported", op.as_ref(), error_status(error)),
        Outcome::NotFound(error) => ("not-found", None, error_status(error)),
    };
    let object = Object::new();
    set(&object, "outcome", &JsValue::from_str(name));
    if let Some(operation) = operation {
        set(&object, "operation", &operation_to_js(operation));
    }
    set(&object, "status", &status);
    object.into()
}

pub fn error_to_js(error: &Error) -> JsValue {
    let fields = Object::new();
    set(&fields, "kind", &JsValue::from_str(error.kind.as_str()));
    set(&fields, "code", &JsValue::from(error.code.0));
    set(&fields, "status", &JsValue::from_str(error.code.name()));
    set(&fields, "httpStatus", &error.http_status.map_or(JsValue::UNDEFINED, JsValue::from));
    set(&fields, "details", &details_to_js(&error.details));
    set(&fields, "retryable", &JsValue::from_bool(error.retryable()));
    if let Some(body) = &error.body {
        set(&fields, "body", &JsValue::from_str(body));
    }
    if let Some(delay) = error.retry_delay_ms {
        // Below 2^53, so exact as a JS number.
        set(&fields, "retryDelayMs", &JsValue::from_f64(delay as f64));
    }
    OperationsError::new(&error.message, &fields).into()
}
