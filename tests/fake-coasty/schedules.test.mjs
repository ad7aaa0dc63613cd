// Schedules, their runs, triggers and the signed trigger webhook.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { signPayload } from "./lib/webhooks.mjs";
import { startFakeCoasty } from "./server.mjs";
import { call, waitFor } from "./support.mjs";

let fake;
before(async () => {
  fake = await startFakeCoasty({ stepDelayMs: 5 });
});
after(() => fake.close());
beforeEach(() => {
  fake.setWallet(10_000);
  fake.clearFaults();
});

describe("schedules and triggers", () => {
  const schedule = {
    name: "nightly",
    machine_id: "m1",
    task_prompt: "check mail",
    frequency: "daily",
    time: "02:00",
  };

  test("create, patch, pause and list runs", async () => {
    const created = await call(fake, "POST", "/schedules", { body: schedule });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.timezone, "UTC");
    const id = created.body.id;
    assert.equal(
      (await call(fake, "PATCH", `/schedules/${id}`, { body: {} })).body.error.code,
      "EMPTY_UPDATE",
    );
    assert.equal(
      (await call(fake, "PATCH", `/schedules/${id}`, { body: { name: "renamed" } })).body.name,
      "renamed",
    );
    const ran = await call(fake, "POST", `/schedules/${id}/run`);
    assert.match(ran.body.run_id, /^srun_/);
    await waitFor(
      async () =>
        (await call(fake, "GET", `/schedules/${id}/runs?status=completed`)).body.data.length === 1,
      "the run to complete",
    );
    assert.equal(
      (await call(fake, "GET", `/schedules/${id}/runs?status=queued`)).body.error.code,
      "INVALID_STATUS_FILTER",
    );
    assert.equal((await call(fake, "POST", `/schedules/${id}/pause`)).body.status, "paused");
  });

  test("timing must be exactly one of frequency and run_at", async () => {
    const both = await call(fake, "POST", "/schedules", {
      body: { ...schedule, run_at: "2030-01-01T00:00:00Z" },
    });
    assert.equal(both.status, 422);
    const custom = await call(fake, "POST", "/schedules", {
      body: { ...schedule, frequency: "custom" },
    });
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
    const trigger = await call(fake, "POST", `/schedules/${created.body.id}/triggers`, {
      body: { type: "webhook", rate_limit_per_minute: 2 },
    });
    assert.equal(trigger.headers.get("cache-control"), "no-store");
    assert.match(trigger.body.secret, /^whsec_/);
    assert.ok(trigger.body.webhook_url.startsWith(fake.baseUrl));
    const listed = await call(fake, "GET", `/schedules/${created.body.id}/triggers`);
    assert.ok(!listed.text.includes(trigger.body.secret), "the secret is shown only once");

    const fire = (body, secret = trigger.body.secret, t = Math.floor(Date.now() / 1000)) =>
      fetch(trigger.body.webhook_url, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          "Coasty-Signature": `t=${t},v1=${signPayload(secret, t, body)}`,
        },
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
    assert.equal(
      (await fire('{"n":2}', trigger.body.secret, Math.floor(Date.now() / 1000) - 301)).status,
      401,
    );
    assert.equal(
      (await fetch(trigger.body.webhook_url, { method: "POST", body: "{}" })).status,
      401,
    );
  });

  test("paused schedule rejects trigger fires", async () => {
    const created = await call(fake, "POST", "/schedules", { body: schedule });
    const trigger = await call(fake, "POST", `/schedules/${created.body.id}/triggers`, {
      body: {},
    });
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
