// Run webhooks: delivery to a local receiver and signature verification.

import assert from "node:assert/strict";
import { createHmac, timingSafeEqual } from "node:crypto";
import { after, before, describe, test } from "node:test";

import { signPayload } from "./lib/webhooks.mjs";
import { startFakeCoasty } from "./server.mjs";
import { call, startReceiver, waitFor, waitForRunStatus } from "./support.mjs";

const RUN = { machine_id: "machine-1", task: "sign in [awaiting_human]" };

let fake;
let receiver;
before(async () => {
  fake = await startFakeCoasty({ stepDelayMs: 5 });
  receiver = await startReceiver(200);
});
after(async () => {
  await fake.close();
  await receiver.close();
});

/** Verifies `t=<unix>,v1=<hex>` the way a consumer would, with node:crypto only. */
function verify(header, secret, rawBody) {
  const items = Object.fromEntries(header.split(",").map((item) => item.trim().split("=")));
  const expected = createHmac("sha256", Buffer.from(secret, "utf8"))
    .update(`${items.t}.${rawBody}`)
    .digest();
  const given = Buffer.from(items.v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("run webhooks", () => {
  test("signed deliveries for awaiting_human and succeeded", async () => {
    const created = await call(fake, "POST", "/runs", {
      body: { ...RUN, webhook_url: receiver.url },
    });
    assert.equal(created.status, 200);
    const secret = created.body.webhook_secret;
    assert.match(secret, /^whsec_[0-9a-f]+$/);
    assert.equal(created.headers.get("cache-control"), "no-store");
    const runId = created.body.id;

    await waitForRunStatus(fake, runId, "awaiting_human");
    await waitFor(() => receiver.received.length === 1, "the awaiting_human delivery");
    await call(fake, "POST", `/runs/${runId}/resume`, { body: { note: "done" } });
    await waitFor(() => receiver.received.length === 2, "the succeeded delivery");

    for (const delivery of receiver.received) {
      assert.equal(delivery.headers["content-type"], "application/json");
      const header = delivery.headers["coasty-signature"];
      assert.match(header, /^t=\d+,v1=[0-9a-f]{64}$/);
      assert.ok(verify(header, secret, delivery.body), "signature must verify");
      assert.ok(!verify(header, "whsec_wrong", delivery.body), "a wrong secret must not verify");
      const t = Number(/t=(\d+)/.exec(header)[1]);
      assert.ok(Math.abs(Date.now() / 1000 - t) < 60, "timestamp is current");
    }
    const payloads = receiver.received.map((delivery) => JSON.parse(delivery.body));
    assert.deepEqual(
      payloads.map((payload) => payload.event),
      ["run.awaiting_human", "run.succeeded"],
    );
    assert.equal(payloads[0].run_id, runId);
    assert.equal(payloads[0].status, "awaiting_human");
    assert.equal(typeof payloads[0].awaiting_human_reason, "string");
    assert.equal(payloads[1].result.passed, true);
    assert.equal(payloads[1].error, null);
    assert.equal(typeof payloads[1].created_at, "string");

    // The fake records a delivery once the receiver's response has ended.
    const deliveries = await waitFor(() => {
      const recorded = fake.deliveries().filter((delivery) => delivery.runId === runId);
      return recorded.length === 2 && recorded;
    }, "both deliveries to be recorded");
    assert.deepEqual(
      deliveries.map((delivery) => [delivery.event, delivery.status]),
      [
        ["run.awaiting_human", 200],
        ["run.succeeded", 200],
      ],
    );
    const fetched = await call(fake, "GET", `/runs/${runId}`);
    assert.equal(fetched.body.webhook_secret, null);
  });

  test("cancel sends run.cancelled", async () => {
    const created = await call(fake, "POST", "/runs", {
      body: { ...RUN, webhook_url: receiver.url },
    });
    await waitForRunStatus(fake, created.body.id, "awaiting_human");
    await call(fake, "POST", `/runs/${created.body.id}/cancel`);
    const delivery = await waitFor(
      () =>
        fake
          .deliveries()
          .find((item) => item.runId === created.body.id && item.event === "run.cancelled"),
      "the cancelled delivery",
    );
    assert.equal(delivery.status, 200);
  });

  test("receiver errors and refused connections are recorded", async () => {
    const failing = await startReceiver(500);
    const first = await call(fake, "POST", "/runs", {
      body: { machine_id: "m", task: "x", max_steps: 1, webhook_url: failing.url },
    });
    await waitFor(
      () => fake.deliveries().find((item) => item.runId === first.body.id),
      "the 500 delivery",
    );
    assert.equal(fake.deliveries().find((item) => item.runId === first.body.id).status, 500);
    await failing.close();

    // The receiver is closed now, so its port refuses connections.
    const unreachable = failing.url;
    const second = await call(fake, "POST", "/runs", {
      body: { machine_id: "m", task: "x", max_steps: 1, webhook_url: unreachable },
    });
    const record = await waitFor(
      () => fake.deliveries().find((item) => item.runId === second.body.id),
      "the refused delivery",
    );
    assert.equal(record.status, null);
    assert.match(record.error, /ECONNREFUSED/);
  });

  test("non-loopback webhook hosts are rejected", async () => {
    for (const url of [
      "https://example.com/h",
      "http://10.0.0.1/h",
      "ftp://127.0.0.1/h",
      "not a url",
    ]) {
      const response = await call(fake, "POST", "/runs", { body: { ...RUN, webhook_url: url } });
      assert.equal(response.status, 422, url);
      assert.deepEqual(response.body.error.details[0].loc, ["body", "webhook_url"]);
    }
  });

  test("signPayload matches the published vector", () => {
    const body = '{"event":"run.succeeded","run_id":"run_123","status":"succeeded"}';
    assert.equal(
      signPayload("whsec_test_secret_123", 1750000000, body),
      "5f70978eab52dbf5838da76e5eb6c6c465560ce8e746ed8e6113c159d8bbb2d4",
    );
  });
});
