// Signature helpers for the webhook debugger: a lenient reading of the
// Coasty-Signature header, digest encodings and HMAC-SHA256 through WebCrypto.
// Runs in the page's Worker and under Node 20 alike.

const HEX_DIGEST = /^[0-9a-fA-F]{64}$/;
const BASE64_DIGEST = /^[A-Za-z0-9+/]{43}=?$/;
const BASE64URL_DIGEST = /^[A-Za-z0-9_-]{43}=?$/;
const HEADER_NAME = /^\s*(x-)?coasty-signature\s*:/i;

/** Lower-case hex of a byte array. */
export function toHex(bytes) {
  let hex = "";
  for (const byte of bytes) hex += byte.toString(16).padStart(2, "0");
  return hex;
}

/** Decodes standard or URL-safe base64, with or without padding; null if invalid. */
export function fromBase64(text) {
  const standard = text.replace(/-/g, "+").replace(/_/g, "/");
  const padded = standard + "=".repeat((4 - (standard.length % 4)) % 4);
  let binary;
  try {
    binary = atob(padded);
  } catch {
    return null;
  }
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/**
 * Cleans a header value pasted into the page: drops a leading
 * `Coasty-Signature:` name and surrounding whitespace, and joins several lines
 * with ", " the way Node joins a repeated header. Returns `{ value, notes }`,
 * where each note describes one change.
 */
export function cleanHeaderInput(text) {
  const notes = [];
  const lines = text.split(/\r?\n|\r/).filter((line) => line.trim() !== "");
  const values = lines.map((line) => {
    if (!HEADER_NAME.test(line)) return line.trim();
    if (notes.length === 0) notes.push("Removed the header name in front of the value.");
    return line.replace(HEADER_NAME, "").trim();
  });
  if (values.length > 1) {
    notes.push(
      `Joined ${values.length} header lines with ", ", as Node does for a repeated header.`,
    );
  }
  return { value: values.join(", "), notes };
}

/**
 * Reads a signature header without judging it: every `t` item that is all
 * digits, and every `v1` item decoded as a 32-byte digest in hex or base64.
 * The package's verifier decides validity; this only feeds the diagnosis.
 */
export function readHeaderLoosely(header) {
  const timestamps = [];
  const candidates = [];
  let timestampItems = 0;
  for (const rawItem of header.split(",")) {
    const item = rawItem.replace(/^[ \t]+|[ \t]+$/g, "");
    const split = item.indexOf("=");
    if (split === -1) continue;
    const key = item.slice(0, split);
    const value = item.slice(split + 1);
    if (key === "t") {
      timestampItems += 1;
      if (/^\d{1,19}$/.test(value) && !timestamps.includes(value)) timestamps.push(value);
    } else if (key === "v1") {
      const candidate = decodeCandidate(value);
      if (candidate !== null) candidates.push(candidate);
    }
  }
  return { timestamps, candidates, timestampItems };
}

/** Decodes one `v1` value as `{ hex, encoding }`, or null when it is no digest. */
function decodeCandidate(value) {
  if (HEX_DIGEST.test(value)) return { hex: value.toLowerCase(), encoding: "hex" };
  if (BASE64_DIGEST.test(value) || BASE64URL_DIGEST.test(value)) {
    const bytes = fromBase64(value);
    if (bytes !== null && bytes.length === 32) return { hex: toHex(bytes), encoding: "base64" };
  }
  return null;
}

/**
 * HMAC-SHA256 of `message` under `key` (both byte arrays) through WebCrypto,
 * which browsers expose only in secure contexts such as http://127.0.0.1.
 */
export async function webCryptoHmac(key, message) {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new Error(
      "WebCrypto is not available here: open the page from http://127.0.0.1 or https",
    );
  }
  const cryptoKey = await subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  return new Uint8Array(await subtle.sign("HMAC", cryptoKey, message));
}
