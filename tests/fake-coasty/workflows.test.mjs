// Workflows and workflow runs: approval, guards and DSL validation.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { startFakeCoasty } from "./server.mjs";
import { call, readEventStream, waitFor } from "./support.mjs";

let fake;
before(async () => {
  fake = await startFakeCoasty({ stepDelayMs: 5 });
});
after(() => fake.close());
beforeEach(() => {
  fake.setWallet(10_000);
  fake.clearFaults();
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
    const created = await call(fake, "POST", "/workflows", {
      body: { name: "Invoices", slug: "invoices", definition },
    });
    assert.equal(created.status, 200, created.text);
    assert.equal(created.body.version, 1);
    assert.equal(created.body.dsl_version, "2026-06-01");
    assert.equal(
      (
        await call(fake, "POST", "/workflows", {
          body: { name: "again", slug: "invoices", definition },
        })
      ).body.error.code,
      "CONFLICT",
    );

    const started = await call(fake, "POST", `/workflows/${created.body.id}/runs`, {
      body: { inputs: { month: "05" } },
    });
    assert.equal(started.body.object, "workflow.run");
    const runId = started.body.id;
    await waitFor(
      () => fake.workflowRuns().find((run) => run.id === runId && run.status === "awaiting_human"),
      "the approval pause",
    );
    const paused = await call(fake, "GET", `/workflows/runs/${runId}`);
    assert.equal(paused.body.awaiting_step_id, "approve");
    assert.equal(paused.body.spent_cents, 5);
    assert.equal(
      (await call(fake, "POST", `/workflows/runs/${runId}/resume`, { body: { approved: true } }))
        .body.status,
      "running",
    );
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
    await waitFor(
      () => fake.workflowRuns().find((run) => run.id === runId && run.status === "awaiting_human"),
      "the approval pause",
    );
    const resumed = await call(fake, "POST", `/workflows/runs/${runId}/resume`, {
      body: { approved: false, note: "no" },
    });
    assert.equal(resumed.body.status, "failed");
  });

  test("budget guard fails the run", async () => {
    const started = await call(fake, "POST", "/workflows/runs", {
      body: { definition, budget_cents: 4 },
    });
    const run = await waitFor(
      () =>
        fake.workflowRuns().find((item) => item.id === started.body.id && item.status === "failed"),
      "the guard",
    );
    assert.equal(run.error.code, "GUARD_EXCEEDED");
  });

  const invalidDefinitions = [
    ["no steps", { steps: [] }],
    ["bad step id", { steps: [{ id: "a b", type: "task" }] }],
    ["unknown type", { steps: [{ id: "a", type: "goto" }] }],
    [
      "duplicate ids",
      {
        steps: [
          { id: "a", type: "task" },
          { id: "a", type: "task" },
        ],
      },
    ],
    [
      "approval in parallel",
      { steps: [{ id: "p", type: "parallel", branches: [[{ id: "h", type: "human_approval" }]] }] },
    ],
    ["save_as vars", { steps: [{ id: "a", type: "task", save_as: "vars" }] }],
  ];
  for (const [name, badDefinition] of invalidDefinitions) {
    test(`definition with ${name} is rejected`, async () => {
      const response = await call(fake, "POST", "/workflows/runs", {
        body: { definition: badDefinition },
      });
      assert.equal(response.status, 422);
      assert.deepEqual(response.body.error.details[0].loc, ["body", "definition"]);
    });
  }

  test("archived workflows cannot start", async () => {
    const created = await call(fake, "POST", "/workflows", {
      body: { name: "Old", slug: "old-flow", definition },
    });
    assert.equal(
      (await call(fake, "DELETE", `/workflows/${created.body.id}`)).body.status,
      "archived",
    );
    const started = await call(fake, "POST", `/workflows/${created.body.id}/runs`, { body: {} });
    assert.equal(started.body.error.code, "INVALID_STATE");
    const updated = await call(fake, "PUT", `/workflows/${created.body.id}`, {
      body: { status: "active" },
    });
    assert.equal(updated.body.version, 2);
  });
});
