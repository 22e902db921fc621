//! Each JS function and client method: decode its arguments, run the
//! operation from `ops`, and convert the result. Shared by the free
//! functions and `OperationsClient`.
//!
//! Every call goes through one future, [`run`], turned into a promise in
//! one place ([`promise`]): each `async` export would otherwise compile its
//! own copy of the promise machinery into the `.wasm`.

use crate::error::Error;
use crate::exec::Context;
use crate::js::{self, error_to_js, set};
use crate::ops::{self, Waited};
use crate::request::ListQuery;
use js_sys::{Array, Function, Object, Promise, Reflect};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};

type Reply = Result<JsValue, JsValue>;

fn fail(error: Error) -> JsValue {
    error_to_js(&error)
}

/// One call: which operation, with its arguments still as JS values.
pub enum Call {
    Cancel(JsValue),
    Get(JsValue),
    Delete(JsValue),
    /// The query, or why the options gave none.
    List(Result<ListQuery, Error>),
    /// Name and options.
    Wait(JsValue, JsValue),
    Confirm(JsValue, JsValue),
    /// Names and options.
    CancelMany(JsValue, JsValue),
}

/// Runs `call` and hands back a promise of its result.
pub fn promise(context: Result<Context, Error>, call: Call) -> Promise {
    future_to_promise(run(context, call))
}

async fn run(context: Result<Context, Error>, call: Call) -> Reply {
    match call {
        Call::Cancel(name) => cancel(context, &name).await,
        Call::Get(name) => get(context, &name).await,
        Call::Delete(name) => delete(context, &name).await,
        Call::List(query) => list(context, query).await,
        Call::Wait(name, options) => wait(context, &name, &options).await,
        Call::Confirm(name, options) => cancel_and_confirm(context, &name, &options).await,
        Call::CancelMany(names, options) => cancel_many(context, &names, &options).await,
    }
}

async fn cancel(context: Result<Context, Error>, name: &JsValue) -> Reply {
    let (context, name) = (context.map_err(fail)?, js::name_arg(name).map_err(fail)?);
    ops::cancel(&context, &name).await.map_err(fail)?;
    Ok(js::ok_status())
}

async fn get(context: Result<Context, Error>, name: &JsValue) -> Reply {
    let (context, name) = (context.map_err(fail)?, js::name_arg(name).map_err(fail)?);
    Ok(js::operation_to_js(&ops::get(&context, &name).await.map_err(fail)?))
}

async fn delete(context: Result<Context, Error>, name: &JsValue) -> Reply {
    let (context, name) = (context.map_err(fail)?, js::name_arg(name).map_err(fail)?);
    ops::delete(&context, &name).await.map_err(fail)?;
    Ok(js::ok_status())
}

async fn list(context: Result<Context, Error>, query: Result<ListQuery, Error>) -> Reply {
    let (context, query) = (context.map_err(fail)?, query.map_err(fail)?);
    Ok(js::list_page_to_js(&ops::list(&context, &query).await.map_err(fail)?))
}

/// An async iterable over every operation of every page. Bad arguments
/// surface as the rejection of the first `next()`.
pub fn iterate(context: Result<Context, Error>, options: &JsValue) -> JsValue {
    let setup = context.and_then(|c| js::list_query(options).map(|q| (c, q)));
    let first_token = match &setup {
        Ok((_, query)) => JsValue::from(query.page_token.clone().unwrap_or_default()),
        Err(_) => JsValue::from_str(""),
    };
    let list_page = Closure::<dyn FnMut(JsValue) -> Promise>::new(move |token: JsValue| match &setup {
        Ok((context, query)) => {
            promise(Ok(context.clone()), Call::List(Ok(ListQuery { page_token: token.as_string(), ..query.clone() })))
        }
        Err(error) => promise(Err(error.clone()), Call::List(Err(error.clone()))),
    });
    js::iterate(list_page.into_js_value().unchecked_ref(), &first_token)
}

async fn wait(context: Result<Context, Error>, name: &JsValue, options: &JsValue) -> Reply {
    let (context, name) = (context.map_err(fail)?, js::name_arg(name).map_err(fail)?);
    let plan = js::wait_plan(options, None).map_err(fail)?;
    let on_poll = js::callback(options, "onPoll").map_err(fail)?;
    let report = |operation: &crate::response::Operation| {
        if let Some(on_poll) = &on_poll {
            // A throwing callback must not stop the wait.
            let _ = on_poll.call1(&JsValue::UNDEFINED, &js::operation_to_js(operation));
        }
    };
    match ops::wait(&context, &name, &plan, &report).await.map_err(fail)? {
        Waited::Done(operation) => Ok(js::operation_to_js(&operation)),
        Waited::StillRunning(_) => Err(fail(Error::deadline(format!(
            "the operation was still running at the last poll, and waitOperation's timeoutMs ({} ms) \
             ends before the next one",
            plan.timeout_ms.unwrap_or_default()
        )))),
    }
}

/// How long `cancelAndConfirm` waits for the cancel to show, unless told.
const CONFIRM_TIMEOUT_MS: u32 = 60_000;

async fn cancel_and_confirm(context: Result<Context, Error>, name: &JsValue, options: &JsValue) -> Reply {
    let (context, name) = (context.map_err(fail)?, js::name_arg(name).map_err(fail)?);
    let plan = js::wait_plan(options, Some(CONFIRM_TIMEOUT_MS)).map_err(fail)?;
    Ok(js::outcome_to_js(&ops::cancel_and_confirm(&context, &name, &plan).await.map_err(fail)?))
}

/// Most names one `cancelOperations` call takes. Each result is an object
/// kept until the call settles (a refused name's error, with its stack, is
/// about 1 KB of heap), so a larger list is refused, not half done.
const MAX_BULK_NAMES: u32 = 1_000_000;

/// Counters shared by the workers of one bulk cancel.
#[derive(Default)]
struct Progress {
    next: Cell<u32>,
    done: Cell<u32>,
    failed: Cell<u32>,
    /// When the current slice of work without a turn of the runtime began
    /// (`transport::now_ms`).
    slice_start: Cell<f64>,
    /// Set once the runtime has had a turn since the slice began (see
    /// `transport::flag_next_turn`): a request that really went out gives
    /// it turns; one that failed at once does not.
    turned: Rc<Cell<bool>>,
}

/// Cancels every name with at most `concurrency` requests in flight. Each
/// result (in input order) carries its name, whether its cancel started, and
/// either `status` or `error`; after an abort, names not yet started get an
/// `aborted` error and no request.
async fn cancel_many(context: Result<Context, Error>, names: &JsValue, options: &JsValue) -> Reply {
    let context = context.map_err(fail)?;
    // `Array.isArray` throws for a revoked Proxy: through a catching binding.
    if !js::is_array(names).unwrap_or(false) {
        return Err(fail(Error::invalid_argument("names must be an array of operation names")));
    }
    let names: Array = names.clone().unchecked_into();
    let concurrency = js::concurrency(options).map_err(fail)?;
    let on_progress = js::callback(options, "onProgress").map_err(fail)?;
    // Read through Reflect: a Proxy or a throwing getter must give an error,
    // not an exception thrown through the wasm.
    let total = Reflect::get(&names, &"length".into())
        .ok()
        .and_then(|length| length.as_f64())
        .filter(|length| length.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(length))
        .map(|length| length as u32)
        .ok_or_else(|| fail(Error::invalid_argument("names.length could not be read")))?;
    if total > MAX_BULK_NAMES {
        return Err(fail(Error::invalid_argument(format!(
            "names has {total} items; at most {MAX_BULK_NAMES} are cancelled in one call"
        ))));
    }
    let results = Array::new_with_length(total);
    let progress = Rc::new(Progress { slice_start: Cell::new(crate::transport::now_ms()), ..Progress::default() });
    crate::transport::flag_next_turn(&progress.turned);
    let workers: Array = (0..concurrency.min(total as usize))
        .map(|_| {
            let worker = Worker {
                context: context.clone(),
                names: names.clone(),
                total,
                results: results.clone(),
                progress: progress.clone(),
                on_progress: on_progress.clone(),
            };
            future_to_promise(async move {
                worker.run().await;
                Ok(JsValue::UNDEFINED)
            })
        })
        .collect();
    JsFuture::from(Promise::all(&workers)).await?;
    Ok(results.into())
}

struct Worker {
    context: Context,
    names: Array,
    total: u32,
    results: Array,
    progress: Rc<Progress>,
    on_progress: Option<Function>,
}

/// Longest time, in ms, the workers together settle results without
/// awaiting anything (refused names, names after an abort) before they let
/// the runtime have a turn: timers, I/O, events and rendering go on meanwhile.
const TURN_MS: f64 = 10.0;

impl Worker {
    /// Yields once the slice shared by all workers has run for [`TURN_MS`]
    /// without a turn of the runtime. Each worker resumes in its own task;
    /// the first to resume starts the next slice, and the others yield again
    /// unless that slice has time left. So the whole bulk cancel, not each
    /// worker, holds the runtime for at most about [`TURN_MS`] at a time,
    /// whether its items end in requests, refusals or instant failures.
    async fn pace(&self) {
        let Progress { slice_start, turned, .. } = &*self.progress;
        if turned.get() {
            slice_start.set(crate::transport::now_ms());
            crate::transport::flag_next_turn(turned);
            return;
        }
        while crate::transport::now_ms() - slice_start.get() >= TURN_MS {
            let asked = crate::transport::now_ms();
            crate::transport::yield_now().await;
            if slice_start.get() < asked {
                slice_start.set(crate::transport::now_ms());
                crate::transport::flag_next_turn(turned);
            }
        }
    }

    async fn run(&self) {
        let total = self.total;
        loop {
            let index = self.progress.next.get();
            if index >= total {
                return;
            }
            self.progress.next.set(index + 1);
            let read = Reflect::get_u32(&self.names, index)
                .map_err(|_| Error::invalid_argument(format!("names[{index}] could not be read")));
            let item = read.as_ref().map_or(JsValue::UNDEFINED, Clone::clone);
            let mut started = false;
            let outcome = match read.and_then(|item| js::name_arg(&item)) {
                _ if self.context.signal.as_ref().is_some_and(crate::transport::is_aborted) => Err(Error::aborted()),
                Ok(name) => {
                    started = true;
                    ops::cancel(&self.context, &name).await
                }
                Err(error) => Err(error),
            };
            let result = Object::new();
            set(&result, "name", &item);
            set(&result, "ok", &JsValue::from_bool(outcome.is_ok()));
            set(&result, "started", &JsValue::from_bool(started));
            match outcome {
                Ok(()) => set(&result, "status", &js::ok_status()),
                Err(error) => {
                    set(&result, "error", &error_to_js(&error));
                    self.progress.failed.set(self.progress.failed.get() + 1);
                }
            }
            self.results.set(index, result.into());
            self.progress.done.set(self.progress.done.get() + 1);
            if let Some(on_progress) = &self.on_progress {
                let report = Object::new();
                set(&report, "done", &JsValue::from(self.progress.done.get()));
                set(&report, "total", &JsValue::from(total));
                set(&report, "failed", &JsValue::from(self.progress.failed.get()));
                // A throwing callback must not stop the work.
                let _ = on_progress.call1(&JsValue::UNDEFINED, &report);
            }
            self.pace().await;
        }
    }
}
