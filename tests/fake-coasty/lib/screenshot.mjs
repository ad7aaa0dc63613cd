// Checks of base64 screenshots and the fake prediction built from them.

import { ApiError, validationError } from "./errors.mjs";

const MAX_SCREENSHOT_CHARS = 10_485_760;

/**
 * Throws when a screenshot is not raw base64 of 101 to 10 485 760 characters:
 * 422 INVALID_SCREENSHOT for a `data:` prefix, line breaks or non-base64
 * characters, 413 PAYLOAD_TOO_LARGE above 10 MB, 422 VALIDATION_ERROR when short.
 */
export function checkScreenshot(value, loc = ["body", "screenshot"]) {
  const field = loc.join(".");
  if (value.startsWith("data:")) {
    throw new ApiError(
      "INVALID_SCREENSHOT",
      `${field} must be raw base64 without a 'data:' prefix; drop everything up to and including the first comma.`,
    );
  }
  if (/[\r\n]/.test(value)) {
    throw new ApiError(
      "INVALID_SCREENSHOT",
      `${field} contains line breaks; send the base64 text on one line.`,
    );
  }
  if (value.length > MAX_SCREENSHOT_CHARS) {
    throw new ApiError(
      "PAYLOAD_TOO_LARGE",
      `${field} has ${value.length} characters; the maximum is ${MAX_SCREENSHOT_CHARS} (10 MB of base64). Downscale the image.`,
    );
  }
  if (value.length <= 100) {
    throw validationError([
      {
        loc,
        msg: `must be more than 100 characters of base64, got ${value.length}`,
        type: "string_too_short",
      },
    ]);
  }
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) {
    throw new ApiError(
      "INVALID_SCREENSHOT",
      `${field} is not base64 (only A-Z, a-z, 0-9, +, / and = padding).`,
    );
  }
}

function jpegSize(bytes) {
  let offset = 2;
  while (offset + 9 < bytes.length && bytes[offset] === 0xff) {
    const marker = bytes[offset + 1];
    const isFrame = marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);
    if (isFrame) {
      return { width: bytes.readUInt16BE(offset + 7), height: bytes.readUInt16BE(offset + 5) };
    }
    offset += 2 + bytes.readUInt16BE(offset + 2);
  }
  return null;
}

/**
 * Returns the pixel size of a base64 PNG or JPEG, or `fallback` (the declared
 * screen size) when the bytes are neither.
 */
// NOTE: the real API probably rejects bytes that are not an image, but the
// fake accepts them so tests can send placeholder base64.
export function imageSize(base64, fallback) {
  const bytes = Buffer.from(base64, "base64");
  const isPng =
    bytes.length >= 24 &&
    bytes.readUInt32BE(0) === 0x89504e47 &&
    bytes.toString("ascii", 12, 16) === "IHDR";
  if (isPng) {
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  }
  if (bytes.length > 4 && bytes[0] === 0xff && bytes[1] === 0xd8) {
    return jpegSize(bytes) ?? fallback;
  }
  return fallback;
}

/**
 * Builds the fake model output for an instruction: "[done]" in it gives
 * status done, "[fail]" gives status fail, anything else one click at the
 * centre of the screen.
 */
export function fakePrediction(instruction, { width, height, includeReasoning, includeRawCode }) {
  let status = "continue";
  let action = {
    action_type: "click",
    params: { x: Math.floor(width / 2), y: Math.floor(height / 2) },
    description: "Click the centre of the screen.",
    raw_code: `pyautogui.click(${Math.floor(width / 2)}, ${Math.floor(height / 2)})`,
  };
  if (instruction.includes("[done]")) {
    status = "done";
    action = {
      action_type: "done",
      params: {},
      description: "The task is complete.",
      raw_code: "",
    };
  } else if (instruction.includes("[fail]")) {
    status = "fail";
    action = {
      action_type: "fail",
      params: { reason: "The instruction cannot be completed." },
      description: "Give up.",
      raw_code: "",
    };
  }
  if (!includeRawCode) {
    action.raw_code = null;
  }
  return {
    status,
    reasoning: includeReasoning ? `The fake model chose '${action.action_type}'.` : null,
    actions: [action],
    raw_code: includeRawCode && action.raw_code !== "" ? [action.raw_code] : [],
  };
}
