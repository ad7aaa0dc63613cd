// Schedule triggers and the inbound trigger webhook POST /v1/triggers/webhook/{id},
// which is HMAC-signed instead of using an API key.

import { ApiError } from "../lib/errors.mjs";
import { rateLimitedError } from "../lib/keys.mjs";
import { GATE_CREDITS } from "../lib/pricing.mjs";
import { findSchedule, startScheduleRun } from "../lib/schedule-state.mjs";
import { jsonResponse, nowIso, randomHex, sha256Hex } from "../lib/util.mjs";
import { newWebhookSecret, verifySignatureHeader } from "../lib/webhooks.mjs";

const DEDUPE_WINDOW_MS = 60_000;
const TRIGGER_SCHEMA = {
  type: { type: "string", enum: ["webhook", "email"], default: "webhook" },
  name: { type: "string", nullable: true, max: 128, default: null },
  rate_limit_per_minute: { type: "integer", min: 1, max: 600, default: 60 },
};

function triggerView(trigger) {
  const { secret, mode, hits, recentBodies, ...view } = trigger;
  return structuredClone(view);
}

function addTrigger(ctx) {
  const schedule = findSchedule(ctx);
  const values = ctx.parse(TRIGGER_SCHEMA);
  const trigger = {
    id: `trg_${randomHex(8)}`,
    schedule_id: schedule.id,
    type: values.type,
    name: values.name,
    rate_limit_per_minute: values.rate_limit_per_minute,
    created_at: nowIso(),
    mode: ctx.mode,
    hits: [],
    recentBodies: new Map(),
  };
  if (values.type === "webhook") {
    trigger.webhook_id = `whk_${randomHex(8)}`;
    trigger.webhook_url = `${ctx.store.baseUrl}/triggers/webhook/${trigger.webhook_id}`;
    trigger.secret = newWebhookSecret();
  } else {
    trigger.email_address = `sch-${schedule.id}@triggers.coasty.invalid`;
  }
  ctx.store.triggers.set(trigger.id, trigger);
  const body = { ...triggerView(trigger), request_id: ctx.requestId };
  if (trigger.secret !== undefined) {
    body.secret = trigger.secret;
  }
  return jsonResponse(body, 200, { "Cache-Control": "no-store" });
}

function listTriggers(ctx) {
  const schedule = findSchedule(ctx);
  const triggers = [...ctx.store.triggers.values()].filter(
    (trigger) => trigger.schedule_id === schedule.id,
  );
  return jsonResponse({ data: triggers.map(triggerView), request_id: ctx.requestId });
}

function removeTrigger(ctx) {
  const schedule = findSchedule(ctx);
  const trigger = ctx.store.triggers.get(ctx.params.tid);
  if (trigger === undefined || trigger.schedule_id !== schedule.id) {
    throw new ApiError(
      "NOT_FOUND",
      `Schedule '${schedule.id}' has no trigger '${ctx.params.tid.slice(0, 128)}'.`,
    );
  }
  ctx.store.triggers.delete(trigger.id);
  return jsonResponse({ id: trigger.id, deleted: true, request_id: ctx.requestId });
}

/** Handles a signed inbound call; checks run in the order 404, 401, 429, inactive, 402. */
function fireWebhookTrigger(ctx) {
  const trigger = [...ctx.store.triggers.values()].find(
    (item) => item.webhook_id === ctx.params.id,
  );
  if (trigger === undefined) {
    throw new ApiError("NOT_FOUND", `No trigger webhook '${ctx.params.id.slice(0, 128)}'.`);
  }

  const header = ctx.headers["coasty-signature"] ?? ctx.headers["x-coasty-signature"];
  if (!verifySignatureHeader(header, trigger.secret, ctx.rawBytes)) {
    throw new ApiError(
      "INVALID_SIGNATURE",
      "Missing, invalid or expired Coasty-Signature: sign '<t>.<raw body>' with the trigger secret, t within 300 seconds.",
    );
  }

  const nowMs = Date.now();
  trigger.hits = trigger.hits.filter((atMs) => nowMs - atMs < 60_000);
  if (trigger.hits.length >= trigger.rate_limit_per_minute) {
    throw rateLimitedError(Math.max(1, Math.ceil((trigger.hits[0] + 60_000 - nowMs) / 1000)));
  }
  trigger.hits.push(nowMs);

  const schedule = ctx.store.schedules.get(trigger.schedule_id);
  if (schedule === undefined || schedule.status !== "active") {
    throw new ApiError(
      "SCHEDULE_INACTIVE",
      "The schedule of this trigger is paused or deleted; resume it first.",
    );
  }
  ctx.store.requireBalance(schedule.mode, GATE_CREDITS, "Firing a trigger");

  const bodyHash = sha256Hex(ctx.rawBytes);
  const earlier = trigger.recentBodies.get(bodyHash);
  if (earlier !== undefined && nowMs - earlier.atMs < DEDUPE_WINDOW_MS) {
    return jsonResponse({
      received: true,
      schedule_id: schedule.id,
      run_id: earlier.runId,
      deduplicated: true,
      message: "Duplicate delivery within 60 seconds; no new run.",
      request_id: ctx.requestId,
    });
  }

  const run = startScheduleRun(ctx.store, schedule, "webhook");
  trigger.recentBodies.set(bodyHash, { runId: run.id, atMs: nowMs });
  return jsonResponse({
    received: true,
    schedule_id: schedule.id,
    run_id: run.id,
    deduplicated: false,
    message: "Schedule run started.",
    request_id: ctx.requestId,
  });
}

function emailMailbox(ctx) {
  const { schedule_id: scheduleId } = ctx.parse({
    schedule_id: { type: "string", required: true, min: 1, max: 128 },
  });
  const schedule = findSchedule(ctx, scheduleId);
  // The email-mailbox response is undocumented. The address uses the reserved .invalid TLD.
  return jsonResponse({
    schedule_id: schedule.id,
    address: `sch-${schedule.id}@triggers.coasty.invalid`,
    request_id: ctx.requestId,
  });
}

/** Routes of the triggers API. */
export const triggerRoutes = [
  {
    method: "GET",
    path: "/v1/schedules/:id/triggers",
    scope: "schedules:read",
    handler: listTriggers,
  },
  {
    method: "POST",
    path: "/v1/schedules/:id/triggers",
    scope: "triggers:write",
    handler: addTrigger,
  },
  {
    method: "DELETE",
    path: "/v1/schedules/:id/triggers/:tid",
    scope: "triggers:write",
    handler: removeTrigger,
  },
  { method: "POST", path: "/v1/triggers/webhook/:id", auth: false, handler: fireWebhookTrigger },
  {
    method: "POST",
    path: "/v1/triggers/email-mailbox",
    scope: "triggers:write",
    handler: emailMailbox,
  },
];
