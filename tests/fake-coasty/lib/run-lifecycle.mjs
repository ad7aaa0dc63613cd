// Task-run lifecycle: queued -> running -> steps -> a terminal state, with a
// pause in awaiting_human, driven by a timer every `stepDelayMs`.
//
// Task markers steer a run: "[awaiting_human]" pauses after step 1 (per
// on_awaiting_human) and "[fail]" ends it failed after step 1. Otherwise the
// run succeeds after min(max_steps, 3) steps.

import { nowIso } from "./util.mjs";
import { deliverWebhook } from "./webhooks.mjs";

/** Run states. */
export const RUN_STATES = [
  "queued",
  "running",
  "awaiting_human",
  "succeeded",
  "failed",
  "cancelled",
  "timed_out",
];
/** Run states that never change again. */
export const TERMINAL_STATES = ["succeeded", "failed", "cancelled", "timed_out"];

const SUCCESS_STEPS = 3;

/** Credits per completed step: 8 on cua_version v1, 5 otherwise. */
export function stepPrice(cuaVersion) {
  return cuaVersion === "v1" ? 8 : 5;
}

/** Returns the public Run object; the webhook secret only on create. */
export function publicRun(run, requestId, { includeSecret = false } = {}) {
  const view = {
    id: run.id,
    object: "agent.run",
    status: run.status,
    machine_id: run.machine_id,
    task: run.task,
    cua_version: run.cua_version,
    instructions: run.instructions,
    max_steps: run.max_steps,
    on_awaiting_human: run.on_awaiting_human,
    steps_completed: run.steps_completed,
    credits_charged: run.credits_charged,
    cost_cents: run.credits_charged,
    result: run.result,
    error: run.error,
    awaiting_human_reason: run.awaiting_human_reason,
    metadata: run.metadata,
    webhook_url: run.webhook_url,
    webhook_secret: includeSecret ? run.webhook_secret : null,
    created_at: run.created_at,
    started_at: run.started_at,
    awaiting_human_since: run.awaiting_human_since,
    finished_at: run.finished_at,
    request_id: requestId,
  };
  if (run.llm !== null) {
    view.llm = run.llm;
  }
  return structuredClone(view);
}

function sendRunWebhook(store, run) {
  if (run.webhook_url === null) {
    return;
  }
  const payload = {
    event: `run.${run.status}`,
    run_id: run.id,
    status: run.status,
    result: run.result,
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

/** Ends a run in a terminal state: events, `done`, webhook, no more timers. */
export function finishRun(store, run, status, { result = null, error = null } = {}) {
  store.clearTimer(run.tickTimer);
  store.clearTimer(run.deadlineTimer);
  store.clearTimer(run.pauseTimer);
  run.result = result;
  run.error = error;
  run.awaiting_human_since = null;
  run.finished_at = nowIso();
  if (error !== null) {
    run.events.append("error", { ...error, fatal: true });
  }
  setStatus(run, status);
  run.events.append("done", { status, result, error });
  store.log(`run ${run.id} ${status}`);
  sendRunWebhook(store, run);
}

function pauseForHuman(store, run) {
  const reason = "The task asked for a human to take over.";
  if (run.on_awaiting_human === "fail") {
    const error = {
      code: "AWAITING_HUMAN",
      message: "The run needed a human and on_awaiting_human is 'fail'.",
    };
    finishRun(store, run, "failed", { error });
    return;
  }
  if (run.on_awaiting_human === "cancel") {
    finishRun(store, run, "cancelled");
    return;
  }
  run.awaiting_human_reason = reason;
  run.awaiting_human_since = nowIso();
  run.events.append("awaiting_human", { reason });
  setStatus(run, "awaiting_human");
  if (run.awaiting_human_timeout_seconds !== null) {
    // The API leaves the state after a pause timeout unspecified, so the fake uses timed_out.
    run.pauseTimer = store.setTimer(() => {
      const error = {
        code: "AWAITING_HUMAN_TIMEOUT",
        message: "No human resumed the run in time.",
      };
      finishRun(store, run, "timed_out", { error });
    }, run.awaiting_human_timeout_seconds * 1000);
  }
  sendRunWebhook(store, run);
}

function completeStep(store, run) {
  const step = run.steps_completed + 1;
  run.events.append("text", { step, text: `Step ${step}: reading the screen.` });
  run.events.append(
    "tool_call",
    { step, action_type: "click", params: { x: 100 * step, y: 200 } },
    { pretty: true },
  );
  run.events.append("tool_result", { step, success: true });

  const credits = stepPrice(run.cua_version);
  const charged = store.tryCharge({
    mode: run.mode,
    credits,
    path: "/v1/runs",
    runId: run.id,
    idempotencyKey: run.idempotencyKey,
  });
  if (!charged) {
    const error = {
      code: "WALLET_EXHAUSTED",
      message: `The wallet has ${store.walletCredits} credits; step ${step} needs ${credits}.`,
    };
    finishRun(store, run, "failed", { error });
    return;
  }
  run.steps_completed = step;
  if (run.mode === "live") {
    run.credits_charged += credits;
  }
  run.events.append("step", { steps_completed: step });
  run.events.append("billing", {
    credits_charged: run.credits_charged,
    cost_cents: run.credits_charged,
  });

  if (run.task.includes("[fail]")) {
    const error = { code: "TASK_FAILED", message: "The agent could not complete the task." };
    const result = { passed: false, status: "failed", summary: "The task failed." };
    finishRun(store, run, "failed", { result, error });
  } else if (run.task.includes("[awaiting_human]") && !run.pausedOnce) {
    run.pausedOnce = true;
    pauseForHuman(store, run);
  } else if (step >= targetSteps(run)) {
    succeed(store, run);
  } else {
    scheduleTick(store, run);
  }
}

function targetSteps(run) {
  return Math.min(run.max_steps, SUCCESS_STEPS);
}

function succeed(store, run) {
  const summary = `Completed the task in ${run.steps_completed} steps.`;
  const result = { passed: true, status: "succeeded", summary };
  if (run.cua_version === "v4") {
    result.verdict = "pass";
  }
  finishRun(store, run, "succeeded", { result });
}

function tick(store, run) {
  if (run.status === "queued") {
    run.started_at = nowIso();
    setStatus(run, "running");
    scheduleTick(store, run);
  } else if (run.status === "running" && run.steps_completed >= targetSteps(run)) {
    // A run resumed after its last step has nothing left to do.
    succeed(store, run);
  } else if (run.status === "running") {
    completeStep(store, run);
  }
}

/** Starts the timers of a new run (first tick and optional deadline). */
export function startRun(store, run) {
  run.events.append("status", { status: "queued" });
  scheduleTick(store, run);
  if (run.deadline_seconds !== null) {
    run.deadlineTimer = store.setTimer(() => {
      const error = {
        code: "DEADLINE_EXCEEDED",
        message: `The run exceeded ${run.deadline_seconds} seconds.`,
      };
      finishRun(store, run, "timed_out", { error });
    }, run.deadline_seconds * 1000);
  }
}

/** Moves a paused run back to running and resumes its steps. */
export function resumeRun(store, run, note) {
  store.clearTimer(run.pauseTimer);
  run.awaiting_human_reason = null;
  run.awaiting_human_since = null;
  run.events.append("resumed", { note });
  setStatus(run, "running");
  scheduleTick(store, run);
}
