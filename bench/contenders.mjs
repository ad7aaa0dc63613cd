// The verifiers under test. Each `verify(payload, delivery)` checks a signed
// delivery and returns the parsed event, or the signature details for a
// signature-only contender. It throws, or rejects, on a bad delivery.
import { createHmac, timingSafeEqual } from "node:crypto";
import { hmac } from "@noble/hashes/hmac.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { createHMAC, createSHA256 } from "hash-wasm";
import { Webhook as StandardWebhook } from "standardwebhooks";
import Stripe from "stripe";
import { Webhook, verifyWebhook } from "coasty";
import {
  TOLERANCE_SECONDS,
  checkTimestamp,
  equalBytes,
  parseSignatureHeader,
  payloadText,
} from "./hand-rolled.mjs";

const encoder = new TextEncoder();

function payloadBytes(payload) {
  return typeof payload === "string" ? encoder.encode(payload) : payload;
}

function coastyContenders(secret) {
  const webhook = new Webhook(secret, { toleranceSeconds: TOLERANCE_SECONDS });
  return [
    {
      id: "coasty-verify",
      label: "coasty `Webhook.verify`",
      verify: (payload, delivery) => webhook.verify(payload, delivery.coastyHeader),
    },
    {
      id: "coasty-function",
      label: "coasty `verifyWebhook`",
      // Called without options, so the default tolerance of 300 s applies.
      verify: (payload, delivery) => verifyWebhook(payload, delivery.coastyHeader, secret),
    },
    {
      id: "coasty-signature",
      label: "coasty `Webhook.verifySignature` (no parse)",
      signatureOnly: true,
      verify: (payload, delivery) => webhook.verifySignature(payload, delivery.coastyHeader),
    },
  ];
}

function nodeCryptoContender(secret) {
  return {
    id: "node-crypto",
    label: "node:crypto `createHmac` + `timingSafeEqual` + `JSON.parse`",
    verify(payload, delivery) {
      const { timestamp, signatures } = parseSignatureHeader(delivery.coastyHeader);
      const mac = createHmac("sha256", secret).update(`${timestamp}.`).update(payload).digest();
      const matched = signatures.some((s) => s.length === mac.length && timingSafeEqual(s, mac));
      if (!matched) throw new Error("no matching signature");
      checkTimestamp(timestamp);
      return JSON.parse(payloadText(payload));
    },
  };
}

function stripeContender(secret) {
  // The static `Stripe.webhooks` needs no client and no API key. It signs
  // `t.body` as Coasty does, and decodes a Buffer body to a string first.
  return {
    id: "stripe",
    label: "stripe `webhooks.constructEvent`",
    verify: (payload, delivery) =>
      Stripe.webhooks.constructEvent(payload, delivery.coastyHeader, secret, TOLERANCE_SECONDS),
  };
}

function standardWebhooksContender(secret) {
  const webhook = new StandardWebhook(secret);
  return {
    id: "standardwebhooks",
    label: "standardwebhooks `Webhook.verify`",
    verify: (payload, delivery) => webhook.verify(payload, delivery.standardHeaders),
  };
}

function nobleContender(secret) {
  const key = encoder.encode(secret);
  return {
    id: "noble",
    label: "@noble/hashes `hmac(sha256)` + `JSON.parse`",
    verify(payload, delivery) {
      const { timestamp, signatures } = parseSignatureHeader(delivery.coastyHeader);
      const mac = hmac
        .create(sha256, key)
        .update(encoder.encode(`${timestamp}.`))
        .update(payloadBytes(payload))
        .digest();
      if (!signatures.some((s) => equalBytes(s, mac))) throw new Error("no matching signature");
      checkTimestamp(timestamp);
      return JSON.parse(payloadText(payload));
    },
  };
}

async function hashWasmContender(secret) {
  // One hasher, reset by `init()` on every call: hash-wasm's intended reuse.
  const hasher = await createHMAC(createSHA256(), secret);
  return {
    id: "hash-wasm",
    label: "hash-wasm `createHMAC(createSHA256())` + `JSON.parse`",
    verify(payload, delivery) {
      const { timestamp, signatures } = parseSignatureHeader(delivery.coastyHeader);
      hasher.init();
      hasher.update(`${timestamp}.`);
      hasher.update(payload);
      const mac = hasher.digest("binary");
      if (!signatures.some((s) => equalBytes(s, mac))) throw new Error("no matching signature");
      checkTimestamp(timestamp);
      return JSON.parse(payloadText(payload));
    },
  };
}

function signedMessage(timestamp, payload) {
  if (typeof payload === "string") return encoder.encode(`${timestamp}.${payload}`);
  const prefix = encoder.encode(`${timestamp}.`);
  const message = new Uint8Array(prefix.length + payload.length);
  message.set(prefix);
  message.set(payload, prefix.length);
  return message;
}

async function webCryptoContender(secret) {
  const { subtle } = globalThis.crypto;
  const algorithm = { name: "HMAC", hash: "SHA-256" };
  const key = await subtle.importKey("raw", encoder.encode(secret), algorithm, false, ["verify"]);
  return {
    id: "webcrypto",
    label: "WebCrypto `subtle.verify` + `JSON.parse` (async)",
    isAsync: true,
    async verify(payload, delivery) {
      const { timestamp, signatures } = parseSignatureHeader(delivery.coastyHeader);
      const message = signedMessage(timestamp, payload);
      let matched = false;
      for (const signature of signatures) {
        // subtle.verify compares in constant time and rejects a wrong length.
        matched = await subtle.verify("HMAC", key, signature, message);
        if (matched) break;
      }
      if (!matched) throw new Error("no matching signature");
      checkTimestamp(timestamp);
      return JSON.parse(payloadText(payload));
    },
  };
}

/** Creates every contender, keyed with `secrets` from `createSecrets()`. */
export async function createContenders(secrets) {
  return [
    ...coastyContenders(secrets.coasty),
    nodeCryptoContender(secrets.coasty),
    stripeContender(secrets.coasty),
    standardWebhooksContender(secrets.standard),
    nobleContender(secrets.coasty),
    await hashWasmContender(secrets.coasty),
    await webCryptoContender(secrets.coasty),
  ];
}

/**
 * Throws unless `contender` returns the event for the valid payload and
 * rejects the tampered one, for both payload types.
 */
export async function checkContender(contender, delivery) {
  for (const [type, { valid, tampered }] of Object.entries(delivery.payloads)) {
    const where = `${contender.label} with a ${delivery.size}-byte ${type} payload`;
    const result = await contender.verify(valid, delivery);
    if (contender.signatureOnly) {
      if (result?.timestamp !== delivery.timestamp) {
        const expected = delivery.timestamp;
        throw new Error(`${where} returned timestamp ${result?.timestamp}, expected ${expected}`);
      }
    } else if (result?.run_id !== delivery.runId || result?.result?.summary !== delivery.summary) {
      throw new Error(`${where} returned an event other than the one signed`);
    }

    let rejected = false;
    try {
      await contender.verify(tampered, delivery);
    } catch {
      rejected = true;
    }
    if (!rejected) throw new Error(`${where} accepted a tampered payload`);
  }
}
