// A local fake of the Coasty computer-use API for tests and development.
// Plain Node.js (node:http, node:crypto). It listens on loopback only and
// sends webhooks to loopback hosts only.

import http from "node:http";

import { createControlHandler } from "./lib/control.mjs";
import { FaultList } from "./lib/faults.mjs";
import { BUILTIN_SCOPES } from "./lib/keys.mjs";
import { createRequestHandler } from "./lib/pipeline.mjs";
import { Router } from "./lib/router.mjs";
import { publicRun } from "./lib/run-lifecycle.mjs";
import { Store } from "./lib/store.mjs";
import { publicWorkflowRun } from "./lib/workflow-lifecycle.mjs";
import { accountRoutes } from "./routes/account.mjs";
import { inferenceRoutes } from "./routes/inference.mjs";
import { machineCommandRoutes } from "./routes/machine-actions.mjs";
import { machineRoutes } from "./routes/machines.mjs";
import { runRoutes } from "./routes/runs.mjs";
import { scheduleRoutes } from "./routes/schedules.mjs";
import { triggerRoutes } from "./routes/triggers.mjs";
import { workflowRoutes } from "./routes/workflows.mjs";

const LOOPBACK_HOSTS = ["127.0.0.1", "::1", "localhost"];

const HEALTH_ROUTE = {
  method: "GET",
  path: "/health",
  auth: false,
  handler: (ctx) => ({
    status: 200,
    body: { status: "ok", request_id: ctx.requestId },
    headers: {},
  }),
};

function checkOptions({ port, host, stepDelayMs, keepaliveMs, log }) {
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new TypeError(`port must be an integer from 0 to 65535, got ${JSON.stringify(port)}`);
  }
  if (!LOOPBACK_HOSTS.includes(host)) {
    throw new TypeError(
      `host must be one of ${LOOPBACK_HOSTS.join(", ")}, got ${JSON.stringify(host)}`,
    );
  }
  for (const [name, value] of [
    ["stepDelayMs", stepDelayMs],
    ["keepaliveMs", keepaliveMs],
  ]) {
    if (!Number.isInteger(value) || value < 0) {
      throw new TypeError(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`);
    }
  }
  if (typeof log !== "function") {
    throw new TypeError("log must be a function (line: string) => void");
  }
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server.address().port);
    });
  });
}

/**
 * Starts a fake Coasty API server.
 *
 * Options: `port` (0 picks a free port), `host` (a loopback address),
 * `stepDelayMs` (time between run lifecycle steps, default 20),
 * `keepaliveMs` (interval of SSE keepalive comments, default 1000) and
 * `log` (receives one line per request, fault and webhook, never a secret).
 * Resolves to the FakeCoasty handle described in README.md.
 */
export async function startFakeCoasty(options = {}) {
  const settings = {
    port: 0,
    host: "127.0.0.1",
    stepDelayMs: 20,
    keepaliveMs: 1000,
    log: () => {},
    ...options,
  };
  checkOptions(settings);
  const store = new Store(settings);
  const faults = new FaultList();
  const router = new Router([
    HEALTH_ROUTE,
    ...runRoutes,
    ...inferenceRoutes,
    ...accountRoutes,
    ...machineRoutes,
    ...machineCommandRoutes,
    ...workflowRoutes,
    ...scheduleRoutes,
    ...triggerRoutes,
  ]);

  const createKey = (spec = {}) => store.keys.create(spec).raw;
  const keys = {
    live: createKey({ kind: "live", scopes: BUILTIN_SCOPES, name: "built-in live key" }),
    test: createKey({ kind: "test", scopes: BUILTIN_SCOPES, name: "built-in test key" }),
    readOnly: createKey({
      kind: "live",
      scopes: ["runs:read", "usage"],
      name: "built-in read-only key",
    }),
    noScopes: createKey({ kind: "live", scopes: [], name: "built-in key without scopes" }),
  };

  let control = () => {};
  const server = http.createServer(
    createRequestHandler(store, router, faults, (...args) => control(...args)),
  );
  const port = await listen(server, settings.port, settings.host);
  const hostInUrl = settings.host === "::1" ? "[::1]" : settings.host;
  const baseUrl = `http://${hostInUrl}:${port}/v1`;
  store.baseUrl = baseUrl;
  let closing;

  const fake = {
    baseUrl,
    port,
    keys,
    requests: store.requestLog,
    createKey,
    setWallet(credits) {
      if (!Number.isInteger(credits) || credits < 0) {
        throw new TypeError(
          `credits must be a non-negative integer, got ${JSON.stringify(credits)}`,
        );
      }
      store.walletCredits = credits;
    },
    wallet: () => store.walletCredits,
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    runs: () => [...store.runs.values()].map((run) => publicRun(run, null)),
    workflowRuns: () => [...store.workflowRuns.values()].map((run) => publicWorkflowRun(run, null)),
    charges: () => store.charges(),
    deliveries: () => store.deliveryLog.map((delivery) => ({ ...delivery })),
    state: () => ({
      wallet: store.walletCredits,
      runs: fake.runs(),
      workflow_runs: fake.workflowRuns(),
      charges: fake.charges(),
      deliveries: fake.deliveries(),
      pending_faults: faults.pending.length,
    }),
    close() {
      if (closing === undefined) {
        store.close();
        closing = new Promise((resolve) => server.close(() => resolve())).then(() => {
          settings.log(`fake Coasty API on ${baseUrl} closed`);
        });
        server.closeAllConnections();
      }
      return closing;
    },
  };
  control = createControlHandler(fake, settings.log);
  settings.log(`fake Coasty API listening on ${baseUrl}`);
  return fake;
}
