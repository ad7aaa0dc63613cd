//! Cost estimate bindings.
//!
//! NOTE: the per-request estimates of the core (predict, sessions, ground,
//! parse) have no binding, because one added about 1.6 KB gzipped to the
//! module.

use wasm_bindgen::prelude::*;

use super::writer::JsonWriter;
use crate::api::credits::{estimate_run_cost, format_dollars};

/// 2^53, beyond which a JavaScript number skips integers.
const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_992.0;

/// Estimates the most a run can cost; see `estimate_run_cost` in the core.
///
/// `max_steps` is -1 when unset. Returns `{steps, perStepCredits,
/// maxCredits, maxDollars, known, basis}`, with null figures when the price
/// is unknown. Throws a message string for a `max_steps` that is neither -1
/// nor a whole number from 0 up.
#[wasm_bindgen(js_name = estimateRunCost)]
pub fn estimate_run_cost_js(
    max_steps: f64,
    cua_version: Option<String>,
) -> Result<String, JsValue> {
    let max_steps = if max_steps == -1.0 {
        None
    } else if max_steps >= 0.0 && max_steps.trunc() == max_steps {
        // `as` saturates, and the estimate clamps to 1000 steps anyway.
        Some(max_steps as u32)
    } else {
        return Err(JsValue::from_str(
            "invalid maxSteps: expected a whole number from 0 up, or -1 when unset",
        ));
    };
    let estimate = estimate_run_cost(max_steps, cua_version.as_deref());
    let max_credits = estimate.max_credits.map(|credits| credits as i64);
    let mut writer = JsonWriter::new();
    writer.open('{');
    writer.key("steps").integer(estimate.steps.into());
    let per_step = estimate.per_step_credits.map(i64::from);
    write_optional_integer(writer.key("perStepCredits"), per_step);
    write_optional_integer(writer.key("maxCredits"), max_credits);
    let dollars = max_credits.map(format_dollars);
    writer.key("maxDollars").optional_string(dollars.as_deref());
    writer.key("known").boolean(estimate.known);
    writer.key("basis").string(estimate.basis);
    Ok(writer.close('}').finish())
}

fn write_optional_integer(writer: &mut JsonWriter, value: Option<i64>) {
    match value {
        Some(value) => writer.integer(value),
        None => writer.raw("null"),
    };
}

/// Formats credits as US dollars, such as `$12.34`; see `format_dollars` in
/// the core. Throws a message string unless `credits` is a whole number
/// within +-2^53.
#[wasm_bindgen(js_name = formatDollars)]
pub fn format_dollars_js(credits: f64) -> Result<String, JsValue> {
    if credits.trunc() == credits && credits.abs() <= MAX_SAFE_INTEGER {
        Ok(format_dollars(credits as i64))
    } else {
        Err(JsValue::from_str(
            "invalid credits: expected a whole number of credits (cents) within +-2^53",
        ))
    }
}
