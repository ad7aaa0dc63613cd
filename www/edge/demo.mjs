// The demo behind `make demo`: serves www/edge/worker.mjs under workerd on
// 127.0.0.1 and sends it real signed deliveries. Signatures are computed here with
// node:crypto, independently of the library under test. Exits non-zero when any
// verdict differs from the expected one.
import { createHmac } from "node:crypto";
import { request as httpRequest } from "node:http";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { startWorker } from "./workerd.mjs";

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
        response.on("end", () => resolve({ status: response.statusCode, body: JSON.parse(text) }));
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

const worker = await startWorker({
  entry: join(here, "worker.mjs"),
  bindings: { WEBHOOK_SECRETS: [CURRENT_SECRET] },
});
let wrong = 0;
try {
  console.log(`edge function under workerd at ${worker.url}/webhooks/coasty`);
  const now = Math.floor(Date.now() / 1000);
  for (const delivery of deliveries(now)) {
    const response = await post(`${worker.url}/webhooks/coasty`, delivery.headers, delivery.body);
    const verdict = response.body.received ?? response.body.error?.code;
    const [status, expected] = delivery.expect;
    const ok = response.status === status && verdict === expected;
    if (!ok) wrong += 1;
    console.log(
      `${ok ? "ok  " : "FAIL"} ${delivery.name.padEnd(26)} HTTP ${response.status}  ${verdict}` +
        (ok ? "" : `  (expected HTTP ${status} ${expected}: ${response.body.error?.message})`),
    );
  }
} finally {
  await worker.stop();
}
console.log(wrong === 0 ? "all verdicts as expected" : `${wrong} verdicts wrong`);
process.exit(wrong === 0 ? 0 : 1);
