// CoastyClient against the local fake Coasty server: creation, retries without
// double charges, Retry-After, timeouts, aborts, event streams, wallet and scopes.
import assert from "node:assert/strict";
import { after, before, beforeEach, test } from "node:test";

import {
  AuthenticationError,
  CoastyClient,
  CoastyConnectionError,
  CoastyRequestError,
  CoastyTimeoutError,
  InsufficientCreditsError,
  InsufficientScopeError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from "coasty";
import { startFakeCoasty } from "../fake-coasty/server.mjs";
import { waitForIdleRuns } from "../fake-coasty/support.mjs";

let fake;

before(async () => {
  fake = await startFakeCoasty({ stepDelayMs: 15 });
});

after(async () => {
  await fake.close();
});

beforeEach(() => {
  fake.clearFaults();
  fake.setWallet(10_000);
});

function client(options = {}) {
  return new CoastyClient({ apiKey: fake.keys.live, baseUrl: fake.baseUrl, ...options });
}

async function machineId(coasty) {
  const created = await coasty.machines.create({ display_name: "client test machine" });
  return created.machine.id;
}

async function waitFor(predicate, what) {
  const deadline = Date.now() + 5000;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test("runs.create returns the run with response metadata", async () => {
  const coasty = client();
  const run = await coasty.runs.create({ machine_id: await machineId(coasty), task: "Open the invoice page" });
  assert.equal(run.status, "queued");
  assert.match(run.id, /\S/);
  assert.match(run.lastResponse.requestId, /^req_/);
  assert.match(run.lastResponse.idempotencyKey, /^[A-Za-z0-9_:-]{1,128}$/);
  assert.equal(run.lastResponse.attempts, 1);
  assert.equal(run.lastResponse.idempotentReplay, false);
  assert.ok(!Object.keys(run).includes("lastResponse"));
});

test("Bearer and X-API-Key both authenticate", async () => {
  for (const authScheme of ["bearer", "x-api-key"]) {
    const models = await client({ authScheme }).models.list();
    assert.ok(Array.isArray(models.models), authScheme);
  }
  const sent = fake.requests.filter((request) => request.path.endsWith("/models"));
  assert.ok(sent.some((request) => request.headers.authorization?.startsWith("Bearer ")));
  assert.ok(sent.some((request) => request.headers["x-api-key"]));
});

test("503 then a dropped response creates exactly one run, charged once", async () => {
  const coasty = client({ maxRetries: 3 });
  const machine = await machineId(coasty);
  const runsBefore = fake.runs().length;
  const chargesBefore = fake.charges().length;
  fake.injectFault({ match: { method: "POST", path: "/v1/runs" }, kind: "status", status: 503 });
  fake.injectFault({ match: { method: "POST", path: "/v1/runs" }, kind: "drop", after: true });

  const run = await coasty.runs.create({ machine_id: machine, task: "Download the report", max_steps: 2 });
  assert.equal(run.lastResponse.attempts, 3);
  assert.equal(run.lastResponse.idempotentReplay, true);
  assert.equal(fake.runs().length, runsBefore + 1);

  const keys = fake.requests
    .filter((request) => request.method === "POST" && request.path === "/v1/runs")
    .slice(-3)
    .map((request) => request.headers["idempotency-key"]);
  assert.equal(new Set(keys).size, 1, "every attempt sends the same key");
  assert.equal(keys[0], run.lastResponse.idempotencyKey);

  await waitFor(() => fake.runs().find((r) => r.id === run.id)?.status === "succeeded", "the run");
  const runCharges = fake.charges().slice(chargesBefore).filter((charge) => charge.runId === run.id);
  const steps = fake.runs().find((r) => r.id === run.id).steps_completed;
  assert.equal(runCharges.reduce((sum, charge) => sum + charge.credits, 0), steps * 5);
});

test("POST without an idempotency key is never retried", async () => {
  const coasty = client();
  fake.injectFault({ match: { method: "POST", path: "/v1/parse" }, kind: "status", status: 503 });
  await assert.rejects(coasty.parse.create({ code: "pyautogui.click(10, 20)" }), (error) => {
    assert.ok(error instanceof ServerError);
    assert.equal(error.status, 503);
    assert.equal(error.attempts, 1);
    return true;
  });
});

test("429 waits at least Retry-After before retrying", async () => {
  const coasty = client();
  fake.injectFault({ match: { method: "GET", path: "/v1/models" }, kind: "rate_limit", retryAfter: 1 });
  const started = Date.now();
  const models = await coasty.models.list();
  assert.ok(Date.now() - started >= 1000, `retried after ${Date.now() - started} ms`);
  assert.equal(models.lastResponse.attempts, 2);
});

test("Retry-After above the cap stops with RateLimitError", async () => {
  const coasty = client({ maxRetryAfterMs: 500 });
  fake.injectFault({ match: { method: "GET", path: "/v1/models" }, kind: "rate_limit", retryAfter: 30 });
  await assert.rejects(coasty.models.list(), (error) => {
    assert.ok(error instanceof RateLimitError);
    assert.equal(error.retryAfterSeconds, 30);
    assert.equal(error.attempts, 1);
    return true;
  });
});

test("an attempt timeout fires and the final error counts attempts", async () => {
  const coasty = client({ timeoutMs: 100, maxRetries: 1 });
  fake.injectFault({ match: { method: "GET", path: "/v1/models" }, kind: "slow", delayMs: 400, times: 2 });
  const started = Date.now();
  await assert.rejects(coasty.models.list(), (error) => {
    assert.ok(error instanceof CoastyTimeoutError, String(error));
    assert.equal(error.attempts, 2);
    assert.match(error.message, /100 ms/);
    return true;
  });
  assert.ok(Date.now() - started < 2000);
});

test("deadlineMs bounds the whole call", async () => {
  const coasty = client({ maxRetries: 5, deadlineMs: 300 });
  fake.injectFault({ match: { method: "GET", path: "/v1/models" }, kind: "slow", delayMs: 400, times: 5 });
  const started = Date.now();
  await assert.rejects(coasty.models.list(), CoastyTimeoutError);
  assert.ok(Date.now() - started < 1500, `took ${Date.now() - started} ms`);
});

test("abort stops retries", async () => {
  const coasty = client({ maxRetries: 5 });
  fake.injectFault({ match: { method: "GET", path: "/v1/models" }, kind: "status", status: 503, retryAfter: 2, times: 5 });
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error("stopped by the test")), 200);
  const started = Date.now();
  await assert.rejects(coasty.models.list(undefined, { signal: controller.signal }), /stopped by the test/);
  assert.ok(Date.now() - started < 1500);
  const attempts = fake.requests.filter((r) => r.path === "/v1/models" && r.at >= started).length;
  assert.ok(attempts <= 1, `${attempts} attempts after abort`);
});

test("a dropped connection is retried for GET", async () => {
  const coasty = client();
  fake.injectFault({ match: { method: "GET", path: "/v1/models" }, kind: "drop" });
  const models = await coasty.models.list();
  assert.equal(models.lastResponse.attempts, 2);
});

test("connection errors after the last retry are CoastyConnectionError", async () => {
  const coasty = new CoastyClient({ apiKey: fake.keys.live, baseUrl: "http://127.0.0.1:9/v1", maxRetries: 1 });
  await assert.rejects(coasty.models.list(), (error) => {
    assert.ok(error instanceof CoastyConnectionError);
    assert.equal(error.attempts, 2);
    return true;
  });
});

test("proxy HTML 502 decodes as ServerError", async () => {
  const coasty = client({ maxRetries: 0 });
  fake.injectFault({ match: { method: "GET", path: "/v1/models" }, kind: "html502" });
  await assert.rejects(coasty.models.list(), (error) => {
    assert.ok(error instanceof ServerError);
    assert.equal(error.code, null);
    assert.equal(error.status, 502);
    assert.match(error.rawBody, /Bad Gateway/);
    return true;
  });
});

test("event stream cut mid-run resumes with no lost or repeated event", async () => {
  const coasty = client();
  const run = await coasty.runs.create({ machine_id: await machineId(coasty), task: "Fill the form", max_steps: 3 });
  fake.injectFault({ match: { method: "GET", path: `/v1/runs/${run.id}/events` }, kind: "cut_stream", afterEvents: 3 });
  const seen = [];
  for await (const event of coasty.runs.events(run.id)) seen.push(event);
  const seqs = seen.map((event) => event.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b));
  assert.equal(new Set(seqs).size, seqs.length, "no event repeated");
  assert.equal(seqs[0], 1);
  assert.equal(seqs.at(-1) - seqs[0] + 1, seqs.length, "no gap in the sequence");
  assert.equal(seen.at(-1).type, "done");
  const resumed = fake.requests.filter((r) => r.path === `/v1/runs/${run.id}/events`);
  assert.ok(resumed.length >= 2, "the stream reconnected");
  assert.ok(resumed.at(-1).headers["last-event-id"], "the reconnect sent Last-Event-ID");
});

test("event stream resumes from a caller's lastEventId", async () => {
  const coasty = client();
  const run = await coasty.runs.create({ machine_id: await machineId(coasty), task: "Read a page", max_steps: 2 });
  const all = [];
  for await (const event of coasty.runs.events(run.id)) all.push(event);
  const rest = [];
  for await (const event of coasty.runs.events(run.id, { lastEventId: all[2].seq })) rest.push(event);
  assert.deepEqual(rest.map((e) => e.seq), all.slice(3).map((e) => e.seq));
});

test("wallet.balance reads credits and dollars from usage", async () => {
  // Runs started by earlier tests still charge the wallet per step.
  await waitForIdleRuns(fake);
  fake.setWallet(1234);
  const balance = await client().wallet.balance();
  assert.equal(balance.credits, 1234);
  assert.equal(balance.dollars, "$12.34");
});

test("budgetCheck fails locally when the estimate exceeds the wallet", async () => {
  const coasty = client();
  const machine = await machineId(coasty);
  await waitForIdleRuns(fake);
  fake.setWallet(100);
  const runsBefore = fake.runs().length;
  await assert.rejects(
    coasty.runs.create({ machine_id: machine, task: "Long task", max_steps: 50, cua_version: "v3" }, { budgetCheck: true }),
    (error) => {
      assert.ok(error instanceof InsufficientCreditsError);
      assert.equal(error.required, 250);
      assert.equal(error.balance, 100);
      assert.equal(error.shortfallCredits, 150);
      assert.equal(error.shortfallDollars, "$1.50");
      assert.match(error.message, /estimate/);
      return true;
    },
  );
  assert.equal(fake.runs().length, runsBefore, "no run was created");
  const run = await coasty.runs.create(
    { machine_id: machine, task: "Short task", max_steps: 10, cua_version: "v3" },
    { budgetCheck: true },
  );
  assert.equal(run.status, "queued");
  assert.equal(run.lastResponse.budgetCheck.checked, true);
  assert.equal(run.lastResponse.budgetCheck.estimate.maxCredits, 50);
  assert.equal(run.lastResponse.budgetCheck.balanceCredits, 100);

  const unpriced = await coasty.runs.create(
    { machine_id: machine, task: "Unpriced version", max_steps: 10, cua_version: "v5" },
    { budgetCheck: true },
  );
  assert.equal(unpriced.lastResponse.budgetCheck.checked, false);
  assert.equal(unpriced.lastResponse.budgetCheck.estimate.known, false);
});

test("budgetCheck without the usage scope says which scope it needs", async () => {
  const key = fake.createKey({ kind: "live", scopes: ["runs:write", "machines:write", "machines:read"] });
  const coasty = new CoastyClient({ apiKey: key, baseUrl: fake.baseUrl });
  await assert.rejects(
    coasty.runs.create({ machine_id: "m", task: "x", cua_version: "v3" }, { budgetCheck: true }),
    (error) => {
      assert.ok(error instanceof InsufficientScopeError);
      assert.equal(error.requiredScope, "usage");
      assert.match(error.message, /budget check/);
      assert.match(error.message, /usage/);
      return true;
    },
  );
});

test("402 from the server is InsufficientCreditsError with the shortfall", async () => {
  const coasty = client();
  const machine = await machineId(coasty);
  await waitForIdleRuns(fake);
  fake.setWallet(2);
  await assert.rejects(coasty.runs.create({ machine_id: machine, task: "x" }), (error) => {
    assert.ok(error instanceof InsufficientCreditsError);
    assert.equal(error.status, 402);
    assert.equal(error.balance, 2);
    assert.ok(error.shortfallCredits > 0);
    assert.match(error.shortfallDollars, /^\$0\.0\d$/);
    return true;
  });
});

test("403 names the scope to add", async () => {
  const coasty = new CoastyClient({ apiKey: fake.keys.readOnly, baseUrl: fake.baseUrl });
  await assert.rejects(coasty.runs.create({ machine_id: "m", task: "x" }), (error) => {
    assert.ok(error instanceof InsufficientScopeError);
    assert.equal(error.requiredScope, "runs:write");
    assert.match(error.hint, /runs:write/);
    return true;
  });
});

test("typed errors for auth, not found and validation", async () => {
  const bad = new CoastyClient({ apiKey: `sk-coasty-live-${"0".repeat(48)}`, baseUrl: fake.baseUrl });
  await assert.rejects(bad.models.list(), AuthenticationError);
  await assert.rejects(client().runs.get("run_does_not_exist"), NotFoundError);
  await assert.rejects(client().runs.list({ status: "sleeping" }), ValidationError);
});

test("local validation rejects before sending", async () => {
  const coasty = client();
  const sentBefore = fake.requests.length;
  await assert.rejects(coasty.runs.create({ machine_id: "m", task: "x", max_steps: 1001 }), (error) => {
    assert.ok(error instanceof CoastyRequestError);
    assert.equal(error.field, "max_steps");
    assert.match(error.message, /1-1000/);
    return true;
  });
  await assert.rejects(coasty.runs.create({ machine_id: "m", task: "x" }, { idempotencyKey: "bad key!" }), CoastyRequestError);
  assert.equal(fake.requests.length, sentBefore);
});

test("missing API key is an error before any request", () => {
  const saved = process.env.COASTY_API_KEY;
  delete process.env.COASTY_API_KEY;
  try {
    assert.throws(() => new CoastyClient({ baseUrl: fake.baseUrl }), (error) => {
      assert.ok(error instanceof CoastyRequestError);
      assert.equal(error.code, "MISSING_API_KEY");
      assert.match(error.message, /COASTY_API_KEY/);
      return true;
    });
  } finally {
    if (saved !== undefined) process.env.COASTY_API_KEY = saved;
  }
});

test("the key is read from COASTY_API_KEY", async () => {
  process.env.COASTY_API_KEY = fake.keys.live;
  try {
    const models = await new CoastyClient({ baseUrl: fake.baseUrl }).models.list();
    assert.ok(models.models);
  } finally {
    delete process.env.COASTY_API_KEY;
  }
});

test("the base URL is read from COASTY_BASE_URL", async () => {
  process.env.COASTY_API_KEY = fake.keys.live;
  process.env.COASTY_BASE_URL = fake.baseUrl;
  try {
    const models = await new CoastyClient().models.list();
    assert.ok(models.models);
  } finally {
    delete process.env.COASTY_API_KEY;
    delete process.env.COASTY_BASE_URL;
  }
});

test("invalid timeouts are argument errors", async () => {
  for (const timeoutMs of [-1, 0, 1.5, "abc"]) {
    assert.throws(() => client({ timeoutMs }), { code: "INVALID_ARGUMENT" }, String(timeoutMs));
    await assert.rejects(client().models.list(undefined, { timeoutMs }), { code: "INVALID_ARGUMENT" });
  }
});

test("a caller-supplied fetch is used, and a non-Response is an error", async () => {
  const seen = [];
  const recording = new CoastyClient({
    apiKey: fake.keys.live,
    baseUrl: fake.baseUrl,
    fetch: (url, init) => {
      seen.push(url);
      return fetch(url, init);
    },
  });
  await recording.models.list();
  assert.equal(seen.length, 1);

  const broken = new CoastyClient({ apiKey: fake.keys.live, baseUrl: fake.baseUrl, fetch: async () => "nope" });
  await assert.rejects(broken.models.list(), (error) => {
    assert.equal(error.code, "INVALID_FETCH_RESULT");
    assert.match(error.message, /not a Response/);
    return true;
  });
});

test("triggers.webhook without a secret is an argument error", async () => {
  await assert.rejects(client().triggers.webhook("whk_1", { a: 1 }), (error) => {
    assert.ok(error instanceof TypeError);
    assert.equal(error.code, "INVALID_ARGUMENT");
    assert.match(error.message, /options\.secret/);
    return true;
  });
});

test("request() escape hatch reaches documented routes", async () => {
  const usage = await client().request("GET", "/usage");
  assert.equal(typeof usage.wallet_balance_cents, "number");
  assert.throws(() => client().request("GET", "/nowhere"), CoastyRequestError);
});

test("errors and debug output never contain the API key", async () => {
  const coasty = client({ maxRetries: 0 });
  fake.injectFault({ match: { method: "GET", path: "/v1/models" }, kind: "status", status: 500 });
  try {
    await coasty.models.list();
    assert.fail("expected an error");
  } catch (error) {
    const text = `${error.message} ${JSON.stringify(error)} ${error.stack}`;
    assert.ok(!text.includes(fake.keys.live));
  }
  assert.ok(!JSON.stringify(coasty).includes(fake.keys.live));
});
