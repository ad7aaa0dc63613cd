// Calls every CoastyClient method once against the local fake Coasty API. Each
// case creates its own resources with plain fetch calls, then makes exactly one
// client call and checks the HTTP status, the method and path the fake received,
// and the query or body it sent. The last test fails when operations() has an id
// that no case covers.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { after, before, test } from "node:test";

import { CoastyClient, operations } from "coasty";
import { ALL_SCOPES } from "../fake-coasty/lib/keys.mjs";
import { SCREENSHOT_PNG_BASE64 } from "../fake-coasty/lib/machine-commands.mjs";
import { startFakeCoasty } from "../fake-coasty/server.mjs";

let fake;
let apiKey;
let client;

before(async () => {
  fake = await startFakeCoasty({ stepDelayMs: 5 });
  // One live key with every scope, so no case fails on a missing scope.
  apiKey = fake.createKey({ kind: "live", scopes: ALL_SCOPES, name: "client methods test" });
  client = new CoastyClient({ apiKey, baseUrl: fake.baseUrl, maxRetries: 0, timeoutMs: 5000 });
});

after(async () => {
  await fake.close();
});

/** Sends one request to the fake without the client and returns the JSON body. */
async function send(method, path, body, headers = {}) {
  const response = await fetch(`${fake.baseUrl}${path}`, {
    method,
    headers: {
      "X-API-Key": apiKey,
      ...(body === undefined ? {} : { "Content-Type": "application/json" }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`setup request ${method} ${path} failed with HTTP ${response.status}: ${text}`);
  }
  return JSON.parse(text);
}

async function waitForStatus(path, read, expected) {
  const deadline = Date.now() + 3000;
  for (;;) {
    const status = read(await send("GET", path));
    if (status === expected) return;
    if (Date.now() > deadline) {
      throw new Error(`GET ${path} still reports status ${status} after 3 s, expected ${expected}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function uniqueSuffix() {
  return randomBytes(4).toString("hex");
}

async function runningMachine() {
  const created = await send("POST", "/machines", { display_name: `methods-${uniqueSuffix()}` });
  const id = created.machine.id;
  await waitForStatus(`/machines/${id}`, (body) => body.machine.status, "running");
  return id;
}

async function stoppedMachine() {
  const id = await runningMachine();
  await send("POST", `/machines/${id}/stop`);
  return id;
}

async function createRun(task = "Open the settings page") {
  return send("POST", "/runs", { machine_id: `methods-machine-${uniqueSuffix()}`, task });
}

async function awaitingRun() {
  const run = await createRun("Download the report [awaiting_human]");
  await waitForStatus(`/runs/${run.id}`, (body) => body.status, "awaiting_human");
  return run.id;
}

async function createSession() {
  const session = await send("POST", "/sessions", {});
  return session.session_id;
}

const TASK_DEFINITION = { steps: [{ id: "open", type: "task", task: "Open the settings page" }] };
const APPROVAL_DEFINITION = {
  steps: [{ id: "approve", type: "human_approval", message: "Approve the export" }],
};

async function createWorkflow() {
  const workflow = await send("POST", "/workflows", {
    name: "Methods workflow",
    slug: `methods-${uniqueSuffix()}`,
    definition: TASK_DEFINITION,
  });
  return workflow.id;
}

async function awaitingWorkflowRun() {
  const run = await send("POST", "/workflows/runs", { definition: APPROVAL_DEFINITION });
  await waitForStatus(`/workflows/runs/${run.id}`, (body) => body.status, "awaiting_human");
  return run.id;
}

async function createSchedule() {
  const schedule = await send("POST", "/schedules", {
    name: "Methods schedule",
    machine_id: `methods-machine-${uniqueSuffix()}`,
    task_prompt: "Export the daily report",
    frequency: "daily",
    time: "09:00",
  });
  return schedule.id;
}

async function createTrigger(scheduleId) {
  return send("POST", `/schedules/${scheduleId}/triggers`, {});
}

const LLM_KEY = { api_key: "sk-ant-methods-test-0123456789abcdef" };

/**
 * One case per operation id: `setup` creates what the call needs, `call` makes
 * the client call, and `expected` is the request the fake must receive (`query`
 * is the exact search string, `body` the parsed JSON body).
 */
const cases = {
  "runs.create": {
    setup: async () => ({ body: { machine_id: "methods-machine", task: "Open the invoice page" } }),
    call: (f) => client.runs.create(f.body),
    expected: (f) => ({ method: "POST", path: "/v1/runs", body: f.body }),
  },
  "runs.list": {
    call: () => client.runs.list({ status: "succeeded", limit: 5 }),
    expected: () => ({ method: "GET", path: "/v1/runs", query: "?status=succeeded&limit=5" }),
  },
  "runs.get": {
    setup: async () => ({ id: (await createRun()).id }),
    call: (f) => client.runs.get(f.id),
    expected: (f) => ({ method: "GET", path: `/v1/runs/${f.id}` }),
  },
  "runs.cancel": {
    setup: async () => ({ id: await awaitingRun() }),
    call: (f) => client.runs.cancel(f.id),
    expected: (f) => ({ method: "POST", path: `/v1/runs/${f.id}/cancel` }),
  },
  "runs.resume": {
    setup: async () => ({ id: await awaitingRun() }),
    call: (f) => client.runs.resume(f.id, { note: "Approved by the test" }),
    expected: (f) => ({
      method: "POST",
      path: `/v1/runs/${f.id}/resume`,
      body: { note: "Approved by the test" },
    }),
  },
  "runs.events": {
    setup: async () => ({ id: (await createRun()).id }),
    call: (f) => client.runs.events(f.id),
    expected: (f) => ({ method: "GET", path: `/v1/runs/${f.id}/events` }),
  },
  "predict.create": {
    setup: async () => ({
      body: { screenshot: SCREENSHOT_PNG_BASE64, instruction: "Click the Save button" },
    }),
    call: (f) => client.predict.create(f.body),
    expected: (f) => ({ method: "POST", path: "/v1/predict", body: f.body }),
  },
  "sessions.create": {
    setup: async () => ({ body: { cua_version: "v3", max_trajectory_length: 2 } }),
    call: (f) => client.sessions.create(f.body),
    expected: (f) => ({ method: "POST", path: "/v1/sessions", body: f.body }),
  },
  "sessions.list": {
    call: () => client.sessions.list(),
    expected: () => ({ method: "GET", path: "/v1/sessions" }),
  },
  "sessions.get": {
    setup: async () => ({ id: await createSession() }),
    call: (f) => client.sessions.get(f.id),
    expected: (f) => ({ method: "GET", path: `/v1/sessions/${f.id}` }),
  },
  "sessions.predict": {
    setup: async () => ({
      id: await createSession(),
      body: { screenshot: SCREENSHOT_PNG_BASE64, instruction: "Open the File menu" },
    }),
    call: (f) => client.sessions.predict(f.id, f.body),
    expected: (f) => ({ method: "POST", path: `/v1/sessions/${f.id}/predict`, body: f.body }),
  },
  "sessions.reset": {
    setup: async () => ({ id: await createSession() }),
    call: (f) => client.sessions.reset(f.id),
    expected: (f) => ({ method: "POST", path: `/v1/sessions/${f.id}/reset` }),
  },
  "sessions.delete": {
    setup: async () => ({ id: await createSession() }),
    call: (f) => client.sessions.delete(f.id),
    expected: (f) => ({ method: "DELETE", path: `/v1/sessions/${f.id}` }),
  },
  "ground.create": {
    setup: async () => ({
      body: { screenshot: SCREENSHOT_PNG_BASE64, element: "the Save button" },
    }),
    call: (f) => client.ground.create(f.body),
    expected: (f) => ({ method: "POST", path: "/v1/ground", body: f.body }),
  },
  "parse.create": {
    setup: async () => ({ body: { code: "pyautogui.click(10, 20)" } }),
    call: (f) => client.parse.create(f.body),
    expected: (f) => ({ method: "POST", path: "/v1/parse", body: f.body }),
  },
  "models.list": {
    call: () => client.models.list(),
    expected: () => ({ method: "GET", path: "/v1/models" }),
  },
  "machines.create": {
    setup: async () => ({ body: { display_name: "Methods create", os_type: "linux" } }),
    call: (f) => client.machines.create(f.body),
    expected: (f) => ({ method: "POST", path: "/v1/machines", body: f.body }),
  },
  "machines.list": {
    call: () => client.machines.list({ limit: 3 }),
    expected: () => ({ method: "GET", path: "/v1/machines", query: "?limit=3" }),
  },
  "machines.pricing": {
    call: () => client.machines.pricing(),
    expected: () => ({ method: "GET", path: "/v1/machines/pricing" }),
  },
  "machines.get": {
    setup: async () => ({ id: await runningMachine() }),
    call: (f) => client.machines.get(f.id),
    expected: (f) => ({ method: "GET", path: `/v1/machines/${f.id}` }),
  },
  "machines.update": {
    setup: async () => ({ id: await runningMachine() }),
    call: (f) => client.machines.update(f.id, { ttl_minutes: 60 }),
    expected: (f) => ({ method: "PATCH", path: `/v1/machines/${f.id}`, body: { ttl_minutes: 60 } }),
  },
  "machines.delete": {
    setup: async () => ({ id: await runningMachine() }),
    call: (f) => client.machines.delete(f.id),
    expected: (f) => ({ method: "DELETE", path: `/v1/machines/${f.id}` }),
  },
  "machines.start": {
    setup: async () => ({ id: await stoppedMachine() }),
    call: (f) => client.machines.start(f.id),
    expected: (f) => ({ method: "POST", path: `/v1/machines/${f.id}/start` }),
  },
  "machines.stop": {
    setup: async () => ({ id: await runningMachine() }),
    call: (f) => client.machines.stop(f.id),
    expected: (f) => ({ method: "POST", path: `/v1/machines/${f.id}/stop` }),
  },
  "machines.restart": {
    setup: async () => ({ id: await runningMachine() }),
    call: (f) => client.machines.restart(f.id),
    expected: (f) => ({ method: "POST", path: `/v1/machines/${f.id}/restart` }),
  },
  "machines.snapshot": {
    setup: async () => ({ id: await runningMachine() }),
    call: (f) => client.machines.snapshot(f.id),
    expected: (f) => ({ method: "POST", path: `/v1/machines/${f.id}/snapshot` }),
  },
  "machines.screenshot": {
    setup: async () => ({ id: await runningMachine() }),
    call: (f) => client.machines.screenshot(f.id),
    expected: (f) => ({ method: "GET", path: `/v1/machines/${f.id}/screenshot` }),
  },
  "machines.connection": {
    setup: async () => ({ id: await runningMachine() }),
    call: (f) => client.machines.connection(f.id),
    expected: (f) => ({ method: "GET", path: `/v1/machines/${f.id}/connection` }),
  },
  "machines.action": {
    setup: async () => ({
      id: await runningMachine(),
      body: { command: "click", parameters: { x: 10, y: 20 } },
    }),
    call: (f) => client.machines.action(f.id, f.body),
    expected: (f) => ({ method: "POST", path: `/v1/machines/${f.id}/actions`, body: f.body }),
  },
  "machines.actionBatch": {
    setup: async () => ({
      id: await runningMachine(),
      body: {
        steps: [{ command: "click", parameters: { x: 1, y: 2 } }, { command: "screenshot" }],
      },
    }),
    call: (f) => client.machines.actionBatch(f.id, f.body),
    expected: (f) => ({ method: "POST", path: `/v1/machines/${f.id}/actions/batch`, body: f.body }),
  },
  "machines.browser": {
    setup: async () => ({
      id: await runningMachine(),
      body: { parameters: { url: "http://127.0.0.1/" } },
    }),
    call: (f) => client.machines.browser(f.id, "navigate", f.body),
    expected: (f) => ({
      method: "POST",
      path: `/v1/machines/${f.id}/browser/navigate`,
      body: f.body,
    }),
  },
  "machines.terminal": {
    setup: async () => ({ id: await runningMachine(), body: { command: "ls -la" } }),
    call: (f) => client.machines.terminal(f.id, f.body),
    expected: (f) => ({ method: "POST", path: `/v1/machines/${f.id}/terminal`, body: f.body }),
  },
  "machines.files": {
    setup: async () => ({
      id: await runningMachine(),
      body: { parameters: { path: "/tmp/notes.txt", content: "hello" } },
    }),
    call: (f) => client.machines.files(f.id, "write", f.body),
    expected: (f) => ({ method: "POST", path: `/v1/machines/${f.id}/files/write`, body: f.body }),
  },
  "workflows.create": {
    setup: async () => ({
      body: {
        name: "Created by client",
        slug: `client-${uniqueSuffix()}`,
        definition: TASK_DEFINITION,
      },
    }),
    call: (f) => client.workflows.create(f.body),
    expected: (f) => ({ method: "POST", path: "/v1/workflows", body: f.body }),
  },
  "workflows.list": {
    call: () => client.workflows.list({ limit: 2 }),
    expected: () => ({ method: "GET", path: "/v1/workflows", query: "?limit=2" }),
  },
  "workflows.get": {
    setup: async () => ({ id: await createWorkflow() }),
    call: (f) => client.workflows.get(f.id),
    expected: (f) => ({ method: "GET", path: `/v1/workflows/${f.id}` }),
  },
  "workflows.update": {
    setup: async () => ({
      id: await createWorkflow(),
      body: { description: "Updated by the client" },
    }),
    call: (f) => client.workflows.update(f.id, f.body),
    expected: (f) => ({ method: "PUT", path: `/v1/workflows/${f.id}`, body: f.body }),
  },
  "workflows.delete": {
    setup: async () => ({ id: await createWorkflow() }),
    call: (f) => client.workflows.delete(f.id),
    expected: (f) => ({ method: "DELETE", path: `/v1/workflows/${f.id}` }),
  },
  "workflows.start": {
    setup: async () => ({ id: await createWorkflow(), body: { inputs: { month: "2026-01" } } }),
    call: (f) => client.workflows.start(f.id, f.body),
    expected: (f) => ({ method: "POST", path: `/v1/workflows/${f.id}/runs`, body: f.body }),
  },
  "workflows.startAdHoc": {
    setup: async () => ({ body: { definition: TASK_DEFINITION } }),
    call: (f) => client.workflows.startAdHoc(f.body),
    expected: (f) => ({ method: "POST", path: "/v1/workflows/runs", body: f.body }),
  },
  "workflows.listRuns": {
    setup: async () => ({ workflowId: await createWorkflow() }),
    call: (f) => client.workflows.listRuns({ workflow_id: f.workflowId }),
    expected: (f) => ({
      method: "GET",
      path: "/v1/workflows/runs",
      query: `?workflow_id=${f.workflowId}`,
    }),
  },
  "workflows.getRun": {
    setup: async () => ({ id: await awaitingWorkflowRun() }),
    call: (f) => client.workflows.getRun(f.id),
    expected: (f) => ({ method: "GET", path: `/v1/workflows/runs/${f.id}` }),
  },
  "workflows.runEvents": {
    setup: async () => {
      const run = await send("POST", "/workflows/runs", { definition: TASK_DEFINITION });
      return { id: run.id };
    },
    call: (f) => client.workflows.runEvents(f.id),
    expected: (f) => ({ method: "GET", path: `/v1/workflows/runs/${f.id}/events` }),
  },
  "workflows.cancelRun": {
    setup: async () => ({ id: await awaitingWorkflowRun() }),
    call: (f) => client.workflows.cancelRun(f.id),
    expected: (f) => ({ method: "POST", path: `/v1/workflows/runs/${f.id}/cancel` }),
  },
  "workflows.resumeRun": {
    setup: async () => ({ id: await awaitingWorkflowRun() }),
    call: (f) => client.workflows.resumeRun(f.id, { approved: true, note: "Looks right" }),
    expected: (f) => ({
      method: "POST",
      path: `/v1/workflows/runs/${f.id}/resume`,
      body: { approved: true, note: "Looks right" },
    }),
  },
  "schedules.create": {
    setup: async () => ({
      body: {
        name: "Created by client",
        machine_id: "methods-machine",
        task_prompt: "Archive old invoices",
        frequency: "weekly",
        day_of_week: 1,
        time: "08:30",
      },
    }),
    call: (f) => client.schedules.create(f.body),
    expected: (f) => ({ method: "POST", path: "/v1/schedules", body: f.body }),
  },
  "schedules.list": {
    call: () => client.schedules.list({ limit: 4 }),
    expected: () => ({ method: "GET", path: "/v1/schedules", query: "?limit=4" }),
  },
  "schedules.get": {
    setup: async () => ({ id: await createSchedule() }),
    call: (f) => client.schedules.get(f.id),
    expected: (f) => ({ method: "GET", path: `/v1/schedules/${f.id}` }),
  },
  "schedules.update": {
    setup: async () => ({ id: await createSchedule(), body: { name: "Renamed schedule" } }),
    call: (f) => client.schedules.update(f.id, f.body),
    expected: (f) => ({ method: "PATCH", path: `/v1/schedules/${f.id}`, body: f.body }),
  },
  "schedules.delete": {
    setup: async () => ({ id: await createSchedule() }),
    call: (f) => client.schedules.delete(f.id),
    expected: (f) => ({ method: "DELETE", path: `/v1/schedules/${f.id}` }),
  },
  "schedules.run": {
    setup: async () => ({ id: await createSchedule() }),
    call: (f) => client.schedules.run(f.id),
    expected: (f) => ({ method: "POST", path: `/v1/schedules/${f.id}/run` }),
  },
  "schedules.pause": {
    setup: async () => ({ id: await createSchedule() }),
    call: (f) => client.schedules.pause(f.id),
    expected: (f) => ({ method: "POST", path: `/v1/schedules/${f.id}/pause` }),
  },
  "schedules.resume": {
    setup: async () => {
      const id = await createSchedule();
      await send("POST", `/schedules/${id}/pause`);
      return { id };
    },
    call: (f) => client.schedules.resume(f.id),
    expected: (f) => ({ method: "POST", path: `/v1/schedules/${f.id}/resume` }),
  },
  "schedules.listRuns": {
    setup: async () => ({ id: await createSchedule() }),
    call: (f) => client.schedules.listRuns(f.id, { limit: 10 }),
    expected: (f) => ({ method: "GET", path: `/v1/schedules/${f.id}/runs`, query: "?limit=10" }),
  },
  "schedules.getRun": {
    setup: async () => {
      const id = await createSchedule();
      const started = await send("POST", `/schedules/${id}/run`);
      return { id, runId: started.run_id };
    },
    call: (f) => client.schedules.getRun(f.id, f.runId),
    expected: (f) => ({ method: "GET", path: `/v1/schedules/${f.id}/runs/${f.runId}` }),
  },
  "schedules.listTriggers": {
    setup: async () => ({ id: await createSchedule() }),
    call: (f) => client.schedules.listTriggers(f.id),
    expected: (f) => ({ method: "GET", path: `/v1/schedules/${f.id}/triggers` }),
  },
  "schedules.createTrigger": {
    setup: async () => ({ id: await createSchedule(), body: { rate_limit_per_minute: 30 } }),
    call: (f) => client.schedules.createTrigger(f.id, f.body),
    expected: (f) => ({ method: "POST", path: `/v1/schedules/${f.id}/triggers`, body: f.body }),
  },
  "schedules.deleteTrigger": {
    setup: async () => {
      const id = await createSchedule();
      const trigger = await createTrigger(id);
      return { id, triggerId: trigger.id };
    },
    call: (f) => client.schedules.deleteTrigger(f.id, f.triggerId),
    expected: (f) => ({ method: "DELETE", path: `/v1/schedules/${f.id}/triggers/${f.triggerId}` }),
  },
  "schedules.emailMailbox": {
    setup: async () => ({ body: { schedule_id: await createSchedule() } }),
    call: (f) => client.schedules.emailMailbox(f.body),
    expected: (f) => ({ method: "POST", path: "/v1/triggers/email-mailbox", body: f.body }),
  },
  "triggers.webhook": {
    setup: async () => {
      const trigger = await createTrigger(await createSchedule());
      return {
        webhookId: trigger.webhook_id,
        secret: trigger.secret,
        // Control characters and non-ASCII text: the signature must cover the
        // exact bytes sent.
        body: { event: "invoice.created", invoice_id: "inv_42", amount_cents: 1250, note: "a\b\f\t ✓ 🚀" },
      };
    },
    call: (f) => client.triggers.webhook(f.webhookId, f.body, { secret: f.secret }),
    expected: (f) => ({
      method: "POST",
      path: `/v1/triggers/webhook/${f.webhookId}`,
      body: f.body,
    }),
  },
  "keys.create": {
    setup: async () => ({ body: { name: "Methods key", scopes: ["runs:read"] } }),
    call: (f) => client.keys.create(f.body),
    expected: (f) => ({ method: "POST", path: "/v1/keys", body: f.body }),
  },
  "keys.list": {
    call: () => client.keys.list(),
    expected: () => ({ method: "GET", path: "/v1/keys" }),
  },
  "keys.revoke": {
    setup: async () => ({ keyId: (await send("POST", "/keys", { name: "Key to revoke" })).key_id }),
    call: (f) => client.keys.revoke(f.keyId),
    expected: (f) => ({ method: "DELETE", path: `/v1/keys/${f.keyId}` }),
  },
  "llmKeys.list": {
    call: () => client.llmKeys.list(),
    expected: () => ({ method: "GET", path: "/v1/llm/keys" }),
  },
  "llmKeys.put": {
    call: () => client.llmKeys.put("openai", LLM_KEY),
    expected: () => ({ method: "PUT", path: "/v1/llm/keys/openai", body: LLM_KEY }),
  },
  "llmKeys.delete": {
    setup: async () => {
      await send("PUT", "/llm/keys/anthropic", LLM_KEY);
      return {};
    },
    call: () => client.llmKeys.delete("anthropic"),
    expected: () => ({ method: "DELETE", path: "/v1/llm/keys/anthropic" }),
  },
  "usage.get": {
    call: () => client.usage.get({ period: "2026-01" }),
    expected: () => ({ method: "GET", path: "/v1/usage", query: "?period=2026-01" }),
  },
  "idempotency.get": {
    setup: async () => {
      const key = `methods-${uniqueSuffix()}`;
      await send("POST", "/runs", { machine_id: "methods-machine", task: "Idempotent task" }, {
        "Idempotency-Key": key,
      });
      return { key };
    },
    call: (f) => client.idempotency.get(f.key),
    expected: (f) => ({ method: "GET", path: `/v1/idempotency/${f.key}` }),
  },
};

/** Reads an event stream to its end and returns the events. */
async function collectEvents(stream) {
  const events = [];
  for await (const event of stream) events.push(event);
  return events;
}

/** Checks the one request a call sent and returns it. */
function checkRequest(id, received, expected) {
  assert.equal(received.length, 1, `${id} sent ${received.length} requests, expected 1`);
  const [request] = received;
  assert.equal(request.method, expected.method, `${id} HTTP method`);
  assert.equal(request.path, expected.path, `${id} request path`);
  if (expected.query !== undefined) {
    assert.equal(request.query, expected.query, `${id} query string`);
  }
  if (expected.body !== undefined) {
    assert.deepEqual(request.body, expected.body, `${id} request body`);
  }
  return request;
}

/** Checks the credentials: an HMAC signature on the trigger webhook, the API key elsewhere. */
function checkAuthentication(id, request) {
  if (id === "triggers.webhook") {
    assert.equal(request.headers["x-api-key"], undefined, `${id} sent the API key`);
    assert.equal(request.headers.authorization, undefined, `${id} sent an Authorization header`);
    const signature = request.headers["coasty-signature"] ?? "";
    assert.match(signature, /^t=\d+,v1=[0-9a-f]{64}$/, `${id} Coasty-Signature header`);
    return;
  }
  // assert.ok instead of assert.equal keeps the key out of the failure output.
  assert.ok(request.headers["x-api-key"] === apiKey, `${id} did not send the API key as X-API-Key`);
}

for (const [id, testCase] of Object.entries(cases)) {
  // The timeout turns a stream that never ends, or a hung call, into a failure.
  test(`${id} sends one request and resolves`, { timeout: 5000 }, async () => {
    const fixture = testCase.setup ? await testCase.setup() : {};
    const expected = testCase.expected(fixture);
    const firstRequest = fake.requests.length;
    const operation = operations().find((item) => item.id === id);
    assert.ok(operation, `operations() has no ${id}; remove its case or restore the operation`);

    if (operation.streams) {
      const events = await collectEvents(testCase.call(fixture));
      assert.ok(events.length > 0, `${id} yielded no events`);
      assert.equal(events.at(-1).type, "done", `${id} last event type`);
      const request = checkRequest(id, fake.requests.slice(firstRequest), expected);
      checkAuthentication(id, request);
      return;
    }

    const result = await testCase.call(fixture);
    const status = result?.lastResponse?.status;
    assert.ok(status >= 200, `${id} returned HTTP ${status}, expected 2xx`);
    assert.ok(status < 300, `${id} returned HTTP ${status}, expected 2xx`);
    const request = checkRequest(id, fake.requests.slice(firstRequest), expected);
    checkAuthentication(id, request);
    if (operation.idempotency === "honoured") {
      // The client creates a key for every call that the server deduplicates.
      const key = request.headers["idempotency-key"] ?? "";
      assert.match(key, /^[A-Za-z0-9_:-]{1,128}$/, `${id} Idempotency-Key header`);
      assert.equal(key, result.lastResponse.idempotencyKey, `${id} lastResponse.idempotencyKey`);
    }
  });
}

test("every operation id has a case", () => {
  const operationIds = operations().map((operation) => operation.id);
  const missing = operationIds.filter((id) => !(id in cases));
  const unknown = Object.keys(cases).filter((id) => !operationIds.includes(id));
  assert.deepEqual(missing, [], "operation ids without a case");
  assert.deepEqual(unknown, [], "cases for ids that operations() does not list");
});
