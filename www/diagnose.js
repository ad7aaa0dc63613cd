// The webhook debugger's logic: checks a delivery with the coasty package and,
// when the check fails, proves which common mistake explains it. A cause is
// named only when its transformation, recomputed, yields a v1 value of the
// header. Runs in the page's Worker and under Node; the package is passed in.
import { cause } from "./causes.js";
import { cleanHeaderInput, readHeaderLoosely, toHex, webCryptoHmac } from "./signature.js";
import { bodyVariants, secretVariants } from "./variants.js";

const encoder = new TextEncoder();
// As seconds, 1e11 is the year 5138; as milliseconds it is 1973.
const MILLISECONDS_FROM = 1e11;
const MAX_TIMESTAMPS = 4;

function bodyBytes(body) {
  if (typeof body === "string") return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  throw new TypeError("body must be a string or a Uint8Array of the raw request body");
}

function concat(prefix, body) {
  const out = new Uint8Array(prefix.length + body.length);
  out.set(prefix, 0);
  out.set(body, prefix.length);
  return out;
}

function secretLabel(index, count) {
  return count === 1 ? "your secret" : `secret #${index + 1}`;
}

/**
 * Lists the (key, body, scheme) combinations to try, one mistake at a time:
 * each body variant, each secret variant, the API key as secret, and the body
 * alone without "t.". The unchanged delivery is tried too, because it matches
 * through a duplicated header or a base64 digest.
 */
function trials(body, secrets, apiKey) {
  const list = [];
  secrets.forEach((secret, index) => {
    const key = encoder.encode(secret);
    const keyText = secretLabel(index, secrets.length);
    list.push({ causes: [], key, keyText, body, bodyText: "the body", scheme: "t" });
    for (const variant of bodyVariants(body)) {
      const id = variant.id.startsWith("json-") ? "json-reserialised" : variant.id;
      list.push({
        causes: [id],
        variant: variant.id,
        key,
        keyText,
        body: variant.bytes,
        bodyText: `the body ${variant.form}`,
        scheme: "t",
      });
    }
    for (const variant of secretVariants(secret)) {
      list.push({
        causes: [variant.id],
        variant: variant.id,
        key: variant.key,
        keyText: `${keyText} ${variant.form}`,
        body,
        bodyText: "the body",
        scheme: "t",
      });
    }
    list.push({ causes: ["body-only"], key, keyText, body, bodyText: "the body", scheme: "body" });
  });
  if (apiKey) {
    const key = encoder.encode(apiKey);
    const keyText = "the API key";
    list.push({
      causes: ["api-key-as-secret"],
      key,
      keyText,
      body,
      bodyText: "the body",
      scheme: "t",
    });
    list.push({
      causes: ["api-key-as-secret", "body-only"],
      key,
      keyText,
      body,
      bodyText: "the body",
      scheme: "body",
    });
  }
  return list;
}

function timestampCause(t, now, toleranceSeconds, proof) {
  const age = now - t;
  if (Math.abs(age) <= toleranceSeconds) return null;
  if (t >= MILLISECONDS_FROM && Math.abs(now - Math.floor(t / 1000)) <= toleranceSeconds) {
    return cause(
      "timestamp-milliseconds",
      `${proof} Read as seconds, t is ${now - Math.floor(t / 1000)} s old.`,
    );
  }
  const id = age > 0 ? "timestamp-too-old" : "timestamp-in-future";
  const offset = age > 0 ? `${age} s before` : `${-age} s after`;
  return cause(
    id,
    `${proof} t is ${offset} the receive time; the tolerance is ${toleranceSeconds} s.`,
  );
}

/**
 * Searches for the mistakes that explain a failed signature check. Returns
 * `{ tried, causes }`, where `tried` counts the HMACs computed and each cause
 * is `{ id, title, explanation, fix, proof, variant? }`. With nothing
 * reproduced, `causes` contains the single cause `no-known-cause`.
 */
export async function findCauses(input, { hmac = webCryptoHmac } = {}) {
  const body = bodyBytes(input.body);
  const header = readHeaderLoosely(input.header);
  const timestamps = header.timestamps.slice(0, MAX_TIMESTAMPS);
  const found = new Map();
  let tried = 0;

  for (const trial of trials(body, input.secrets, input.apiKey)) {
    const messages =
      trial.scheme === "t"
        ? timestamps.map((t) => [t, concat(encoder.encode(`${t}.`), trial.body)])
        : [[timestamps[0], trial.body]];
    for (const [t, message] of messages) {
      tried += 1;
      const hex = toHex(await hmac(trial.key, message));
      // A debugging aid compares in plain JavaScript: nothing is authenticated here.
      const position = header.candidates.findIndex((candidate) => candidate.hex === hex);
      if (position === -1) continue;

      const candidate = header.candidates[position];
      const ids = [...trial.causes];
      if (candidate.encoding === "base64") ids.push("base64-digest");
      if (header.timestampItems > 1) ids.push("duplicated-header");
      // The unchanged delivery matching in hex is no mistake of the kinds above.
      if (ids.length === 0) continue;

      const signed = trial.scheme === "t" ? `"${t}." + ${trial.bodyText}` : trial.bodyText;
      const proof =
        `HMAC-SHA256 with ${trial.keyText} as key over ${signed} equals ` +
        `v1 value #${position + 1} of the header.`;
      for (const id of ids) {
        if (!found.has(id)) found.set(id, { ...cause(id, proof), variant: trial.variant });
      }
      const late = timestampCause(Number(t), input.now, input.toleranceSeconds, "After that fix,");
      if (late && !found.has(late.id)) found.set(late.id, late);
    }
  }

  if (found.size === 0) {
    const searched = `Tried ${tried} variants of the body, the secret and the signing scheme.`;
    return { tried, causes: [cause("no-known-cause", searched)] };
  }
  return { tried, causes: [...found.values()] };
}

function timestampInfo(raw, now, toleranceSeconds) {
  if (raw === undefined) return null;
  const seconds = Number(raw);
  const milliseconds = seconds * 1000;
  return {
    raw,
    seconds,
    iso: Math.abs(milliseconds) <= 8.64e15 ? new Date(milliseconds).toISOString() : null,
    ageSeconds: now - seconds,
    toleranceSeconds,
    looksLikeMilliseconds: seconds >= MILLISECONDS_FROM,
  };
}

/** Returns the header each secret would produce for this body and timestamp. */
function expectedHeaders(coasty, body, secrets, timestamp) {
  return secrets.map((secret, index) => ({
    secretIndex: index,
    header: coasty.signWebhook(body, secret, { timestamp }),
  }));
}

function verdictOf(coasty, webhook, body, header, now) {
  try {
    const { secretIndex } = webhook.verifySignature(body, header, { now });
    const event = coasty.normalizeRunEvent(webhook.verify(body, header, { now }));
    return { ok: true, secretIndex, event };
  } catch (error) {
    if (!(error instanceof coasty.WebhookVerificationError)) throw error;
    return { ok: false, code: error.code, message: error.message };
  }
}

/**
 * Checks one delivery and explains a failure.
 *
 * `input` is `{ body, header, secrets, apiKey?, now?, toleranceSeconds? }`:
 * the raw body (string or bytes), the header value as pasted, the configured
 * secrets, an API key to test as the secret, the receive time in unix seconds
 * (default: the current time) and the tolerance in seconds (default 300).
 * `coasty` is the package module. Argument errors from the package propagate.
 */
export async function checkDelivery(input, { coasty, hmac = webCryptoHmac }) {
  const body = bodyBytes(input.body);
  const secrets = input.secrets;
  const now = input.now ?? Math.floor(Date.now() / 1000);
  const toleranceSeconds = input.toleranceSeconds ?? coasty.DEFAULT_TOLERANCE_SECONDS;
  const { value: header, notes } = cleanHeaderInput(input.header ?? "");

  const webhook = new coasty.Webhook(secrets, { toleranceSeconds });
  const verdict = verdictOf(coasty, webhook, body, header, now);
  const loose = readHeaderLoosely(header);
  const timestamp = timestampInfo(loose.timestamps[0], now, toleranceSeconds);
  const signAt = timestamp && Number.isSafeInteger(timestamp.seconds) ? timestamp.seconds : now;
  const report = {
    headerNotes: notes,
    verdict,
    timestamp,
    expected: expectedHeaders(coasty, body, secrets, signAt),
    causes: [],
    tried: 0,
    searched: false,
  };
  if (verdict.ok) return report;

  if (verdict.code === "INVALID_PAYLOAD") {
    report.causes = [cause("invalid-payload", verdict.message)];
  } else if (verdict.code === "TIMESTAMP_OUT_OF_TOLERANCE") {
    const proof = "The signature verifies.";
    const late = timestampCause(timestamp.seconds, now, toleranceSeconds, proof);
    report.causes = late ? [late] : [];
  } else if (loose.timestamps.length > 0 && loose.candidates.length > 0) {
    const search = { body, header, secrets, apiKey: input.apiKey, now, toleranceSeconds };
    const { tried, causes } = await findCauses(search, { hmac });
    Object.assign(report, { tried, causes, searched: true });
  }
  return report;
}
