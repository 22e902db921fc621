//! The shared wasm suite in a headless browser: `wasm-pack test --headless --chrome|--firefox -- --test browser`.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test. clippy.toml's allow-*-in-tests
// covers #[test] functions only, not the helpers of tests/common.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::option_env_unwrap)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
mod common;
