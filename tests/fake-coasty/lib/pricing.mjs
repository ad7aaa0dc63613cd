// Per-request prices in credits (1 credit = 1 cent), from the published table:
// predict 5, session create 10, session predict 4, ground 3, parse free.
// Surcharges: +2 per trajectory screenshot beyond the current one, +1 per HD
// image (width > 1280 or height > 720), +3 on cua_version v1, +1 for a
// system_prompt longer than 500 characters.

/** Base prices of the billed inference routes. */
export const PRICES = {
  predict: 5,
  sessionCreate: 10,
  sessionPredict: 4,
  ground: 3,
  snapshot: 1,
};

/** Wallet balance that machine provisioning, schedules and trigger fires require (not a fee). */
export const GATE_CREDITS = 20;

/** Returns whether an image of this size is HD (strictly above 1280x720 in either axis). */
export function isHd({ width, height }) {
  return width > 1280 || height > 720;
}

/**
 * Returns the credits of a predict-style request: the base price, +2 per
 * trajectory screenshot, +1 per HD image in `images` (current and
 * trajectory), +3 on v1 and +1 for a system prompt over 500 characters.
 */
export function inferencePrice(base, { images, trajectoryShots, cuaVersion, systemPrompt }) {
  let credits = base + 2 * trajectoryShots + images.filter(isHd).length;
  if (cuaVersion === "v1") {
    credits += 3;
  }
  if (typeof systemPrompt === "string" && systemPrompt.length > 500) {
    credits += 1;
  }
  return credits;
}
