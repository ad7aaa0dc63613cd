// The workbench and error decoder logic of the dev-tools page
// (www/workbench.js, www/decoder.js) against the built package.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as coasty from "coasty";

import { decodePasted, decoderAvailable, parsePastedHeaders } from "../../www/decoder.js";
import { buildPreview, parseHeaderLines, workbenchAvailable } from "../../www/workbench.js";

const API_KEY = "sk-coasty-test-00112233445566778899aabbccddeeff0011223344556677";
const LLM_KEY = "llm-provider-key-0123456789abcdef";
const RUN = { machine_id: "mach_1", task: "Open the dashboard", cua_version: "v3", max_steps: 20 };

function preview(overrides = {}) {
  return buildPreview(coasty, {
    operationId: "runs.create",
    bodyText: JSON.stringify(RUN),
    apiKey: API_KEY,
    baseUrl: "http://127.0.0.1:9/v1",
    ...overrides,
  });
}

function allText(result) {
  return JSON.stringify(result);
}

test("features detected on the module", () => {
  assert.equal(workbenchAvailable(coasty), true);
  assert.equal(decoderAvailable(coasty), true);
  assert.equal(workbenchAvailable({ signWebhook() {} }), false);
  assert.equal(decoderAvailable({}), false);
});

test("run request built with redacted key", () => {
  const result = preview();
  assert.equal(result.ok, true);
  assert.equal(result.method, "POST");
  assert.equal(result.url, "http://127.0.0.1:9/v1/runs");
  assert.equal(result.scope, "runs:write");
  assert.deepEqual(JSON.parse(result.body), RUN);
  assert.equal(allText(result).includes(API_KEY), false);
  assert.match(result.curl, /\$COASTY_API_KEY/);
  assert.match(result.fetch, /"X-API-Key": process\.env\.COASTY_API_KEY/);
  assert.match(result.http, /^X-API-Key: \[redacted\]$/m);
});

test("bearer key and provider key redacted", () => {
  const result = preview({ authScheme: "bearer", headersText: `X-LLM-Api-Key: ${LLM_KEY}` });
  assert.equal(result.ok, true);
  assert.equal(allText(result).includes(API_KEY), false);
  assert.equal(allText(result).includes(LLM_KEY), false);
  assert.match(result.http, /^Authorization: Bearer \[redacted\]$/m);
  assert.match(result.fetch, /`Bearer \$\{process\.env\.COASTY_API_KEY\}`/);
});

test("missing key uses a redacted stand-in", () => {
  const result = preview({ apiKey: "" });
  assert.equal(result.ok, true);
  assert.equal(result.keyEntered, false);
  assert.match(result.http, /^X-API-Key: \[redacted\]$/m);
});

test("run cost estimated from the body", () => {
  const { cost } = preview();
  assert.equal(cost.known, true);
  assert.equal(cost.estimate.maxCredits, 100);
  assert.match(cost.text, /at most 100 credits \(\$1\.00\)/);
});

test("run cost unknown without cua_version", () => {
  const body = { machine_id: "mach_1", task: "Open the dashboard" };
  const { cost } = preview({ bodyText: JSON.stringify(body) });
  assert.equal(cost.known, false);
  assert.match(cost.text, /^unknown/);
});

test("other operations have unknown cost", () => {
  const result = preview({ operationId: "runs.get", bodyText: "", pathParams: { id: "run_1" } });
  assert.equal(result.ok, true);
  assert.equal(result.url, "http://127.0.0.1:9/v1/runs/run_1");
  assert.equal(result.cost.known, false);
});

test("validation error names the field", () => {
  const result = preview({ bodyText: JSON.stringify({ ...RUN, max_steps: 5000 }) });
  assert.equal(result.ok, false);
  assert.equal(result.error.code, "VALIDATION_FAILED");
  assert.equal(result.error.field, "max_steps");
});

test("invalid JSON body rejected", () => {
  const result = preview({ bodyText: '{"machine_id": ' });
  assert.equal(result.ok, false);
  assert.equal(result.error.code, "INVALID_JSON");
  assert.equal(result.error.field, "body");
});

test("header line without colon rejected", () => {
  assert.deepEqual(parseHeaderLines("A: 1\n\nB:2"), [
    ["A", "1"],
    ["B", "2"],
  ]);
  const result = preview({ headersText: "no colon here" });
  assert.equal(result.ok, false);
  assert.equal(result.error.code, "INVALID_HEADER_LINE");
});

test("pasted headers in three forms", () => {
  const expected = [
    ["Retry-After", "5"],
    ["X-Coasty-Request-Id", "req_1"],
  ];
  assert.deepEqual(
    parsePastedHeaders(
      "HTTP/1.1 429 Too Many Requests\nRetry-After: 5\nX-Coasty-Request-Id: req_1",
    ),
    expected,
  );
  assert.deepEqual(
    parsePastedHeaders('{"Retry-After": 5, "X-Coasty-Request-Id": "req_1"}'),
    expected,
  );
  assert.deepEqual(
    parsePastedHeaders('[["Retry-After", "5"], ["X-Coasty-Request-Id", "req_1"]]'),
    expected,
  );
});

test("rate limit response decoded", () => {
  const body = JSON.stringify({
    error: {
      code: "RATE_LIMITED",
      message: "Slow down.",
      type: "rate_limit_error",
      request_id: "req_9",
    },
  });
  const result = decodePasted(coasty, {
    status: "429",
    headersText: "Retry-After: 7",
    body,
    now: "",
  });
  assert.equal(result.ok, true);
  assert.equal(result.className, "RateLimitError");
  const fields = Object.fromEntries(result.fields);
  assert.equal(fields.code, "RATE_LIMITED");
  assert.equal(fields.requestId, "req_9");
  assert.equal(fields.retryAfterSeconds, 7);
  assert.equal(fields.retryable, true);
  assert.equal(typeof result.hint, "string");
  assert.deepEqual(
    result.fields.slice(0, 4).map(([name]) => name),
    ["name", "kind", "status", "code"],
  );
});

test("proxy HTML page decoded", () => {
  const body = "<html><head><title>502 Bad Gateway</title></head></html>";
  const result = decodePasted(coasty, {
    status: "502",
    headersText: "Content-Type: text/html",
    body,
  });
  assert.equal(result.ok, true);
  const fields = Object.fromEntries(result.fields);
  assert.equal(fields.kind, "http_error");
  assert.equal(fields.retryable, true);
  assert.match(fields.rawBody, /502 Bad Gateway/);
});

test("decoder input errors name the field", () => {
  const status = decodePasted(coasty, { status: "4xx", headersText: "", body: "" });
  assert.equal(status.ok, false);
  assert.equal(status.error.field, "status");

  const headers = decodePasted(coasty, { status: "500", headersText: "{not json", body: "" });
  assert.equal(headers.error.field, "headers");

  const now = decodePasted(coasty, { status: "503", headersText: "", body: "", now: "tomorrow" });
  assert.equal(now.error.field, "now");
});
