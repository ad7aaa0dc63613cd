//! Coasty REST API: request builders, validation, error decoding, retry
//! decisions, server-sent events and credit arithmetic. No I/O happens here.

pub mod credits;
pub mod error;
pub mod http_date;
pub mod operation;
pub mod request;
pub mod response;
pub mod retry;
pub mod scope;
pub mod sse;
pub mod validate;
