//! The wasm suite, run by wasm-bindgen-test-runner in Node.
#![cfg(target_arch = "wasm32")]

mod wasm_suite;
