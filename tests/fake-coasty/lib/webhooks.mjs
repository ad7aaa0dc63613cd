// Outbound webhook signing and delivery (loopback hosts only), and the
// signature check of inbound trigger webhooks.

import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import https from "node:https";

import { nowUnixSeconds, randomHex } from "./util.mjs";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);
const DELIVERY_TIMEOUT_MS = 5000;

/** Returns a new one-time webhook secret, `whsec_<48 hex>`. */
export function newWebhookSecret() {
  return `whsec_${randomHex(24)}`;
}

/**
 * Validation check for `webhook_url`: returns a message, or undefined when the
 * URL is acceptable. The real API accepts only https URLs without userinfo.
 * This fake also accepts http, but only to loopback hosts, so it never sends
 * a request off the machine.
 */
export function checkWebhookUrl(value) {
  if (value.length > 2048) {
    return "must be at most 2048 characters";
  }
  let url;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL such as http://127.0.0.1:9000/hook";
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return "must use https (or http to a loopback host in this fake)";
  }
  if (url.username !== "" || url.password !== "") {
    return "must not contain a user name or password";
  }
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    return "must point at 127.0.0.1, localhost or [::1]: the fake server delivers webhooks to loopback hosts only";
  }
  return undefined;
}

/** Returns the lower-case hex HMAC-SHA256 of `"<t>.<body>"` keyed by the secret's UTF-8 bytes. */
export function signPayload(secret, timestamp, body) {
  return createHmac("sha256", Buffer.from(secret, "utf8"))
    .update(`${timestamp}.`)
    .update(body)
    .digest("hex");
}

/**
 * POSTs a signed JSON payload and records `{runId, event, url, status, error?}`
 * in the store's delivery log. Resolves when the delivery finished or failed,
 * and never rejects or retries.
 */
export function deliverWebhook(store, { runId, event, url, secret, payload }) {
  const body = JSON.stringify(payload);
  const timestamp = nowUnixSeconds();
  const signature = signPayload(secret, timestamp, body);
  const target = new URL(url);
  const transport = target.protocol === "https:" ? https : http;
  const record = { runId, event, url, status: null };

  return new Promise((resolve) => {
    let removeCloseHandler = () => {};
    const settle = (status, error) => {
      removeCloseHandler();
      record.status = status;
      if (error !== undefined) {
        record.error = error;
      }
      store.deliveryLog.push(record);
      const outcome = error === undefined ? `HTTP ${status}` : `failed: ${error}`;
      store.log(`webhook ${event} for ${runId} to ${target.origin}${target.pathname}: ${outcome}`);
      resolve(record);
    };
    const request = transport.request(target, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        "Content-Length": Buffer.byteLength(body),
        "Coasty-Signature": `t=${timestamp},v1=${signature}`,
        "User-Agent": "coasty-fake-webhooks",
      },
      timeout: DELIVERY_TIMEOUT_MS,
    });
    request.on("response", (response) => {
      response.resume();
      response.on("end", () => settle(response.statusCode));
      response.on("error", (error) => settle(response.statusCode, error.message));
    });
    request.on("timeout", () => {
      request.destroy(new Error(`timed out after ${DELIVERY_TIMEOUT_MS} ms`));
    });
    request.on("error", (error) => settle(null, error.message));
    removeCloseHandler = store.onClose(() => request.destroy(new Error("server closed")));
    request.end(body);
  });
}

/**
 * Checks an inbound `Coasty-Signature` header against a secret: exactly one
 * integer `t`, at least one `v1`, any `v1` matching in constant time, and
 * `t` within `toleranceSeconds` of now in either direction.
 */
export function verifySignatureHeader(header, secret, rawBody, toleranceSeconds = 300) {
  if (typeof header !== "string" || header.trim() === "") {
    return false;
  }
  const timestamps = [];
  const candidates = [];
  for (const item of header.split(",")) {
    const trimmed = item.trim();
    const equals = trimmed.indexOf("=");
    if (equals === -1) {
      continue;
    }
    const name = trimmed.slice(0, equals);
    const value = trimmed.slice(equals + 1);
    if (name === "t") {
      timestamps.push(value);
    } else if (name === "v1") {
      candidates.push(value);
    }
  }
  if (timestamps.length !== 1 || !/^\d{1,18}$/.test(timestamps[0]) || candidates.length === 0) {
    return false;
  }
  const expected = Buffer.from(signPayload(secret, timestamps[0], rawBody), "hex");
  const matched = candidates.some((candidate) => {
    if (!/^[0-9a-fA-F]{64}$/.test(candidate)) {
      return false;
    }
    return timingSafeEqual(Buffer.from(candidate, "hex"), expected);
  });
  const skew = Math.abs(nowUnixSeconds() - Number(timestamps[0]));
  return matched && skew <= toleranceSeconds;
}
