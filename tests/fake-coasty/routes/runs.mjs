// Task runs: POST/GET /v1/runs, GET /v1/runs/{id}, cancel, resume, events.

import { ApiError } from "../lib/errors.mjs";
import {
  RUN_STATES,
  TERMINAL_STATES,
  finishRun,
  publicRun,
  resumeRun,
  startRun,
  stepPrice,
} from "../lib/run-lifecycle.mjs";
import { llmKeyFingerprint } from "../lib/keys.mjs";
import { CUA_VERSIONS, requireVersionAllowed } from "../lib/models.mjs";
import { EventLog, eventStream, readResumeCursor } from "../lib/sse.mjs";
import { jsonResponse, nowIso, randomHex } from "../lib/util.mjs";
import { readLimit, readStatusFilter } from "../lib/validate.mjs";
import { checkWebhookUrl, newWebhookSecret } from "../lib/webhooks.mjs";

const LLM_PROVIDERS = ["managed", "anthropic", "openai"];

const LLM_RULE = {
  type: "object",
  nullable: true,
  fields: {
    provider: { type: "string", required: true, enum: LLM_PROVIDERS },
    model: { type: "string", nullable: true, min: 1, max: 200 },
    grounding_model: { type: "string", nullable: true, min: 1, max: 200 },
    compaction_model: { type: "string", nullable: true, min: 1, max: 200 },
    code_agent_model: { type: "string", nullable: true, min: 1, max: 200 },
  },
};

const CREATE_SCHEMA = {
  machine_id: { type: "string", required: true, min: 1, max: 128 },
  task: { type: "string", required: true, min: 1, max: 16_000 },
  cua_version: { type: "string", enum: CUA_VERSIONS, default: "v3" },
  instructions: { type: "string", nullable: true, max: 16_000, default: null },
  system_prompt: { type: "string", nullable: true, max: 32_000, default: null },
  max_steps: { type: "integer", min: 1, clampMax: 1000, default: 50 },
  deadline_seconds: { type: "integer", nullable: true, min: 1, clampMax: 86_400, default: null },
  on_awaiting_human: { type: "string", enum: ["pause", "fail", "cancel"], default: "pause" },
  awaiting_human_timeout_seconds: {
    type: "integer",
    nullable: true,
    min: 1,
    max: 86_400,
    default: null,
  },
  webhook_url: { type: "string", nullable: true, check: checkWebhookUrl, default: null },
  metadata: { type: "object", nullable: true, maxKeys: 50, default: null },
  model: { type: "string", nullable: true, max: 200, default: null },
  llm: { ...LLM_RULE, default: null },
};

const RESUME_SCHEMA = {
  note: { type: "string", nullable: true, max: 2000, default: null },
};

/** Resolves the `llm` echo from the body and the X-LLM-* headers (BYOK). */
function resolveLlm(ctx, llm) {
  const headerProvider = ctx.headers["x-llm-provider"];
  const headerKey = ctx.headers["x-llm-api-key"];
  if (headerProvider !== undefined && !["anthropic", "openai"].includes(headerProvider)) {
    throw new ApiError(
      "LLM_PROVIDER_UNSUPPORTED",
      `X-LLM-Provider must be anthropic or openai, got ${JSON.stringify(headerProvider.slice(0, 40))}.`,
    );
  }
  if (headerKey !== undefined && (headerKey.length < 16 || headerKey.length > 512)) {
    throw new ApiError("VALIDATION_ERROR", "X-LLM-Api-Key must be 16 to 512 characters.", {
      details: [
        {
          loc: ["header", "X-LLM-Api-Key"],
          msg: "must be 16 to 512 characters",
          type: "string_length",
        },
      ],
    });
  }

  const provider = llm?.provider ?? headerProvider;
  if (provider === undefined) {
    return null;
  }

  const model = llm?.model ?? ctx.headers["x-llm-model"] ?? null;
  if (provider === "managed") {
    return { provider, model, key_fingerprint: null, key_source: "managed", key_scrubbed: false };
  }
  if (headerKey !== undefined) {
    return {
      provider,
      model,
      key_fingerprint: llmKeyFingerprint(headerKey),
      key_source: "header",
      key_scrubbed: true,
    };
  }

  const stored = ctx.store.llmKeys.get(`${ctx.mode}:${provider}`);
  if (stored === undefined) {
    throw new ApiError(
      "LLM_KEY_NOT_CONFIGURED",
      `No ${provider} key is stored. Send X-LLM-Api-Key or store one with PUT /v1/llm/keys/${provider}.`,
    );
  }
  return {
    provider,
    model,
    key_fingerprint: stored.fingerprint,
    key_source: "stored",
    key_scrubbed: true,
  };
}

/** Throws 404 MACHINE_NOT_FOUND for a known machine of the other mode or a terminated one. */
function checkMachine(ctx, machineId) {
  // NOTE: the real API requires machine_id to name one of the user's machines.
  // The fake accepts ids it has never seen, so tests need no provisioning step.
  const machine = ctx.store.machines.get(machineId);
  if (machine !== undefined && (machine.mode !== ctx.mode || machine.status === "terminated")) {
    throw new ApiError(
      "MACHINE_NOT_FOUND",
      `No machine with id '${machineId}' is available to this key.`,
    );
  }
}

function findRun(ctx) {
  const run = ctx.store.findOwned(ctx.store.runs, ctx.params.id, ctx.mode);
  if (run === undefined) {
    throw new ApiError(
      "RUN_NOT_FOUND",
      `No run with id '${ctx.params.id.slice(0, 128)}' exists for this ${ctx.mode} key.`,
    );
  }
  return run;
}

function createRun(ctx) {
  const values = ctx.parse(CREATE_SCHEMA);
  requireVersionAllowed(ctx.key, values.cua_version);
  checkMachine(ctx, values.machine_id);
  const llm = resolveLlm(ctx, values.llm);
  ctx.store.requireBalance(ctx.mode, stepPrice(values.cua_version), "Creating a run");

  const run = {
    ...values,
    id: `run_${randomHex(12)}`,
    mode: ctx.mode,
    status: "queued",
    llm,
    steps_completed: 0,
    credits_charged: 0,
    result: null,
    error: null,
    awaiting_human_reason: null,
    webhook_secret: values.webhook_url === null ? null : newWebhookSecret(),
    created_at: nowIso(),
    started_at: null,
    awaiting_human_since: null,
    finished_at: null,
    idempotencyKey: ctx.idempotencyKey,
    events: new EventLog(),
    pausedOnce: false,
  };
  ctx.store.runs.set(run.id, run);
  startRun(ctx.store, run);
  ctx.setBillingHeaders(0);
  const headers = run.webhook_secret === null ? {} : { "Cache-Control": "no-store" };
  return jsonResponse(publicRun(run, ctx.requestId, { includeSecret: true }), 200, headers);
}

function listRuns(ctx) {
  const status = readStatusFilter(ctx.query, RUN_STATES);
  const limit = readLimit(ctx.query, 20);
  const matching = [...ctx.store.runs.values()]
    .filter((run) => run.mode === ctx.mode)
    .filter((run) => status === undefined || run.status === status)
    .reverse();
  return jsonResponse({
    object: "list",
    data: matching.slice(0, limit).map((run) => publicRun(run, ctx.requestId)),
    has_more: matching.length > limit,
    request_id: ctx.requestId,
  });
}

function cancelRun(ctx) {
  const run = findRun(ctx);
  if (TERMINAL_STATES.includes(run.status)) {
    throw new ApiError(
      "INVALID_STATE",
      `Run '${run.id}' is already ${run.status} and cannot be cancelled.`,
      { current_state: run.status, allowed_from: ["queued", "running", "awaiting_human"] },
    );
  }
  finishRun(ctx.store, run, "cancelled");
  return jsonResponse(publicRun(run, ctx.requestId));
}

function resume(ctx) {
  const { note } = ctx.parse(RESUME_SCHEMA);
  const run = findRun(ctx);
  if (run.status !== "awaiting_human") {
    throw new ApiError(
      "NOT_AWAITING_HUMAN",
      `Run '${run.id}' is ${run.status}; only a run in awaiting_human can be resumed.`,
      { current_state: run.status, allowed_from: ["awaiting_human"] },
    );
  }
  resumeRun(ctx.store, run, note);
  return jsonResponse(publicRun(run, ctx.requestId));
}

function streamRunEvents(ctx) {
  const run = findRun(ctx);
  const cursor = readResumeCursor(ctx.headers, ctx.query);
  return eventStream(ctx.store, run.events, cursor);
}

/** Routes of the task-runs API. */
export const runRoutes = [
  { method: "POST", path: "/v1/runs", scope: "runs:write", idempotent: true, handler: createRun },
  { method: "GET", path: "/v1/runs", scope: "runs:read", handler: listRuns },
  {
    method: "GET",
    path: "/v1/runs/:id",
    scope: "runs:read",
    handler: (ctx) => jsonResponse(publicRun(findRun(ctx), ctx.requestId)),
  },
  { method: "POST", path: "/v1/runs/:id/cancel", scope: "runs:write", handler: cancelRun },
  { method: "POST", path: "/v1/runs/:id/resume", scope: "runs:write", handler: resume },
  {
    method: "GET",
    path: "/v1/runs/:id/events",
    scope: "runs:read",
    stream: true,
    handler: streamRunEvents,
  },
];
