// Stateless inference: POST /v1/predict, /v1/ground, /v1/parse, GET /v1/models.

import {
  ACTION_TYPES,
  CUA_VERSIONS,
  SCREEN_RULES,
  requireVersionAllowed,
  usageBlock,
} from "../lib/models.mjs";
import { inferencePrice, isHd, PRICES } from "../lib/pricing.mjs";
import { parsePyautogui } from "../lib/pyautogui.mjs";
import { checkScreenshot, fakePrediction, imageSize } from "../lib/screenshot.mjs";
import { jsonResponse, sha256Hex } from "../lib/util.mjs";
import { sessionRoutes } from "./sessions.mjs";

const PREDICT_SCHEMA = {
  screenshot: { type: "string", required: true },
  instruction: { type: "string", required: true, min: 1 },
  cua_version: { type: "string", enum: CUA_VERSIONS, default: "v3" },
  system_prompt: { type: "string", nullable: true, default: null },
  instructions: { type: "string", nullable: true, default: null },
  ...SCREEN_RULES,
  trajectory: {
    type: "array",
    default: [],
    items: {
      type: "object",
      fields: {
        screenshot: { type: "string", required: true },
        actions: { type: "array" },
        reasoning: { type: "string", nullable: true },
      },
    },
  },
  max_actions: { type: "integer", min: 1, max: 10, default: 5 },
  tools: { type: "array", nullable: true, items: { type: "string" }, default: null },
  include_reasoning: { type: "boolean", default: true },
  include_raw_code: { type: "boolean", default: true },
};

const GROUND_SCHEMA = {
  screenshot: { type: "string", required: true },
  element: { type: "string", required: true, min: 1 },
  ...SCREEN_RULES,
};

const PARSE_SCHEMA = {
  code: { type: "string", required: true, min: 1, max: 49_999 },
};

function predict(ctx) {
  const values = ctx.parse(PREDICT_SCHEMA);
  checkScreenshot(values.screenshot);
  values.trajectory.forEach((item, index) => {
    checkScreenshot(item.screenshot, ["body", "trajectory", index, "screenshot"]);
  });
  requireVersionAllowed(ctx.key, values.cua_version);
  const trajectoryShots = values.trajectory.length;
  const screen = { width: values.screen_width, height: values.screen_height };
  const images = [values.screenshot, ...values.trajectory.map((item) => item.screenshot)].map(
    (image) => imageSize(image, screen),
  );
  const price = inferencePrice(PRICES.predict, {
    images,
    trajectoryShots,
    cuaVersion: values.cua_version,
    systemPrompt: values.system_prompt,
  });
  const charged = ctx.bill(price, "This prediction");
  const prediction = fakePrediction(values.instruction, {
    width: values.screen_width,
    height: values.screen_height,
    includeReasoning: values.include_reasoning,
    includeRawCode: values.include_raw_code,
  });
  return jsonResponse({
    request_id: ctx.requestId,
    ...prediction,
    usage: usageBlock(charged, trajectoryShots),
  });
}

function ground(ctx) {
  const values = ctx.parse(GROUND_SCHEMA);
  checkScreenshot(values.screenshot);
  const size = imageSize(values.screenshot, {
    width: values.screen_width,
    height: values.screen_height,
  });
  const charged = ctx.bill(PRICES.ground + (isHd(size) ? 1 : 0), "Grounding");
  // A stable point derived from the element text, inside the screen.
  const digest = Number.parseInt(sha256Hex(values.element).slice(0, 8), 16);
  return jsonResponse({
    x: digest % values.screen_width,
    y: Math.floor(digest / values.screen_width) % values.screen_height,
    usage: usageBlock(charged, 0),
    request_id: ctx.requestId,
  });
}

function parse(ctx) {
  const { code } = ctx.parse(PARSE_SCHEMA);
  return jsonResponse({ actions: parsePyautogui(code), request_id: ctx.requestId });
}

function models(ctx) {
  return jsonResponse({
    models: CUA_VERSIONS.map((version) => ({ id: `coasty-cua-${version}`, cua_version: version })),
    cua_versions: [...CUA_VERSIONS],
    action_types: [...ACTION_TYPES],
    request_id: ctx.requestId,
  });
}

/** Routes of the inference API, sessions included. */
export const inferenceRoutes = [
  { method: "POST", path: "/v1/predict", scope: "predict", idempotent: true, handler: predict },
  { method: "POST", path: "/v1/ground", scope: "ground", idempotent: true, handler: ground },
  { method: "POST", path: "/v1/parse", scope: "parse", handler: parse },
  { method: "GET", path: "/v1/models", handler: models },
  ...sessionRoutes,
];
