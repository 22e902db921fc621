//! The one module that does I/O: sends a request through the runtime's
//! global `fetch` and reads the body as a stream, at most
//! [`MAX_BODY_BYTES`], under a timeout and the caller's `AbortSignal`.
//!
//! Every touch of what `fetch` gives back goes through a catching binding and
//! is checked, never assumed: `fetch` is often replaced (undici or node-fetch
//! from npm, test mocks, polyfills), and a value of the wrong type must become
//! a typed error, not a panic that would end the module instance.

use crate::error::Error;
use crate::request::{HttpRequest, Token};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    // Globals in windows, workers, Node, Deno, Bun and workerd alike.
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: u32) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(id: &JsValue);
    /// Whatever the global `fetch` returns or throws, unchecked. Called with
    /// the URL and an init object, never a `Request`: a replaced fetch (undici
    /// or node-fetch from npm) takes a `Request` of another implementation
    /// for a URL string.
    #[wasm_bindgen(catch, js_name = fetch)]
    fn global_fetch(url: &str, init: &web_sys::RequestInit) -> Result<JsValue, JsValue>;

    /// What `fetch` resolved to: a `Response`, or anything with its shape.
    type FetchResponse;
    #[wasm_bindgen(method, getter, catch)]
    fn status(this: &FetchResponse) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, getter, catch)]
    fn headers(this: &FetchResponse) -> Result<FetchHeaders, JsValue>;
    #[wasm_bindgen(method, getter, catch)]
    fn body(this: &FetchResponse) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch, js_name = arrayBuffer)]
    fn array_buffer(this: &FetchResponse) -> Result<JsValue, JsValue>;

    /// `Promise.resolve(value)`, which throws when a promise's `constructor`
    /// getter or a thenable's `then` getter does.
    #[wasm_bindgen(catch, js_namespace = Promise, js_name = resolve)]
    fn promise_resolve(value: &JsValue) -> Result<js_sys::Promise, JsValue>;

    /// A `Uint8Array` made by the runtime's own constructor: a copy of a typed
    /// array, or a view of an `ArrayBuffer`. Its length comes from internal
    /// slots, so a subclass's lying `length` getter cannot mislead the copy;
    /// a detached buffer throws, and is caught.
    #[wasm_bindgen(js_name = Uint8Array)]
    type OwnBytes;
    #[wasm_bindgen(catch, constructor, js_class = Uint8Array)]
    fn new(source: &JsValue) -> Result<OwnBytes, JsValue>;
    type FetchHeaders;
    #[wasm_bindgen(method, catch, js_name = get)]
    fn get_header(this: &FetchHeaders, name: &str) -> Result<JsValue, JsValue>;

    /// `Response.body`: a `ReadableStream` of bytes.
    type BodyStream;
    #[wasm_bindgen(method, catch, js_name = getReader)]
    fn get_reader(this: &BodyStream) -> Result<BodyReader, JsValue>;
    /// A `ReadableStreamDefaultReader`.
    type BodyReader;
    #[wasm_bindgen(method, catch)]
    fn read(this: &BodyReader) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(method, catch)]
    fn cancel(this: &BodyReader) -> Result<JsValue, JsValue>;
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

/// Most of a response body read, in bytes, after any `Content-Encoding` is
/// undone: a longer body (announced by `Content-Length` or found while
/// streaming, chunked or compressed alike) fails with `bad-response` and the
/// rest is not read. Real answers of the API are a few KiB; a full page of
/// `ListOperations` stays far below this.
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

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

/// Sets `flag` once the runtime has had a turn: its timers ran (a task
/// later than every microtask queued now).
pub fn flag_next_turn(flag: &Rc<Cell<bool>>) {
    flag.set(false);
    let flag = flag.clone();
    let callback = Closure::once_into_js(move || flag.set(true));
    set_timeout(callback.unchecked_ref(), 0);
}

/// Lets the runtime have a turn (timers, I/O, events, rendering) before going on.
pub async fn yield_now() {
    let turn = js_sys::Promise::new(&mut |resolve, _| {
        set_timeout(&resolve, 0);
    });
    let _ = JsFuture::from(turn).await;
}

/// Waits `ms` milliseconds; fails with `aborted` as soon as `signal` fires.
pub async fn sleep(ms: u64, signal: Option<&AbortSignal>) -> Result<(), Error> {
    let ms = u32::try_from(ms).unwrap_or(crate::request::MAX_TIMEOUT_MS).min(crate::request::MAX_TIMEOUT_MS);
    // A promise that never settles: only the timer or the signal ends the wait.
    match within(js_sys::Promise::new(&mut |_, _| {}).into(), ms, signal).await {
        Err(error) if error.kind != crate::error::ErrorKind::Timeout => Err(error),
        _ => Ok(()),
    }
}

/// Awaits `value` (a promise, a thenable or a plain value, from code this
/// crate does not control) for at most `timeout_ms`, and no longer than
/// `signal` allows. `Ok(Err(reason))` is the value's own rejection (or what
/// was thrown on the way); `Err` is the timeout or the abort.
pub async fn within(
    value: JsValue,
    timeout_ms: u32,
    signal: Option<&AbortSignal>,
) -> Result<Result<JsValue, JsValue>, Error> {
    if signal.is_some_and(is_aborted) {
        return Err(Error::aborted());
    }
    let guard = Guard::arm(timeout_ms, signal)?;
    let outcome = guard.settle(Ok(value)).await;
    if guard.controller.signal().aborted() {
        return Err(guard.failure(String::new));
    }
    guard.finished.set(true);
    Ok(outcome)
}

/// Sends `request` with `token` and reads the response. Fails with
/// `aborted` when `signal` fires (or had already fired: then nothing is
/// sent), `timeout` when `timeout_ms` passes first (while waiting for the
/// headers or for the rest of the body), `network` otherwise.
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
    // A redirect would turn a POST into a GET (or send the request, with its
    // Authorization header, to another host): never follow one; report it.
    init.set_redirect(web_sys::RequestRedirect::Manual);
    // Checked here so that a URL the runtime refuses is a bad argument, not a network error.
    web_sys::Request::new_with_str_and_init(&request.url, &init)
        .map_err(|_| Error::invalid_argument(format!("the runtime refused the request URL {}", request.url)))?;

    let response = guard
        .settle(global_fetch(&request.url, &init))
        .await
        .map_err(|reason| guard.failure(|| format!("could not reach {}: {}", request.url, describe(&reason))))?
        .unchecked_into::<FetchResponse>();
    let not_a_response = || Error::network("the runtime's fetch gave something other than a Response");
    let status = response.status().ok().and_then(|s| s.as_f64()).ok_or_else(not_a_response)?;
    if !(0.0..=999.0).contains(&status) || status.fract() != 0.0 {
        return Err(not_a_response());
    }
    let status = status as u16;
    if status == 0 || (300..400).contains(&status) {
        // Browsers hide manual redirects as an opaque response with status 0.
        return Err(Error::redirect(status));
    }
    let headers = response.headers().ok().filter(|headers| headers.is_object()).ok_or_else(not_a_response)?;
    let header = |name: &str| headers.get_header(name).ok().and_then(|value| value.as_string());
    let announced = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > MAX_BODY_BYTES as u64) {
        return Err(Error::too_large(status, MAX_BODY_BYTES));
    }
    let retry_after = header("retry-after");
    let bytes = read_body(&response, status, &guard, &request.url).await?;
    guard.finished.set(true);
    Ok(Response { status, retry_after, body: String::from_utf8_lossy(&bytes).into_owned() })
}

/// What a rejected fetch said, for the message of a `network` error:
/// `TypeError: fetch failed (connect ECONNREFUSED 127.0.0.1:2)`, with the
/// runtime's `cause` when it has one (Node, Bun), at most 300 characters.
/// Anything else a replaced fetch may throw is described without throwing.
fn describe(reason: &JsValue) -> String {
    let text = |value: &JsValue, key: &str| {
        value.is_object().then(|| js_sys::Reflect::get(value, &JsValue::from_str(key)).ok()?.as_string()).flatten()
    };
    let mut said = match (text(reason, "name"), text(reason, "message"), reason.as_string()) {
        (_, _, Some(thrown)) => thrown,
        (name, Some(message), _) => format!("{}: {message}", name.unwrap_or_else(|| "Error".into())),
        _ => "it rejected with something other than an Error".into(),
    };
    let cause = reason.is_object().then(|| js_sys::Reflect::get(reason, &JsValue::from_str("cause")).ok()).flatten();
    if let Some(cause) = cause.and_then(|cause| text(&cause, "message").or_else(|| cause.as_string())) {
        said = format!("{said} ({cause})");
    }
    if let Some((end, _)) = said.char_indices().nth(300) {
        said.truncate(end);
        said.push('…');
    }
    said
}

/// Reads the body chunk by chunk, failing as soon as it passes
/// [`MAX_BODY_BYTES`] (and cancelling the rest of the stream). A response
/// whose body is not a web `ReadableStream` (node-fetch gives a Node stream)
/// is read whole with `arrayBuffer()`, then held to the same limit.
async fn read_body(response: &FetchResponse, status: u16, guard: &Guard, url: &str) -> Result<Vec<u8>, Error> {
    let not_bytes = || Error::network("the runtime's fetch gave a response body that is not bytes");
    let stream = response.body().map_err(|_| not_bytes())?;
    if stream.is_null() || stream.is_undefined() {
        return Ok(Vec::new());
    }
    let failed = || guard.failure(|| format!("the connection failed while reading the response from {url}"));
    let Ok(reader) = stream.unchecked_into::<BodyStream>().get_reader() else {
        let read = response.array_buffer().map_err(|_| not_bytes())?;
        let buffer = guard.settle(Ok(read)).await.map_err(|_| failed())?;
        let bytes = Some(buffer)
            .filter(|b| b.is_instance_of::<js_sys::ArrayBuffer>())
            .and_then(|b| OwnBytes::new(&b).ok())
            .ok_or_else(not_bytes)?
            .unchecked_into::<js_sys::Uint8Array>();
        if bytes.length() as usize > MAX_BODY_BYTES {
            return Err(Error::too_large(status, MAX_BODY_BYTES));
        }
        return Ok(bytes.to_vec());
    };
    let field = |value: &JsValue, key: &str| js_sys::Reflect::get(value, &JsValue::from_str(key));
    let mut bytes = Vec::new();
    // A stream whose reads all resolve at once (a mock, or a hostile body of
    // empty chunks) never leaves the microtask queue, and the guard's timer
    // could never fire: every 10 ms of reading, take a turn. Most bodies are
    // read well within 10 ms, so a call pays nothing for this (no timer).
    let mut since_turn = now_ms();
    loop {
        if now_ms() - since_turn >= 10.0 {
            yield_now().await;
            since_turn = now_ms();
        }
        let chunk = guard.settle(reader.read()).await.map_err(|_| failed())?;
        if field(&chunk, "done").map_or(true, |done| done.is_truthy()) {
            return Ok(bytes);
        }
        let chunk = field(&chunk, "value")
            .ok()
            .filter(|v| js_sys::ArrayBuffer::is_view(v) && v.is_instance_of::<js_sys::Uint8Array>())
            .and_then(|v| OwnBytes::new(&v).ok())
            .ok_or_else(not_bytes)?
            .unchecked_into::<js_sys::Uint8Array>();
        let start = bytes.len();
        let length = chunk.length() as usize;
        if length > MAX_BODY_BYTES - start {
            // Stop the download; the rejection (if any) of the cancel is awaited, not left unhandled.
            if let Some(cancelled) = reader.cancel().ok().and_then(|c| promise_resolve(&c).ok()) {
                wasm_bindgen_futures::spawn_local(async move {
                    let _ = JsFuture::from(cancelled).await;
                });
            }
            return Err(Error::too_large(status, MAX_BODY_BYTES));
        }
        bytes.extend_from_slice(&chunk.to_vec());
    }
}

/// Owns the abort wiring of one request: a timer and a subscription to the
/// caller's signal, both aborting an `AbortController` of our own (so fetch
/// always rejects with a proper `AbortError`, whatever reason the caller used).
/// Dropping it clears the timer, ends the subscription and, unless the whole
/// body was read, aborts what is still in flight.
struct Guard {
    controller: AbortController,
    /// Rejects when `controller` aborts; made on first use by `settle`.
    stop: std::cell::OnceCell<js_sys::Promise>,
    /// The response was read to its end: nothing is left to abort.
    finished: Cell<bool>,
    timed_out: Rc<Cell<bool>>,
    timeout_ms: u32,
    timer: JsValue,
    _on_timeout: Closure<dyn FnMut()>,
    caller: Option<Subscription>,
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
        let caller = signal.map(|signal| Subscription::new(signal, &controller));
        Ok(Guard {
            controller,
            stop: std::cell::OnceCell::new(),
            finished: Cell::new(false),
            timed_out,
            timeout_ms,
            timer,
            _on_timeout: on_timeout,
            caller,
        })
    }

    /// Awaits `value` (what foreign code returned, or what it threw) until it
    /// settles or this guard fires, whichever comes first: a fetch or a body
    /// that ignores its `AbortSignal` cannot hold the call past its timeout.
    /// `Err` is a rejection, a throw, or the guard firing (then
    /// [`Guard::failure`] says which); nothing throws through the wasm.
    async fn settle(&self, value: Result<JsValue, JsValue>) -> Result<JsValue, JsValue> {
        // Fired already: stop here, even if the value is ready (a body whose
        // reads all resolve at once would otherwise win every race).
        if self.controller.signal().aborted() {
            return Err(JsValue::UNDEFINED);
        }
        let promise = promise_resolve(&value?)?;
        let stop = self.stop.get_or_init(|| {
            let signal = self.controller.signal();
            js_sys::Promise::new(&mut |_, reject| {
                if signal.aborted() {
                    let _ = reject.call0(&JsValue::UNDEFINED);
                } else {
                    let _ = signal.add_event_listener_with_callback("abort", &reject);
                }
            })
        });
        // `stop` first: when both have settled, the race takes the first.
        JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(stop, &promise))).await
    }

    /// The error for a failed fetch or body read, decided by what fired.
    fn failure(&self, network_message: impl FnOnce() -> String) -> Error {
        if self.caller.as_ref().is_some_and(|caller| is_aborted(&caller.signal)) {
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
        self.caller = None;
        if !self.finished.get() {
            self.controller.abort();
        }
    }
}

/// The controllers to abort when one caller's signal fires, behind a single
/// `abort` listener on that signal. Every call in flight with the signal
/// subscribes here instead of adding a listener of its own, so a signal
/// shared by any number of concurrent calls carries one listener (Node warns
/// past 10), and the listener is removed when the last of them settles.
struct Watch {
    signal: AbortSignal,
    listener: Closure<dyn FnMut()>,
    controllers: Rc<RefCell<Vec<(u64, AbortController)>>>,
}

thread_local! {
    static WATCHES: RefCell<Vec<Watch>> = const { RefCell::new(Vec::new()) };
    static NEXT_SUBSCRIPTION: Cell<u64> = const { Cell::new(0) };
}

/// One call's interest in a caller's signal; dropping it unsubscribes.
struct Subscription {
    id: u64,
    signal: AbortSignal,
}

impl Subscription {
    fn new(signal: &AbortSignal, controller: &AbortController) -> Subscription {
        let id = NEXT_SUBSCRIPTION.with(|next| {
            let id = next.get();
            next.set(id.wrapping_add(1));
            id
        });
        WATCHES.with(|watches| {
            let mut watches = watches.borrow_mut();
            if let Some(watch) = watches.iter().find(|w| w.signal == *signal) {
                watch.controllers.borrow_mut().push((id, controller.clone()));
                return;
            }
            let controllers = Rc::new(RefCell::new(vec![(id, controller.clone())]));
            let listener = {
                let controllers = controllers.clone();
                Closure::<dyn FnMut()>::new(move || {
                    // Copied first: aborting runs other listeners synchronously.
                    let all: Vec<AbortController> = controllers.borrow().iter().map(|(_, c)| c.clone()).collect();
                    for controller in all {
                        controller.abort();
                    }
                })
            };
            // A signal that cannot take listeners still had `aborted` checked by the caller.
            let _ = signal.add_event_listener_with_callback("abort", listener.as_ref().unchecked_ref());
            watches.push(Watch { signal: signal.clone(), listener, controllers });
        });
        Subscription { id, signal: signal.clone() }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        WATCHES.with(|watches| {
            let mut watches = watches.borrow_mut();
            let Some(index) = watches.iter().position(|w| w.signal == self.signal) else {
                return;
            };
            let Some(watch) = watches.get(index) else {
                return;
            };
            watch.controllers.borrow_mut().retain(|(id, _)| *id != self.id);
            if watch.controllers.borrow().is_empty() {
                let watch = watches.swap_remove(index);
                let _ =
                    watch.signal.remove_event_listener_with_callback("abort", watch.listener.as_ref().unchecked_ref());
            }
        });
    }
}
