// The webhook debugger's diagnosis (www/diagnose.js) against the built
// package. Every delivery is signed here with node:crypto, independently of
// the code under test, with the mistake applied on the signing side.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { test } from "node:test";

import * as coasty from "coasty";

import { checkDelivery, findCauses } from "../../www/diagnose.js";

// Throwaway values. The part after whsec_ is valid base64, so the Standard
// Webhooks reading of this secret has a key to test.
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const API_KEY = "sk-coasty-test-0123456789abcdef0123456789abcdef0123456789abcdef";
const NOW = 1750000100;
const T = 1750000000;
const EVENT = { event: "run.succeeded", run_id: "run_123", status: "succeeded", steps: 4 };
const BODY = JSON.stringify(EVENT);

function mac(key, message, encoding = "hex") {
  return createHmac("sha256", key).update(message).digest(encoding);
}

function header(key, body, { t = T, encoding = "hex", prefix = true } = {}) {
  const message = prefix
    ? Buffer.concat([Buffer.from(`${t}.`), Buffer.from(body)])
    : Buffer.from(body);
  return `t=${t},v1=${mac(key, message, encoding)}`;
}

async function check(input) {
  return checkDelivery(
    { secrets: [SECRET], now: NOW, toleranceSeconds: 300, ...input },
    { coasty },
  );
}

async function causeIds(input) {
  const report = await check(input);
  return report.causes.map((found) => found.id);
}

test("valid delivery passes without causes", async () => {
  const report = await check({ body: BODY, header: header(SECRET, BODY) });
  assert.equal(report.verdict.ok, true);
  assert.equal(report.verdict.secretIndex, 0);
  assert.equal(report.verdict.event.runId, "run_123");
  assert.deepEqual(report.causes, []);
  assert.equal(report.expected[0].header, header(SECRET, BODY));
  assert.equal(report.timestamp.ageSeconds, 100);
});

test("expected header uses each secret", async () => {
  const other = "whsec_other_secret_456";
  const report = await check({
    body: BODY,
    header: header("whsec_x", BODY),
    secrets: [SECRET, other],
  });
  assert.equal(report.expected.length, 2);
  assert.equal(report.expected[1].header, header(other, BODY));
});

const bodyCases = [
  ["compact JSON signed, pretty body", BODY, JSON.stringify(EVENT, null, 2), "json-compact"],
  ["2-space JSON signed, compact body", JSON.stringify(EVENT, null, 2), BODY, "json-pretty-2"],
  ["4-space JSON signed, compact body", JSON.stringify(EVENT, null, 4), BODY, "json-pretty-4"],
  [
    "sorted keys signed",
    '{"event":"run.succeeded","run_id":"run_123","status":"succeeded","steps":4}',
    '{"steps":4,"status":"succeeded","run_id":"run_123","event":"run.succeeded"}',
    "json-sorted",
  ],
  [
    "Python json.dumps signed",
    '{"event": "run.succeeded", "note": "caf\\u00e9"}',
    '{"event":"run.succeeded","note":"café"}',
    "json-python",
  ],
];

for (const [name, signed, pasted, variant] of bodyCases) {
  test(`re-serialised JSON: ${name}`, async () => {
    const report = await check({ body: pasted, header: header(SECRET, signed) });
    assert.equal(report.verdict.code, "NO_MATCHING_SIGNATURE");
    assert.deepEqual(
      report.causes.map((found) => found.id),
      ["json-reserialised"],
    );
    assert.equal(report.causes[0].variant, variant);
  });
}

const byteCases = [
  ["trailing newline added", `${BODY}\n`, BODY, "trailing-newline-added"],
  ["trailing CRLF added", `${BODY}\r\n`, BODY, "trailing-newline-added"],
  ["trailing newline removed", BODY, `${BODY}\n`, "trailing-newline-removed"],
  ["CRLF turned into LF", '{\n"a": 1\n}', '{\r\n"a": 1\r\n}', "crlf-to-lf"],
  ["LF turned into CRLF", '{\r\n"a": 1\r\n}', '{\n"a": 1\n}', "lf-to-crlf"],
  ["BOM stripped by receiver", `\ufeff${BODY}`, BODY, "bom-added"],
  ["BOM added by receiver", BODY, `\ufeff${BODY}`, "bom-stripped"],
];

for (const [name, signed, pasted, id] of byteCases) {
  test(`body bytes: ${name}`, async () => {
    const ids = await causeIds({ body: pasted, header: header(SECRET, signed) });
    assert.deepEqual(ids, [id]);
  });
}

test("CRLF case works on raw bytes", async () => {
  const signed = '{\r\n"a": 1\r\n}';
  const bytes = new TextEncoder().encode('{\n"a": 1\n}');
  const ids = await causeIds({ body: bytes, header: header(SECRET, signed) });
  assert.deepEqual(ids, ["lf-to-crlf"]);
});

const secretCases = [
  ["configured secret has a trailing space", SECRET, [`${SECRET} `], "secret-trimmed"],
  ["signing secret has a newline", `${SECRET}\n`, [SECRET], "secret-newline-added"],
  ["signer stripped whsec_", SECRET.slice(6), [SECRET], "secret-prefix-stripped"],
  ["configured secret lacks whsec_", SECRET, [SECRET.slice(6)], "secret-prefix-added"],
  [
    "Standard Webhooks key",
    Buffer.from(SECRET.slice(6), "base64"),
    [SECRET],
    "standard-webhooks-key",
  ],
];

for (const [name, signingKey, secrets, id] of secretCases) {
  test(`secret: ${name}`, async () => {
    const ids = await causeIds({ body: BODY, header: header(signingKey, BODY), secrets });
    assert.deepEqual(ids, [id]);
  });
}

test("API key used as secret", async () => {
  const ids = await causeIds({ body: BODY, header: header(API_KEY, BODY), apiKey: API_KEY });
  assert.deepEqual(ids, ["api-key-as-secret"]);
});

test("API key untested when not given", async () => {
  const ids = await causeIds({ body: BODY, header: header(API_KEY, BODY) });
  assert.deepEqual(ids, ["no-known-cause"]);
});

test("HMAC over body alone", async () => {
  const ids = await causeIds({ body: BODY, header: header(SECRET, BODY, { prefix: false }) });
  assert.deepEqual(ids, ["body-only"]);
});

test("body-only MAC matches published value", async () => {
  // The API reference gives this body-only MAC for its first test vector.
  const input = {
    body: '{"event":"run.succeeded","run_id":"run_123","status":"succeeded"}',
    header: "t=1750000000,v1=fc4af977d72d297d59c835507e5ceff93cf5cc2ca733ed1fd8cf2037c3a318cb",
    secrets: ["whsec_test_secret_123"],
    now: 1750000000,
    toleranceSeconds: 300,
  };
  const { causes } = await findCauses(input);
  assert.deepEqual(
    causes.map((found) => found.id),
    ["body-only"],
  );
});

test("API key and body alone together", async () => {
  const signed = header(API_KEY, BODY, { prefix: false });
  const ids = await causeIds({ body: BODY, header: signed, apiKey: API_KEY });
  assert.deepEqual(ids, ["api-key-as-secret", "body-only"]);
});

test("base64 digest", async () => {
  for (const encoding of ["base64", "base64url"]) {
    const ids = await causeIds({ body: BODY, header: header(SECRET, BODY, { encoding }) });
    assert.deepEqual(ids, ["base64-digest"], encoding);
  }
});

test("base64 digest over re-serialised body", async () => {
  const signed = header(SECRET, BODY, { encoding: "base64" });
  const ids = await causeIds({ body: JSON.stringify(EVENT, null, 2), header: signed });
  assert.deepEqual(ids, ["json-reserialised", "base64-digest"]);
});

test("duplicated header, same value twice", async () => {
  const value = header(SECRET, BODY);
  const report = await check({ body: BODY, header: `${value}, ${value}` });
  assert.equal(report.verdict.code, "MALFORMED_HEADER");
  assert.deepEqual(
    report.causes.map((found) => found.id),
    ["duplicated-header"],
  );
});

test("duplicated header pasted as two lines", async () => {
  const stale = header(SECRET, `${BODY} `, { t: T - 10 });
  const report = await check({
    body: BODY,
    header: `${stale}\nCoasty-Signature: ${header(SECRET, BODY)}`,
  });
  assert.equal(report.headerNotes.length, 2);
  assert.deepEqual(
    report.causes.map((found) => found.id),
    ["duplicated-header"],
  );
});

test("millisecond timestamp", async () => {
  const t = NOW * 1000 - 5000;
  const report = await check({ body: BODY, header: header(SECRET, BODY, { t }) });
  assert.equal(report.verdict.code, "TIMESTAMP_OUT_OF_TOLERANCE");
  assert.equal(report.timestamp.looksLikeMilliseconds, true);
  assert.deepEqual(
    report.causes.map((found) => found.id),
    ["timestamp-milliseconds"],
  );
});

test("stale and future timestamps", async () => {
  const stale = await check({ body: BODY, header: header(SECRET, BODY, { t: NOW - 3600 }) });
  assert.equal(stale.verdict.code, "TIMESTAMP_OUT_OF_TOLERANCE");
  assert.deepEqual(
    stale.causes.map((found) => found.id),
    ["timestamp-too-old"],
  );
  assert.match(stale.causes[0].proof, /3600 s before/);

  const future = await check({ body: BODY, header: header(SECRET, BODY, { t: NOW + 900 }) });
  assert.deepEqual(
    future.causes.map((found) => found.id),
    ["timestamp-in-future"],
  );
});

test("stale timestamp reported after a body fix", async () => {
  const signed = header(SECRET, BODY, { t: NOW - 3600 });
  const ids = await causeIds({ body: `${BODY}\n`, header: signed });
  assert.deepEqual(ids, ["trailing-newline-removed", "timestamp-too-old"]);
});

test("JSON body that is not an object", async () => {
  const ids = await causeIds({ body: "[1,2]", header: header(SECRET, "[1,2]") });
  assert.deepEqual(ids, ["invalid-payload"]);
});

test("changed content yields no known cause", async () => {
  const tampered = BODY.replace("succeeded", "failed");
  const report = await check({ body: tampered, header: header(SECRET, BODY) });
  assert.equal(report.verdict.code, "NO_MATCHING_SIGNATURE");
  assert.deepEqual(
    report.causes.map((found) => found.id),
    ["no-known-cause"],
  );
  assert.ok(report.tried > 10, `only ${report.tried} variants tried`);
});

test("lost number precision yields no known cause", async () => {
  // Pretty-printed wire bytes with 1.50, re-serialised compactly as 1.5: the
  // original spelling cannot be rebuilt, so no cause may be claimed.
  const signed = '{\n  "event": "run.succeeded",\n  "run_id": "run_1",\n  "cost_usd": 1.50\n}';
  const pasted = '{"event":"run.succeeded","run_id":"run_1","cost_usd":1.5}';
  const ids = await causeIds({ body: pasted, header: header(SECRET, signed) });
  assert.deepEqual(ids, ["no-known-cause"]);
});

test("wrong secret yields no known cause", async () => {
  const ids = await causeIds({ body: BODY, header: header("whsec_someone_else", BODY) });
  assert.deepEqual(ids, ["no-known-cause"]);
});

test("missing header runs no search", async () => {
  const report = await check({ body: BODY, header: "  " });
  assert.equal(report.verdict.code, "MISSING_HEADER");
  assert.equal(report.searched, false);
  assert.deepEqual(report.causes, []);
});

test("header name in the paste is removed", async () => {
  const report = await check({
    body: BODY,
    header: `X-Coasty-Signature: ${header(SECRET, BODY)}\n`,
  });
  assert.equal(report.verdict.ok, true);
  assert.deepEqual(report.headerNotes, ["Removed the header name in front of the value."]);
});

test("empty secret is an argument error", async () => {
  await assert.rejects(check({ body: BODY, header: header(SECRET, BODY), secrets: [""] }), {
    code: "INVALID_ARGUMENT",
  });
});

test("multi-megabyte body diagnosed quickly", async () => {
  const items = Array.from({ length: 40000 }, (_, i) => ({ id: i, label: `item ${i}`, ok: true }));
  const big = { ...EVENT, result: { items } };
  const compact = JSON.stringify(big);
  const pretty = JSON.stringify(big, null, 2);
  assert.ok(pretty.length > 2_000_000, `body is ${pretty.length} bytes`);

  const started = performance.now();
  const ids = await causeIds({ body: pretty, header: header(SECRET, compact) });
  const elapsed = performance.now() - started;
  assert.deepEqual(ids, ["json-reserialised"]);
  assert.ok(elapsed < 10000, `took ${Math.round(elapsed)} ms`);
});
