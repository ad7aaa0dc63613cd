// Stateful sessions: the server keeps the last screenshots as trajectory.

import { ApiError } from "../lib/errors.mjs";
import { CUA_VERSIONS, SCREEN_RULES, requireVersionAllowed, usageBlock } from "../lib/models.mjs";
import { inferencePrice, PRICES } from "../lib/pricing.mjs";
import { checkScreenshot, fakePrediction, imageSize } from "../lib/screenshot.mjs";
import { jsonResponse, randomHex } from "../lib/util.mjs";

const IDLE_TTL_MS = 2 * 60 * 60 * 1000;

const CREATE_SCHEMA = {
  cua_version: { type: "string", enum: CUA_VERSIONS, default: "v3" },
  ...SCREEN_RULES,
  max_trajectory_length: { type: "integer", min: 1, max: 20, default: 3 },
  system_prompt: { type: "string", nullable: true, default: null },
  instructions: { type: "string", nullable: true, default: null },
  tools: { type: "array", nullable: true, items: { type: "string" }, default: null },
  metadata: { type: "object", nullable: true, default: null },
};

const PREDICT_SCHEMA = {
  screenshot: { type: "string", required: true },
  instruction: { type: "string", required: true, min: 1 },
  include_reasoning: { type: "boolean", default: true },
  include_raw_code: { type: "boolean", default: true },
};

function sessionView(session) {
  return {
    session_id: session.id,
    cua_version: session.cua_version,
    screen_size: `${session.screen_width}x${session.screen_height}`,
    step_count: session.step_count,
    created_at: session.created_at,
    expires_at: new Date(session.lastUsedMs + IDLE_TTL_MS).toISOString(),
    total_credits_used: session.total_credits_used,
  };
}

/** Returns the caller's live session, or throws 404 SESSION_NOT_FOUND (also once expired). */
function findSession(ctx) {
  const session = ctx.store.findOwned(ctx.store.sessions, ctx.params.id, ctx.mode);
  if (session === undefined || Date.now() - session.lastUsedMs > IDLE_TTL_MS) {
    throw new ApiError(
      "SESSION_NOT_FOUND",
      `No active session '${ctx.params.id.slice(0, 128)}'; it may have expired after 2 idle hours. Create a new one.`,
    );
  }
  return session;
}

function createSession(ctx) {
  const values = ctx.parse(CREATE_SCHEMA);
  requireVersionAllowed(ctx.key, values.cua_version);
  ctx.bill(PRICES.sessionCreate, "Creating a session");
  const session = {
    ...values,
    id: `ses_${randomHex(12)}`,
    mode: ctx.mode,
    step_count: 0,
    total_credits_used: ctx.mode === "test" ? 0 : PRICES.sessionCreate,
    trajectory: [],
    created_at: new Date().toISOString(),
    lastUsedMs: Date.now(),
  };
  ctx.store.sessions.set(session.id, session);
  const { step_count, total_credits_used, ...view } = sessionView(session);
  return jsonResponse({ ...view, request_id: ctx.requestId });
}

function predictInSession(ctx) {
  const session = findSession(ctx);
  const values = ctx.parse(PREDICT_SCHEMA);
  checkScreenshot(values.screenshot);

  // The session keeps the sizes of its last max_trajectory_length screenshots.
  const current = imageSize(values.screenshot, {
    width: session.screen_width,
    height: session.screen_height,
  });
  const trajectoryShots = session.trajectory.length;
  const price = inferencePrice(PRICES.sessionPredict, {
    images: [current, ...session.trajectory],
    trajectoryShots,
    cuaVersion: session.cua_version,
    systemPrompt: session.system_prompt,
  });

  const charged = ctx.bill(price, "This session prediction");
  session.trajectory.push(current);
  session.trajectory = session.trajectory.slice(-session.max_trajectory_length);
  session.step_count += 1;
  session.total_credits_used += charged;
  session.lastUsedMs = Date.now();

  const prediction = fakePrediction(values.instruction, {
    width: session.screen_width,
    height: session.screen_height,
    includeReasoning: values.include_reasoning,
    includeRawCode: values.include_raw_code,
  });
  return jsonResponse({
    request_id: ctx.requestId,
    session_id: session.id,
    step: session.step_count,
    ...prediction,
    usage: usageBlock(charged, trajectoryShots),
  });
}

function resetSession(ctx) {
  const session = findSession(ctx);
  session.trajectory = [];
  session.lastUsedMs = Date.now();
  return jsonResponse({ status: "ok", session_id: session.id, request_id: ctx.requestId });
}

function deleteSession(ctx) {
  const session = findSession(ctx);
  ctx.store.sessions.delete(session.id);
  return jsonResponse({ status: "ok", session_id: session.id, request_id: ctx.requestId });
}

function listSessions(ctx) {
  const sessions = [...ctx.store.sessions.values()]
    .filter((session) => session.mode === ctx.mode)
    .filter((session) => Date.now() - session.lastUsedMs <= IDLE_TTL_MS)
    .map(sessionView);
  return jsonResponse({ sessions, request_id: ctx.requestId });
}

/** Routes of the sessions API. */
export const sessionRoutes = [
  {
    method: "POST",
    path: "/v1/sessions",
    scope: "session",
    idempotent: true,
    handler: createSession,
  },
  { method: "GET", path: "/v1/sessions", scope: "session", handler: listSessions },
  {
    method: "GET",
    path: "/v1/sessions/:id",
    scope: "session",
    handler: (ctx) => jsonResponse({ ...sessionView(findSession(ctx)), request_id: ctx.requestId }),
  },
  { method: "DELETE", path: "/v1/sessions/:id", scope: "session", handler: deleteSession },
  {
    method: "POST",
    path: "/v1/sessions/:id/predict",
    scope: "session",
    idempotent: true,
    handler: predictInSession,
  },
  { method: "POST", path: "/v1/sessions/:id/reset", scope: "session", handler: resetSession },
];
