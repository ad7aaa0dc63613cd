// Plain-language text for each cause the webhook debugger can prove, with the
// fix. Keyed by cause id; the ids are stable and the tests use them.

const RAW_BODY_FIX =
  "Verify the raw request bytes before any parsing: express.raw({ type: " +
  '"application/json" }) in Express, await request.text() with the Fetch API, ' +
  "or your framework's raw-body option.";

/** `{ title, explanation, fix }` by cause id. */
export const CAUSES = {
  "duplicated-header": {
    title: "The signature header arrived twice",
    explanation:
      "The value holds more than one t item, so two header values were joined " +
      'with ", " (Node does this for a repeated header). One value alone verifies.',
    fix:
      "Find what adds the header a second time (often a proxy), or read a single " +
      'value: req.headersDistinct["coasty-signature"][0] in Node.',
  },
  "json-reserialised": {
    title: "The body was re-serialised",
    explanation:
      "The signed bytes are the same JSON written differently. Something parsed " +
      "the body and wrote it out again between signing and verifying, such as a " +
      "JSON body parser in front of the verifier, or a test sender that signs " +
      "JSON.stringify(payload) but sends other bytes.",
    fix: RAW_BODY_FIX,
  },
  "trailing-newline-added": {
    title: "The signed body ends with a line break that yours lacks",
    explanation:
      "Something removed the last line break before verification, or the copy here lost it.",
    fix: `Hash the body exactly as it arrived, without trimming. ${RAW_BODY_FIX}`,
  },
  "trailing-newline-removed": {
    title: "Your body ends with a line break the signed body lacks",
    explanation:
      "A line break or whitespace was appended after signing, often by an editor " +
      "saving the file, echo in a shell script, or the copy pasted here.",
    fix:
      "Send test bodies with curl --data-binary @file from a file without a final " +
      "line break (printf, not echo), and verify the bytes as received.",
  },
  "crlf-to-lf": {
    title: "The signed body has LF line ends, yours has CRLF",
    explanation: "A text-mode read or a Windows tool turned LF into CRLF after signing.",
    fix: `Read the body as bytes. ${RAW_BODY_FIX}`,
  },
  "lf-to-crlf": {
    title: "The signed body has CRLF line ends, yours has LF",
    explanation:
      "Something turned CRLF into LF after signing. The text box on this page does " +
      "this to pasted text too.",
    fix: "Read the body as bytes. To check a body with CRLF here, load it from a file.",
  },
  "bom-added": {
    title: "The signed body starts with a byte order mark that yours lacks",
    explanation:
      "Something decoded the body as text and dropped the BOM (TextDecoder does so by default).",
    fix: RAW_BODY_FIX,
  },
  "bom-stripped": {
    title: "Your body starts with a byte order mark the signed body lacks",
    explanation: "An editor or a shell redirect saved the body as UTF-8 with a BOM after signing.",
    fix: "Send and verify the exact bytes; save test bodies as UTF-8 without BOM.",
  },
  "secret-trimmed": {
    title: "Your secret has whitespace the signing secret lacks",
    explanation: "The signature was made with your secret minus its surrounding whitespace.",
    fix:
      "Remove the whitespace from your configuration, often a line break at the end " +
      "of a secrets file or an environment variable.",
  },
  "secret-newline-added": {
    title: "The signing secret ends with a line break",
    explanation:
      "The signature was made with your secret plus a line break, typically a " +
      "secret read from a file by the sender of a test delivery.",
    fix: "Strip the line break where the signer loads the secret. Coasty never adds one.",
  },
  "secret-prefix-stripped": {
    title: 'The signer dropped the "whsec_" prefix',
    explanation: "The signature was made with the part of the secret after whsec_.",
    fix: "The whole string, prefix included, is the HMAC key. Use it unchanged on both sides.",
  },
  "secret-prefix-added": {
    title: 'Your secret lacks the "whsec_" prefix',
    explanation: "The signature was made with whsec_ in front of your secret.",
    fix: "Configure the whole value, prefix included, exactly as the run returned it.",
  },
  "standard-webhooks-key": {
    title: "The Standard Webhooks key convention was used",
    explanation:
      "The signature was made with the base64-decoded part after whsec_ as the key, " +
      "as Standard Webhooks (Svix) libraries do.",
    fix:
      "Coasty's key is the UTF-8 bytes of the whole secret string, never base64-decoded. " +
      "Verify with the coasty package rather than a Standard Webhooks library.",
  },
  "api-key-as-secret": {
    title: "The API key was used in place of the webhook secret",
    explanation: "The signature was made with the API key you entered as the HMAC key.",
    fix:
      "Sign and verify with the run's webhook_secret (whsec_...), returned once when " +
      "the run is created, and keep the API key out of webhook code.",
  },
  "body-only": {
    title: "The HMAC covers the body alone",
    explanation: 'The signature covers the body without the "t." prefix.',
    fix: 'Coasty signs the t value from the header, a ".", then the raw body. Hash all three.',
  },
  "base64-digest": {
    title: "The digest is base64, not hex",
    explanation: "The v1 value is the right HMAC, encoded as base64.",
    fix: 'v1 is the HMAC-SHA256 as 64 lower-case hex characters: use digest("hex").',
  },
  "timestamp-milliseconds": {
    title: "t is in milliseconds",
    explanation: "The signature verifies, but t counts milliseconds; read as seconds it is recent.",
    fix: "t is unix seconds: Math.floor(Date.now() / 1000), not Date.now().",
  },
  "timestamp-too-old": {
    title: "The delivery is older than the tolerance",
    explanation:
      "The signature verifies, but it was made too long before the receive time: a " +
      "replayed or long-delayed delivery, or a receiving clock that runs ahead.",
    fix:
      "Sync the receiver's clock (NTP) and process deliveries when they arrive. To " +
      "replay a captured delivery in a test, re-sign it with a fresh t.",
  },
  "timestamp-in-future": {
    title: "t is in the future",
    explanation:
      "The signature verifies, but t is later than the receive time by more than the " +
      "tolerance: the sender's clock runs ahead, or the receive time is too early.",
    fix: "Sync both clocks (NTP), or correct the receive time entered here.",
  },
  "invalid-payload": {
    title: "The body is not a JSON object",
    explanation: "The signature and timestamp pass, but the body does not parse as a JSON object.",
    fix: "Check that the bytes are the delivery body itself, not a wrapper or a truncated copy.",
  },
  "no-known-cause": {
    title: "No known cause reproduced",
    explanation:
      "No transformation tried here produced a signature in the header, so the page " +
      "names no cause.",
    fix:
      "Not testable here: a different secret (every run has its own webhook_secret), " +
      "or a body whose content changed. Compare the secret and body with what the " +
      "sender used.",
  },
};

/** Returns the full cause record for an id, with a proof or detail sentence. */
export function cause(id, proof) {
  return { id, ...CAUSES[id], proof };
}
