// Machines: provisioning, lifecycle, screenshot, connection and snapshot.
// The command routes live in machine-actions.mjs.

import { ApiError } from "../lib/errors.mjs";
import { SCREENSHOT_PNG_BASE64, SCREENSHOT_SIZE } from "../lib/machine-commands.mjs";
import { findMachine, requireState } from "../lib/machine-state.mjs";
import { GATE_CREDITS, PRICES } from "../lib/pricing.mjs";
import { jsonResponse, newUuid, nowIso, randomHex } from "../lib/util.mjs";
import { readLimit } from "../lib/validate.mjs";

const stringValues = (value) =>
  Object.values(value).every((item) => typeof item === "string")
    ? undefined
    : "must map keys to strings";

const PROVISION_SCHEMA = {
  display_name: { type: "string", required: true, min: 1, max: 64 },
  os_type: { type: "string", enum: ["linux", "windows"], default: "linux" },
  desktop_enabled: { type: "boolean", default: false },
  provider: { type: "string", enum: ["aws", "azure", "auto"], default: "auto" },
  cpu_cores: { type: "integer", min: 1, max: 16, default: 2 },
  memory_gb: { type: "integer", min: 1, max: 64, default: 4 },
  storage_gb: { type: "integer", min: 8, max: 500, default: 30 },
  restore_from_snapshot: { type: "boolean", default: false },
  ttl_minutes: { type: "integer", nullable: true, min: 5, max: 10_080, default: null },
  metadata: { type: "object", nullable: true, maxKeys: 16, check: stringValues, default: null },
};

function machineView(machine) {
  const { files, mode, ...view } = machine;
  return structuredClone(view);
}

function connectionView(machine) {
  return {
    public_ip: machine.public_ip,
    ssh_port: 22,
    ssh_username: "coasty",
    vnc_port: 5900,
    websocket_port: 6080,
    has_ssh_key: true,
    has_vnc_password: machine.desktop_enabled,
  };
}

function provision(ctx) {
  const values = ctx.parse(PROVISION_SCHEMA);
  if (values.restore_from_snapshot && values.os_type !== "linux") {
    throw new ApiError(
      "VALIDATION_ERROR",
      "restore_from_snapshot is available on Linux machines only.",
      {
        details: [
          { loc: ["body", "restore_from_snapshot"], msg: "is Linux only", type: "value_error" },
        ],
      },
    );
  }
  ctx.store.requireBalance(ctx.mode, GATE_CREDITS, "Provisioning a machine");
  const isTest = ctx.mode === "test";
  const machine = {
    id: isTest ? `mch_test_${randomHex(8)}` : newUuid(),
    display_name: values.display_name,
    status: isTest ? "running" : "creating",
    os_type: values.os_type,
    provider: values.provider === "auto" ? "aws" : values.provider,
    desktop_enabled: values.desktop_enabled,
    cpu_cores: values.cpu_cores,
    memory_gb: values.memory_gb,
    storage_gb: values.storage_gb,
    public_ip: "127.0.0.1",
    is_test: isTest,
    created_at: nowIso(),
    expires_at:
      values.ttl_minutes === null
        ? null
        : new Date(Date.now() + values.ttl_minutes * 60_000).toISOString(),
    metadata: values.metadata,
    mode: ctx.mode,
    files: new Map(),
  };
  ctx.store.machines.set(machine.id, machine);
  if (!isTest) {
    // NOTE: hourly runtime billing of machines is not simulated.
    ctx.store.setTimer(() => {
      if (machine.status === "creating") {
        machine.status = "running";
      }
    }, ctx.store.stepDelayMs);
  }
  ctx.setBillingHeaders(0);
  return jsonResponse({
    machine: machineView(machine),
    connection: connectionView(machine),
    request_id: ctx.requestId,
  });
}

function listMachines(ctx) {
  const limit = readLimit(ctx.query, 50);
  // The list response shape is undocumented, so this mirrors GET /v1/runs.
  const machines = [...ctx.store.machines.values()]
    .filter((machine) => machine.mode === ctx.mode)
    .reverse();
  return jsonResponse({
    object: "list",
    data: machines.slice(0, limit).map(machineView),
    has_more: machines.length > limit,
    request_id: ctx.requestId,
  });
}

function pricing(ctx) {
  // The pricing response shape is undocumented. The numbers are the published table.
  return jsonResponse({
    currency: "credits",
    credit_value_usd: "0.01",
    credits_per_hour: {
      linux_running: 5,
      windows_running: 9,
      stopped: 1,
      suspended: 1,
      creating: 0,
      error: 0,
      terminated: 0,
    },
    snapshot_credits: PRICES.snapshot,
    provision_min_balance_credits: GATE_CREDITS,
    request_id: ctx.requestId,
  });
}

function updateTtl(ctx) {
  const machine = findMachine(ctx);
  const { ttl_minutes: ttl } = ctx.parse({
    ttl_minutes: {
      type: "integer",
      required: true,
      min: 0,
      max: 10_080,
      check: (value) => (value > 0 && value < 5 ? "must be 0 (clear) or 5 to 10080" : undefined),
    },
  });
  requireState(
    machine,
    ["creating", "running", "starting", "stopping", "restarting", "stopped", "suspended", "error"],
    "update",
  );
  machine.expires_at = ttl === 0 ? null : new Date(Date.now() + ttl * 60_000).toISOString();
  return jsonResponse({ machine: machineView(machine), request_id: ctx.requestId });
}

function transition(operation, allowed, target) {
  return (ctx) => {
    const machine = findMachine(ctx);
    if (machine.status !== target) {
      requireState(machine, allowed, operation);
      machine.status = target;
    }
    return jsonResponse({
      machine_id: machine.id,
      status: machine.status,
      message: `Machine ${operation} accepted.`,
      request_id: ctx.requestId,
    });
  };
}

function snapshot(ctx) {
  const machine = findMachine(ctx);
  const { name } = ctx.parse({ name: { type: "string", nullable: true, min: 1, max: 128 } });
  requireState(machine, ["running", "stopped"], "snapshot");
  const charged = ctx.bill(PRICES.snapshot, "A snapshot");
  return jsonResponse({
    machine_id: machine.id,
    snapshot_id: `snap_${randomHex(8)}`,
    name: name ?? `${machine.display_name} snapshot`,
    created_at: nowIso(),
    credits_charged: charged,
    request_id: ctx.requestId,
  });
}

function screenshot(ctx) {
  const machine = findMachine(ctx);
  requireState(machine, ["running"], "capture a screenshot of");
  return jsonResponse({
    machine_id: machine.id,
    image_b64: SCREENSHOT_PNG_BASE64,
    mime_type: "image/png",
    ...SCREENSHOT_SIZE,
    captured_at: nowIso(),
    request_id: ctx.requestId,
  });
}

function connection(ctx) {
  const machine = findMachine(ctx);
  const fakeKey = Buffer.from(`fake key for ${machine.id} ${randomHex(32)}`).toString("base64");
  return jsonResponse(
    {
      machine_id: machine.id,
      ssh_private_key_pem: `-----BEGIN OPENSSH PRIVATE KEY-----\n${fakeKey}\n-----END OPENSSH PRIVATE KEY-----\n`,
      vnc_password: randomHex(8),
      websocket_url: `ws://127.0.0.1:6080/websockify?machine=${machine.id}`,
      devtools_url: `ws://127.0.0.1:9222/devtools/browser/${newUuid()}`,
      request_id: ctx.requestId,
    },
    200,
    { "Cache-Control": "no-store" },
  );
}

function getMachine(ctx) {
  const machine = findMachine(ctx);
  return jsonResponse({
    machine: machineView(machine),
    connection: connectionView(machine),
    request_id: ctx.requestId,
  });
}

/** Routes of the machines API. */
export const machineRoutes = [
  {
    method: "POST",
    path: "/v1/machines",
    scope: "machines:write",
    idempotent: true,
    handler: provision,
  },
  { method: "GET", path: "/v1/machines", scope: "machines:read", handler: listMachines },
  { method: "GET", path: "/v1/machines/pricing", scope: "machines:read", handler: pricing },
  { method: "GET", path: "/v1/machines/:id", scope: "machines:read", handler: getMachine },
  { method: "PATCH", path: "/v1/machines/:id", scope: "machines:write", handler: updateTtl },
  {
    method: "DELETE",
    path: "/v1/machines/:id",
    scope: "machines:write",
    handler: transition(
      "terminate",
      [
        "creating",
        "running",
        "starting",
        "stopping",
        "restarting",
        "stopped",
        "suspended",
        "error",
      ],
      "terminated",
    ),
  },
  {
    method: "POST",
    path: "/v1/machines/:id/start",
    scope: "machines:write",
    handler: transition("start", ["stopped", "suspended", "error"], "running"),
  },
  {
    method: "POST",
    path: "/v1/machines/:id/stop",
    scope: "machines:write",
    handler: transition("stop", ["running", "creating", "error"], "stopped"),
  },
  {
    method: "POST",
    path: "/v1/machines/:id/restart",
    scope: "machines:write",
    handler: transition("restart", ["running"], "running"),
  },
  {
    method: "POST",
    path: "/v1/machines/:id/snapshot",
    scope: "snapshots:write",
    idempotent: true,
    handler: snapshot,
  },
  {
    method: "GET",
    path: "/v1/machines/:id/screenshot",
    scope: "machines:read",
    handler: screenshot,
  },
  {
    method: "GET",
    path: "/v1/machines/:id/connection",
    scope: "connection:read",
    handler: connection,
  },
];
