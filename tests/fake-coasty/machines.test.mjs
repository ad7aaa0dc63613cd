// Machines: lifecycle, commands, files, scopes and billing.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { startFakeCoasty } from "./server.mjs";
import { call, waitFor } from "./support.mjs";

let fake;
let fullKey;
before(async () => {
  fake = await startFakeCoasty({ stepDelayMs: 5 });
  fullKey = fake.createKey({
    kind: "live",
    scopes: [
      "machines:read",
      "machines:write",
      "actions:exec",
      "terminal:exec",
      "files:read",
      "files:write",
      "snapshots:write",
      "connection:read",
      "runs:write",
    ],
  });
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
    await waitFor(
      async () =>
        (await call(fake, "GET", `/machines/${machine.id}`, { key: fullKey })).body.machine
          .status === "running",
      "the machine to run",
    );
  });

  test("test keys get an instant mock machine", async () => {
    const response = await call(fake, "POST", "/machines", {
      key: fake.keys.test,
      body: { display_name: "mock" },
    });
    assert.match(response.body.machine.id, /^mch_test_[0-9a-f]{8,32}$/);
    assert.equal(response.body.machine.status, "running");
    assert.equal(response.body.machine.is_test, true);
  });

  test("provisioning needs 20 credits", async () => {
    fake.setWallet(19);
    const response = await call(fake, "POST", "/machines", {
      key: fullKey,
      body: { display_name: "x" },
    });
    assert.equal(response.status, 402);
    assert.equal(response.body.error.required, 20);
  });

  test("commands, files and scopes", async () => {
    const machine = await provision();
    await waitFor(
      async () =>
        (await call(fake, "GET", `/machines/${machine.id}`, { key: fullKey })).body.machine
          .status === "running",
      "the machine to run",
    );
    const path = `/machines/${machine.id}`;
    const written = await call(fake, "POST", `${path}/files/write`, {
      key: fullKey,
      body: { parameters: { path: "/tmp/a.txt", content: "hello" } },
    });
    assert.equal(written.body.success, true);
    const read = await call(fake, "POST", `${path}/files/read`, {
      key: fullKey,
      body: { parameters: { path: "/tmp/a.txt" } },
    });
    assert.equal(read.body.result.content, "hello");
    const terminal = await call(fake, "POST", `${path}/terminal`, {
      key: fullKey,
      body: { command: "x".repeat(8000) },
    });
    assert.equal(terminal.body.result.stdout.length, 5000);
    assert.equal(terminal.body.result.truncated, true);
    const batch = await call(fake, "POST", `${path}/actions/batch`, {
      key: fullKey,
      body: {
        steps: [
          { command: "click", parameters: { x: 1, y: 2 } },
          { command: "file_read", parameters: { path: "/missing" } },
          { command: "click" },
        ],
      },
    });
    assert.deepEqual(
      [batch.body.completed_count, batch.body.failed_count, batch.body.aborted],
      [1, 1, true],
    );
    const browser = await call(fake, "POST", `${path}/browser/navigate`, {
      key: fullKey,
      body: { parameters: { url: "http://127.0.0.1/" } },
    });
    assert.equal(browser.body.command, "browser_navigate");
    assert.equal(
      (await call(fake, "POST", `${path}/browser/teleport`, { key: fullKey, body: {} })).status,
      404,
    );

    const readOnly = fake.createKey({ kind: "live", scopes: ["actions:exec", "files:read"] });
    const denied = await call(fake, "POST", `${path}/actions`, {
      key: readOnly,
      body: { command: "browser_execute", parameters: { script: "1" } },
    });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.required_scope, "browser:execute");
    const deniedWrite = await call(fake, "POST", `${path}/files/delete`, {
      key: readOnly,
      body: { parameters: { path: "/tmp/a.txt" } },
    });
    assert.equal(deniedWrite.body.error.required_scope, "files:write");
  });

  async function mockMachine() {
    const created = await call(fake, "POST", "/machines", {
      key: fake.keys.test,
      body: { display_name: "mock" },
    });
    const key = fake.createKey({
      kind: "test",
      scopes: ["machines:read", "machines:write", "connection:read", "snapshots:write"],
    });
    return { path: `/machines/${created.body.machine.id}`, id: created.body.machine.id, key };
  }

  test("screenshot and connection", async () => {
    const { path, key } = await mockMachine();
    const shot = await call(fake, "GET", `${path}/screenshot`, { key });
    assert.equal(shot.body.mime_type, "image/png");
    assert.ok(!shot.body.image_b64.startsWith("data:"));

    const connection = await call(fake, "GET", `${path}/connection`, { key });
    assert.equal(connection.headers.get("cache-control"), "no-store");
    assert.match(connection.body.ssh_private_key_pem, /BEGIN OPENSSH PRIVATE KEY/);
  });

  test("snapshot is free on test keys", async () => {
    const { path, key } = await mockMachine();
    const snapshot = await call(fake, "POST", `${path}/snapshot`, {
      key,
      body: { name: "before" },
    });
    assert.equal(snapshot.body.name, "before");
    assert.equal(snapshot.body.credits_charged, 0);
  });

  test("stop, restart and start states", async () => {
    const { path, key } = await mockMachine();
    const stopped = await call(fake, "POST", `${path}/stop`, { key });
    assert.equal(stopped.body.status, "stopped");

    const restarted = await call(fake, "POST", `${path}/restart`, { key });
    assert.equal(restarted.status, 409);
    assert.equal(restarted.body.error.code, "INVALID_STATE");
    assert.equal(restarted.body.error.current_state, "stopped");

    const started = await call(fake, "POST", `${path}/start`, { key });
    assert.equal(started.body.status, "running");
  });

  test("ttl update and terminate", async () => {
    const { path, id, key } = await mockMachine();
    const tooShort = await call(fake, "PATCH", path, { key, body: { ttl_minutes: 3 } });
    assert.equal(tooShort.status, 422);
    const updated = await call(fake, "PATCH", path, { key, body: { ttl_minutes: 60 } });
    assert.notEqual(updated.body.machine.expires_at, null);

    const terminated = await call(fake, "DELETE", path, { key });
    assert.equal(terminated.body.status, "terminated");
    const runOnIt = await call(fake, "POST", "/runs", {
      key: fake.keys.test,
      body: { machine_id: id, task: "x" },
    });
    assert.equal(runOnIt.body.error.code, "MACHINE_NOT_FOUND");
  });

  test("live snapshot costs 1 credit", async () => {
    const machine = await provision();
    await waitFor(
      async () =>
        (await call(fake, "GET", `/machines/${machine.id}`, { key: fullKey })).body.machine
          .status === "running",
      "the machine to run",
    );
    const snapshot = await call(fake, "POST", `/machines/${machine.id}/snapshot`, {
      key: fullKey,
      body: {},
    });
    assert.equal(snapshot.body.credits_charged, 1);
    assert.equal(fake.wallet(), 9_999);
  });

  test("other mode and unknown machines are 404", async () => {
    const machine = await provision();
    const response = await call(fake, "GET", `/machines/${machine.id}`, { key: fake.keys.test });
    assert.equal(response.body.error.code, "MACHINE_NOT_FOUND");
    assert.equal(
      (await call(fake, "GET", "/machines?limit=201", { key: fullKey })).body.error.code,
      "INVALID_LIMIT",
    );
    assert.equal(
      (await call(fake, "GET", "/machines/pricing", { key: fullKey })).body.credits_per_hour
        .linux_running,
      5,
    );
  });
});
