//! The shared wasm suite in a headless browser: `wasm-pack test --headless --chrome|--firefox -- --test browser`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::option_env_unwrap)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
mod common;
