// Conformance checks that every supported runtime must pass with the same
// result. The script uses only web-platform APIs (no node: modules), so Node,
// Deno, Bun, workerd, edge-runtime and browsers can all run it as is or bundled.
//
// Webhook signatures are the fixed values of tests/vectors/webhook-verify.json;
// the library's own signer is only compared against them.
import verifyVectors from "../vectors/webhook-verify.json" with { type: "json" };
import errorVectors from "../vectors/api-errors.json" with { type: "json" };

/** Names of the client checks that run only when the package exports these. */
const CLIENT_EXPORTS = {
  "decodeApiError on every error vector": "decodeApiError",
  "buildRequest runs.create": "buildRequest",
  "CoastyClient runs.create on the fake server": "CoastyClient",
};

const MACHINE_ID = "mch_test_c0ffee01";

function vector(id) {
  const found = verifyVectors.find((entry) => entry.id === id);
  if (!found) throw new Error(`vector ${id} is missing from webhook-verify.json`);
  return found.input;
}

function bodyOf(input) {
  if (input.body_b64 === undefined) return input.body;
  return Uint8Array.from(atob(input.body_b64), (char) => char.charCodeAt(0));
}

function expectEqual(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
  }
}

/** Runs `fn` and returns the error it throws, or fails when it returns. */
async function thrownBy(fn, what) {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error(`${what} was accepted`);
}

function webhookChecks(coasty) {
  const published = vector("W047");
  const options = { now: published.now, toleranceSeconds: published.tolerance };

  return {
    "webhook exports": () => {
      for (const name of [
        "verifyWebhook",
        "verifyWebhookSignature",
        "verifyWebhookRequest",
        "signWebhook",
        "Webhook",
        "WebhookVerificationError",
      ]) {
        expectEqual(typeof coasty[name], "function", `typeof ${name}`);
      }
      expectEqual(coasty.SIGNATURE_HEADER, "Coasty-Signature", "SIGNATURE_HEADER");
      expectEqual(coasty.DEFAULT_TOLERANCE_SECONDS, 300, "DEFAULT_TOLERANCE_SECONDS");
    },

    "W047 delivery verifies": () => {
      const event = coasty.verifyWebhook(
        published.body,
        published.header,
        published.secret,
        options,
      );
      expectEqual(event.event, "run.succeeded", "event.event");
      expectEqual(event.run_id, "run_123", "event.run_id");
      return `run ${event.run_id}`;
    },

    "tampered W047 delivery rejected": async () => {
      const tampered = published.body.replace("run_123", "run_124");
      const error = await thrownBy(
        () => coasty.verifyWebhook(tampered, published.header, published.secret, options),
        "the tampered body",
      );
      expectEqual(
        error instanceof coasty.WebhookVerificationError,
        true,
        "instanceof WebhookVerificationError",
      );
      expectEqual(error.code, "NO_MATCHING_SIGNATURE", "error.code");
      expectEqual(error.message.includes(published.secret), false, "secret in the message");
      return error.code;
    },

    "signWebhook reproduces W047": () => {
      const header = coasty.signWebhook(published.body, published.secret, {
        timestamp: published.now,
      });
      expectEqual(header, published.header, "signature header");
    },

    "verifyWebhookRequest on a Fetch Request": async () => {
      const request = new Request("http://127.0.0.1/webhooks/coasty", {
        method: "POST",
        headers: { "content-type": "application/json", "coasty-signature": published.header },
        body: published.body,
      });
      const verified = await coasty.verifyWebhookRequest(request, published.secret, options);
      expectEqual(verified.event.run_id, "run_123", "event.run_id");
      expectEqual(verified.secretIndex, 0, "secretIndex");
      expectEqual(verified.timestamp, 1750000000, "timestamp");
      expectEqual(
        verified.rawBody.byteLength,
        new TextEncoder().encode(published.body).byteLength,
        "rawBody length",
      );
    },

    "parsed body is an INVALID_ARGUMENT TypeError": async () => {
      const error = await thrownBy(
        () =>
          coasty.verifyWebhook(
            JSON.parse(published.body),
            published.header,
            published.secret,
            options,
          ),
        "a parsed object as payload",
      );
      expectEqual(error instanceof TypeError, true, "instanceof TypeError");
      expectEqual(error.code, "INVALID_ARGUMENT", "error.code");
    },

    "every verify vector": () => {
      const wrong = [];
      for (const { id, input, expect } of verifyVectors) {
        const verify = input.parse ? coasty.verifyWebhook : coasty.verifyWebhookSignature;
        let code = null;
        try {
          verify(bodyOf(input), input.header, input.secret, {
            now: input.now,
            toleranceSeconds: input.tolerance,
          });
        } catch (error) {
          code = error.code ?? String(error);
        }
        const expected = expect.ok ? null : expect.error.toUpperCase();
        if (code !== expected) wrong.push(`${id} gave ${code}, expected ${expected}`);
      }
      if (wrong.length > 0) throw new Error(wrong.join("; "));
      return `${verifyVectors.length} vectors`;
    },
  };
}

function clientChecks(coasty, { baseUrl, apiKey }) {
  // Building a request sends nothing, so it needs no server.
  const buildConfig = {
    apiKey: apiKey ?? `sk-coasty-test-${"0".repeat(48)}`,
    baseUrl: baseUrl ?? "http://127.0.0.1:9/v1",
  };
  return {
    "decodeApiError on every error vector": () => {
      const wrong = [];
      for (const { id, input, expect } of errorVectors) {
        const error = coasty.decodeApiError(input.status, input.headers, input.body, {
          now: input.now,
        });
        const problems = [];
        if (!(error instanceof coasty.CoastyApiError)) problems.push("not a CoastyApiError");
        if (error.status !== expect.status) problems.push(`status ${error.status}`);
        if (error.retryable !== expect.retryable) problems.push(`retryable ${error.retryable}`);
        if ((error.retryAfterSeconds ?? null) !== expect.retry_after_s)
          problems.push(`retryAfterSeconds ${error.retryAfterSeconds}`);
        if (expect.code !== undefined && error.code !== expect.code)
          problems.push(`code ${error.code}`);
        if (expect.request_id !== undefined && error.requestId !== expect.request_id)
          problems.push(`requestId ${error.requestId}`);
        if (
          expect.raw_body_contains !== undefined &&
          !String(error.rawBody).includes(expect.raw_body_contains)
        )
          problems.push("rawBody");
        if (problems.length > 0) wrong.push(`${id}: ${problems.join(", ")}`);
      }
      if (wrong.length > 0) throw new Error(wrong.join("; "));
      return `${errorVectors.length} vectors`;
    },

    "buildRequest runs.create": () => {
      const body = { machine_id: MACHINE_ID, task: "Download the latest invoice" };
      const request = coasty.buildRequest(
        "runs.create",
        { body, idempotencyKey: "conformance-build-1" },
        buildConfig,
      );
      expectEqual(request.method, "POST", "method");
      expectEqual(request.url, `${buildConfig.baseUrl}/runs`, "url");
      expectEqual(JSON.parse(request.body).task, body.task, "body.task");
      const headers = new Map(request.headers.map(([name, value]) => [name.toLowerCase(), value]));
      expectEqual(headers.get("idempotency-key"), "conformance-build-1", "Idempotency-Key header");
      expectEqual(headers.get("x-api-key"), buildConfig.apiKey, "X-API-Key header");
      expectEqual(request.toCurl().includes(buildConfig.apiKey), false, "API key in toCurl()");
    },

    "CoastyClient runs.create on the fake server": async () => {
      const client = new coasty.CoastyClient({ apiKey, baseUrl, maxRetries: 0, timeoutMs: 10_000 });
      const run = await client.runs.create(
        { machine_id: MACHINE_ID, task: "Conformance run" },
        { idempotencyKey: `conformance-${Date.now()}` },
      );
      expectEqual(typeof run.id, "string", "typeof run.id");
      expectEqual(run.status, "queued", "run.status");
      return `created ${run.id}`;
    },
  };
}

/**
 * Runs every check against `coasty` (the package's module namespace) and
 * prints one line per check, then `N passed, N failed, N skipped`.
 *
 * The client checks need `baseUrl` (a fake Coasty server on a loopback
 * address, including `/v1`) and `apiKey`. Each is skipped while the package
 * lacks the export it needs. Returns `{ passed, failed, skipped, lines }`.
 */
export async function runConformance(coasty, { baseUrl, apiKey, log = console.log } = {}) {
  const lines = [];
  const print = (line) => {
    lines.push(line);
    log(line);
  };
  const counts = { passed: 0, failed: 0, skipped: 0 };
  const checks = { ...webhookChecks(coasty), ...clientChecks(coasty, { baseUrl, apiKey }) };

  for (const [name, check] of Object.entries(checks)) {
    const needed = CLIENT_EXPORTS[name];
    if (needed !== undefined && typeof coasty[needed] !== "function") {
      counts.skipped += 1;
      print(`skip ${name}: the package has no ${needed} export`);
      continue;
    }
    if (needed === "CoastyClient" && (baseUrl === undefined || apiKey === undefined)) {
      counts.skipped += 1;
      print(`skip ${name}: no fake server URL and API key were given`);
      continue;
    }
    try {
      const detail = await check();
      counts.passed += 1;
      print(`ok   ${name}${detail ? ` (${detail})` : ""}`);
    } catch (error) {
      counts.failed += 1;
      print(`FAIL ${name}: ${error?.name ?? "Error"}: ${error?.message ?? String(error)}`);
    }
  }
  print(`${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
  return { ...counts, lines };
}
