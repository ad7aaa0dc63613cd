// Auth, scopes, the error envelope, billing and validation of the fake server.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { startFakeCoasty } from "./server.mjs";
import { call, waitForIdleRuns, waitForRunStatus } from "./support.mjs";

const RUN = { machine_id: "machine-1", task: "open the settings page" };

let fake;
before(async () => {
  fake = await startFakeCoasty({ stepDelayMs: 5 });
});
after(() => fake.close());
beforeEach(() => {
  fake.setWallet(10_000);
  fake.clearFaults();
});

function fetchWith(headers) {
  return fetch(`${fake.baseUrl}/runs`, { headers });
}

describe("authentication", () => {
  test("X-API-Key header is accepted", async () => {
    const response = await fetchWith({ "X-API-Key": fake.keys.live });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-coasty-key-kind"), "live");
    assert.match(response.headers.get("x-coasty-request-id"), /^req_[0-9a-f]+$/);
  });

  test("Authorization Bearer header is accepted", async () => {
    const response = await fetchWith({ Authorization: `Bearer ${fake.keys.live}` });
    assert.equal(response.status, 200);
  });

  test("Bearer inside X-API-Key is rejected", async () => {
    const response = await call(fake, "GET", "/runs", { key: `Bearer ${fake.keys.live}` });
    assert.equal(response.status, 401);
    assert.equal(response.body.error.code, "INVALID_API_KEY");
    assert.equal(response.headers.get("www-authenticate"), "Bearer");
    assert.ok(!response.text.includes(fake.keys.live), "the key must not be echoed");
  });

  test("missing key returns 401 with WWW-Authenticate", async () => {
    const response = await call(fake, "GET", "/runs", { key: null });
    assert.equal(response.status, 401);
    assert.equal(response.body.error.code, "INVALID_API_KEY");
    assert.equal(response.headers.get("www-authenticate"), "Bearer");
  });

  test("unknown and malformed keys return 401", async () => {
    const unknown = await call(fake, "GET", "/runs", { key: `sk-coasty-live-${"0".repeat(48)}` });
    const malformed = await call(fake, "GET", "/runs", { key: "sk_live_1234567890abcdef" });
    assert.equal(unknown.status, 401);
    assert.equal(malformed.status, 401);
    assert.equal(malformed.body.error.code, "INVALID_API_KEY");
    assert.match(malformed.body.error.message, /48 lower-case hex/);
  });

  test("legacy cua_sk_ keys authenticate as legacy", async () => {
    const key = fake.createKey({ kind: "legacy", scopes: ["runs:read"] });
    assert.match(key, /^cua_sk_[0-9a-f]{48}$/);
    const response = await call(fake, "GET", "/runs", { key });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get("x-coasty-key-kind"), "legacy");
  });

  test("test keys are marked and never billed", async () => {
    const created = await call(fake, "POST", "/runs", { key: fake.keys.test, body: RUN });
    assert.equal(created.status, 200);
    assert.equal(created.headers.get("x-coasty-test-mode"), "true");
    assert.equal(created.headers.get("x-coasty-key-kind"), "test");
    assert.equal(created.headers.get("x-credits-charged"), "0");
    await waitForRunStatus(fake, created.body.id, "succeeded");
    assert.equal(fake.charges().filter((charge) => charge.runId === created.body.id).length, 0);
    assert.equal(fake.wallet(), 10_000);
  });

  test("live and test resources are isolated", async () => {
    const live = await call(fake, "POST", "/runs", { body: RUN });
    const fromTest = await call(fake, "GET", `/runs/${live.body.id}`, { key: fake.keys.test });
    assert.equal(fromTest.status, 404);
    assert.equal(fromTest.body.error.code, "RUN_NOT_FOUND");
    const listed = await call(fake, "GET", "/runs", { key: fake.keys.test });
    assert.ok(listed.body.data.every((run) => run.id !== live.body.id));
  });
});

describe("scopes", () => {
  test("key without scopes gets 403 with scope details", async () => {
    const response = await call(fake, "POST", "/runs", { key: fake.keys.noScopes, body: RUN });
    assert.equal(response.status, 403);
    assert.equal(response.body.error.code, "INSUFFICIENT_SCOPE");
    assert.equal(response.body.error.required_scope, "runs:write");
    assert.deepEqual(response.body.error.current_scopes, []);
  });

  test("read-only key reads but cannot write", async () => {
    const listed = await call(fake, "GET", "/runs", { key: fake.keys.readOnly });
    const created = await call(fake, "POST", "/runs", { key: fake.keys.readOnly, body: RUN });
    assert.equal(listed.status, 200);
    assert.equal(created.status, 403);
    assert.deepEqual(created.body.error.current_scopes, ["runs:read", "usage"]);
  });

  test("scope is checked before the body", async () => {
    const response = await call(fake, "POST", "/runs", {
      key: fake.keys.noScopes,
      body: "{not json",
    });
    assert.equal(response.status, 403);
  });

  test("models route needs no scope", async () => {
    const response = await call(fake, "GET", "/models", { key: fake.keys.noScopes });
    assert.equal(response.status, 200);
    assert.ok(response.body.cua_versions.includes("v3"));
  });

  test("createKey rejects unknown scopes", () => {
    assert.throws(
      () => fake.createKey({ kind: "live", scopes: ["runs:admin"] }),
      /unknown scope "runs:admin"/,
    );
  });
});

describe("error envelope", () => {
  test("carries every documented field", async () => {
    const response = await call(fake, "POST", "/runs", { body: { task: "x" } });
    const { error } = response.body;
    assert.equal(response.status, 422);
    assert.equal(error.code, "VALIDATION_ERROR");
    assert.equal(error.type, "validation_error");
    assert.equal(typeof error.message, "string");
    assert.equal(error.request_id, response.headers.get("x-coasty-request-id"));
    assert.equal(error.retryable, false);
    assert.equal(error.retry_with_same_idempotency_key, false);
    assert.deepEqual(error.details[0].loc, ["body", "machine_id"]);
  });

  test("unknown route is a 404 envelope", async () => {
    const response = await call(fake, "GET", "/wallet");
    assert.equal(response.status, 404);
    assert.equal(response.body.error.code, "NOT_FOUND");
  });

  test("wrong method is a 405 with Allow", async () => {
    const response = await call(fake, "DELETE", "/runs");
    assert.equal(response.status, 405);
    assert.equal(response.headers.get("allow"), "POST, GET");
  });

  test("invalid JSON is a 422", async () => {
    const response = await call(fake, "POST", "/runs", { body: '{"task": ' });
    assert.equal(response.status, 422);
    assert.equal(response.body.error.details[0].type, "json_invalid");
  });
});

describe("run creation validation", () => {
  const cases = [
    ["unknown field", { ...RUN, state: "x" }, ["body", "state"], "extra_forbidden"],
    ["empty task", { ...RUN, task: "" }, ["body", "task"], "string_length"],
    [
      "long machine id",
      { ...RUN, machine_id: "m".repeat(129) },
      ["body", "machine_id"],
      "string_length",
    ],
    ["bad cua_version", { ...RUN, cua_version: "latest" }, ["body", "cua_version"], "enum"],
    ["zero max_steps", { ...RUN, max_steps: 0 }, ["body", "max_steps"], "number_range"],
    ["fractional max_steps", { ...RUN, max_steps: 1.5 }, ["body", "max_steps"], "int_type"],
    [
      "bad on_awaiting_human",
      { ...RUN, on_awaiting_human: "wait" },
      ["body", "on_awaiting_human"],
      "enum",
    ],
    [
      "remote webhook",
      { ...RUN, webhook_url: "https://example.com/hook" },
      ["body", "webhook_url"],
      "value_error",
    ],
    [
      "webhook with userinfo",
      { ...RUN, webhook_url: "http://user:pw@127.0.0.1/h" },
      ["body", "webhook_url"],
      "value_error",
    ],
    [
      "too much metadata",
      { ...RUN, metadata: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, i])) },
      ["body", "metadata"],
      "too_many_keys",
    ],
    [
      "api_key in llm",
      { ...RUN, llm: { provider: "openai", api_key: "sk-secret-value-123" } },
      ["body", "llm", "api_key"],
      "extra_forbidden",
    ],
  ];
  for (const [name, body, loc, type] of cases) {
    test(`rejects ${name}`, async () => {
      const response = await call(fake, "POST", "/runs", { body });
      assert.equal(response.status, 422);
      assert.equal(response.body.error.code, "VALIDATION_ERROR");
      assert.deepEqual(response.body.error.details[0].loc, loc);
      assert.equal(response.body.error.details[0].type, type);
    });
  }

  test("clamps max_steps and deadline_seconds", async () => {
    const response = await call(fake, "POST", "/runs", {
      body: { ...RUN, max_steps: 5000, deadline_seconds: 100_000 },
    });
    assert.equal(response.status, 200);
    assert.equal(response.body.max_steps, 1000);
  });

  test("v4 needs the professional tier", async () => {
    const key = fake.createKey({ kind: "live", scopes: ["runs:write"], tier: "starter" });
    const response = await call(fake, "POST", "/runs", {
      key,
      body: { ...RUN, cua_version: "v4" },
    });
    assert.equal(response.status, 400);
    assert.equal(response.body.error.code, "FEATURE_NOT_AVAILABLE");
  });
});

describe("wallet", () => {
  test("run creation needs one step of credits", async () => {
    fake.setWallet(4);
    const before = fake.runs().length;
    const response = await call(fake, "POST", "/runs", { body: RUN });
    assert.equal(response.status, 402);
    assert.equal(response.body.error.code, "INSUFFICIENT_CREDITS");
    assert.equal(response.body.error.type, "billing_error");
    assert.equal(response.body.error.required, 5);
    assert.equal(response.body.error.balance, 4);
    assert.equal(fake.runs().length, before);
  });

  test("v1 runs need 8 credits", async () => {
    fake.setWallet(7);
    const response = await call(fake, "POST", "/runs", { body: { ...RUN, cua_version: "v1" } });
    assert.equal(response.status, 402);
    assert.equal(response.body.error.required, 8);
  });

  test("test keys ignore an empty wallet", async () => {
    fake.setWallet(0);
    const response = await call(fake, "POST", "/runs", { key: fake.keys.test, body: RUN });
    assert.equal(response.status, 200);
  });

  test("usage reports the wallet balance", async () => {
    // Runs started by earlier tests still charge the wallet per step.
    await waitForIdleRuns(fake);
    fake.setWallet(1234);
    const response = await call(fake, "GET", "/usage", { key: fake.keys.readOnly });
    assert.equal(response.status, 200);
    assert.equal(response.body.balance, 1234);
    assert.equal(response.body.wallet_balance_cents, 1234);
    assert.equal(response.body.wallet_balance_usd, "12.34");
  });

  test("setWallet rejects non-integers", () => {
    assert.throws(() => fake.setWallet(-1), /non-negative integer/);
    assert.throws(() => fake.setWallet(1.5), /non-negative integer/);
  });
});

describe("rate limit", () => {
  test("a key over its limit gets 429 with Retry-After", async () => {
    const key = fake.createKey({
      kind: "live",
      scopes: ["runs:read"],
      rateLimit: { limit: 2, windowSeconds: 60 },
    });
    const first = await call(fake, "GET", "/runs", { key });
    await call(fake, "GET", "/runs", { key });
    const third = await call(fake, "GET", "/runs", { key });
    assert.equal(first.headers.get("x-ratelimit-limit"), "2");
    assert.equal(first.headers.get("x-ratelimit-remaining"), "1");
    assert.match(first.headers.get("x-ratelimit-reset"), /^\d+$/);
    assert.equal(third.status, 429);
    assert.equal(third.body.error.code, "RATE_LIMITED");
    assert.equal(third.body.error.retryable, true);
    assert.equal(third.headers.get("x-ratelimit-remaining"), "0");
    const retryAfter = Number(third.headers.get("retry-after"));
    assert.ok(retryAfter >= 1, `Retry-After was ${retryAfter}`);
    assert.ok(retryAfter <= 60, `Retry-After was ${retryAfter}`);
    assert.equal(third.body.error.retry_after, retryAfter);
  });
});
