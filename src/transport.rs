//! The one module that does I/O: sends a request with the global `fetch`
//! (through gloo-net) and reads the whole body, under a timeout and the
//! caller's `AbortSignal`.

use crate::error::Error;
use crate::request::{HttpRequest, Token};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, AddEventListenerOptions};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    // Globals in windows, workers, Node, Deno, Bun and workerd alike.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
}

/// Milliseconds since the epoch, from the runtime's clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Whether `signal` has fired. Read through `Reflect` so that a signal whose
/// `aborted` getter throws (a fake, or a hostile object) counts as fired
/// instead of throwing through the wasm.
pub fn is_aborted(signal: &AbortSignal) -> bool {
    js_sys::Reflect::get(signal, &JsValue::from_str("aborted")).map_or(true, |v| v.is_truthy())
}

/// Most of a response body read, in bytes, when its length is announced.
pub const MAX_BODY_BYTES: u64 = 16 * 1024 * 1024;

/// A number in [0, 1) for jitter.
pub fn random() -> f64 {
    js_sys::Math::random()
}

/// A received response: status, the `Retry-After` header, and the whole body.
pub struct Response {
    pub status: u16,
    pub retry_after: Option<String>,
    pub body: String,
}

/// Waits `ms` milliseconds; fails with `aborted` as soon as `signal` fires.
pub async fn sleep(ms: u64, signal: Option<&AbortSignal>) -> Result<(), Error> {
    if signal.is_some_and(is_aborted) {
        return Err(Error::aborted());
    }
    let ms = u32::try_from(ms).unwrap_or(crate::request::MAX_TIMEOUT_MS).min(crate::request::MAX_TIMEOUT_MS);
    // The guard's timer aborts its controller; either way the promise settles.
    let guard = Guard::arm(ms, signal)?;
    let done = js_sys::Promise::new(&mut |resolve, _| {
        let _ = guard.controller.signal().add_event_listener_with_callback("abort", &resolve);
    });
    let _ = JsFuture::from(done).await;
    if guard.timed_out.get() {
        Ok(())
    } else {
        Err(Error::aborted())
    }
}

/// Sends `request` with `token` and reads the response. Fails with
/// `aborted` when `signal` fires (or had already fired: then nothing is
/// sent), `timeout` when `timeout_ms` passes first, `network` otherwise.
pub async fn send(
    request: &HttpRequest,
    token: &Token,
    timeout_ms: u32,
    signal: Option<&AbortSignal>,
) -> Result<Response, Error> {
    if signal.is_some_and(is_aborted) {
        return Err(Error::aborted());
    }
    let guard = Guard::arm(timeout_ms, signal)?;

    let headers = web_sys::Headers::new().map_err(|_| Error::network("this runtime has no Headers class"))?;
    let set = |name: &str, value: &str| {
        headers.set(name, value).map_err(|_| Error::invalid_argument(format!("the {name} header was refused")))
    };
    set("authorization", &token.authorization())?;
    for (name, value) in &request.headers {
        set(name, value)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_headers(&headers);
    init.set_signal(Some(&guard.controller.signal()));
    // A redirect would turn a POST into a GET (or send the request to another
    // host): never follow one; report it instead.
    init.set_redirect(web_sys::RequestRedirect::Manual);
    let raw_request = web_sys::Request::new_with_str_and_init(&request.url, &init)
        .map_err(|_| Error::invalid_argument(format!("the runtime refused the request URL {}", request.url)))?;

    let response = gloo_net::http::Request::from(raw_request)
        .send()
        .await
        .map_err(|e| guard.failure(|| format!("could not reach {}: {e}", request.url)))?;
    let status = response.status();
    if status == 0 || (300..400).contains(&status) {
        // Browsers hide manual redirects as an opaque response with status 0.
        return Err(Error::redirect(status));
    }
    let announced = response.headers().get("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > MAX_BODY_BYTES) {
        return Err(Error::too_large(status, MAX_BODY_BYTES));
    }
    let retry_after = response.headers().get("retry-after");
    let response: web_sys::Response = response.into();
    let text = response.text().map_err(|_| Error::network("the response body could not be read"))?;
    let body = JsFuture::from(text).await.map_err(|_| {
        guard.failure(|| format!("the connection failed while reading the response from {}", request.url))
    })?;
    Ok(Response { status, retry_after, body: body.as_string().unwrap_or_default() })
}

/// Owns the abort wiring of one request: a timer and a listener on the
/// caller's signal, both aborting an `AbortController` of our own (so fetch
/// always rejects with a proper `AbortError`, whatever reason the caller used).
/// Dropping it clears the timer, removes the listener and aborts anything
/// still in flight.
struct Guard {
    controller: AbortController,
    timed_out: Rc<Cell<bool>>,
    timeout_ms: u32,
    timer: JsValue,
    _on_timeout: Closure<dyn FnMut()>,
    caller: Option<(AbortSignal, Closure<dyn FnMut()>)>,
}

impl Guard {
    fn arm(timeout_ms: u32, signal: Option<&AbortSignal>) -> Result<Guard, Error> {
        let controller = AbortController::new().map_err(|_| Error::network("this runtime has no AbortController"))?;
        let timed_out = Rc::new(Cell::new(false));
        let on_timeout = {
            let (controller, timed_out) = (controller.clone(), timed_out.clone());
            Closure::<dyn FnMut()>::new(move || {
                timed_out.set(true);
                controller.abort();
            })
        };
        let timer = set_timeout(on_timeout.as_ref().unchecked_ref(), timeout_ms);
        let caller = signal.map(|signal| {
            let controller = controller.clone();
            let on_abort = Closure::<dyn FnMut()>::new(move || controller.abort());
            let options = AddEventListenerOptions::new();
            options.set_once(true);
            // A signal that cannot take listeners still had `aborted` checked above.
            let _ = signal.add_event_listener_with_callback_and_add_event_listener_options(
                "abort",
                on_abort.as_ref().unchecked_ref(),
                &options,
            );
            (signal.clone(), on_abort)
        });
        Ok(Guard { controller, timed_out, timeout_ms, timer, _on_timeout: on_timeout, caller })
    }

    /// The error for a failed fetch or body read, decided by what fired.
    fn failure(&self, network_message: impl FnOnce() -> String) -> Error {
        if self.caller.as_ref().is_some_and(|(signal, _)| is_aborted(signal)) {
            Error::aborted()
        } else if self.timed_out.get() {
            Error::timeout(self.timeout_ms)
        } else {
            Error::network(network_message())
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        clear_timeout(&self.timer);
        if let Some((signal, on_abort)) = &self.caller {
            let _ = signal.remove_event_listener_with_callback("abort", on_abort.as_ref().unchecked_ref());
        }
        self.controller.abort();
    }
}
