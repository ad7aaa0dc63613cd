//! Credit arithmetic and cost estimates.
//!
//! One credit is one US cent, $0.01, exactly, so amounts are integers and no
//! floating point is used. The estimates follow the Coasty price table: the
//! actual charge is in the `X-Credits-Charged` response header and in
//! `usage.credits_charged` or a run's `credits_charged`.

use super::validate::{quote_text, ValidationError};

/// `max_steps` of a run when the request leaves it out.
pub const DEFAULT_MAX_STEPS: u32 = 50;
/// Highest `max_steps`; the server clamps larger values to it.
pub const MAX_STEPS_LIMIT: u32 = 1000;

/// Formats credits as US dollars: `1234` is `$12.34`, `-5` is `-$0.05`.
pub fn format_dollars(credits: i64) -> String {
    let sign = if credits < 0 { "-" } else { "" };
    let cents = credits.unsigned_abs();
    format!("{sign}${}.{:02}", cents / 100, cents % 100)
}

/// Parses a dollar amount into credits: `"12.34"` is `1234`.
///
/// Accepts an optional leading `-`, an optional `$` after it, digits, and
/// an optional `.` followed by one or two digits. Surrounding ASCII
/// whitespace is ignored.
///
/// # Errors
///
/// Returns a [`ValidationError`] for an empty amount, more than two
/// decimals, any other character (such as a thousands separator) and an
/// amount beyond the `i64` range of credits.
pub fn parse_dollars(text: &str) -> Result<i64, ValidationError> {
    let invalid = |problem: &str| {
        ValidationError::new(
            "amount",
            &quote_text(text),
            problem,
            "dollars such as 12.34, -0.05 or $3 (at most two decimals)",
        )
    };

    let trimmed = text.trim_matches(|c: char| c.is_ascii_whitespace());
    let (negative, unsigned) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    let unsigned = unsigned.strip_prefix('$').unwrap_or(unsigned);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));

    let digits_only = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits_only(whole) || !digits_only(fraction) {
        return Err(invalid("not a plain decimal amount"));
    }
    if unsigned.ends_with('.') {
        return Err(invalid("a decimal point without digits after it"));
    }
    if fraction.len() > 2 {
        return Err(invalid(
            "more than two decimals, which is less than a credit",
        ));
    }

    let cents_part = format!("{fraction:0<2}");
    let magnitude = whole
        .parse::<i128>()
        .ok()
        .and_then(|dollars| dollars.checked_mul(100))
        .and_then(|cents| cents.checked_add(cents_part.parse::<i128>().ok()?))
        .ok_or_else(|| invalid("too large"))?;
    let signed = if negative { -magnitude } else { magnitude };
    i64::try_from(signed).map_err(|_| invalid("too large"))
}

/// A worst-case cost estimate for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CostEstimate {
    /// Steps the estimate covers: `max_steps`, or 50 when unset, clamped to
    /// 1-1000 as the server clamps it.
    pub steps: u32,
    /// Estimated credits per step, when the price table has one for the
    /// version.
    pub per_step_credits: Option<u32>,
    /// Estimated maximum credits if every step runs, when known.
    pub max_credits: Option<u64>,
    /// Whether the figures are set.
    pub known: bool,
    /// Meaning of the estimate and source of its prices.
    pub basis: &'static str,
}

/// Estimates the most a run can cost: every step up to `max_steps` billed at
/// the per-step price of its `cua_version`.
///
/// The price table lists 5 credits per step for `v3` and `v4` and 8 for
/// `v1`. Any other version, and an unset version (the server then picks
/// `v3` or `v5` depending on its API revision), gives `known: false` with no
/// figures, because `v5` has no documented price.
pub fn estimate_run_cost(max_steps: Option<u32>, cua_version: Option<&str>) -> CostEstimate {
    let steps = max_steps
        .unwrap_or(DEFAULT_MAX_STEPS)
        .clamp(1, MAX_STEPS_LIMIT);
    let per_step_credits = match cua_version {
        Some("v3" | "v4") => Some(5),
        Some("v1") => Some(8),
        _ => None,
    };
    let basis = match (per_step_credits, cua_version) {
        (Some(_), _) => {
            "estimate of the worst case: every step up to max_steps billed at the \
             documented per-step price (5 credits on v3 and v4, 8 on v1); runs that \
             finish sooner cost less"
        }
        (None, None) => {
            "no estimate: without cua_version the server picks v3 or v5 depending on \
             its API revision, and v5 has no documented per-step price"
        }
        (None, Some(_)) => {
            "no estimate: the price table lists per-step prices only for v1, v3 and v4"
        }
    };
    CostEstimate {
        steps,
        per_step_credits,
        max_credits: per_step_credits.map(|price| u64::from(price) * u64::from(steps)),
        known: per_step_credits.is_some(),
        basis,
    }
}

/// An estimate of one request's price, base plus surcharges.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceEstimate {
    /// Estimated total credits.
    pub credits: u64,
    /// Base price in credits.
    pub base_credits: u64,
    /// Sum of the estimated surcharges in credits.
    pub surcharge_credits: u64,
    /// Assumptions behind the estimate.
    pub basis: &'static str,
}

/// Inputs of the predict surcharges.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PredictCostInput<'a> {
    /// `cua_version` of the request or session; `v1` adds 3 credits.
    pub cua_version: Option<&'a str>,
    /// Image width in pixels; unset means the API default of 1920.
    pub screen_width: Option<u32>,
    /// Image height in pixels; unset means the API default of 1080.
    pub screen_height: Option<u32>,
    /// Earlier screenshots sent along (predict) or kept by the server
    /// (session predict); each adds 2 credits.
    pub trajectory_screenshots: u32,
    /// Length of `system_prompt` in characters; above 500 adds 1 credit.
    pub system_prompt_chars: usize,
}

const SURCHARGE_BASIS: &str = "estimate from the documented price table: base price, +2 \
     per trajectory screenshot, +1 per HD image (wider than 1280 or taller than 720), \
     +3 on v1, +1 for a system_prompt over 500 characters; every image is assumed to \
     have the screen size given, while the server measures the images themselves";

/// Estimates a `POST /predict` call: 5 credits plus surcharges.
pub fn estimate_predict_cost(input: &PredictCostInput<'_>) -> PriceEstimate {
    with_surcharges(5, input)
}

/// Estimates a `POST /sessions/{id}/predict` call: 4 credits plus
/// surcharges.
pub fn estimate_session_predict_cost(input: &PredictCostInput<'_>) -> PriceEstimate {
    with_surcharges(4, input)
}

/// Estimates `POST /sessions`: 10 credits once, without surcharges.
pub fn estimate_session_create_cost() -> PriceEstimate {
    flat(
        10,
        "estimate from the documented price table: 10 credits once per session",
    )
}

/// Estimates `POST /ground`: 3 credits, plus 1 for an HD image (wider than
/// 1280 or taller than 720 pixels).
pub fn estimate_ground_cost(image_width: u32, image_height: u32) -> PriceEstimate {
    let hd = u64::from(is_hd(image_width, image_height));
    PriceEstimate {
        credits: 3 + hd,
        base_credits: 3,
        surcharge_credits: hd,
        basis: "estimate from the documented price table: 3 credits, +1 for an HD image",
    }
}

/// Estimates `POST /parse`, which is free.
pub fn estimate_parse_cost() -> PriceEstimate {
    flat(0, "estimate from the documented price table: parse is free")
}

fn flat(credits: u64, basis: &'static str) -> PriceEstimate {
    PriceEstimate {
        credits,
        base_credits: credits,
        surcharge_credits: 0,
        basis,
    }
}

fn with_surcharges(base: u64, input: &PredictCostInput<'_>) -> PriceEstimate {
    let width = input.screen_width.unwrap_or(1920);
    let height = input.screen_height.unwrap_or(1080);
    let trajectory = u64::from(input.trajectory_screenshots);
    let images = 1 + trajectory;

    let mut surcharge = 2 * trajectory;
    if is_hd(width, height) {
        surcharge += images;
    }
    if input.cua_version == Some("v1") {
        surcharge += 3;
    }
    if input.system_prompt_chars > 500 {
        surcharge += 1;
    }
    PriceEstimate {
        credits: base + surcharge,
        base_credits: base,
        surcharge_credits: surcharge,
        basis: SURCHARGE_BASIS,
    }
}

/// Checks whether an image is HD: wider than 1280 or taller than 720
/// pixels, so 1280x720 itself is not.
fn is_hd(width: u32, height: u32) -> bool {
    width > 1280 || height > 720
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dollars_format() {
        assert_eq!(format_dollars(0), "$0.00");
        assert_eq!(format_dollars(5), "$0.05");
        assert_eq!(format_dollars(1234), "$12.34");
        assert_eq!(format_dollars(-5), "-$0.05");
        assert_eq!(format_dollars(-1234), "-$12.34");
        assert_eq!(format_dollars(i64::MAX), "$92233720368547758.07");
        assert_eq!(format_dollars(i64::MIN), "-$92233720368547758.08");
    }

    #[test]
    fn dollars_parse() {
        assert_eq!(parse_dollars("12.34"), Ok(1234));
        assert_eq!(parse_dollars("12.3"), Ok(1230));
        assert_eq!(parse_dollars("12"), Ok(1200));
        assert_eq!(parse_dollars("$0.05"), Ok(5));
        assert_eq!(parse_dollars("-$0.05"), Ok(-5));
        assert_eq!(parse_dollars(" 7.00 "), Ok(700));
        assert_eq!(parse_dollars("92233720368547758.07"), Ok(i64::MAX));
        assert_eq!(parse_dollars("-92233720368547758.08"), Ok(i64::MIN));
    }

    #[test]
    fn dollars_parse_rejections() {
        for bad in [
            "",
            "-",
            "$",
            ".5",
            "12.",
            "12.345",
            "1,000.00",
            "12.3.4",
            "1e3",
            "+1",
            "$-1",
            "92233720368547758.08",
            "٣",
        ] {
            let error = parse_dollars(bad).unwrap_err();
            assert_eq!(error.field, "amount", "{bad:?}");
        }
        let error = parse_dollars("0.001").unwrap_err();
        assert!(error.problem.contains("more than two decimals"));
    }

    #[test]
    fn dollars_round_trip() {
        for credits in [
            0,
            1,
            99,
            100,
            101,
            -1,
            -100,
            123_456_789,
            i64::MAX,
            i64::MIN,
        ] {
            let text = format_dollars(credits).replace('$', "");
            assert_eq!(parse_dollars(&text), Ok(credits), "{text}");
        }
    }
}
