// Run lifecycle, cancel/resume and the SSE event stream.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { startFakeCoasty } from "./server.mjs";
import { call, readEventStream, waitForRunStatus } from "./support.mjs";

const RUN = { machine_id: "machine-1", task: "open the settings page" };

let fake;
before(async () => {
  fake = await startFakeCoasty({ stepDelayMs: 5, keepaliveMs: 20 });
});
after(() => fake.close());
beforeEach(() => {
  fake.setWallet(10_000);
  fake.clearFaults();
});

async function createRun(body = RUN, key = fake.keys.live) {
  const response = await call(fake, "POST", "/runs", { key, body });
  assert.equal(response.status, 200, response.text);
  return response.body;
}

describe("run lifecycle", () => {
  test("run succeeds after three steps with charges", async () => {
    const created = await createRun();
    assert.equal(created.status, "queued");
    assert.equal(created.object, "agent.run");
    assert.equal(created.webhook_secret, null);
    await waitForRunStatus(fake, created.id, "succeeded");

    const fetched = await call(fake, "GET", `/runs/${created.id}`);
    assert.equal(fetched.body.steps_completed, 3);
    assert.equal(fetched.body.credits_charged, 15);
    assert.equal(fetched.body.cost_cents, 15);
    assert.equal(fetched.body.result.passed, true);
    assert.notEqual(fetched.body.started_at, null);
    assert.notEqual(fetched.body.finished_at, null);
    const charges = fake.charges().filter((charge) => charge.runId === created.id);
    assert.deepEqual(
      charges.map((charge) => charge.credits),
      [5, 5, 5],
    );
    assert.equal(fake.wallet(), 10_000 - 15);
  });

  test("max_steps below three ends the run sooner", async () => {
    const created = await createRun({ ...RUN, max_steps: 2 });
    await waitForRunStatus(fake, created.id, "succeeded");
    assert.equal(fake.runs().find((run) => run.id === created.id).steps_completed, 2);
  });

  test("v1 steps cost 8 credits", async () => {
    const created = await createRun({ ...RUN, cua_version: "v1", max_steps: 1 });
    await waitForRunStatus(fake, created.id, "succeeded");
    assert.deepEqual(
      fake
        .charges()
        .filter((charge) => charge.runId === created.id)
        .map((charge) => charge.credits),
      [8],
    );
  });

  test("fail marker ends the run failed", async () => {
    const created = await createRun({ ...RUN, task: "do it [fail]" });
    const run = await waitForRunStatus(fake, created.id, "failed");
    assert.equal(run.error.code, "TASK_FAILED");
    assert.equal(run.result.passed, false);
  });

  test("empty wallet mid-run ends with WALLET_EXHAUSTED", async () => {
    fake.setWallet(7);
    const created = await createRun();
    const run = await waitForRunStatus(fake, created.id, "failed");
    assert.equal(run.error.code, "WALLET_EXHAUSTED");
    assert.equal(run.steps_completed, 1);
    assert.equal(run.credits_charged, 5);
    assert.equal(fake.wallet(), 2);
  });

  test("list filters by status and limit", async () => {
    const created = await createRun({ ...RUN, task: "pause [awaiting_human]" });
    await waitForRunStatus(fake, created.id, "awaiting_human");
    const listed = await call(fake, "GET", "/runs?status=awaiting_human&limit=1");
    assert.equal(listed.body.object, "list");
    assert.equal(listed.body.data.length, 1);
    assert.equal(listed.body.data[0].status, "awaiting_human");
    const bad = await call(fake, "GET", "/runs?status=paused");
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "INVALID_STATUS_FILTER");
    assert.ok(bad.body.error.valid_options.includes("timed_out"));
    const zero = await call(fake, "GET", "/runs?limit=0");
    assert.equal(zero.body.error.code, "INVALID_LIMIT");
    assert.deepEqual(
      [zero.body.error.actual, zero.body.error.min, zero.body.error.max],
      [0, 1, 200],
    );
    await call(fake, "POST", `/runs/${created.id}/cancel`);
  });
});

describe("cancel and resume", () => {
  test("pause, resume with note, then succeed", async () => {
    const created = await createRun({ ...RUN, task: "log in [awaiting_human]" });
    const paused = await waitForRunStatus(fake, created.id, "awaiting_human");
    assert.equal(paused.steps_completed, 1);
    assert.equal(typeof paused.awaiting_human_reason, "string");
    assert.ok(paused.awaiting_human_since !== null);

    const resumed = await call(fake, "POST", `/runs/${created.id}/resume`, {
      body: { note: "captcha solved" },
    });
    assert.equal(resumed.status, 200);
    assert.equal(resumed.body.status, "running");
    await waitForRunStatus(fake, created.id, "succeeded");

    const stream = await readEventStream(fake, `/runs/${created.id}/events`);
    const resumedEvent = stream.events.find((event) => event.event === "resumed");
    assert.deepEqual(resumedEvent.data, { note: "captcha solved" });
    assert.ok(stream.events.some((event) => event.event === "awaiting_human"));
  });

  test("resume outside awaiting_human is a 409", async () => {
    const created = await createRun();
    await waitForRunStatus(fake, created.id, "succeeded");
    const response = await call(fake, "POST", `/runs/${created.id}/resume`, { body: {} });
    assert.equal(response.status, 409);
    assert.equal(response.body.error.code, "NOT_AWAITING_HUMAN");
  });

  test("resume rejects unknown body fields", async () => {
    const created = await createRun({ ...RUN, task: "[awaiting_human]" });
    await waitForRunStatus(fake, created.id, "awaiting_human");
    const response = await call(fake, "POST", `/runs/${created.id}/resume`, {
      body: { human_response: "ok" },
    });
    assert.equal(response.status, 422);
    assert.deepEqual(response.body.error.details[0].loc, ["body", "human_response"]);
    await call(fake, "POST", `/runs/${created.id}/cancel`);
  });

  test("on_awaiting_human fail and cancel end the run", async () => {
    const failing = await createRun({
      ...RUN,
      task: "[awaiting_human]",
      on_awaiting_human: "fail",
    });
    const cancelling = await createRun({
      ...RUN,
      task: "[awaiting_human]",
      on_awaiting_human: "cancel",
    });
    assert.equal((await waitForRunStatus(fake, failing.id, "failed")).error.code, "AWAITING_HUMAN");
    await waitForRunStatus(fake, cancelling.id, "cancelled");
  });

  test("cancel, then cancel again is INVALID_STATE", async () => {
    const created = await createRun({ ...RUN, task: "[awaiting_human]" });
    await waitForRunStatus(fake, created.id, "awaiting_human");
    const cancelled = await call(fake, "POST", `/runs/${created.id}/cancel`);
    assert.equal(cancelled.body.status, "cancelled");
    const again = await call(fake, "POST", `/runs/${created.id}/cancel`);
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "INVALID_STATE");
    assert.equal(again.body.error.current_state, "cancelled");
    assert.deepEqual(again.body.error.allowed_from, ["queued", "running", "awaiting_human"]);
  });

  test("deadline_seconds times out a paused run", async () => {
    const created = await createRun({ ...RUN, task: "[awaiting_human]", deadline_seconds: 1 });
    const run = await waitForRunStatus(fake, created.id, "timed_out");
    assert.equal(run.error.code, "DEADLINE_EXCEEDED");
  });
});

describe("event stream", () => {
  test("stream frames, keepalives and done", async () => {
    const created = await createRun();
    const stream = await readEventStream(fake, `/runs/${created.id}/events`);
    assert.equal(stream.status, 200);
    assert.match(stream.contentType, /^text\/event-stream/);
    assert.equal(stream.failed, false);
    assert.ok(stream.comments >= 1, "expected a ': keepalive' comment");
    assert.match(stream.text, /^: keepalive$/m);
    const ids = stream.events.map((event) => event.id);
    assert.deepEqual(
      ids,
      ids.map((_, index) => index + 1),
    );
    const types = new Set(stream.events.map((event) => event.event));
    for (const type of ["status", "text", "tool_call", "tool_result", "step", "billing", "done"]) {
      assert.ok(types.has(type), `missing ${type} event`);
    }
    assert.equal(stream.events.at(-1).event, "done");
    assert.equal(stream.events.at(-1).data.status, "succeeded");
    assert.ok(
      stream.events.some((event) => event.dataLineCount > 1),
      "expected a multi-line data event",
    );
    assert.deepEqual(
      stream.events
        .filter((event) => event.event === "step")
        .map((event) => event.data.steps_completed),
      [1, 2, 3],
    );
    assert.deepEqual(stream.events.findLast((event) => event.event === "billing").data, {
      credits_charged: 15,
      cost_cents: 15,
    });
  });

  test("live stream receives events as they happen", async () => {
    const created = await createRun({ ...RUN, task: "[awaiting_human]" });
    const reading = readEventStream(fake, `/runs/${created.id}/events`);
    await waitForRunStatus(fake, created.id, "awaiting_human");
    await call(fake, "POST", `/runs/${created.id}/resume`, { body: { note: null } });
    const stream = await reading;
    assert.equal(stream.events.at(-1).event, "done");
    assert.ok(stream.events.some((event) => event.event === "resumed"));
  });

  test("Last-Event-ID and after resume without loss or duplicates", async () => {
    const created = await createRun();
    await waitForRunStatus(fake, created.id, "succeeded");
    const full = await readEventStream(fake, `/runs/${created.id}/events`);
    const byHeader = await readEventStream(fake, `/runs/${created.id}/events`, {
      headers: { "Last-Event-ID": "5" },
    });
    const byQuery = await readEventStream(fake, `/runs/${created.id}/events?after=7`);
    assert.deepEqual(byHeader.events, full.events.slice(5));
    assert.deepEqual(byQuery.events, full.events.slice(7));
    const pastEnd = await readEventStream(
      fake,
      `/runs/${created.id}/events?after=${full.events.length}`,
    );
    assert.deepEqual(pastEnd.events, []);
  });

  test("Last-Event-ID wins over after", async () => {
    const created = await createRun();
    await waitForRunStatus(fake, created.id, "succeeded");
    const stream = await readEventStream(fake, `/runs/${created.id}/events?after=2`, {
      headers: { "Last-Event-ID": "9" },
    });
    assert.equal(stream.events[0].id, 10);
  });

  test("invalid cursor is a 422", async () => {
    const created = await createRun();
    const response = await call(fake, "GET", `/runs/${created.id}/events?after=abc`);
    assert.equal(response.status, 422);
    assert.deepEqual(response.body.error.details[0].loc, ["query", "after"]);
  });

  test("unknown run stream is a 404", async () => {
    const response = await call(fake, "GET", "/runs/run_missing/events");
    assert.equal(response.status, 404);
    assert.equal(response.body.error.code, "RUN_NOT_FOUND");
  });

  test("open stream repeats keepalive comments", async () => {
    const created = await createRun({ ...RUN, task: "[awaiting_human]" });
    await waitForRunStatus(fake, created.id, "awaiting_human");
    const controller = new AbortController();
    const response = await fetch(`${fake.baseUrl}/runs/${created.id}/events`, {
      headers: { "X-API-Key": fake.keys.live },
      signal: controller.signal,
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let text = "";
    // One comment opens the stream, and more arrive every keepaliveMs (20 ms here).
    while ((text.match(/^: keepalive$/gm) ?? []).length < 3) {
      const { value, done } = await reader.read();
      assert.equal(done, false, "the stream ended early");
      text += decoder.decode(value, { stream: true });
    }
    controller.abort();
    assert.ok(!text.includes("event: done"));
    await call(fake, "POST", `/runs/${created.id}/cancel`);
  });
});
