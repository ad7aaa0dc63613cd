// Verification steps that a receiver writes around a generic HMAC library:
// parse the header, check the MAC, check the timestamp, parse JSON.
// The contenders built on node:crypto, @noble/hashes, hash-wasm and WebCrypto
// share these steps, so their rows differ only in the HMAC and the comparison.

/** Allowed distance between the signed timestamp and now, in seconds. */
export const TOLERANCE_SECONDS = 300;

const decoder = new TextDecoder();

/**
 * Parses `t=<unix>,v1=<hex>[,v1=<hex>...]` into the timestamp text and the
 * decoded `v1` values. Throws when `t` or every `v1` is missing.
 */
export function parseSignatureHeader(header) {
  let timestamp = null;
  const signatures = [];
  for (const item of header.split(",")) {
    const separator = item.indexOf("=");
    const key = item.slice(0, separator).trim();
    const value = item.slice(separator + 1).trim();
    if (key === "t") timestamp = value;
    else if (key === "v1") signatures.push(Buffer.from(value, "hex"));
  }

  if (timestamp === null || !/^\d+$/.test(timestamp)) {
    throw new Error("signature header has no valid t item");
  }
  if (signatures.length === 0) {
    throw new Error("signature header has no v1 item");
  }
  return { timestamp, signatures };
}

/** Throws unless `timestamp` is within the tolerance of the system clock. */
export function checkTimestamp(timestamp) {
  const skew = Math.floor(Date.now() / 1000) - Number(timestamp);
  if (Math.abs(skew) > TOLERANCE_SECONDS) {
    throw new Error(`timestamp is ${skew} s away from now`);
  }
}

/** Returns the payload as text: a string as is, bytes decoded as UTF-8. */
export function payloadText(payload) {
  return typeof payload === "string" ? payload : decoder.decode(payload);
}

/**
 * Compares two byte arrays in time that depends only on their length, the
 * XOR-accumulate loop that pure-JS crypto code uses where no library
 * function is at hand (@noble/hashes 2.x exports none).
 */
export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i] ^ b[i];
  return difference === 0;
}
