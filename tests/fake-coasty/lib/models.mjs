// Model versions, action types and the tier gate on cua_version v4.

import { ApiError } from "./errors.mjs";

/** Values of `cua_version`. */
export const CUA_VERSIONS = ["v1", "v3", "v4", "v5"];

/** Action types a prediction can contain. */
export const ACTION_TYPES = [
  "click",
  "type_text",
  "key_press",
  "key_combo",
  "scroll",
  "drag",
  "move",
  "wait",
  "done",
  "fail",
];

const PREMIUM_TIERS = ["professional", "enterprise"];

/** Body rules for the screen size, shared by predict, ground and sessions. */
export const SCREEN_RULES = {
  screen_width: { type: "integer", min: 320, max: 3840, default: 1920 },
  screen_height: { type: "integer", min: 240, max: 2160, default: 1080 },
};

/** Throws 400 FEATURE_NOT_AVAILABLE when cua_version v4 is used below the professional tier. */
export function requireVersionAllowed(key, cuaVersion) {
  if (cuaVersion === "v4" && !PREMIUM_TIERS.includes(key.tier)) {
    throw new ApiError(
      "FEATURE_NOT_AVAILABLE",
      `cua_version v4 needs the professional tier or higher; this key is on '${key.tier}'. Use v3 or v5.`,
    );
  }
}

/** Returns the `usage` object of an inference response. */
export function usageBlock(credits, trajectoryShots) {
  return {
    input_tokens: 1200 + 800 * trajectoryShots,
    output_tokens: 60,
    credits_charged: credits,
    cost_cents: credits,
  };
}
