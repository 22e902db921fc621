//! Client for the long-running Operations API of Google's Route Optimization
//! service, compiled to WebAssembly.
//!
//! `code`, `error`, `json`, `name`, `request` and `response` are plain Rust
//! with no I/O, tested natively with `cargo test`. The wasm32 build adds the
//! transport (`fetch`) and the JS boundary; this file is only that facade.

pub mod code;
pub mod error;
pub mod json;
pub mod name;
pub mod request;
pub mod response;

#[cfg(target_arch = "wasm32")]
mod js;
#[cfg(target_arch = "wasm32")]
mod transport;

#[cfg(target_arch = "wasm32")]
pub use facade::*;

#[cfg(target_arch = "wasm32")]
mod facade {
    use crate::js::{self, Call};
    use crate::request::{self, HttpRequest};
    use crate::{response, transport};
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(typescript_custom_section)]
    const TYPES: &str = r#"
/** Options every call accepts. */
export interface CallOptions {
  /** Base URL of the service. Default: "https://routeoptimization.googleapis.com". */
  endpoint?: string;
  /** Aborts the call; it then rejects with `kind: "aborted"`. */
  signal?: AbortSignal;
  /** Time allowed for the whole call, in milliseconds (1 to 2^31-1). Default: 60000. */
  timeoutMs?: number;
  /** Project billed for the call, sent as `x-goog-user-project`. */
  quotaProject?: string;
}

/** `google.rpc.Status`, with the canonical name of its code. */
export interface Status {
  /** Numeric `google.rpc.Code` (0 = OK, 1 = CANCELLED, 5 = NOT_FOUND, ...). */
  code: number;
  /** Canonical name of `code`, e.g. "OK", "CANCELLED", "NOT_FOUND". */
  status: string;
  message: string;
  /** Detail messages as the server sent them, each with an "@type". */
  details: object[];
}

/** `google.longrunning.Operation`. */
export interface Operation {
  name: string;
  done: boolean;
  metadata?: object;
  /** Set when the operation failed or was cancelled (`error.code === 1`). */
  error?: Status;
  response?: object;
}

export type OperationsErrorKind =
  | "invalid-argument"
  | "api"
  | "network"
  | "timeout"
  | "aborted"
  | "bad-response";

/** Cancels an operation: `POST {endpoint}/v1/{name}:cancel`. Resolves to an OK status. */
export function cancelOperation(name: string, token: string, options?: CallOptions): Promise<Status>;
/** Reads an operation: `GET {endpoint}/v1/{name}`. */
export function getOperation(name: string, token: string, options?: CallOptions): Promise<Operation>;
"#;

    /// Cancels an operation; resolves to `{code: 0, status: "OK", ...}`.
    #[wasm_bindgen(js_name = cancelOperation, skip_typescript)]
    pub async fn cancel_operation(
        name: JsValue,
        token: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        js::install_panic_hook();
        let call = Call::decode(&name, &token, &options).map_err(|e| js::error_to_js(&e))?;
        let reply = exchange(&call, &request::cancel(&call.name, &call.options)).await?;
        response::empty(reply.status, &reply.body).map_err(|e| call.fail(e))?;
        Ok(js::ok_status())
    }

    /// Reads an operation.
    #[wasm_bindgen(js_name = getOperation, skip_typescript)]
    pub async fn get_operation(
        name: JsValue,
        token: JsValue,
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        js::install_panic_hook();
        let call = Call::decode(&name, &token, &options).map_err(|e| js::error_to_js(&e))?;
        let reply = exchange(&call, &request::get(&call.name, &call.options)).await?;
        let operation = response::operation(reply.status, &reply.body).map_err(|e| call.fail(e))?;
        Ok(js::operation_to_js(&operation))
    }

    async fn exchange(call: &Call, request: &HttpRequest) -> Result<transport::Response, JsValue> {
        transport::send(
            request,
            &call.token,
            call.options.timeout_ms(),
            call.signal.as_ref(),
        )
        .await
        .map_err(|e| call.fail(e))
    }
}
