//! A writer of compact JSON text.
//!
//! The bindings write their results straight to text instead of building a
//! `Json` tree only to print it, because that keeps the WebAssembly module
//! smaller.

use crate::api::validate::decimal;
use crate::json::Json;
use std::fmt::Write;

/// Compact JSON text under construction. Commas are added automatically:
/// before any value or key that does not follow `{`, `[` or a key.
pub(super) struct JsonWriter {
    text: String,
}

impl JsonWriter {
    /// Creates an empty writer.
    pub(super) fn new() -> Self {
        JsonWriter {
            text: String::new(),
        }
    }

    /// Returns the text written and leaves the writer empty.
    pub(super) fn finish(&mut self) -> String {
        std::mem::take(&mut self.text)
    }

    /// Starts an object (`{`) or an array (`[`).
    pub(super) fn open(&mut self, bracket: char) -> &mut Self {
        self.separate();
        self.text.push(bracket);
        self
    }

    /// Ends an object (`}`) or an array (`]`).
    pub(super) fn close(&mut self, bracket: char) -> &mut Self {
        self.text.push(bracket);
        self
    }

    /// Writes an object key, which must need no escaping; a value follows.
    pub(super) fn key(&mut self, name: &str) -> &mut Self {
        self.separate();
        self.text.push('"');
        self.text.push_str(name);
        self.text.push_str("\":");
        self
    }

    /// Writes a string value with JSON escapes.
    pub(super) fn string(&mut self, text: &str) -> &mut Self {
        self.separate();
        // `fmt::Write` for `String` never returns an error.
        let _ = write!(self.text, "{}", Json::from(text));
        self
    }

    /// Writes a string value, or `null`.
    pub(super) fn optional_string(&mut self, text: Option<&str>) -> &mut Self {
        match text {
            Some(text) => self.string(text),
            None => self.raw("null"),
        }
    }

    /// Writes an integer value.
    pub(super) fn integer(&mut self, value: i64) -> &mut Self {
        self.raw(&decimal(value))
    }

    /// Writes `true` or `false`.
    pub(super) fn boolean(&mut self, value: bool) -> &mut Self {
        self.raw(if value { "true" } else { "false" })
    }

    /// Writes text that is already JSON, such as `null`.
    pub(super) fn raw(&mut self, json: &str) -> &mut Self {
        self.separate();
        self.text.push_str(json);
        self
    }

    fn separate(&mut self) {
        if !matches!(self.text.as_bytes().last(), None | Some(b'{' | b'[' | b':')) {
            self.text.push(',');
        }
    }
}
