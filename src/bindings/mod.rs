//! JavaScript bindings, compiled only for `wasm32`.
//!
//! The functions here only convert between JS values and the core's types. The
//! hand-written JS layer in `js/` builds the public API on top of them.

mod api_errors;
mod api_request;
pub mod webhook;
