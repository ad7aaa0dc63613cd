// Workflow-run lifecycle: one DSL step per tick of `stepDelayMs`. Task steps
// are billed like run steps (5 credits, 8 on cua_version v1), and control-flow
// steps are free. human_approval pauses the run until it is resumed.

import { stepPrice } from "./run-lifecycle.mjs";
import { nowIso } from "./util.mjs";
import { deliverWebhook } from "./webhooks.mjs";
import { executionOrder } from "./workflow-dsl.mjs";

/** Returns the public WorkflowRun object; the webhook secret only on create. */
export function publicWorkflowRun(run, requestId, { includeSecret = false } = {}) {
  return structuredClone({
    id: run.id,
    object: "workflow.run",
    status: run.status,
    workflow_id: run.workflow_id,
    workflow_version: run.workflow_version,
    machine_id: run.machine_id,
    inputs: run.inputs,
    output: run.output,
    error: run.error,
    awaiting_human_reason: run.awaiting_human_reason,
    awaiting_step_id: run.awaiting_step_id,
    iterations_used: run.iterations_used,
    spent_cents: run.spent_cents,
    budget_cents: run.budget_cents,
    webhook_url: run.webhook_url,
    webhook_secret: includeSecret ? run.webhook_secret : null,
    metadata: run.metadata,
    created_at: run.created_at,
    started_at: run.started_at,
    finished_at: run.finished_at,
    request_id: requestId,
  });
}

// Workflow-run webhook event names are undocumented, so the fake sends
// workflow_run.<status>.
function sendWebhook(store, run) {
  if (run.webhook_url === null) {
    return;
  }
  const payload = {
    event: `workflow_run.${run.status}`,
    run_id: run.id,
    workflow_id: run.workflow_id,
    status: run.status,
    output: run.output,
    error: run.error,
    awaiting_human_reason: run.awaiting_human_reason,
    created_at: nowIso(),
  };
  deliverWebhook(store, {
    runId: run.id,
    event: payload.event,
    url: run.webhook_url,
    secret: run.webhook_secret,
    payload,
  });
}

function setStatus(run, status) {
  run.status = status;
  run.events.append("status", { status });
}

function scheduleTick(store, run) {
  run.tickTimer = store.setTimer(() => tick(store, run), store.stepDelayMs);
}

/** Ends a workflow run in a terminal state. */
export function finishWorkflowRun(store, run, status, error = null) {
  store.clearTimer(run.tickTimer);
  store.clearTimer(run.deadlineTimer);
  run.error = error;
  run.awaiting_step_id = null;
  run.finished_at = nowIso();
  if (error !== null) {
    run.events.append("error", { ...error, fatal: true });
  }
  setStatus(run, status);
  run.events.append("done", { status, result: run.output, error });
  sendWebhook(store, run);
}

function guardError(message) {
  return { code: "GUARD_EXCEEDED", message };
}

function runTask(store, run, step) {
  const credits = stepPrice(step.cua_version ?? "v3");
  if (
    run.budget_cents !== null &&
    run.budget_cents > 0 &&
    run.spent_cents + credits > run.budget_cents
  ) {
    finishWorkflowRun(
      store,
      run,
      "failed",
      guardError(`Step '${step.id}' would exceed budget_cents ${run.budget_cents}.`),
    );
    return false;
  }
  const charged = store.tryCharge({
    mode: run.mode,
    credits,
    path: "/v1/workflows/runs",
    runId: run.id,
    idempotencyKey: run.idempotencyKey,
  });
  if (!charged) {
    finishWorkflowRun(store, run, "failed", {
      code: "WALLET_EXHAUSTED",
      message: `Step '${step.id}' needs ${credits} credits.`,
    });
    return false;
  }
  if (run.mode === "live") {
    run.spent_cents += credits;
  }
  run.output[step.save_as ?? step.id] = {
    status: "succeeded",
    summary: `Task '${step.id}' completed.`,
  };
  run.events.append("billing", { credits_charged: run.spent_cents, cost_cents: run.spent_cents });
  return true;
}

function executeStep(store, run, step) {
  run.iterations_used += 1;
  if (run.iterations_used > run.max_iterations) {
    finishWorkflowRun(
      store,
      run,
      "failed",
      guardError(`The run used more than max_iterations ${run.max_iterations}.`),
    );
    return;
  }
  if (step.type === "human_approval") {
    run.awaiting_step_id = step.id;
    run.awaiting_human_reason =
      typeof step.message === "string" ? step.message : `Step '${step.id}' needs approval.`;
    run.events.append("awaiting_human", { reason: run.awaiting_human_reason, step_id: step.id });
    setStatus(run, "awaiting_human");
    sendWebhook(store, run);
    return;
  }
  if (step.type === "fail") {
    const message =
      typeof step.message === "string" ? step.message : `Step '${step.id}' failed the workflow.`;
    finishWorkflowRun(store, run, "failed", { code: "WORKFLOW_FAILED", message });
    return;
  }
  if (step.type === "succeed") {
    finishWorkflowRun(store, run, "succeeded");
    return;
  }
  if (step.type === "task" && !runTask(store, run, step)) {
    return;
  }
  run.events.append("step", {
    step_id: step.id,
    type: step.type,
    iterations_used: run.iterations_used,
  });
  scheduleTick(store, run);
}

function tick(store, run) {
  if (run.status === "queued") {
    run.started_at = nowIso();
    setStatus(run, "running");
    scheduleTick(store, run);
    return;
  }
  if (run.status !== "running") {
    return;
  }
  const step = run.plan[run.position];
  if (step === undefined) {
    finishWorkflowRun(store, run, "succeeded");
    return;
  }
  run.position += 1;
  executeStep(store, run, step);
}

/** Plans the steps of a new workflow run and starts its timers. */
export function startWorkflowRun(store, run, definition) {
  run.plan = executionOrder(definition.steps);
  run.position = 0;
  run.events.append("status", { status: "queued" });
  scheduleTick(store, run);
  if (run.deadline_seconds !== null) {
    run.deadlineTimer = store.setTimer(() => {
      finishWorkflowRun(store, run, "timed_out", {
        code: "DEADLINE_EXCEEDED",
        message: `The run exceeded ${run.deadline_seconds} seconds.`,
      });
    }, run.deadline_seconds * 1000);
  }
}

/** Continues a run paused at human_approval, or fails it when not approved. */
export function resumeWorkflowRun(store, run, approved, note) {
  run.events.append("resumed", { approved, note });
  run.awaiting_human_reason = null;
  if (!approved) {
    finishWorkflowRun(store, run, "failed", {
      code: "APPROVAL_REJECTED",
      message: `Step '${run.awaiting_step_id}' was not approved.`,
    });
    return;
  }
  run.awaiting_step_id = null;
  setStatus(run, "running");
  scheduleTick(store, run);
}
