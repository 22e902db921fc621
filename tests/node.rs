//! The shared wasm suite in Node: `wasm-pack test --node -- --test node`.
#![cfg(target_arch = "wasm32")]
// Test code: a failed unwrap is a failed test. clippy.toml's allow-*-in-tests
// covers #[test] functions only, not the helpers of tests/common.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::option_env_unwrap)]
mod common;
