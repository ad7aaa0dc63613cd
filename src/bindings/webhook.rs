//! Bindings for webhook verification and signing.

use wasm_bindgen::prelude::*;

use crate::json::Json;
use crate::webhook::{
    normalize_run_event, InvalidPayload, SignatureHeader, Verifier, WebhookError,
};

/// Result codes of `WasmVerifier.verify*`: a value >= 0 is the index of the
/// matching secret, a negative one a failure code.
const MISSING_HEADER: i32 = -1;
const MALFORMED_HEADER: i32 = -2;
const NO_MATCHING_SIGNATURE: i32 = -3;
const TIMESTAMP_OUT_OF_TOLERANCE: i32 = -4;
const BUFFER_OVERRUN: i32 = -5;

/// Transfer buffers larger than this are released after use instead of kept.
const KEPT_BUFFER_BYTES: usize = 1 << 20;

/// A verifier holding the HMAC key state of each secret, plus the details of its
/// last result, read back through the getters so that the hot path returns a
/// plain number.
///
/// The JS layer writes the header and the payload straight into `buffer`, which
/// lives in wasm memory (`TextEncoder.encodeInto` for strings): one copy, and no
/// allocation per call.
#[wasm_bindgen]
pub struct WasmVerifier {
    inner: Verifier,
    buffer: Vec<u8>,
    timestamp: Option<i64>,
    skew_seconds: Option<i64>,
    error: Option<WebhookError>,
}

#[wasm_bindgen]
impl WasmVerifier {
    /// Creates a verifier; throws a message string for an empty secret.
    #[wasm_bindgen(constructor)]
    pub fn new(secrets: Vec<String>, tolerance_seconds: f64) -> Result<WasmVerifier, JsValue> {
        let inner = Verifier::new(&secrets)
            .map_err(|err| JsValue::from_str(&err.to_string()))?
            .with_tolerance(tolerance_seconds as u64);
        Ok(Self {
            inner,
            buffer: Vec::new(),
            timestamp: None,
            skew_seconds: None,
            error: None,
        })
    }

    /// Returns the address in wasm memory of a transfer buffer of at least `len`
    /// bytes. The address is valid until the next call on this verifier.
    pub fn buffer(&mut self, len: usize) -> *mut u8 {
        if self.buffer.len() < len {
            self.buffer.resize(len, 0);
        }
        self.buffer.as_mut_ptr()
    }

    /// Verifies the header (UTF-8, `header_len` bytes) and the payload that follow
    /// each other in the transfer buffer. `header_count` is how many header values
    /// the request carried: 0 when absent, and the buffer contains the first.
    #[wasm_bindgen(js_name = verifyBuffer)]
    pub fn verify_buffer(
        &mut self,
        header_len: usize,
        header_count: u32,
        payload_len: usize,
        now: f64,
    ) -> i32 {
        let buffer = std::mem::take(&mut self.buffer);
        let end = header_len.saturating_add(payload_len);
        let result = match (buffer.get(..header_len), buffer.get(header_len..end)) {
            (Some(header), Some(payload)) => {
                // The JS layer writes the header with `TextEncoder`, so it is UTF-8;
                // a lossy decode keeps this path free of panics all the same.
                let header = String::from_utf8_lossy(header);
                self.verify(&header, header_count, payload, now)
            }
            _ => BUFFER_OVERRUN,
        };
        if buffer.len() <= KEPT_BUFFER_BYTES {
            self.buffer = buffer;
        }
        result
    }

    /// Returns the `t` value of the last header that had one, in unix seconds.
    #[wasm_bindgen(getter)]
    pub fn timestamp(&self) -> Option<f64> {
        self.timestamp.map(|t| t as f64)
    }

    /// Returns `now - t` of the last timestamp failure, in seconds.
    #[wasm_bindgen(getter, js_name = skewSeconds)]
    pub fn skew_seconds(&self) -> Option<f64> {
        self.skew_seconds.map(|skew| skew as f64)
    }

    /// Returns the message of the last failure.
    #[wasm_bindgen(getter, js_name = errorMessage)]
    pub fn error_message(&self) -> Option<String> {
        self.error.as_ref().map(ToString::to_string)
    }

    /// Signs a payload with the first secret; throws for a negative timestamp.
    pub fn sign(&self, payload: &[u8], timestamp: f64) -> Result<String, JsValue> {
        self.inner
            .sign(payload, timestamp as i64)
            .map_err(|err| JsValue::from_str(&err.to_string()))
    }

    fn verify(&mut self, header: &str, header_count: u32, payload: &[u8], now: f64) -> i32 {
        let values: &[&str] = match header_count {
            0 => &[],
            1 => &[header],
            _ => &[header, header],
        };
        let parsed = SignatureHeader::parse_values(values).map_err(|err| match err {
            WebhookError::MalformedHeader(crate::webhook::MalformedHeader::Duplicated {
                ..
            }) => WebhookError::MalformedHeader(crate::webhook::MalformedHeader::Duplicated {
                count: header_count as usize,
            }),
            other => other,
        });
        let result = parsed.and_then(|parsed| {
            self.timestamp = Some(parsed.timestamp);
            self.inner.verify_parsed(&parsed, payload, now as i64)
        });
        match result {
            Ok(verified) => {
                self.error = None;
                self.skew_seconds = None;
                verified.secret_index as i32
            }
            Err(err) => self.fail(err),
        }
    }

    fn fail(&mut self, err: WebhookError) -> i32 {
        let code = match err {
            WebhookError::MissingHeader => MISSING_HEADER,
            WebhookError::MalformedHeader(_) => MALFORMED_HEADER,
            WebhookError::NoMatchingSignature { .. } => NO_MATCHING_SIGNATURE,
            _ => TIMESTAMP_OUT_OF_TOLERANCE,
        };
        self.timestamp = err.timestamp();
        self.skew_seconds = err.skew_seconds();
        self.error = Some(err);
        code
    }
}

/// Returns the module's `WebAssembly.Memory`, where transfer buffers live.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Returns the message for an invalid event payload: `reason` is 0 for invalid
/// UTF-8, 1 for not JSON and 2 for a top level that is not an object.
#[wasm_bindgen(js_name = invalidPayloadMessage)]
pub fn invalid_payload_message(reason: u32) -> String {
    let reason = match reason {
        0 => InvalidPayload::NotUtf8,
        1 => InvalidPayload::NotJson,
        _ => InvalidPayload::NotObject,
    };
    WebhookError::InvalidPayload(reason).to_string()
}

/// Reads the common fields of a run webhook event given as JSON text, and
/// returns them as JSON text; see `normalizeRunEvent` in the JS layer.
#[wasm_bindgen(js_name = normalizeRunEvent)]
pub fn normalize_run_event_js(event_json: &str) -> Result<String, JsValue> {
    let event = Json::parse(event_json).map_err(|err| JsValue::from_str(&err.to_string()))?;
    Ok(normalize_run_event(&event).to_json().to_string())
}
