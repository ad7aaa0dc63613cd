// The demo behind `make demo`: serves www/edge/worker.mjs under workerd on
// 127.0.0.1 and
// 1. sends it signed deliveries, valid and broken ones, whose signatures are
//    computed here with node:crypto, independently of the library under test;
// 2. has it create a run on the local fake Coasty API through the client, then
//    follows the run's events, its cost, the wallet, and the webhook deliveries the
//    fake sends back to the Worker.
// Exits non-zero when any verdict or outcome differs from the expected one.
import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { CoastyClient } from "coasty";

import { startFakeCoasty } from "../../tests/fake-coasty/server.mjs";
import { startWorkerd } from "../../tests/runtimes/lib/workerd.mjs";

const here = dirname(fileURLToPath(import.meta.url));
const OLD_SECRET = "whsec_demo_old_4f1c";
const CURRENT_SECRET = "whsec_demo_current_9a2e";

function mac(secret, timestamp, body) {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

function signature(secret, timestamp, body) {
  return `t=${timestamp},v1=${mac(secret, timestamp, body)}`;
}

/** Sends a POST with raw header lines, so a header can be repeated on the wire. */
function post(url, headerLines, body) {
  return new Promise((resolve, reject) => {
    // With headers given as a flat array Node adds neither Host nor Content-Length.
    const headers = [
      ["Host", new URL(url).host],
      ["Content-Type", "application/json"],
      ["Content-Length", String(Buffer.byteLength(body))],
      ...headerLines,
    ];
    const request = httpRequest(
      url,
      { method: "POST", headers: headers.flat() },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk) => (text += chunk));
        response.on("end", () => {
          // A throw in this callback would end the process and leave workerd running.
          try {
            resolve({ status: response.statusCode, body: JSON.parse(text) });
          } catch {
            const start = text.slice(0, 200);
            reject(new Error(`HTTP ${response.statusCode} with a body that is not JSON: ${start}`));
          }
        });
      },
    );
    request.on("error", reject);
    request.end(body);
  });
}

function deliveries(now) {
  const body = JSON.stringify({
    event: "run.succeeded",
    run_id: "run_demo_1",
    status: "succeeded",
    result: { passed: true, summary: "Invoice downloaded" },
  });
  const header = signature(CURRENT_SECRET, now, body);
  const rotated = `t=${now},v1=${mac(OLD_SECRET, now, body)},v1=${mac(CURRENT_SECRET, now, body)}`;
  return [
    { name: "valid", headers: [["Coasty-Signature", header]], body, expect: [200, "run.succeeded"] },
    {
      name: "tampered body",
      headers: [["Coasty-Signature", header]],
      body: body.replace("Invoice", "Receipt"),
      expect: [400, "NO_MATCHING_SIGNATURE"],
    },
    {
      name: "wrong secret",
      headers: [["Coasty-Signature", signature("whsec_someone_else", now, body)]],
      body,
      expect: [400, "NO_MATCHING_SIGNATURE"],
    },
    {
      name: "stale (1 hour old)",
      headers: [["Coasty-Signature", signature(CURRENT_SECRET, now - 3600, body)]],
      body,
      expect: [400, "TIMESTAMP_OUT_OF_TOLERANCE"],
    },
    {
      name: "rotated secrets (two v1)",
      headers: [["Coasty-Signature", rotated]],
      body,
      expect: [200, "run.succeeded"],
    },
    {
      name: "alias header",
      headers: [["X-Coasty-Signature", header]],
      body,
      expect: [200, "run.succeeded"],
    },
    {
      name: "duplicated header",
      headers: [["Coasty-Signature", header], ["Coasty-Signature", header]],
      body,
      expect: [400, "MALFORMED_HEADER"],
    },
    { name: "missing header", headers: [], body, expect: [400, "MISSING_HEADER"] },
  ];
}

const tally = { passed: 0, failed: 0 };

/** Counts a check and prints its line. */
function report(ok, line) {
  tally[ok ? "passed" : "failed"] += 1;
  console.log(`${ok ? "ok  " : "FAIL"} ${line}`);
}

async function sendDeliveries(worker) {
  const now = Math.floor(Date.now() / 1000);
  for (const delivery of deliveries(now)) {
    const response = await post(`${worker.url}/webhooks/coasty`, delivery.headers, delivery.body);
    const verdict = response.body.received ?? response.body.error?.code;
    const [status, expected] = delivery.expect;
    const ok = response.status === status && verdict === expected;
    report(
      ok,
      `${delivery.name.padEnd(26)} HTTP ${response.status}  ${verdict}` +
        (ok ? "" : `  (expected HTTP ${status} ${expected}: ${response.body.error?.message})`),
    );
  }
}

async function waitFor(check, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs the whole loop: a run created by the Worker, followed to its end. */
async function runLoop(worker, fake) {

  // The first attempt meets a 503, so the Worker's client retries with the same
  // idempotency key.
  fake.injectFault({ match: { method: "POST", path: "/v1/runs" }, kind: "status", status: 503 });
  const walletBefore = fake.wallet();
  const created = await fetch(`${worker.url}/runs`, {
    method: "POST",
    body: JSON.stringify({ machine_id: "mch_demo", task: "Download last month's invoice", max_steps: 3 }),
  }).then((response) => response.json());
  report(typeof created.id === "string", `run ${created.id} created by the Worker after ${created.attempts} attempts`);
  if (typeof created.id !== "string") return;

  const client = new CoastyClient({ apiKey: fake.keys.live, baseUrl: fake.baseUrl });
  console.log("     event trail:");
  let last;
  for await (const event of client.runs.events(created.id)) {
    console.log(`       #${event.seq} ${event.type} ${JSON.stringify(event.data)}`);
    last = event;
  }
  report(last?.type === "done", "event stream ended with done");

  const run = await client.runs.get(created.id);
  const wallet = await client.wallet.balance();
  const charged = walletBefore - wallet.credits;
  console.log(
    `     run ${run.status}: ${run.steps_completed} steps, ${run.credits_charged} credits ` +
      `($${(run.cost_cents / 100).toFixed(2)}); wallet ${wallet.credits} credits (${wallet.dollars})`,
  );
  report(charged === run.credits_charged, `wallet charged once: ${charged} credits for the run`);
  report(fake.runs().filter((r) => r.task === run.task).length === 1, "exactly one run exists");

  const deliveries = await waitFor(async () => {
    const received = await fetch(`${worker.url}/deliveries`).then((response) => response.json());
    return received.find((delivery) => delivery.runId === created.id);
  }, 5000);
  report(
    deliveries?.event === `run.${run.status}`,
    `webhook ${deliveries?.event ?? "(none)"} verified with the run's own secret`,
  );
}

const fake = await startFakeCoasty({ stepDelayMs: 40 });
const worker = await startWorkerd({
  entry: join(here, "worker.mjs"),
  bindings: {
    WEBHOOK_SECRETS: [CURRENT_SECRET],
    COASTY_API_KEY: fake.keys.live,
    COASTY_BASE_URL: fake.baseUrl,
  },
});
try {
  console.log(`edge function under workerd at ${worker.url}; fake Coasty API at ${fake.baseUrl}`);
  console.log("deliveries signed with node:crypto:");
  await sendDeliveries(worker);
  console.log("a run created through the client, end to end:");
  await runLoop(worker, fake);
} finally {
  await worker.stop();
  await fake.close();
}
console.log(`demo: ${tally.passed} passed, ${tally.failed} failed`);
process.exit(tally.failed === 0 ? 0 : 1);
