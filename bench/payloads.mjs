// Signed webhook deliveries for the benchmark: a run event padded to an exact
// byte size, with the headers each signature scheme expects.
import { createHmac, randomBytes } from "node:crypto";

const encoder = new TextEncoder();

// ASCII text with two-, three- and four-byte UTF-8 characters (the rocket is a
// surrogate pair in UTF-16). None of them needs escaping in a JSON string.
const SUMMARY_SENTENCE =
  "Checked out cart 4 — total 129,00 € for Zoë; 日本語 receipt verified ✓ 🚀. ";

/** Returns random secrets: one for the Coasty scheme, one for Standard Webhooks. */
export function createSecrets() {
  return {
    // The whole string, prefix included, is the Coasty HMAC key.
    coasty: `whsec_${randomBytes(24).toString("hex")}`,
    // Standard Webhooks base64-decodes what follows `whsec_` into the key.
    standard: `whsec_${randomBytes(24).toString("base64")}`,
  };
}

function runEvent(runId, summary) {
  return {
    event: "run.succeeded",
    run_id: runId,
    status: "succeeded",
    created_at: "2026-06-11T09:41:07Z",
    run: {
      id: runId,
      object: "agent.run",
      status: "succeeded",
      machine_id: "mch_test_4f2a9c1e",
      task: "Buy the items in the cart and download the receipt",
      cua_version: "v3",
      max_steps: 40,
      steps_completed: 17,
      credits_charged: 85,
      metadata: { order: "A-1042", team: "checkout" },
      started_at: "2026-06-11T09:38:52Z",
      finished_at: "2026-06-11T09:41:06Z",
    },
    result: { passed: true, status: "succeeded", summary },
    error: null,
  };
}

/** Returns a summary of exactly `byteLength` UTF-8 bytes. */
function summaryOfBytes(byteLength) {
  const sentenceBytes = encoder.encode(SUMMARY_SENTENCE).length;
  const repeats = Math.floor(byteLength / sentenceBytes);
  const fill = "x".repeat(byteLength - repeats * sentenceBytes);
  return SUMMARY_SENTENCE.repeat(repeats) + fill;
}

/**
 * Builds a run event whose JSON text is exactly `size` UTF-8 bytes, by padding
 * `result.summary`. Returns the text and the summary.
 */
export function paddedRunEvent(size, runId) {
  const emptyBytes = encoder.encode(JSON.stringify(runEvent(runId, ""))).length;
  if (size < emptyBytes) {
    throw new RangeError(`payload size ${size} is below the ${emptyBytes} bytes of the bare event`);
  }
  const summary = summaryOfBytes(size - emptyBytes);
  const text = JSON.stringify(runEvent(runId, summary));
  const actual = encoder.encode(text).length;
  if (actual !== size) {
    throw new Error(`padded event is ${actual} bytes, expected ${size}`);
  }
  return { text, summary };
}

function hmacSha256(key, ...parts) {
  const mac = createHmac("sha256", key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/** Returns `t=<unix>,v1=<hex>`, the Coasty (and Stripe) signature header value. */
export function coastySignatureHeader(secret, timestamp, bytes) {
  const mac = hmacSha256(secret, `${timestamp}.`, bytes);
  return `t=${timestamp},v1=${mac.toString("hex")}`;
}

/** Returns the `webhook-id`, `webhook-timestamp` and `webhook-signature` headers. */
export function standardWebhookHeaders(secret, timestamp, bytes) {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  const id = `msg_${randomBytes(12).toString("hex")}`;
  const mac = hmacSha256(key, `${id}.${timestamp}.`, bytes);
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": `v1,${mac.toString("base64")}`,
  };
}

/**
 * Builds a delivery of `size` bytes signed now: the body as a string and as a
 * Buffer, a copy with one summary character changed (still valid JSON, so only
 * the MAC can reject it), and the headers of both schemes.
 */
export function createDelivery(size, secrets) {
  const runId = `run_${randomBytes(4).toString("hex")}`;
  const { text, summary } = paddedRunEvent(size, runId);
  const bytes = Buffer.from(text, "utf8");
  const timestamp = Math.floor(Date.now() / 1000);

  // The event before the summary is ASCII, so this index is a byte index too.
  const summaryStart = text.indexOf('"summary":"') + '"summary":"'.length;
  const swapped = text[summaryStart] === "C" ? "D" : "C";
  const tamperedText = text.slice(0, summaryStart) + swapped + text.slice(summaryStart + 1);

  return {
    size,
    runId,
    summary,
    timestamp,
    payloads: {
      string: { valid: text, tampered: tamperedText },
      bytes: { valid: bytes, tampered: Buffer.from(tamperedText, "utf8") },
    },
    coastyHeader: coastySignatureHeader(secrets.coasty, timestamp, bytes),
    standardHeaders: standardWebhookHeaders(secrets.standard, timestamp, bytes),
  };
}
