// Idempotency keys and injected faults, including the control endpoints.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { startFakeCoasty } from "./server.mjs";
import { call, readEventStream, waitForIdleRuns, waitForRunStatus } from "./support.mjs";

const RUN = { machine_id: "machine-1", task: "open the settings page" };

let fake;
let keyCounter = 0;
before(async () => {
  fake = await startFakeCoasty({ stepDelayMs: 5 });
});
after(() => fake.close());
beforeEach(() => {
  fake.setWallet(10_000);
  fake.clearFaults();
});

function newKey() {
  keyCounter += 1;
  return `test:key_${keyCounter}-${Date.now()}`;
}

function createRun(idempotencyKey, body = RUN) {
  const headers = idempotencyKey === undefined ? {} : { "Idempotency-Key": idempotencyKey };
  return call(fake, "POST", "/runs", { body, headers });
}

describe("idempotency", () => {
  test("same key and body replays the run without charging", async () => {
    const key = newKey();
    const first = await createRun(key);
    const second = await createRun(key, { task: RUN.task, machine_id: RUN.machine_id });
    assert.equal(second.status, 200);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.headers.get("x-coasty-idempotent-replay"), "true");
    assert.equal(second.headers.get("x-credits-charged"), "0");
    assert.equal(first.headers.get("x-coasty-idempotent-replay"), null);
    const remainingFirst = Number(first.headers.get("x-ratelimit-remaining"));
    const remainingSecond = Number(second.headers.get("x-ratelimit-remaining"));
    assert.equal(remainingSecond, remainingFirst - 1, "a replay gets fresh rate-limit headers");
    assert.equal(fake.runs().filter((run) => run.id === first.body.id).length, 1);
    await waitForRunStatus(fake, first.body.id, "succeeded");
    const charges = fake.charges().filter((charge) => charge.idempotencyKey === key);
    assert.equal(charges.length, 3);
    assert.ok(charges.every((charge) => charge.runId === first.body.id));
  });

  test("same key with another body is IDEMPOTENCY_KEY_REUSED", async () => {
    const key = newKey();
    await createRun(key);
    const reused = await createRun(key, { ...RUN, task: "something else" });
    assert.equal(reused.status, 422);
    assert.equal(reused.body.error.code, "IDEMPOTENCY_KEY_REUSED");
  });

  test("malformed keys are rejected", async () => {
    for (const key of ["x".repeat(129), "has space", "semi;colon", ""]) {
      const response = await createRun(key);
      assert.equal(response.status, 422, `key ${JSON.stringify(key)}`);
      assert.deepEqual(response.body.error.details[0].loc, ["header", "Idempotency-Key"]);
    }
    assert.equal((await createRun("A".repeat(128))).status, 200);
  });

  test("a concurrent retry is IDEMPOTENCY_IN_FLIGHT", async () => {
    const key = newKey();
    fake.injectFault({ match: { method: "POST", path: "/v1/runs" }, kind: "slow", delayMs: 300 });
    const first = createRun(key);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await createRun(key);
    assert.equal(second.status, 409);
    assert.equal(second.body.error.code, "IDEMPOTENCY_IN_FLIGHT");
    assert.equal(second.body.error.retryable, true);
    assert.equal(second.body.error.retry_with_same_idempotency_key, true);
    const lookup = await call(fake, "GET", `/idempotency/${key}`);
    assert.equal(lookup.body.status, "processing");
    assert.equal((await first).status, 200);
  });

  test("lookup returns the stored result", async () => {
    const key = newKey();
    const created = await createRun(key);
    const lookup = await call(fake, "GET", `/idempotency/${key}`);
    assert.equal(lookup.status, 200);
    assert.equal(lookup.body.status, "completed");
    assert.equal(lookup.body.original_status, 200);
    assert.equal(lookup.body.result.id, created.body.id);
    const missing = await call(fake, "GET", `/idempotency/${newKey()}`);
    assert.equal(missing.status, 404);
    const otherMode = await call(fake, "GET", `/idempotency/${key}`, { key: fake.keys.test });
    assert.equal(otherMode.status, 404);
  });

  test("an error releases the key", async () => {
    const key = newKey();
    fake.setWallet(0);
    assert.equal((await createRun(key)).status, 402);
    fake.setWallet(100);
    const retried = await createRun(key);
    assert.equal(retried.status, 200);
    assert.equal(retried.headers.get("x-coasty-idempotent-replay"), null);
  });
});

describe("faults", () => {
  test("drop closes the socket before any effect", async () => {
    const before = fake.runs().length;
    fake.injectFault({ match: { method: "POST", path: "/v1/runs" }, kind: "drop" });
    await assert.rejects(createRun(newKey()), TypeError);
    assert.equal(fake.runs().length, before);
    assert.equal((await createRun()).status, 200, "the fault is used up after one request");
  });

  test("drop after processing, then a retry replays", async () => {
    const key = newKey();
    const before = fake.runs().length;
    fake.injectFault({ match: { method: "POST", path: "/runs" }, kind: "drop", after: true });
    await assert.rejects(createRun(key), TypeError);
    assert.equal(fake.runs().length, before + 1, "the dropped request created the run");
    const retried = await createRun(key);
    assert.equal(retried.status, 200);
    assert.equal(retried.headers.get("x-coasty-idempotent-replay"), "true");
    assert.equal(fake.runs().length, before + 1);
    await waitForRunStatus(fake, retried.body.id, "succeeded");
    assert.equal(fake.charges().filter((charge) => charge.idempotencyKey === key).length, 3);
  });

  test("status 503 answers an envelope and creates nothing", async () => {
    const before = fake.runs().length;
    fake.injectFault({ match: { path: "/v1/runs" }, kind: "status", status: 503, retryAfter: 2 });
    const response = await createRun();
    assert.equal(response.status, 503);
    assert.equal(response.body.error.code, "UPSTREAM_UNAVAILABLE");
    assert.equal(response.body.error.retryable, true);
    assert.equal(response.body.error.retry_after, 2);
    assert.equal(response.headers.get("retry-after"), "2");
    assert.equal(fake.runs().length, before);
  });

  test("status 500 with a custom code", async () => {
    fake.injectFault({ kind: "status", status: 500, code: "PREDICTION_FAILED" });
    const response = await call(fake, "GET", "/runs");
    assert.equal(response.status, 500);
    assert.equal(response.body.error.code, "PREDICTION_FAILED");
    assert.equal(response.body.error.type, "server_error");
  });

  test("html502 answers an nginx page", async () => {
    fake.injectFault({ kind: "html502" });
    const response = await call(fake, "GET", "/runs");
    assert.equal(response.status, 502);
    assert.match(response.headers.get("content-type"), /^text\/html/);
    assert.match(response.text, /<h1>502 Bad Gateway<\/h1>/);
    assert.equal(response.body, null);
  });

  test("rate_limit answers 429 with Retry-After", async () => {
    fake.injectFault({ kind: "rate_limit", retryAfter: 7 });
    const response = await call(fake, "GET", "/runs");
    assert.equal(response.status, 429);
    assert.equal(response.body.error.code, "RATE_LIMITED");
    assert.equal(response.headers.get("retry-after"), "7");
    assert.equal(response.body.error.retry_after, 7);
  });

  test("slow delays the response", async () => {
    fake.injectFault({ kind: "slow", delayMs: 150 });
    const started = Date.now();
    const response = await call(fake, "GET", "/runs");
    assert.equal(response.status, 200);
    assert.ok(Date.now() - started >= 140, `answered after ${Date.now() - started} ms`);
  });

  test("times and method matching", async () => {
    fake.injectFault({ match: { method: "POST" }, kind: "status", status: 500, times: 2 });
    assert.equal((await call(fake, "GET", "/runs")).status, 200, "GET does not match");
    assert.equal((await createRun()).status, 500);
    assert.equal((await createRun()).status, 500);
    assert.equal((await createRun()).status, 200);
  });

  test("cut_stream drops the stream after n events", async () => {
    const { body: created } = await createRun();
    await waitForRunStatus(fake, created.id, "succeeded");
    fake.injectFault({ match: { path: "/v1/runs" }, kind: "cut_stream", afterEvents: 3 });
    const cut = await readEventStream(fake, `/runs/${created.id}/events`);
    assert.equal(cut.failed, true);
    assert.deepEqual(
      cut.events.map((event) => event.id),
      [1, 2, 3],
    );
    const rest = await readEventStream(fake, `/runs/${created.id}/events`, {
      headers: { "Last-Event-ID": "3" },
    });
    assert.equal(rest.failed, false);
    assert.equal(rest.events[0].id, 4);
    assert.equal(rest.events.at(-1).event, "done");
  });

  test("cut_stream ignores non-stream requests", async () => {
    fake.injectFault({ kind: "cut_stream", afterEvents: 0 });
    assert.equal((await call(fake, "GET", "/runs")).status, 200);
    const { body: created } = await createRun();
    const stream = await readEventStream(fake, `/runs/${created.id}/events`);
    assert.equal(stream.status, 200);
    assert.equal(stream.failed, true);
    assert.deepEqual(stream.events, []);
  });

  test("invalid faults throw a TypeError", () => {
    assert.throws(() => fake.injectFault({ kind: "explode" }), /kind must be one of/);
    assert.throws(() => fake.injectFault({ kind: "status", status: 200 }), /status must be/);
    assert.throws(() => fake.injectFault({ kind: "slow" }), /delayMs/);
    assert.throws(() => fake.injectFault({ kind: "drop", times: 0 }), /times/);
  });
});

describe("control endpoints", () => {
  const control = (method, path, body) =>
    fetch(`${fake.baseUrl.replace(/\/v1$/, "")}/__fake/${path}`, {
      method,
      headers: { "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  test("faults can be injected and cleared over HTTP", async () => {
    const added = await control("POST", "faults", {
      match: { path: "/v1/runs" },
      kind: "status",
      status: 503,
    });
    assert.equal(added.status, 200);
    assert.equal((await added.json()).pending_faults, 1);
    const cleared = await control("DELETE", "faults");
    assert.deepEqual(await cleared.json(), { cleared: 1 });
    assert.equal((await call(fake, "GET", "/runs")).status, 200);
  });

  test("invalid fault over HTTP is a 422", async () => {
    const response = await control("POST", "faults", { kind: "nope" });
    assert.equal(response.status, 422);
    assert.match((await response.json()).error.message, /kind must be one of/);
  });

  test("wallet and state", async () => {
    // Runs started by earlier tests still charge the wallet per step.
    await waitForIdleRuns(fake);
    const set = await control("POST", "wallet", { credits: 77 });
    assert.deepEqual(await set.json(), { wallet: 77 });
    const state = await (await control("GET", "state")).json();
    assert.equal(state.wallet, 77);
    assert.ok(
      Array.isArray(state.runs) && Array.isArray(state.charges) && Array.isArray(state.deliveries),
    );
    const bad = await control("POST", "wallet", { credits: "lots" });
    assert.equal(bad.status, 422);
  });

  test("keys can be created over HTTP", async () => {
    const response = await control("POST", "keys", { kind: "test", scopes: ["runs:read"] });
    const { key } = await response.json();
    assert.match(key, /^sk-coasty-test-[0-9a-f]{48}$/);
    assert.equal((await call(fake, "GET", "/runs", { key })).status, 200);
  });

  test("unknown control path is a 404", async () => {
    assert.equal((await control("GET", "nothing")).status, 404);
  });
});
