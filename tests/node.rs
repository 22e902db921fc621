//! The shared wasm suite in Node: `wasm-pack test --node -- --test node`.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::option_env_unwrap)]
mod common;
