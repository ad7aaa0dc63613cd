//! JavaScript bindings, compiled only for `wasm32`.
//!
//! The functions here convert between JS values and the core's types and do
//! nothing else; the hand-written JS layer in `js/` builds the public API on top.

mod api_errors;
mod api_request;
pub mod webhook;
