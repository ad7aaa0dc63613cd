// Machine command routes: actions, actions/batch, browser/{op}, terminal and
// files/{op}. Each command needs the scope of its class (see scopeForCommand).

import { ApiError } from "../lib/errors.mjs";
import { requireScope } from "../lib/keys.mjs";
import {
  BROWSER_OPS,
  FILE_OPS,
  commandForFileOp,
  runCommand,
  scopeForCommand,
} from "../lib/machine-commands.mjs";
import { findMachine, requireState } from "../lib/machine-state.mjs";
import { jsonResponse } from "../lib/util.mjs";

const TIMEOUT_RULE = { type: "integer", min: 1000, max: 120_000, default: 30_000 };
const ACTION_SCHEMA = {
  command: { type: "string", required: true, min: 1, max: 64, pattern: /^[a-z][a-z0-9_]*$/ },
  parameters: { type: "object", default: {} },
  timeout_ms: TIMEOUT_RULE,
};
const BATCH_SCHEMA = {
  steps: {
    type: "array",
    required: true,
    min: 1,
    max: 50,
    items: { type: "object", fields: ACTION_SCHEMA },
  },
  stop_on_error: { type: "boolean", default: true },
};
const OPERATION_SCHEMA = { parameters: { type: "object", default: {} }, timeout_ms: TIMEOUT_RULE };
const TERMINAL_SCHEMA = {
  command: { type: "string", required: true, min: 1, max: 8192 },
  timeout_ms: TIMEOUT_RULE,
  session_id: { type: "string", nullable: true, max: 128 },
  cwd: { type: "string", nullable: true, max: 4096 },
};

function commandResponse(ctx, machine, command, parameters) {
  requireState(machine, ["running"], "run commands on");
  const outcome = runCommand(machine, command, parameters);
  return jsonResponse({
    machine_id: machine.id,
    command,
    ...outcome,
    duration_ms: 12,
    screenshot: null,
    request_id: ctx.requestId,
  });
}

function action(ctx) {
  const machine = findMachine(ctx);
  const values = ctx.parse(ACTION_SCHEMA);
  requireScope(ctx.key, scopeForCommand(values.command));
  return commandResponse(ctx, machine, values.command, values.parameters);
}

function batch(ctx) {
  const machine = findMachine(ctx);
  const { steps, stop_on_error: stopOnError } = ctx.parse(BATCH_SCHEMA);
  for (const step of steps) {
    requireScope(ctx.key, scopeForCommand(step.command));
  }
  requireState(machine, ["running"], "run commands on");
  const results = [];
  let aborted = false;
  for (const [index, step] of steps.entries()) {
    const outcome = runCommand(machine, step.command, step.parameters ?? {});
    results.push({ index, command: step.command, ...outcome, duration_ms: 12 });
    if (!outcome.success && stopOnError) {
      aborted = index < steps.length - 1;
      break;
    }
  }
  return jsonResponse({
    machine_id: machine.id,
    results,
    completed_count: results.filter((result) => result.success).length,
    failed_count: results.filter((result) => !result.success).length,
    aborted,
    request_id: ctx.requestId,
  });
}

function operation(kind, ops, commandFor) {
  return (ctx) => {
    const machine = findMachine(ctx);
    if (!ops.includes(ctx.params.op)) {
      throw new ApiError(
        "NOT_FOUND",
        `Unknown ${kind} operation '${ctx.params.op.slice(0, 40)}'; use one of ${ops.join(", ")}.`,
      );
    }
    const command = commandFor(ctx.params.op);
    requireScope(ctx.key, kind === "browser" ? "actions:exec" : scopeForCommand(command));
    const values = ctx.parse(OPERATION_SCHEMA);
    return commandResponse(ctx, machine, command, values.parameters);
  };
}

function terminal(ctx) {
  const machine = findMachine(ctx);
  const values = ctx.parse(TERMINAL_SCHEMA);
  return commandResponse(ctx, machine, "terminal_exec", { command: values.command });
}

/** Routes of the machine command API. */
export const machineCommandRoutes = [
  { method: "POST", path: "/v1/machines/:id/actions", idempotent: true, handler: action },
  { method: "POST", path: "/v1/machines/:id/actions/batch", idempotent: true, handler: batch },
  {
    method: "POST",
    path: "/v1/machines/:id/browser/:op",
    idempotent: true,
    handler: operation("browser", BROWSER_OPS, (op) => `browser_${op.replace(/-/g, "_")}`),
  },
  {
    method: "POST",
    path: "/v1/machines/:id/terminal",
    scope: "terminal:exec",
    idempotent: true,
    handler: terminal,
  },
  {
    method: "POST",
    path: "/v1/machines/:id/files/:op",
    handler: operation("files", FILE_OPS, commandForFileOp),
  },
];
