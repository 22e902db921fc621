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
    let deadline = plan.timeout_ms.map(|t| transport::now_ms() + f64::from(t));
    let mut polls = 0;
    let mut last: Option<Operation> = None;
    loop {
        polls += 1;
        let mut poll = context.clone();
        if let Some(deadline) = deadline {
            // Each poll may use what is left of the wait, and no more.
            let left = (deadline - transport::now_ms()).ceil().max(1.0) as u32;
            poll.options.deadline_ms = Some(poll.options.deadline_ms.map_or(left, |d| d.min(left)));
        }
        let operation = match get(&poll, name).await {
            Ok(operation) => operation,
            // The wait's own time ran out during a poll: report the last state seen.
            Err(error) if error.kind == ErrorKind::Timeout && deadline.is_some_and(|d| transport::now_ms() >= d) => {
                return match last {
                    Some(operation) => Ok(Waited::StillRunning(operation)),
                    None => Err(error),
                };
            }
            Err(error) => return Err(error),
        };
        on_poll(&operation);
        if operation.done {
            return Ok(Waited::Done(operation));
        }
        match plan.polling.next_delay(polls, transport::random(), transport::now_ms(), deadline) {
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
/// time runs out.
pub async fn cancel_and_confirm(context: &Context, name: &OperationName, plan: &WaitPlan) -> Result<Outcome, Error> {
    if let Err(error) = cancel(context, name).await {
        return match (error.kind, error.code) {
            (ErrorKind::Api, Code::UNIMPLEMENTED) => Ok(Outcome::Unsupported(error, None)),
            (ErrorKind::Api, Code::NOT_FOUND) => match get(context, name).await {
                Ok(operation) => Ok(Outcome::Unsupported(error, Some(operation))),
                Err(e) if e.kind == ErrorKind::Api && e.code == Code::NOT_FOUND => Ok(Outcome::NotFound(error)),
                Err(e) => Err(e),
            },
            _ => Err(error),
        };
    }
    Ok(match wait(context, name, plan, &|_| {}).await? {
        Waited::StillRunning(operation) => Outcome::Pending(operation),
        Waited::Done(operation) => match operation.fate() {
            Fate::Cancelled => Outcome::Cancelled(operation),
            Fate::Failed => Outcome::Failed(operation),
            Fate::Completed | Fate::Running => Outcome::Completed(operation),
        },
    })
}
