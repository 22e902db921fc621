//! Client for the long-running Operations API of Google's Route Optimization
//! service, compiled to WebAssembly.
//!
//! `code`, `error`, `json`, `name`, `policy`, `request` and `response` are
//! plain Rust with no I/O, tested natively with `cargo test`. The wasm32 build
//! adds the transport (`fetch`), the call engine (`exec`, `ops`) and the JS
//! boundary (`js`, `api`); this file is only the `#[wasm_bindgen]` facade.

pub mod code;
pub mod error;
pub mod json;
pub mod name;
pub mod policy;
pub mod request;
pub mod response;

#[cfg(target_arch = "wasm32")]
mod api;
#[cfg(target_arch = "wasm32")]
mod exec;
#[cfg(target_arch = "wasm32")]
mod js;
#[cfg(target_arch = "wasm32")]
mod ops;
#[cfg(target_arch = "wasm32")]
mod transport;

#[cfg(target_arch = "wasm32")]
pub use facade::*;

#[cfg(target_arch = "wasm32")]
mod facade {
    use crate::api::{self, Call};
    use crate::error::Error;
    use crate::exec::Context;
    use crate::js;
    use crate::request::CallOptions;
    use js_sys::Promise;
    use wasm_bindgen::prelude::*;

    fn context(token: &JsValue, options: &JsValue) -> Result<Context, Error> {
        js::install_panic_hook();
        js::context(token, options)
    }

    /// Cancels an operation; resolves to `{code: 0, status: "OK", ...}`.
    #[wasm_bindgen(js_name = cancelOperation)]
    pub fn cancel_operation(name: JsValue, token: JsValue, options: JsValue) -> Promise {
        api::promise(context(&token, &options), Call::Cancel(name))
    }

    /// Reads an operation.
    #[wasm_bindgen(js_name = getOperation)]
    pub fn get_operation(name: JsValue, token: JsValue, options: JsValue) -> Promise {
        api::promise(context(&token, &options), Call::Get(name))
    }

    /// Deletes an operation.
    #[wasm_bindgen(js_name = deleteOperation)]
    pub fn delete_operation(name: JsValue, token: JsValue, options: JsValue) -> Promise {
        api::promise(context(&token, &options), Call::Delete(name))
    }

    /// Reads one page of operations.
    #[wasm_bindgen(js_name = listOperations)]
    pub fn list_operations(token: JsValue, options: JsValue) -> Promise {
        api::promise(context(&token, &options), Call::List(js::list_query(&options)))
    }

    /// Iterates over every operation, following page tokens.
    #[wasm_bindgen(js_name = iterateOperations)]
    pub fn iterate_operations(token: JsValue, options: JsValue) -> JsValue {
        api::iterate(context(&token, &options), &options)
    }

    /// Polls an operation until it is done.
    #[wasm_bindgen(js_name = waitOperation)]
    pub fn wait_operation(name: JsValue, token: JsValue, options: JsValue) -> Promise {
        api::promise(context(&token, &options), Call::Wait(name, options))
    }

    /// Cancels an operation and polls until its fate is known.
    #[wasm_bindgen(js_name = cancelAndConfirm)]
    pub fn cancel_and_confirm(name: JsValue, token: JsValue, options: JsValue) -> Promise {
        api::promise(context(&token, &options), Call::Confirm(name, options))
    }

    /// Cancels many operations with a concurrency limit.
    #[wasm_bindgen(js_name = cancelOperations)]
    pub fn cancel_operations(names: JsValue, token: JsValue, options: JsValue) -> Promise {
        api::promise(context(&token, &options), Call::CancelMany(names, options))
    }

    /// A client with its endpoint, credentials and policies set once.
    #[wasm_bindgen]
    pub struct OperationsClient {
        config: Context,
    }

    #[wasm_bindgen]
    impl OperationsClient {
        #[wasm_bindgen(constructor)]
        pub fn new(config: JsValue) -> Result<OperationsClient, JsValue> {
            js::install_panic_hook();
            let for_config = |mut e: Error| {
                e.message = e.message.replacen("options", "config", 1);
                js::error_to_js(&e)
            };
            if config.is_undefined() || config.is_null() || !config.is_object() {
                return Err(for_config(Error::invalid_argument("options must be an object with a token")));
            }
            let token = js_sys::Reflect::get(&config, &"token".into())
                .map_err(|_| for_config(Error::invalid_argument("options.token could not be read")))?;
            let auth = js::auth_arg(&token, "config.token").map_err(|e| js::error_to_js(&e))?;
            let (options, signal) = js::call_options(&config, &CallOptions::default()).map_err(for_config)?;
            if signal.is_some() {
                // One signal for every call of a long-lived client would abort all of them for good.
                return Err(js::error_to_js(&Error::invalid_argument(
                    "config.signal is not supported: pass a signal to each call instead",
                )));
            }
            Ok(OperationsClient { config: Context { auth, options, signal: None } })
        }

        fn context(&self, options: &JsValue) -> Result<Context, Error> {
            let (options, signal) = js::call_options(options, &self.config.options)?;
            Ok(Context { auth: self.config.auth.clone(), options, signal })
        }

        pub fn cancel(&self, name: JsValue, options: JsValue) -> Promise {
            api::promise(self.context(&options), Call::Cancel(name))
        }

        pub fn get(&self, name: JsValue, options: JsValue) -> Promise {
            api::promise(self.context(&options), Call::Get(name))
        }

        pub fn delete(&self, name: JsValue, options: JsValue) -> Promise {
            api::promise(self.context(&options), Call::Delete(name))
        }

        pub fn list(&self, options: JsValue) -> Promise {
            api::promise(self.context(&options), Call::List(js::list_query(&options)))
        }

        pub fn iterate(&self, options: JsValue) -> JsValue {
            api::iterate(self.context(&options), &options)
        }

        pub fn wait(&self, name: JsValue, options: JsValue) -> Promise {
            api::promise(self.context(&options), Call::Wait(name, options))
        }

        #[wasm_bindgen(js_name = cancelAndConfirm)]
        pub fn cancel_and_confirm(&self, name: JsValue, options: JsValue) -> Promise {
            api::promise(self.context(&options), Call::Confirm(name, options))
        }

        #[wasm_bindgen(js_name = cancelMany)]
        pub fn cancel_many(&self, names: JsValue, options: JsValue) -> Promise {
            api::promise(self.context(&options), Call::CancelMany(names, options))
        }
    }
}
