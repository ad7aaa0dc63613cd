// Webhook API of the built package, in Node: every shared vector, then the
// JavaScript-specific contract (argument types, header arrays, Request bodies).
import assert from "node:assert/strict";
import { createHmac, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import {
  Webhook,
  WebhookVerificationError,
  createSignedWebhookRequest,
  normalizeRunEvent,
  signWebhook,
  verifyWebhook,
  verifyWebhookRequest,
  verifyWebhookSignature,
} from "../../pkg/dist/node.mjs";

const vectors = JSON.parse(
  readFileSync(new URL("../vectors/webhook-verify.json", import.meta.url), "utf8"),
);

const SECRET = "whsec_test_secret_123";
const BODY = '{"event":"run.succeeded","run_id":"run_123","status":"succeeded"}';
const T = 1750000000;

function referenceHeader(secret, body, timestamp) {
  const mac = createHmac("sha256", secret).update(`${timestamp}.`).update(body).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

function failureCode(fn) {
  try {
    fn();
  } catch (error) {
    return error.code;
  }
  return null;
}

for (const vector of vectors) {
  const { input, expect } = vector;
  const expected = expect.ok ? null : expect.error.toUpperCase();
  const bodies = input.body_b64
    ? { bytes: new Uint8Array(Buffer.from(input.body_b64, "base64")) }
    : { string: input.body, bytes: new TextEncoder().encode(input.body) };
  for (const [kind, body] of Object.entries(bodies)) {
    test(`vector ${vector.id} (${kind}): ${vector.note}`, () => {
      const options = { now: new Date(input.now * 1000), toleranceSeconds: input.tolerance };
      const verify = input.parse ? verifyWebhook : verifyWebhookSignature;
      const code = failureCode(() => verify(body, input.header, input.secret, options));
      assert.equal(code, expected);
    });
  }
}

test("verifyWebhook returns the event as sent", () => {
  const body = '{"event":"run.succeeded","cost_usd":1.50,"nested":{"a":[1,2]}}';
  const event = verifyWebhook(body, referenceHeader(SECRET, body, T), SECRET, { now: T });
  assert.deepEqual(event, JSON.parse(body));
});

test("verifySignature reports timestamp and secret index", () => {
  const header = referenceHeader("whsec_new", BODY, T);
  const result = new Webhook(["whsec_old", "whsec_new"]).verifySignature(BODY, header, {
    now: new Date(T * 1000),
  });
  assert.deepEqual(result, { timestamp: T, secretIndex: 1 });
});

test("Buffer, ArrayBuffer and DataView payloads verify", () => {
  const header = referenceHeader(SECRET, BODY, T);
  const buffer = Buffer.from(BODY);
  const arrayBuffer = new TextEncoder().encode(BODY).buffer;
  for (const payload of [buffer, arrayBuffer, new DataView(arrayBuffer)]) {
    assert.equal(verifyWebhook(payload, header, SECRET, { now: T }).run_id, "run_123");
  }
});

test("header arrays: one value, none, duplicates", () => {
  const header = referenceHeader(SECRET, BODY, T);
  assert.equal(verifyWebhook(BODY, [header], SECRET, { now: T }).run_id, "run_123");
  assert.equal(failureCode(() => verifyWebhook(BODY, [], SECRET, { now: T })), "MISSING_HEADER");
  assert.equal(
    failureCode(() => verifyWebhook(BODY, [header, header], SECRET, { now: T })),
    "MALFORMED_HEADER",
  );
  assert.equal(
    failureCode(() => verifyWebhook(BODY, `${header}, ${header}`, SECRET, { now: T })),
    "MALFORMED_HEADER",
  );
});

test("failures are WebhookVerificationError with details", () => {
  const header = referenceHeader(SECRET, BODY, T);
  try {
    verifyWebhook(BODY, header, SECRET, { now: T + 3600 });
    assert.fail("expected a failure");
  } catch (error) {
    assert.ok(error instanceof WebhookVerificationError);
    assert.ok(error instanceof Error);
    assert.equal(error.name, "WebhookVerificationError");
    assert.equal(error.code, "TIMESTAMP_OUT_OF_TOLERANCE");
    assert.equal(error.timestamp, T);
    assert.equal(error.skewSeconds, 3600);
    assert.match(error.message, /3600 s in the past/);
  }
});

test("invalid payload errors carry the timestamp", () => {
  const body = "not json";
  assert.throws(() => verifyWebhook(body, referenceHeader(SECRET, body, T), SECRET, { now: T }), (error) => {
    assert.equal(error.code, "INVALID_PAYLOAD");
    assert.equal(error.timestamp, T);
    return true;
  });
});

test("mismatch message names the usual cause", () => {
  const header = referenceHeader(SECRET, BODY, T);
  try {
    verifyWebhook(JSON.stringify(JSON.parse(BODY), null, 2), header, SECRET, { now: T });
    assert.fail("expected a failure");
  } catch (error) {
    assert.equal(error.code, "NO_MATCHING_SIGNATURE");
    assert.match(error.message, /re-serialised/);
    assert.equal(error.timestamp, T);
  }
});

test("secret and signature never appear in errors", () => {
  const header = referenceHeader(SECRET, BODY, T);
  const mac = header.slice(header.indexOf("v1=") + 3);
  const attempts = [
    () => verifyWebhook("tampered", header, SECRET, { now: T }),
    () => verifyWebhook(BODY, header, SECRET, { now: T + 9999 }),
    () => verifyWebhook(BODY, `${header},t=1`, SECRET, { now: T }),
    () => verifyWebhook(BODY, header, [SECRET, ""], { now: T }),
  ];
  for (const attempt of attempts) {
    try {
      attempt();
      assert.fail("expected a failure");
    } catch (error) {
      const text = `${error.message} ${JSON.stringify(error)} ${String(error.stack)}`;
      assert.ok(!text.includes(SECRET), text);
      assert.ok(!text.includes(mac.slice(0, 16)), text);
    }
  }
});

test("argument errors are TypeError with INVALID_ARGUMENT", () => {
  const header = referenceHeader(SECRET, BODY, T);
  const cases = [
    [() => verifyWebhook(JSON.parse(BODY), header, SECRET), /raw request body/],
    [() => verifyWebhook(42, header, SECRET), /raw request body/],
    [() => verifyWebhook(null, header, SECRET), /raw request body/],
    [() => verifyWebhook(BODY, header, ""), /empty/],
    [() => verifyWebhook(BODY, header, []), /empty array/],
    [() => verifyWebhook(BODY, header, [SECRET, 7]), /index 1/],
    [() => verifyWebhook(BODY, header, undefined), /secret must be a string.*got undefined$/],
    [() => verifyWebhook(BODY, 12, SECRET), /signatureHeader/],
    [() => verifyWebhook(BODY, [header, 3], SECRET), /signatureHeader\[1\]/],
    [() => verifyWebhook(BODY, header, SECRET, { toleranceSeconds: -1 }), /toleranceSeconds/],
    [() => verifyWebhook(BODY, header, SECRET, { toleranceSeconds: NaN }), /toleranceSeconds/],
    [() => verifyWebhook(BODY, header, SECRET, { toleranceSeconds: 1.5 }), /toleranceSeconds/],
    [() => verifyWebhook(BODY, header, SECRET, { now: "yesterday" }), /options.now/],
    [() => verifyWebhook(BODY, header, SECRET, { now: new Date("x") }), /options.now/],
    [() => signWebhook(BODY, SECRET, { timestamp: -5 }), /before 1970/],
    [() => signWebhook({}, SECRET), /JSON\.stringify/],
  ];
  for (const [attempt, pattern] of cases) {
    assert.throws(attempt, (error) => {
      assert.ok(error instanceof TypeError, String(error));
      assert.equal(error.code, "INVALID_ARGUMENT");
      assert.match(error.message, pattern);
      return true;
    });
  }
});

test("tolerance zero is the same second, not disabled", () => {
  const header = referenceHeader(SECRET, BODY, T);
  const options = { toleranceSeconds: 0 };
  assert.ok(verifyWebhook(BODY, header, SECRET, { ...options, now: T }));
  assert.equal(
    failureCode(() => verifyWebhook(BODY, header, SECRET, { ...options, now: T + 1 })),
    "TIMESTAMP_OUT_OF_TOLERANCE",
  );
});

test("now defaults to the system clock", () => {
  const now = Math.floor(Date.now() / 1000);
  assert.ok(verifyWebhook(BODY, referenceHeader(SECRET, BODY, now), SECRET));
  assert.equal(
    failureCode(() => verifyWebhook(BODY, referenceHeader(SECRET, BODY, now - 3600), SECRET)),
    "TIMESTAMP_OUT_OF_TOLERANCE",
  );
});

test("signWebhook matches node:crypto for random bodies and secrets", () => {
  for (let i = 0; i < 200; i++) {
    const body = randomBytes(i * 13);
    const secret = `whsec_${randomBytes(1 + (i % 40)).toString("base64")}`;
    assert.equal(signWebhook(body, secret, { timestamp: T + i }), referenceHeader(secret, body, T + i));
  }
});

test("any flipped body byte is rejected", () => {
  const body = randomBytes(512);
  const header = signWebhook(body, SECRET, { timestamp: T });
  for (let i = 0; i < body.length; i++) {
    const tampered = Buffer.from(body);
    tampered[i] ^= 1 << (i % 8);
    assert.equal(
      failureCode(() => verifyWebhookSignature(tampered, header, SECRET, { now: T })),
      "NO_MATCHING_SIGNATURE",
    );
  }
});

test("verifyWebhookRequest reads header, alias and raw body", async () => {
  const signed = createSignedWebhookRequest("http://127.0.0.1/hook", BODY, SECRET, { timestamp: T });
  const result = await verifyWebhookRequest(signed, SECRET, { now: T });
  assert.equal(result.event.run_id, "run_123");
  assert.equal(new TextDecoder().decode(result.rawBody), BODY);
  assert.equal(result.timestamp, T);
  assert.equal(result.secretIndex, 0);

  const alias = new Request("http://127.0.0.1/hook", {
    method: "POST",
    headers: { "x-coasty-signature": referenceHeader(SECRET, BODY, T) },
    body: BODY,
  });
  assert.equal((await verifyWebhookRequest(alias, SECRET, { now: T })).event.status, "succeeded");
});

test("verifyWebhookRequest rejects a consumed body", async () => {
  const signed = createSignedWebhookRequest("http://127.0.0.1/hook", BODY, SECRET, { timestamp: T });
  await signed.json();
  await assert.rejects(verifyWebhookRequest(signed, SECRET, { now: T }), (error) => {
    assert.equal(error.code, "INVALID_ARGUMENT");
    assert.match(error.message, /already read/);
    return true;
  });
});

test("verifyWebhookRequest with a missing header", async () => {
  const request = new Request("http://127.0.0.1/hook", { method: "POST", body: BODY });
  await assert.rejects(verifyWebhookRequest(request, SECRET, { now: T }), { code: "MISSING_HEADER" });
});

test("normalizeRunEvent reads every payload shape", () => {
  assert.deepEqual(
    normalizeRunEvent({ event: "run.succeeded", run_id: "run_1", status: "succeeded" }),
    {
      event: "run.succeeded",
      runId: "run_1",
      status: "succeeded",
      reason: null,
      result: null,
      error: null,
      createdAt: null,
      knownEvent: true,
    },
  );
  const wrapped = normalizeRunEvent({ event: "run.failed", run: { id: "run_2", status: "failed" } });
  assert.equal(wrapped.runId, "run_2");
  assert.equal(wrapped.status, "failed");
  const stateShape = normalizeRunEvent({ id: "evt_1", run_id: "run_3", state: "running" });
  assert.equal(stateShape.runId, "run_3");
  assert.equal(stateShape.status, "running");
  assert.equal(stateShape.knownEvent, false);
  const paused = normalizeRunEvent({ event: "run.awaiting_human", run_id: "r", reason: "captcha" });
  assert.equal(paused.reason, "captcha");
  assert.throws(() => normalizeRunEvent("{}"), { code: "INVALID_ARGUMENT" });
});
