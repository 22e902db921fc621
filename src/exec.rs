//! Runs one API request to completion: credentials, attempts, retries with
//! backoff, the per-attempt timeout, the whole-call deadline and the caller's
//! `AbortSignal`. Decisions come from `policy`; this module only waits.

use crate::code::Code;
use crate::error::{Error, ErrorKind};
use crate::policy::{self, Decision};
use crate::request::{CallOptions, HttpRequest, Token};
use crate::response;
use crate::transport::{self, Response};
use wasm_bindgen::JsValue;
use web_sys::AbortSignal;

/// Where the access token comes from.
#[derive(Clone)]
pub enum Auth {
    Token(Token),
    /// `(options?: {forceRefresh: boolean}) => string | Promise<string>`,
    /// called before every attempt.
    Provider(js_sys::Function),
}

impl Auth {
    /// The token for one attempt. A provider gets `timeout_ms` to answer and
    /// is given up on when `signal` fires.
    async fn token(&self, force_refresh: bool, timeout_ms: u32, signal: Option<&AbortSignal>) -> Result<Token, Error> {
        let provider = match self {
            Auth::Token(token) => return Ok(token.clone()),
            Auth::Provider(provider) => provider,
        };
        let failed = |what: &str| {
            let mut error = Error::invalid_argument(format!("the token provider {what}"));
            error.code = Code::UNAUTHENTICATED;
            error
        };
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"forceRefresh".into(), &JsValue::from_bool(force_refresh));
        let returned = provider.call1(&JsValue::UNDEFINED, &options).map_err(|_| failed("threw"))?;
        let value = match transport::within(returned, timeout_ms, signal).await {
            Ok(answer) => answer.map_err(|_| failed("rejected"))?,
            Err(mut error) => {
                if error.kind == ErrorKind::Timeout {
                    error.message = format!("the token provider did not answer within {timeout_ms} ms (timeoutMs, or what was left of deadlineMs)");
                }
                return Err(error);
            }
        };
        let text = value.as_string().ok_or_else(|| failed("did not return a string"))?;
        Token::parse(&text).map_err(|e| failed(&format!("returned an unusable token: {e}")))
    }
}

/// Everything a call needs besides the request itself.
#[derive(Clone)]
pub struct Context {
    pub auth: Auth,
    pub options: CallOptions,
    pub signal: Option<AbortSignal>,
}

/// Sends `request` until it succeeds (2xx: the response is returned, with the
/// token that got it, for redacting what is read from it) or the policy gives
/// up (the error is returned, redacted). A 401 with a token provider is
/// retried once with a freshly forced token.
pub async fn execute(context: &Context, request: &HttpRequest) -> Result<(Response, Token), Error> {
    let options = &context.options;
    let signal = context.signal.as_ref();
    let deadline = options.deadline_ms.map(|d| transport::now_ms() + f64::from(d));
    let mut attempt = 0;
    let mut refreshed = false;
    let mut force_refresh = false;
    // What the last attempt got, for the message when the deadline ends the call.
    let mut last: Option<Error> = None;
    let past_deadline = |what: String, last: &Option<Error>| match last {
        Some(last) => policy::deadline_error(what, last),
        None => Error::deadline(what),
    };
    // The attempt's time limit: its timeout, cut to what is left of the deadline.
    let time_left = |attempt: u32, last: &Option<Error>| match deadline {
        None => Ok(options.timeout_ms),
        Some(deadline) => {
            let left = (deadline - transport::now_ms()).ceil();
            if left < 1.0 {
                return Err(past_deadline(format!("the deadline (deadlineMs) passed before attempt {attempt}"), last));
            }
            Ok(options.timeout_ms.min(left as u32))
        }
    };
    loop {
        attempt += 1;
        let token = context.auth.token(std::mem::take(&mut force_refresh), time_left(attempt, &last)?, signal).await?;
        let timeout_ms = time_left(attempt, &last)?;
        let error = match transport::send(request, &token, timeout_ms, signal).await {
            Ok(reply) if (200..300).contains(&reply.status) => return Ok((reply, token)),
            Ok(reply) => {
                let mut error = response::api_error(reply.status, &reply.body);
                if error.retry_delay_ms.is_none() {
                    error.retry_delay_ms =
                        reply.retry_after.and_then(|v| policy::parse_retry_after(&v, transport::now_ms()));
                }
                error
            }
            Err(error) if error.kind == ErrorKind::Timeout && timeout_ms < options.timeout_ms => {
                // The attempt was cut short by the whole call's deadline.
                return Err(past_deadline(format!("the deadline (deadlineMs) passed during attempt {attempt}"), &last));
            }
            Err(error) => error,
        };
        let error = error.redact(token.secret());
        if error.code == Code::UNAUTHENTICATED && !refreshed && matches!(context.auth, Auth::Provider(_)) {
            refreshed = true;
            force_refresh = true;
            continue;
        }
        last = Some(error.clone());
        match policy::decide(&options.backoff, attempt, error, transport::now_ms(), deadline, transport::random()) {
            Decision::Fail(error) => return Err(error),
            Decision::RetryAfter(ms) => transport::sleep(ms, signal).await?,
        }
    }
}
