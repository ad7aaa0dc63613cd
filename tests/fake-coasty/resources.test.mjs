// Machines, workflows, schedules and trigger webhooks.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { signPayload } from "./lib/webhooks.mjs";
import { startFakeCoasty } from "./server.mjs";
import { call, readEventStream, waitFor } from "./support.mjs";

let fake;
let fullKey;
before(async () => {
  fake = await startFakeCoasty({ stepDelayMs: 5 });
  fullKey = fake.createKey({ kind: "live", scopes: ["machines:read", "machines:write", "actions:exec", "terminal:exec", "files:read", "files:write", "snapshots:write", "connection:read", "runs:write"] });
});
after(() => fake.close());
beforeEach(() => {
  fake.setWallet(10_000);
  fake.clearFaults();
});

async function provision(key = fullKey) {
  const response = await call(fake, "POST", "/machines", { key, body: { display_name: "ci box" } });
  assert.equal(response.status, 200, response.text);
  return response.body.machine;
}

describe("machines", () => {
  test("provision waits in creating, then runs", async () => {
    const machine = await provision();
    assert.equal(machine.status, "creating");
    assert.match(machine.id, /^[0-9a-f-]{36}$/);
    await waitFor(async () => (await call(fake, "GET", `/machines/${machine.id}`, { key: fullKey })).body.machine.status === "running", "the machine to run");
  });

  test("test keys get an instant mock machine", async () => {
    const response = await call(fake, "POST", "/machines", { key: fake.keys.test, body: { display_name: "mock" } });
    assert.match(response.body.machine.id, /^mch_test_[0-9a-f]{8,32}$/);
    assert.equal(response.body.machine.status, "running");
    assert.equal(response.body.machine.is_test, true);
  });

  test("provisioning needs 20 credits", async () => {
    fake.setWallet(19);
    const response = await call(fake, "POST", "/machines", { key: fullKey, body: { display_name: "x" } });
    assert.equal(response.status, 402);
    assert.equal(response.body.error.required, 20);
  });

  test("commands, files and scopes", async () => {
    const machine = await provision();
    await waitFor(async () => (await call(fake, "GET", `/machines/${machine.id}`, { key: fullKey })).body.machine.status === "running", "the machine to run");
    const path = `/machines/${machine.id}`;
    const written = await call(fake, "POST", `${path}/files/write`, { key: fullKey, body: { parameters: { path: "/tmp/a.txt", content: "hello" } } });
    assert.equal(written.body.success, true);
    const read = await call(fake, "POST", `${path}/files/read`, { key: fullKey, body: { parameters: { path: "/tmp/a.txt" } } });
    assert.equal(read.body.result.content, "hello");
    const terminal = await call(fake, "POST", `${path}/terminal`, { key: fullKey, body: { command: "x".repeat(8000) } });
    assert.equal(terminal.body.result.stdout.length, 5000);
    assert.equal(terminal.body.result.truncated, true);
    const batch = await call(fake, "POST", `${path}/actions/batch`, {
      key: fullKey,
      body: { steps: [{ command: "click", parameters: { x: 1, y: 2 } }, { command: "file_read", parameters: { path: "/missing" } }, { command: "click" }] },
    });
    assert.deepEqual([batch.body.completed_count, batch.body.failed_count, batch.body.aborted], [1, 1, true]);
    const browser = await call(fake, "POST", `${path}/browser/navigate`, { key: fullKey, body: { parameters: { url: "http://127.0.0.1/" } } });
    assert.equal(browser.body.command, "browser_navigate");
    assert.equal((await call(fake, "POST", `${path}/browser/teleport`, { key: fullKey, body: {} })).status, 404);

    const readOnly = fake.createKey({ kind: "live", scopes: ["actions:exec", "files:read"] });
    const denied = await call(fake, "POST", `${path}/actions`, { key: readOnly, body: { command: "browser_execute", parameters: { script: "1" } } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.required_scope, "browser:execute");
    const deniedWrite = await call(fake, "POST", `${path}/files/delete`, { key: readOnly, body: { parameters: { path: "/tmp/a.txt" } } });
    assert.equal(deniedWrite.body.error.required_scope, "files:write");
  });

  test("screenshot, connection, snapshot and lifecycle", async () => {
    const machine = (await call(fake, "POST", "/machines", { key: fake.keys.test, body: { display_name: "mock" } })).body.machine;
    const key = fake.createKey({ kind: "test", scopes: ["machines:read", "machines:write", "connection:read", "snapshots:write"] });
    const path = `/machines/${machine.id}`;
    const shot = await call(fake, "GET", `${path}/screenshot`, { key });
    assert.equal(shot.body.mime_type, "image/png");
    assert.ok(!shot.body.image_b64.startsWith("data:"));
    const connection = await call(fake, "GET", `${path}/connection`, { key });
    assert.equal(connection.headers.get("cache-control"), "no-store");
    assert.match(connection.body.ssh_private_key_pem, /BEGIN OPENSSH PRIVATE KEY/);
    const snapshot = await call(fake, "POST", `${path}/snapshot`, { key, body: { name: "before" } });
    assert.equal(snapshot.body.name, "before");
    assert.equal(snapshot.body.credits_charged, 0, "test keys are not billed");
    assert.equal((await call(fake, "POST", `${path}/stop`, { key })).body.status, "stopped");
    assert.equal((await call(fake, "POST", `${path}/restart`, { key })).body.error.code, "INVALID_STATE");
    assert.equal((await call(fake, "POST", `${path}/start`, { key })).body.status, "running");
    assert.equal((await call(fake, "PATCH", path, { key, body: { ttl_minutes: 3 } })).status, 422);
    assert.notEqual((await call(fake, "PATCH", path, { key, body: { ttl_minutes: 60 } })).body.machine.expires_at, null);
    assert.equal((await call(fake, "DELETE", path, { key })).body.status, "terminated");
    const afterDelete = await call(fake, "POST", "/runs", { key: fake.keys.test, body: { machine_id: machine.id, task: "x" } });
    assert.equal(afterDelete.body.error.code, "MACHINE_NOT_FOUND");
  });

  test("live snapshot costs 1 credit", async () => {
    const machine = await provision();
    await waitFor(async () => (await call(fake, "GET", `/machines/${machine.id}`, { key: fullKey })).body.machine.status === "running", "the machine to run");
    const snapshot = await call(fake, "POST", `/machines/${machine.id}/snapshot`, { key: fullKey, body: {} });
    assert.equal(snapshot.body.credits_charged, 1);
    assert.equal(fake.wallet(), 9_999);
  });

  test("other mode and unknown machines are 404", async () => {
    const machine = await provision();
    const response = await call(fake, "GET", `/machines/${machine.id}`, { key: fake.keys.test });
    assert.equal(response.body.error.code, "MACHINE_NOT_FOUND");
    assert.equal((await call(fake, "GET", "/machines?limit=201", { key: fullKey })).body.error.code, "INVALID_LIMIT");
    assert.equal((await call(fake, "GET", "/machines/pricing", { key: fullKey })).body.credits_per_hour.linux_running, 5);
  });
});

describe("workflows", () => {
  const definition = {
    steps: [
      { id: "collect", type: "task", task: "collect the invoices" },
      { id: "approve", type: "human_approval", message: "Pay them?" },
      { id: "pay", type: "task", task: "pay" },
    ],
  };

  test("create, run, approve and finish", async () => {
    const created = await call(fake, "POST", "/workflows", { body: { name: "Invoices", slug: "invoices", definition } });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.version, 1);
    assert.equal(created.body.dsl_version, "2026-06-01");
    assert.equal((await call(fake, "POST", "/workflows", { body: { name: "again", slug: "invoices", definition } })).body.error.code, "CONFLICT");

    const started = await call(fake, "POST", `/workflows/${created.body.id}/runs`, { body: { inputs: { month: "05" } } });
    assert.equal(started.body.object, "workflow.run");
    const runId = started.body.id;
    await waitFor(() => fake.workflowRuns().find((run) => run.id === runId && run.status === "awaiting_human"), "the approval pause");
    const paused = await call(fake, "GET", `/workflows/runs/${runId}`);
    assert.equal(paused.body.awaiting_step_id, "approve");
    assert.equal(paused.body.spent_cents, 5);
    assert.equal((await call(fake, "POST", `/workflows/runs/${runId}/resume`, { body: { approved: true } })).body.status, "running");
    const stream = await readEventStream(fake, `/workflows/runs/${runId}/events`);
    assert.equal(stream.events.at(-1).event, "done");
    const finished = await call(fake, "GET", `/workflows/runs/${runId}`);
    assert.equal(finished.body.status, "succeeded");
    assert.equal(finished.body.spent_cents, 10);
    assert.deepEqual(Object.keys(finished.body.output).sort(), ["collect", "pay"]);
  });

  test("rejected approval fails the run", async () => {
    const started = await call(fake, "POST", "/workflows/runs", { body: { definition } });
    const runId = started.body.id;
    await waitFor(() => fake.workflowRuns().find((run) => run.id === runId && run.status === "awaiting_human"), "the approval pause");
    const resumed = await call(fake, "POST", `/workflows/runs/${runId}/resume`, { body: { approved: false, note: "no" } });
    assert.equal(resumed.body.status, "failed");
  });

  test("budget guard fails the run", async () => {
    const started = await call(fake, "POST", "/workflows/runs", { body: { definition, budget_cents: 4 } });
    const run = await waitFor(() => fake.workflowRuns().find((item) => item.id === started.body.id && item.status === "failed"), "the guard");
    assert.equal(run.error.code, "GUARD_EXCEEDED");
  });

  const invalidDefinitions = [
    ["no steps", { steps: [] }],
    ["bad step id", { steps: [{ id: "a b", type: "task" }] }],
    ["unknown type", { steps: [{ id: "a", type: "goto" }] }],
    ["duplicate ids", { steps: [{ id: "a", type: "task" }, { id: "a", type: "task" }] }],
    ["approval in parallel", { steps: [{ id: "p", type: "parallel", branches: [[{ id: "h", type: "human_approval" }]] }] }],
    ["save_as vars", { steps: [{ id: "a", type: "task", save_as: "vars" }] }],
  ];
  for (const [name, badDefinition] of invalidDefinitions) {
    test(`definition with ${name} is rejected`, async () => {
      const response = await call(fake, "POST", "/workflows/runs", { body: { definition: badDefinition } });
      assert.equal(response.status, 422);
      assert.deepEqual(response.body.error.details[0].loc, ["body", "definition"]);
    });
  }

  test("archived workflows cannot start", async () => {
    const created = await call(fake, "POST", "/workflows", { body: { name: "Old", slug: "old-flow", definition } });
    assert.equal((await call(fake, "DELETE", `/workflows/${created.body.id}`)).body.status, "archived");
    const started = await call(fake, "POST", `/workflows/${created.body.id}/runs`, { body: {} });
    assert.equal(started.body.error.code, "INVALID_STATE");
    const updated = await call(fake, "PUT", `/workflows/${created.body.id}`, { body: { status: "active" } });
    assert.equal(updated.body.version, 2);
  });
});

describe("schedules and triggers", () => {
  const schedule = { name: "nightly", machine_id: "m1", task_prompt: "check mail", frequency: "daily", time: "02:00" };

  test("create, patch, pause and list runs", async () => {
    const created = await call(fake, "POST", "/schedules", { body: schedule });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.timezone, "UTC");
    const id = created.body.id;
    assert.equal((await call(fake, "PATCH", `/schedules/${id}`, { body: {} })).body.error.code, "EMPTY_UPDATE");
    assert.equal((await call(fake, "PATCH", `/schedules/${id}`, { body: { name: "renamed" } })).body.name, "renamed");
    const ran = await call(fake, "POST", `/schedules/${id}/run`);
    assert.match(ran.body.run_id, /^srun_/);
    await waitFor(async () => (await call(fake, "GET", `/schedules/${id}/runs?status=completed`)).body.data.length === 1, "the run to complete");
    assert.equal((await call(fake, "GET", `/schedules/${id}/runs?status=queued`)).body.error.code, "INVALID_STATUS_FILTER");
    assert.equal((await call(fake, "POST", `/schedules/${id}/pause`)).body.status, "paused");
  });

  test("timing must be exactly one of frequency and run_at", async () => {
    const both = await call(fake, "POST", "/schedules", { body: { ...schedule, run_at: "2030-01-01T00:00:00Z" } });
    assert.equal(both.status, 422);
    const custom = await call(fake, "POST", "/schedules", { body: { ...schedule, frequency: "custom" } });
    assert.deepEqual(custom.body.error.details[0].loc, ["body", "cron"]);
  });

  test("pagination with next_cursor", async () => {
    await call(fake, "POST", "/schedules", { body: { ...schedule, name: "a" } });
    await call(fake, "POST", "/schedules", { body: { ...schedule, name: "b" } });
    const first = await call(fake, "GET", "/schedules?limit=1");
    assert.equal(first.body.has_more, true);
    const second = await call(fake, "GET", `/schedules?limit=1&cursor=${first.body.next_cursor}`);
    assert.notEqual(second.body.data[0].id, first.body.data[0].id);
    assert.equal((await call(fake, "GET", "/schedules?cursor=zzz")).status, 422);
  });

  test("signed trigger webhook starts a run and dedupes", async () => {
    const created = await call(fake, "POST", "/schedules", { body: schedule });
    const trigger = await call(fake, "POST", `/schedules/${created.body.id}/triggers`, { body: { type: "webhook", rate_limit_per_minute: 2 } });
    assert.equal(trigger.headers.get("cache-control"), "no-store");
    assert.match(trigger.body.secret, /^whsec_/);
    assert.ok(trigger.body.webhook_url.startsWith(fake.baseUrl));
    const listed = await call(fake, "GET", `/schedules/${created.body.id}/triggers`);
    assert.ok(!listed.text.includes(trigger.body.secret), "the secret is shown only once");

    const fire = (body, secret = trigger.body.secret, t = Math.floor(Date.now() / 1000)) =>
      fetch(trigger.body.webhook_url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "Coasty-Signature": `t=${t},v1=${signPayload(secret, t, body)}` },
        body,
      });
    const first = await fire('{"n":1}');
    assert.equal(first.status, 200);
    const firstBody = await first.json();
    assert.equal(firstBody.deduplicated, false);
    const duplicate = await (await fire('{"n":1}')).json();
    assert.equal(duplicate.deduplicated, true);
    assert.equal(duplicate.run_id, firstBody.run_id);
    assert.equal((await fire('{"n":3}')).status, 429);
    const badSecret = await fire('{"n":2}', "whsec_wrong");
    assert.equal(badSecret.status, 401);
    assert.equal((await badSecret.json()).error.code, "INVALID_SIGNATURE");
    assert.equal((await fire('{"n":2}', trigger.body.secret, Math.floor(Date.now() / 1000) - 301)).status, 401);
    assert.equal((await fetch(trigger.body.webhook_url, { method: "POST", body: "{}" })).status, 401);
  });

  test("paused schedule rejects trigger fires", async () => {
    const created = await call(fake, "POST", "/schedules", { body: schedule });
    const trigger = await call(fake, "POST", `/schedules/${created.body.id}/triggers`, { body: {} });
    await call(fake, "POST", `/schedules/${created.body.id}/pause`);
    const t = Math.floor(Date.now() / 1000);
    const response = await fetch(trigger.body.webhook_url, {
      method: "POST",
      headers: { "Coasty-Signature": `t=${t},v1=${signPayload(trigger.body.secret, t, "{}")}` },
      body: "{}",
    });
    assert.equal(response.status, 409);
    assert.equal((await response.json()).error.code, "SCHEDULE_INACTIVE");
  });
});
