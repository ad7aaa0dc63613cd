// Schedules and their runs. Triggers and the inbound trigger webhook live in
// triggers.mjs.

import { ApiError } from "../lib/errors.mjs";
import { GATE_CREDITS } from "../lib/pricing.mjs";
import { findSchedule, startScheduleRun } from "../lib/schedule-state.mjs";
import { jsonResponse, newUuid, nowIso, randomHex } from "../lib/util.mjs";
import { readLimit, readStatusFilter, rejectField, rejectQuery } from "../lib/validate.mjs";

const SCHEDULE_RUN_STATES = [
  "completed",
  "failed",
  "skipped",
  "cancelled",
  "running",
  "insufficient_credits",
];

// The API lists frequencies from every_15_minutes to monthly plus custom
// without the full enum, so the fake accepts this family of names.
const FREQUENCY = /^(every_\d{1,3}_(minutes|hours)|hourly|daily|weekdays|weekly|monthly|custom)$/;

const isDate = (value) =>
  Number.isNaN(Date.parse(value)) ? "must be an ISO-8601 date-time" : undefined;
const SCHEDULE_FIELDS = {
  name: { type: "string", min: 1, max: 128 },
  machine_id: { type: "string", min: 1, max: 128 },
  task_prompt: { type: "string", min: 1, max: 8000 },
  frequency: { type: "string", nullable: true, pattern: FREQUENCY },
  cron: { type: "string", nullable: true, min: 1, max: 128 },
  run_at: { type: "string", nullable: true, check: isDate },
  time: { type: "string", nullable: true, pattern: /^([01]\d|2[0-3]):[0-5]\d$/ },
  timezone: { type: "string", min: 1, max: 64 },
  day_of_week: { type: "integer", nullable: true, min: 0, max: 6 },
  day_of_month: { type: "integer", nullable: true, min: 1, max: 28 },
  max_consecutive_failures: { type: "integer", min: 1, max: 50 },
  metadata: { type: "object", nullable: true },
};
const CREATE_SCHEMA = {
  ...SCHEDULE_FIELDS,
  name: { ...SCHEDULE_FIELDS.name, required: true },
  machine_id: { ...SCHEDULE_FIELDS.machine_id, required: true },
  task_prompt: { ...SCHEDULE_FIELDS.task_prompt, required: true },
  timezone: { ...SCHEDULE_FIELDS.timezone, default: "UTC" },
  max_consecutive_failures: { ...SCHEDULE_FIELDS.max_consecutive_failures, default: 5 },
};

function checkTiming(schedule) {
  const hasFrequency = schedule.frequency !== null && schedule.frequency !== undefined;
  const hasRunAt = schedule.run_at !== null && schedule.run_at !== undefined;
  if (hasFrequency === hasRunAt) {
    rejectField("frequency", "exactly one of frequency and run_at must be set");
  }
  if (schedule.frequency === "custom" && (schedule.cron ?? null) === null) {
    rejectField("cron", "is required when frequency is custom");
  }
}

function scheduleView(schedule, requestId) {
  const { mode, runs, ...view } = schedule;
  return structuredClone({ ...view, request_id: requestId });
}

function createSchedule(ctx) {
  const values = ctx.parse(CREATE_SCHEMA);
  checkTiming(values);
  ctx.store.requireBalance(ctx.mode, GATE_CREDITS, "Creating a schedule");
  const now = nowIso();
  const schedule = {
    id: ctx.mode === "test" ? `sch_test_${randomHex(8)}` : newUuid(),
    object: "schedule",
    ...Object.fromEntries(
      Object.keys(SCHEDULE_FIELDS).map((field) => [field, values[field] ?? null]),
    ),
    status: "active",
    consecutive_failures: 0,
    created_at: now,
    updated_at: now,
    mode: ctx.mode,
    runs: [],
  };
  ctx.store.schedules.set(schedule.id, schedule);
  return jsonResponse(scheduleView(schedule, ctx.requestId));
}

function listSchedules(ctx) {
  const limit = readLimit(ctx.query, 20);
  const schedules = [...ctx.store.schedules.values()].filter(
    (schedule) => schedule.mode === ctx.mode,
  );
  return paginate(
    ctx,
    schedules.map((schedule) => scheduleView(schedule, undefined)),
    limit,
  );
}

function paginate(ctx, items, limit) {
  const cursor = ctx.query.get("cursor");
  let offset = 0;
  if (cursor !== null) {
    if (!/^c\d{1,9}$/.test(cursor)) {
      rejectQuery("cursor", "must be a next_cursor value from an earlier page");
    }
    offset = Number(cursor.slice(1));
  }
  const page = items.slice(offset, offset + limit);
  const hasMore = offset + limit < items.length;
  return jsonResponse({
    data: page,
    next_cursor: hasMore ? `c${offset + limit}` : null,
    has_more: hasMore,
    request_id: ctx.requestId,
  });
}

function updateSchedule(ctx) {
  const schedule = findSchedule(ctx);
  if (
    ctx.body === undefined ||
    (ctx.jsonError === null &&
      typeof ctx.body === "object" &&
      ctx.body !== null &&
      Object.keys(ctx.body).length === 0)
  ) {
    throw new ApiError(
      "EMPTY_UPDATE",
      "The PATCH body has no fields; send at least one field to change.",
    );
  }
  const values = ctx.parse(SCHEDULE_FIELDS);
  const updated = { ...schedule, ...values };
  checkTiming(updated);
  Object.assign(schedule, values, { updated_at: nowIso() });
  return jsonResponse(scheduleView(schedule, ctx.requestId));
}

function setScheduleStatus(status) {
  return (ctx) => {
    const schedule = findSchedule(ctx);
    schedule.status = status;
    schedule.updated_at = nowIso();
    return jsonResponse(scheduleView(schedule, ctx.requestId));
  };
}

function runNow(ctx) {
  const schedule = findSchedule(ctx);
  ctx.store.requireBalance(ctx.mode, GATE_CREDITS, "Running a schedule");
  const run = startScheduleRun(ctx.store, schedule, "manual");
  return jsonResponse({
    schedule_id: schedule.id,
    run_id: run.id,
    status: run.status,
    request_id: ctx.requestId,
  });
}

function listScheduleRuns(ctx) {
  const schedule = findSchedule(ctx);
  const status = readStatusFilter(ctx.query, SCHEDULE_RUN_STATES);
  const limit = readLimit(ctx.query, 20);
  const runs = schedule.runs.filter((run) => status === undefined || run.status === status);
  return paginate(ctx, structuredClone(runs), limit);
}

function getScheduleRun(ctx) {
  const schedule = findSchedule(ctx);
  const run = schedule.runs.find((item) => item.id === ctx.params.runId);
  if (run === undefined) {
    throw new ApiError(
      "NOT_FOUND",
      `Schedule '${schedule.id}' has no run '${ctx.params.runId.slice(0, 128)}'.`,
    );
  }
  return jsonResponse({ ...run, request_id: ctx.requestId });
}

/** Routes of the schedules and triggers API. */
export const scheduleRoutes = [
  {
    method: "POST",
    path: "/v1/schedules",
    scope: "schedules:write",
    idempotent: true,
    handler: createSchedule,
  },
  { method: "GET", path: "/v1/schedules", scope: "schedules:read", handler: listSchedules },
  {
    method: "GET",
    path: "/v1/schedules/:id",
    scope: "schedules:read",
    handler: (ctx) => jsonResponse(scheduleView(findSchedule(ctx), ctx.requestId)),
  },
  { method: "PATCH", path: "/v1/schedules/:id", scope: "schedules:write", handler: updateSchedule },
  {
    method: "DELETE",
    path: "/v1/schedules/:id",
    scope: "schedules:write",
    handler: (ctx) => {
      const schedule = findSchedule(ctx);
      ctx.store.schedules.delete(schedule.id);
      return jsonResponse({ id: schedule.id, deleted: true, request_id: ctx.requestId });
    },
  },
  { method: "POST", path: "/v1/schedules/:id/run", scope: "schedules:write", handler: runNow },
  {
    method: "POST",
    path: "/v1/schedules/:id/pause",
    scope: "schedules:write",
    handler: setScheduleStatus("paused"),
  },
  {
    method: "POST",
    path: "/v1/schedules/:id/resume",
    scope: "schedules:write",
    handler: setScheduleStatus("active"),
  },
  {
    method: "GET",
    path: "/v1/schedules/:id/runs",
    scope: "schedules:read",
    handler: listScheduleRuns,
  },
  {
    method: "GET",
    path: "/v1/schedules/:id/runs/:runId",
    scope: "schedules:read",
    handler: getScheduleRun,
  },
];
