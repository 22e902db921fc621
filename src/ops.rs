//! The operations surface in Rust terms: each call built on `exec::execute`.

use crate::code::Code;
use crate::error::{Error, ErrorKind};
use crate::exec::{execute, Context};
use crate::name::OperationName;
use crate::policy::Polling;
use crate::request::{self, HttpRequest, ListQuery};
use crate::response::{self, Fate, ListPage, Operation};
use crate::transport;

pub async fn cancel(context: &Context, name: &OperationName) -> Result<(), Error> {
    call(context, &request::cancel(name, &context.options), response::empty).await
}

pub async fn get(context: &Context, name: &OperationName) -> Result<Operation, Error> {
    call(context, &request::get(name, &context.options), response::operation).await
}

pub async fn delete(context: &Context, name: &OperationName) -> Result<(), Error> {
    call(context, &request::delete(name, &context.options), response::empty).await
}

pub async fn list(context: &Context, query: &ListQuery) -> Result<ListPage, Error> {
    call(context, &request::list(query, &context.options), response::list_page).await
}

/// Sends `request` and reads the 2xx answer with `parse`. An error found in
/// that answer (a body the server echoed the token into) is redacted too.
async fn call<T>(
    context: &Context,
    request: &HttpRequest,
    parse: fn(u16, &str) -> Result<T, Error>,
) -> Result<T, Error> {
    let (reply, token) = execute(context, request).await?;
    parse(reply.status, &reply.body).map_err(|error| error.redact(token.secret()))
}

/// How long and how often to poll.
pub struct WaitPlan {
    pub polling: Polling,
    /// Whole wait, in milliseconds; `None` waits until the signal aborts.
    pub timeout_ms: Option<u32>,
}

/// The last state seen when polling stopped.
pub enum Waited {
    Done(Operation),
    /// The wait's time ran out; the operation was still running.
    StillRunning(Operation),
}

/// Polls `GetOperation` until the operation is done or the plan's time runs
/// out. The first poll is immediate. `on_poll` sees every state read.
pub async fn wait(
    context: &Context,
    name: &OperationName,
    plan: &WaitPlan,
    on_poll: &dyn Fn(&Operation),
) -> Result<Waited, Error> {
    wait_until(context, name, plan, Limit::start(plan), on_poll).await
}

/// The end of a wait's `timeoutMs`, on the clock of `transport::now_ms`.
#[derive(Clone, Copy)]
struct Limit {
    at: f64,
    timeout_ms: u32,
}

impl Limit {
    fn start(plan: &WaitPlan) -> Option<Limit> {
        plan.timeout_ms.map(|timeout_ms| Limit { at: transport::now_ms() + f64::from(timeout_ms), timeout_ms })
    }

    /// `context` with its deadline cut to what is left of the limit: each
    /// request may use that, and no more. The limit comes back when it is
    /// what bounds the request (no shorter `deadlineMs` of the caller's).
    fn bound(limit: Option<Limit>, context: &Context) -> (Context, Option<Limit>) {
        let mut bounded = context.clone();
        let Some(limit) = limit else {
            return (bounded, None);
        };
        let left = (limit.at - transport::now_ms()).ceil().max(1.0) as u32;
        let binding = context.options.deadline_ms.is_none_or(|d| left <= d);
        bounded.options.deadline_ms = Some(context.options.deadline_ms.map_or(left, |d| d.min(left)));
        (bounded, binding.then_some(limit))
    }

    /// Whether `error` is the binding limit running out (a timeout, or retries
    /// given up because the next attempt would start past it). If so, its
    /// message names the limit.
    fn ran_out(binding: Option<Limit>, error: &mut Error, before: &str) -> bool {
        let Some(limit) = binding.filter(|_| error.kind == ErrorKind::Timeout) else {
            return false;
        };
        // Retries given up keep what the last attempt got (see `policy::deadline_error`).
        let last = error.message.split_once("; last error: ").map(|(_, last)| format!("; last error: {last}"));
        error.message =
            format!("timeoutMs ({} ms) passed before {before}{}", limit.timeout_ms, last.unwrap_or_default());
        true
    }
}

async fn wait_until(
    context: &Context,
    name: &OperationName,
    plan: &WaitPlan,
    limit: Option<Limit>,
    on_poll: &dyn Fn(&Operation),
) -> Result<Waited, Error> {
    let mut polls = 0;
    let mut last: Option<Operation> = None;
    loop {
        polls += 1;
        let (poll, binding) = Limit::bound(limit, context);
        let operation = match get(&poll, name).await {
            Ok(operation) => operation,
            Err(mut error) => {
                // The wait's own time ran out during a poll: report the last state seen.
                let ran_out = Limit::ran_out(binding, &mut error, "the operation could be read");
                return match last {
                    Some(operation) if ran_out => Ok(Waited::StillRunning(operation)),
                    _ => Err(error),
                };
            }
        };
        on_poll(&operation);
        if operation.done {
            return Ok(Waited::Done(operation));
        }
        match plan.polling.next_delay(polls, transport::random(), transport::now_ms(), limit.map(|l| l.at)) {
            Some(delay) => transport::sleep(delay, context.signal.as_ref()).await?,
            None => return Ok(Waited::StillRunning(operation)),
        }
        last = Some(operation);
    }
}

/// The outcome of `cancelAndConfirm`.
pub enum Outcome {
    Cancelled(Operation),
    Completed(Operation),
    Failed(Operation),
    Pending(Operation),
    /// The server does not cancel this operation (UNIMPLEMENTED, or a 404 for
    /// the cancel route while the operation itself can be read).
    Unsupported(Error, Option<Operation>),
    NotFound(Error),
}

/// Cancels, then polls until the operation's fate is known or the plan's
/// time runs out. The plan's `timeoutMs` bounds the whole call, the cancel
/// request (with its retries) included.
pub async fn cancel_and_confirm(context: &Context, name: &OperationName, plan: &WaitPlan) -> Result<Outcome, Error> {
    let limit = Limit::start(plan);
    let (request, binding) = Limit::bound(limit, context);
    if let Err(mut error) = cancel(&request, name).await {
        Limit::ran_out(binding, &mut error, "the cancel was answered");
        return match (error.kind, error.code) {
            (ErrorKind::Api, Code::UNIMPLEMENTED) => Ok(Outcome::Unsupported(error, None)),
            (ErrorKind::Api, Code::NOT_FOUND) => match get(&Limit::bound(limit, context).0, name).await {
                Ok(operation) => Ok(Outcome::Unsupported(error, Some(operation))),
                Err(e) if e.kind == ErrorKind::Api && e.code == Code::NOT_FOUND => Ok(Outcome::NotFound(error)),
                Err(e) => Err(e),
            },
            _ => Err(error),
        };
    }
    Ok(match wait_until(context, name, plan, limit, &|_| {}).await? {
        Waited::StillRunning(operation) => Outcome::Pending(operation),
        Waited::Done(operation) => match operation.fate() {
            Fate::Cancelled => Outcome::Cancelled(operation),
            Fate::Failed => Outcome::Failed(operation),
            Fate::Completed | Fate::Running => Outcome::Completed(operation),
        },
    })
}
