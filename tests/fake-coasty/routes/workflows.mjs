// Workflows (DSL version 2026-06-01) and workflow runs.

import { ApiError } from "../lib/errors.mjs";
import { TERMINAL_STATES, RUN_STATES } from "../lib/run-lifecycle.mjs";
import { EventLog, eventStream, readResumeCursor } from "../lib/sse.mjs";
import { jsonResponse, nowIso, randomHex } from "../lib/util.mjs";
import { readLimit } from "../lib/validate.mjs";
import { checkWebhookUrl, newWebhookSecret } from "../lib/webhooks.mjs";
import { DSL_VERSION, checkDefinition } from "../lib/workflow-dsl.mjs";
import {
  finishWorkflowRun,
  publicWorkflowRun,
  resumeWorkflowRun,
  startWorkflowRun,
} from "../lib/workflow-lifecycle.mjs";

const DEFINITION_RULE = { type: "object", check: checkDefinition };
const WORKFLOW_FIELDS = {
  name: { type: "string", min: 1, max: 128 },
  definition: DEFINITION_RULE,
  inputs_schema: { type: "object", nullable: true },
  description: { type: "string", nullable: true, max: 2000 },
  metadata: { type: "object", nullable: true },
};
const CREATE_SCHEMA = {
  ...WORKFLOW_FIELDS,
  name: { ...WORKFLOW_FIELDS.name, required: true },
  slug: { type: "string", required: true, pattern: /^[a-z0-9][a-z0-9_-]{0,62}$/ },
  definition: { ...DEFINITION_RULE, required: true },
};
const UPDATE_SCHEMA = {
  ...WORKFLOW_FIELDS,
  status: { type: "string", enum: ["active", "archived"] },
};
const START_SCHEMA = {
  inputs: { type: "object", nullable: true, default: {} },
  machine_id: { type: "string", nullable: true, min: 1, max: 128, default: null },
  budget_cents: { type: "integer", nullable: true, min: 0, max: 10_000_000, default: null },
  max_iterations: { type: "integer", min: 1, max: 100_000, default: 1000 },
  deadline_seconds: { type: "integer", nullable: true, min: 1, max: 86_400, default: null },
  webhook_url: { type: "string", nullable: true, check: checkWebhookUrl, default: null },
  metadata: { type: "object", nullable: true, default: null },
  inputs_schema: { type: "object", nullable: true, default: null },
};
const ADHOC_SCHEMA = { ...START_SCHEMA, definition: { ...DEFINITION_RULE, required: true } };
const RESUME_SCHEMA = {
  approved: { type: "boolean", required: true },
  note: { type: "string", nullable: true, max: 2000, default: null },
};

function workflowView(workflow, requestId) {
  const { mode, ...view } = workflow;
  return structuredClone({ ...view, request_id: requestId });
}

function findWorkflow(ctx) {
  const workflow = ctx.store.findOwned(ctx.store.workflows, ctx.params.id, ctx.mode);
  if (workflow === undefined) {
    throw new ApiError(
      "WORKFLOW_NOT_FOUND",
      `No workflow with id '${ctx.params.id.slice(0, 128)}' for this ${ctx.mode} key.`,
    );
  }
  return workflow;
}

function findWorkflowRun(ctx) {
  const run = ctx.store.findOwned(ctx.store.workflowRuns, ctx.params.id, ctx.mode);
  if (run === undefined) {
    throw new ApiError(
      "RUN_NOT_FOUND",
      `No workflow run with id '${ctx.params.id.slice(0, 128)}' for this ${ctx.mode} key.`,
    );
  }
  return run;
}

function createWorkflow(ctx) {
  const values = ctx.parse(CREATE_SCHEMA);
  const taken = [...ctx.store.workflows.values()].some(
    (workflow) => workflow.mode === ctx.mode && workflow.slug === values.slug,
  );
  if (taken) {
    throw new ApiError(
      "CONFLICT",
      `A workflow with slug '${values.slug}' already exists; choose another slug.`,
    );
  }
  const now = nowIso();
  const workflow = {
    id: `wf_${randomHex(12)}`,
    object: "workflow",
    name: values.name,
    slug: values.slug,
    version: 1,
    dsl_version: DSL_VERSION,
    definition: values.definition,
    inputs_schema: values.inputs_schema ?? null,
    description: values.description ?? null,
    status: "active",
    metadata: values.metadata ?? null,
    created_at: now,
    updated_at: now,
    mode: ctx.mode,
  };
  ctx.store.workflows.set(workflow.id, workflow);
  return jsonResponse(workflowView(workflow, ctx.requestId));
}

function updateWorkflow(ctx) {
  const workflow = findWorkflow(ctx);
  const values = ctx.parse(UPDATE_SCHEMA);
  Object.assign(workflow, values);
  workflow.version += 1;
  workflow.updated_at = nowIso();
  return jsonResponse(workflowView(workflow, ctx.requestId));
}

function archiveWorkflow(ctx) {
  const workflow = findWorkflow(ctx);
  workflow.status = "archived";
  workflow.updated_at = nowIso();
  return jsonResponse(workflowView(workflow, ctx.requestId));
}

function listWorkflows(ctx) {
  const limit = readLimit(ctx.query, 20);
  const workflows = [...ctx.store.workflows.values()]
    .filter((workflow) => workflow.mode === ctx.mode)
    .reverse();
  return jsonResponse({
    object: "list",
    data: workflows.slice(0, limit).map((workflow) => workflowView(workflow, undefined)),
    has_more: workflows.length > limit,
    request_id: ctx.requestId,
  });
}

function startRun(ctx, workflow, values, definition) {
  const run = {
    id: `wfr_${randomHex(12)}`,
    mode: ctx.mode,
    status: "queued",
    workflow_id: workflow?.id ?? null,
    workflow_version: workflow?.version ?? null,
    machine_id: values.machine_id,
    inputs: values.inputs ?? {},
    output: {},
    error: null,
    awaiting_human_reason: null,
    awaiting_step_id: null,
    iterations_used: 0,
    spent_cents: 0,
    budget_cents: values.budget_cents,
    max_iterations: values.max_iterations,
    deadline_seconds: values.deadline_seconds,
    webhook_url: values.webhook_url,
    webhook_secret: values.webhook_url === null ? null : newWebhookSecret(),
    metadata: values.metadata,
    created_at: nowIso(),
    started_at: null,
    finished_at: null,
    idempotencyKey: ctx.idempotencyKey,
    events: new EventLog(),
  };
  ctx.store.workflowRuns.set(run.id, run);
  startWorkflowRun(ctx.store, run, definition);
  ctx.setBillingHeaders(0);
  const headers = run.webhook_secret === null ? {} : { "Cache-Control": "no-store" };
  return jsonResponse(publicWorkflowRun(run, ctx.requestId, { includeSecret: true }), 200, headers);
}

function startSavedRun(ctx) {
  const workflow = findWorkflow(ctx);
  const values = ctx.parse(START_SCHEMA);
  if (workflow.status !== "active") {
    throw new ApiError(
      "INVALID_STATE",
      `Workflow '${workflow.id}' is ${workflow.status}; set it active before starting runs.`,
      {
        current_state: workflow.status,
        allowed_from: ["active"],
      },
    );
  }
  return startRun(ctx, workflow, values, workflow.definition);
}

function startAdHocRun(ctx) {
  const values = ctx.parse(ADHOC_SCHEMA);
  return startRun(ctx, null, values, values.definition);
}

function listWorkflowRuns(ctx) {
  const limit = readLimit(ctx.query, 20);
  const workflowId = ctx.query.get("workflow_id");
  const runs = [...ctx.store.workflowRuns.values()]
    .filter((run) => run.mode === ctx.mode)
    .filter((run) => workflowId === null || run.workflow_id === workflowId)
    .reverse();
  return jsonResponse({
    object: "list",
    data: runs.slice(0, limit).map((run) => publicWorkflowRun(run, undefined)),
    has_more: runs.length > limit,
    request_id: ctx.requestId,
  });
}

function cancelWorkflowRun(ctx) {
  const run = findWorkflowRun(ctx);
  if (TERMINAL_STATES.includes(run.status)) {
    throw new ApiError("INVALID_STATE", `Workflow run '${run.id}' is already ${run.status}.`, {
      current_state: run.status,
      allowed_from: RUN_STATES.filter((state) => !TERMINAL_STATES.includes(state)),
    });
  }
  finishWorkflowRun(ctx.store, run, "cancelled");
  return jsonResponse(publicWorkflowRun(run, ctx.requestId));
}

function resumeRun(ctx) {
  const { approved, note } = ctx.parse(RESUME_SCHEMA);
  const run = findWorkflowRun(ctx);
  if (run.status !== "awaiting_human") {
    throw new ApiError(
      "NOT_AWAITING_HUMAN",
      `Workflow run '${run.id}' is ${run.status}; only a run in awaiting_human can be resumed.`,
      {
        current_state: run.status,
        allowed_from: ["awaiting_human"],
      },
    );
  }
  resumeWorkflowRun(ctx.store, run, approved, note);
  return jsonResponse(publicWorkflowRun(run, ctx.requestId));
}

function streamEvents(ctx) {
  const run = findWorkflowRun(ctx);
  return eventStream(ctx.store, run.events, readResumeCursor(ctx.headers, ctx.query));
}

/** Routes of the workflows API; literal `/runs` paths come before `/:id`. */
export const workflowRoutes = [
  {
    method: "POST",
    path: "/v1/workflows/runs",
    scope: "workflows:write",
    idempotent: true,
    handler: startAdHocRun,
  },
  { method: "GET", path: "/v1/workflows/runs", scope: "workflows:read", handler: listWorkflowRuns },
  {
    method: "GET",
    path: "/v1/workflows/runs/:id",
    scope: "workflows:read",
    handler: (ctx) => jsonResponse(publicWorkflowRun(findWorkflowRun(ctx), ctx.requestId)),
  },
  {
    method: "GET",
    path: "/v1/workflows/runs/:id/events",
    scope: "workflows:read",
    stream: true,
    handler: streamEvents,
  },
  {
    method: "POST",
    path: "/v1/workflows/runs/:id/cancel",
    scope: "workflows:write",
    handler: cancelWorkflowRun,
  },
  {
    method: "POST",
    path: "/v1/workflows/runs/:id/resume",
    scope: "workflows:write",
    handler: resumeRun,
  },
  { method: "POST", path: "/v1/workflows", scope: "workflows:write", handler: createWorkflow },
  { method: "GET", path: "/v1/workflows", scope: "workflows:read", handler: listWorkflows },
  {
    method: "GET",
    path: "/v1/workflows/:id",
    scope: "workflows:read",
    handler: (ctx) => jsonResponse(workflowView(findWorkflow(ctx), ctx.requestId)),
  },
  { method: "PUT", path: "/v1/workflows/:id", scope: "workflows:write", handler: updateWorkflow },
  {
    method: "DELETE",
    path: "/v1/workflows/:id",
    scope: "workflows:write",
    handler: archiveWorkflow,
  },
  {
    method: "POST",
    path: "/v1/workflows/:id/runs",
    scope: "workflows:write",
    idempotent: true,
    handler: startSavedRun,
  },
];
