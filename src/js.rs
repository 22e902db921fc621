//! Conversions at the JS boundary: arguments in, results and errors out.

use crate::code::Code;
use crate::error::Error;
use crate::name::OperationName;
use crate::request::{self, CallOptions, Endpoint, Token};
use crate::response::{Operation, RpcStatus};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

#[wasm_bindgen(module = "/js/operations-error.js")]
extern "C" {
    type OperationsError;
    #[wasm_bindgen(constructor)]
    fn new(message: &str, fields: &Object) -> OperationsError;
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(message: &str);
}

/// Reports a panic on the console. A panic is a bug: it leaves the wasm
/// instance unusable, so it must at least be visible.
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            console_error(&format!(
                "route-optimization-operations: internal error, please report it: {info}"
            ));
        }));
    });
}

/// The checked arguments of a call on one operation.
pub struct Call {
    pub name: OperationName,
    pub token: Token,
    pub options: CallOptions,
    pub signal: Option<AbortSignal>,
}

impl Call {
    pub fn decode(name: &JsValue, token: &JsValue, options: &JsValue) -> Result<Call, Error> {
        let name =
            OperationName::parse(&string_arg(name, "name")?).map_err(Error::invalid_argument)?;
        let token = Token::parse(&string_arg(token, "token")?).map_err(Error::invalid_argument)?;
        let (options, signal) = call_options(options)?;
        Ok(Call {
            name,
            token,
            options,
            signal,
        })
    }

    /// The JS error for `error`, with the token scrubbed from anything a
    /// server may have echoed.
    pub fn fail(&self, error: Error) -> JsValue {
        error_to_js(&error.redact(self.token.secret()))
    }
}

/// A string argument, refused if it is not a string or holds lone UTF-16
/// surrogates (which would otherwise be replaced silently in conversion).
fn string_arg(value: &JsValue, what: &str) -> Result<String, Error> {
    let text = value
        .dyn_ref::<js_sys::JsString>()
        .ok_or_else(|| Error::invalid_argument(format!("{what} must be a string")))?;
    if !text.is_valid_utf16() {
        return Err(Error::invalid_argument(format!(
            "{what} contains an unpaired UTF-16 surrogate"
        )));
    }
    Ok(String::from(text))
}

fn field(options: &JsValue, key: &str) -> Result<Option<JsValue>, Error> {
    let value = Reflect::get(options, &JsValue::from_str(key))
        .map_err(|_| Error::invalid_argument(format!("options.{key} could not be read")))?;
    Ok(if value.is_undefined() {
        None
    } else {
        Some(value)
    })
}

/// Reads `{ endpoint, signal, timeoutMs, quotaProject }`; unknown keys are ignored.
fn call_options(options: &JsValue) -> Result<(CallOptions, Option<AbortSignal>), Error> {
    if options.is_undefined() || options.is_null() {
        return Ok((CallOptions::default(), None));
    }
    if !options.is_object() || options.is_function() {
        return Err(Error::invalid_argument("options must be an object"));
    }
    let mut parsed = CallOptions::default();
    if let Some(endpoint) = field(options, "endpoint")? {
        parsed.endpoint = Endpoint::parse(&string_arg(&endpoint, "options.endpoint")?)
            .map_err(Error::invalid_argument)?;
    }
    if let Some(project) = field(options, "quotaProject")? {
        parsed.quota_project = Some(
            request::parse_quota_project(&string_arg(&project, "options.quotaProject")?)
                .map_err(Error::invalid_argument)?,
        );
    }
    if let Some(timeout) = field(options, "timeoutMs")? {
        let ms = timeout
            .as_f64()
            .ok_or_else(|| Error::invalid_argument("options.timeoutMs must be a number"))?;
        parsed.timeout_ms = Some(
            request::parse_timeout_ms(ms)
                .map_err(|e| Error::invalid_argument(format!("options.{e}")))?,
        );
    }
    let signal = match field(options, "signal")? {
        None => None,
        Some(value) if value.is_null() => None,
        Some(value) => Some(
            value
                .dyn_into::<AbortSignal>()
                .map_err(|_| Error::invalid_argument("options.signal must be an AbortSignal"))?,
        ),
    };
    Ok((parsed, signal))
}

fn set(target: &Object, key: &str, value: &JsValue) {
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
    status_to_js(&RpcStatus {
        code: Code::OK,
        message: String::new(),
        details: Vec::new(),
    })
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

pub fn error_to_js(error: &Error) -> JsValue {
    let fields = Object::new();
    set(&fields, "kind", &JsValue::from_str(error.kind.as_str()));
    set(&fields, "code", &JsValue::from(error.code.0));
    set(&fields, "status", &JsValue::from_str(error.code.name()));
    set(
        &fields,
        "httpStatus",
        &error.http_status.map_or(JsValue::UNDEFINED, JsValue::from),
    );
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
