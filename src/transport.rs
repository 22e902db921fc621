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

/// A received response: status and the whole body as text.
pub struct Response {
    pub status: u16,
    pub body: String,
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
    if signal.is_some_and(AbortSignal::aborted) {
        return Err(Error::aborted());
    }
    let guard = Guard::arm(timeout_ms, signal)?;

    let headers =
        web_sys::Headers::new().map_err(|_| Error::network("this runtime has no Headers class"))?;
    let set = |name: &str, value: &str| {
        headers
            .set(name, value)
            .map_err(|_| Error::invalid_argument(format!("the {name} header was refused")))
    };
    set("authorization", &token.authorization())?;
    if let Some(project) = &request.quota_project {
        set("x-goog-user-project", project)?;
    }
    let init = web_sys::RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_headers(&headers);
    init.set_signal(Some(&guard.controller.signal()));
    let raw_request =
        web_sys::Request::new_with_str_and_init(&request.url, &init).map_err(|_| {
            Error::invalid_argument(format!(
                "the runtime refused the request URL {}",
                request.url
            ))
        })?;

    let response = gloo_net::http::Request::from(raw_request)
        .send()
        .await
        .map_err(|e| guard.failure(|| format!("could not reach {}: {e}", request.url)))?;
    let status = response.status();
    let response: web_sys::Response = response.into();
    let text = response
        .text()
        .map_err(|_| Error::network("the response body could not be read"))?;
    let body = JsFuture::from(text).await.map_err(|_| {
        guard.failure(|| {
            format!(
                "the connection failed while reading the response from {}",
                request.url
            )
        })
    })?;
    Ok(Response {
        status,
        body: body.as_string().unwrap_or_default(),
    })
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
        let controller = AbortController::new()
            .map_err(|_| Error::network("this runtime has no AbortController"))?;
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
        Ok(Guard {
            controller,
            timed_out,
            timeout_ms,
            timer,
            _on_timeout: on_timeout,
            caller,
        })
    }

    /// The error for a failed fetch or body read, decided by what fired.
    fn failure(&self, network_message: impl FnOnce() -> String) -> Error {
        if self
            .caller
            .as_ref()
            .is_some_and(|(signal, _)| signal.aborted())
        {
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
            let _ = signal
                .remove_event_listener_with_callback("abort", on_abort.as_ref().unchecked_ref());
        }
        self.controller.abort();
    }
}
