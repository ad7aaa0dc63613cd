//! Core of the Coasty SDK: webhook signature verification, API request
//! building, error decoding and the decisions a client makes around them.
//!
//! Everything in this crate outside `bindings` is plain Rust with no I/O and
//! no clock: callers pass `now` and perform the HTTP requests themselves. The
//! `bindings` module, compiled only for `wasm32`, exposes the core to
//! JavaScript through `wasm-bindgen`.
//!
//! ```
//! use coasty::webhook::{sign, Verifier};
//!
//! let secret = "whsec_test_secret";
//! let body = br#"{"event":"run.succeeded","run_id":"run_1"}"#;
//! let header = sign(secret, body, 1_700_000_000).unwrap();
//!
//! let verifier = Verifier::new(&[secret]).unwrap();
//! let verified = verifier.verify(Some(&header), body, 1_700_000_010).unwrap();
//! assert_eq!(verified.secret_index, 0);
//! ```
#![deny(missing_docs)]
#![cfg_attr(not(target_arch = "wasm32"), forbid(unsafe_code))]

pub mod api;
pub mod json;
pub mod webhook;

#[cfg(target_arch = "wasm32")]
pub mod bindings;
