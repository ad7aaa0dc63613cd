// Inference, sessions and account routes: shapes, prices and errors.

import assert from "node:assert/strict";
import { after, before, beforeEach, describe, test } from "node:test";

import { solidPngBase64 } from "./lib/machine-commands.mjs";
import { startFakeCoasty } from "./server.mjs";
import { call } from "./support.mjs";

const SMALL = solidPngBase64(160, 90);
const HD = solidPngBase64(1281, 10);
const JUNK = "A".repeat(200);

let fake;
before(async () => {
  fake = await startFakeCoasty({ stepDelayMs: 5 });
});
after(() => fake.close());
beforeEach(() => {
  fake.setWallet(10_000);
  fake.clearFaults();
});

async function predictCost(body) {
  const response = await call(fake, "POST", "/predict", {
    body: { instruction: "open mail", screenshot: SMALL, ...body },
  });
  assert.equal(response.status, 200, response.text);
  assert.equal(
    response.headers.get("x-credits-charged"),
    String(response.body.usage.credits_charged),
  );
  return response.body.usage.credits_charged;
}

describe("predict", () => {
  test("response shape", async () => {
    const response = await call(fake, "POST", "/predict", {
      body: { instruction: "open mail", screenshot: SMALL },
    });
    assert.equal(response.body.status, "continue");
    assert.match(response.body.request_id, /^req_/);
    assert.equal(response.body.actions[0].action_type, "click");
    assert.deepEqual(Object.keys(response.body.actions[0]).sort(), [
      "action_type",
      "description",
      "params",
      "raw_code",
    ]);
    assert.deepEqual(Object.keys(response.body.usage).sort(), [
      "cost_cents",
      "credits_charged",
      "input_tokens",
      "output_tokens",
    ]);
    assert.equal(response.headers.get("x-credits-remaining"), String(fake.wallet()));
  });

  test("done and fail markers", async () => {
    const done = await call(fake, "POST", "/predict", {
      body: { instruction: "[done]", screenshot: SMALL },
    });
    const failed = await call(fake, "POST", "/predict", {
      body: { instruction: "[fail]", screenshot: SMALL },
    });
    assert.equal(done.body.status, "done");
    assert.equal(failed.body.status, "fail");
  });

  const priceCases = [
    ["base price", {}, 5],
    ["HD image", { screenshot: HD }, 6],
    ["v1 surcharge", { cua_version: "v1" }, 8],
    ["500-character system prompt", { system_prompt: "p".repeat(500) }, 5],
    ["501-character system prompt", { system_prompt: "p".repeat(501) }, 6],
    [
      "two trajectory shots",
      {
        trajectory: [
          { screenshot: SMALL, actions: [] },
          { screenshot: SMALL, actions: [] },
        ],
      },
      9,
    ],
    ["HD trajectory shot", { trajectory: [{ screenshot: HD, actions: [] }] }, 8],
    ["placeholder bytes use the declared screen", { screenshot: JUNK }, 6],
    [
      "placeholder bytes on a 1280x720 screen",
      { screenshot: JUNK, screen_width: 1280, screen_height: 720 },
      5,
    ],
  ];
  for (const [name, body, expected] of priceCases) {
    test(`price: ${name}`, async () => {
      assert.equal(await predictCost(body), expected);
    });
  }

  test("wallet is charged the predict price", async () => {
    await predictCost({ screenshot: HD });
    assert.equal(fake.wallet(), 10_000 - 6);
    assert.equal(fake.charges().at(-1).path, "/v1/predict");
  });

  test("insufficient wallet is a 402", async () => {
    fake.setWallet(4);
    const response = await call(fake, "POST", "/predict", {
      body: { instruction: "x", screenshot: SMALL },
    });
    assert.equal(response.status, 402);
    assert.equal(response.body.error.required, 5);
    assert.equal(fake.wallet(), 4);
  });

  const screenshotCases = [
    ["data: prefix", `data:image/png;base64,${SMALL}`, 422, "INVALID_SCREENSHOT"],
    ["line breaks", `${SMALL.slice(0, 100)}\n${SMALL.slice(100)}`, 422, "INVALID_SCREENSHOT"],
    ["not base64", `${"A".repeat(150)}!!`, 422, "INVALID_SCREENSHOT"],
    ["too short", "QUJD", 422, "VALIDATION_ERROR"],
  ];
  for (const [name, screenshot, status, code] of screenshotCases) {
    test(`screenshot with ${name} is rejected`, async () => {
      const response = await call(fake, "POST", "/predict", {
        body: { instruction: "x", screenshot },
      });
      assert.equal(response.status, status);
      assert.equal(response.body.error.code, code);
    });
  }

  test("blog field names are rejected", async () => {
    const response = await call(fake, "POST", "/predict", {
      body: { instruction: "x", image: SMALL },
    });
    assert.equal(response.status, 422);
    const fields = response.body.error.details.map((detail) => detail.loc.join("."));
    assert.deepEqual(fields.sort(), ["body.image", "body.screenshot"]);
  });

  test("replay with the same key reports credits_charged 0", async () => {
    const headers = { "Idempotency-Key": "predict-replay-1" };
    const body = { instruction: "x", screenshot: SMALL };
    await call(fake, "POST", "/predict", { body, headers });
    const replay = await call(fake, "POST", "/predict", { body, headers });
    assert.equal(replay.body.usage.credits_charged, 0);
    assert.equal(replay.body.usage.billed, false);
    assert.equal(fake.wallet(), 10_000 - 5);
  });
});

describe("sessions, ground and parse", () => {
  test("session lifecycle and prices", async () => {
    const created = await call(fake, "POST", "/sessions", {
      body: { screen_width: 1280, screen_height: 720, max_trajectory_length: 2 },
    });
    assert.equal(created.status, 200);
    assert.equal(created.headers.get("x-credits-charged"), "10");
    assert.equal(created.body.screen_size, "1280x720");
    const id = created.body.session_id;
    const costs = [];
    for (let step = 0; step < 4; step += 1) {
      const predicted = await call(fake, "POST", `/sessions/${id}/predict`, {
        body: { instruction: "next", screenshot: SMALL },
      });
      assert.equal(predicted.body.step, step + 1);
      assert.equal(predicted.body.session_id, id);
      costs.push(predicted.body.usage.credits_charged);
    }
    // 4 credits plus 2 per kept screenshot, at most max_trajectory_length (2) of them.
    assert.deepEqual(costs, [4, 6, 8, 8]);
    const fetched = await call(fake, "GET", `/sessions/${id}`);
    assert.equal(fetched.body.step_count, 4);
    assert.equal(fetched.body.total_credits_used, 10 + 4 + 6 + 8 + 8);
    assert.deepEqual((await call(fake, "POST", `/sessions/${id}/reset`)).body.status, "ok");
    const afterReset = await call(fake, "POST", `/sessions/${id}/predict`, {
      body: { instruction: "next", screenshot: SMALL },
    });
    assert.equal(afterReset.body.usage.credits_charged, 4);
    assert.ok(
      (await call(fake, "GET", "/sessions")).body.sessions.some(
        (session) => session.session_id === id,
      ),
    );
    assert.equal((await call(fake, "DELETE", `/sessions/${id}`)).status, 200);
    const gone = await call(fake, "GET", `/sessions/${id}`);
    assert.equal(gone.status, 404);
    assert.equal(gone.body.error.code, "SESSION_NOT_FOUND");
  });

  test("ground costs 3, plus 1 for HD", async () => {
    const small = await call(fake, "POST", "/ground", {
      body: { screenshot: SMALL, element: "Send button" },
    });
    const hd = await call(fake, "POST", "/ground", {
      body: { screenshot: HD, element: "Send button" },
    });
    assert.equal(small.body.usage.credits_charged, 3);
    assert.equal(hd.body.usage.credits_charged, 4);
    assert.equal(typeof small.body.x, "number");
  });

  test("parse translates pyautogui and is free", async () => {
    const code =
      "import pyautogui\npyautogui.click(10, 20)\npyautogui.write('hi, there')\npyautogui.hotkey('ctrl', 'c')\ntime.sleep(0.5)\nos.system('x')";
    const response = await call(fake, "POST", "/parse", { body: { code } });
    assert.equal(response.status, 200);
    assert.deepEqual(
      response.body.actions.map((action) => action.action_type),
      ["click", "type_text", "key_combo", "wait", "raw"],
    );
    assert.deepEqual(response.body.actions[0].params, { x: 10, y: 20 });
    assert.deepEqual(response.body.actions[1].params, { text: "hi, there" });
    assert.deepEqual(response.body.actions[2].params, { keys: ["ctrl", "c"] });
    assert.deepEqual(response.body.actions[3].params, { ms: 500 });
    assert.equal(fake.wallet(), 10_000);
    assert.equal((await call(fake, "POST", "/parse", { body: { code: "" } })).status, 422);
  });
});

describe("account routes", () => {
  test("usage breakdown counts requests and credits", async () => {
    await predictCost({});
    const usage = await call(fake, "GET", "/usage");
    assert.equal(usage.status, 200);
    assert.match(usage.body.period, /^\d{4}-\d{2}$/);
    assert.ok(usage.body.breakdown["/v1/predict"].requests >= 1);
    assert.ok(usage.body.breakdown["/v1/predict"].credits >= 5);
    assert.equal(usage.body.total_cost_cents, usage.body.total_credits);
    assert.equal((await call(fake, "GET", "/usage?period=2026-13")).status, 422);
  });

  test("keys: create, list, revoke", async () => {
    const created = await call(fake, "POST", "/keys", { body: { name: "ci" } });
    assert.equal(created.status, 200);
    assert.match(created.body.key, /^sk-coasty-live-[0-9a-f]{48}$/);
    assert.ok(created.body.scopes.includes("runs:write"));
    assert.ok(!created.body.scopes.includes("connection:read"));
    const listed = await call(fake, "GET", "/keys");
    const entry = listed.body.keys.find((key) => key.key_id === created.body.key_id);
    assert.equal(entry.key_prefix, created.body.key.slice(0, 16));
    assert.ok(!JSON.stringify(listed.body).includes(created.body.key));
    assert.equal((await call(fake, "GET", "/runs", { key: created.body.key })).status, 200);
    assert.equal((await call(fake, "DELETE", `/keys/${created.body.key_id}`)).status, 200);
    assert.equal((await call(fake, "GET", "/runs", { key: created.body.key })).status, 401);
    assert.equal((await call(fake, "DELETE", `/keys/${created.body.key_id}`)).status, 404);
    assert.equal((await call(fake, "POST", "/keys", { body: { name: "  " } })).status, 422);
    assert.equal(
      (await call(fake, "POST", "/keys", { body: { name: "x", scopes: ["root"] } })).status,
      422,
    );
  });

  test("llm keys store a fingerprint only", async () => {
    const secret = "sk-ant-0123456789abcdef";
    const stored = await call(fake, "PUT", "/llm/keys/anthropic", { body: { api_key: secret } });
    assert.equal(stored.status, 200);
    assert.match(stored.body.key_fingerprint, /^sha256:[0-9a-f]{16}$/);
    assert.ok(!stored.text.includes(secret));
    const run = await call(fake, "POST", "/runs", {
      body: { machine_id: "m", task: "t", llm: { provider: "anthropic" } },
    });
    assert.equal(run.body.llm.key_source, "stored");
    assert.equal(
      (await call(fake, "PUT", "/llm/keys/mistral", { body: { api_key: secret } })).body.error.code,
      "LLM_PROVIDER_UNSUPPORTED",
    );
    const short = await call(fake, "PUT", "/llm/keys/openai", { body: { api_key: "short" } });
    assert.equal(short.status, 422);
    assert.ok(!short.text.includes('short"'), "the key value is not echoed");
    assert.equal((await call(fake, "DELETE", "/llm/keys/anthropic")).status, 200);
    assert.equal(
      (await call(fake, "DELETE", "/llm/keys/anthropic")).body.error.code,
      "LLM_KEY_NOT_FOUND",
    );
    const missing = await call(fake, "POST", "/runs", {
      body: { machine_id: "m", task: "t", llm: { provider: "openai" } },
    });
    assert.equal(missing.body.error.code, "LLM_KEY_NOT_CONFIGURED");
  });

  test("health needs no key", async () => {
    const response = await fetch(fake.baseUrl.replace(/\/v1$/, "/health"));
    assert.equal(response.status, 200);
    assert.equal((await response.json()).status, "ok");
  });
});
