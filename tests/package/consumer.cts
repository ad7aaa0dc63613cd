// A CommonJS TypeScript module that imports the package. types.test.mjs
// checks it with `--module node16`, where importing types that describe an
// ES module from CommonJS is an error, so the package must ship CommonJS
// declarations for its `require` entry point.
import { Webhook, WebhookVerificationError, verifyWebhook } from "coasty";

const secret = "whsec_typescript_commonjs";
const body = '{"event":"run.cancelled","run_id":"run_cts"}';
const signature: string = new Webhook(secret).sign(body);

function runId(): string | null {
  try {
    const event = verifyWebhook(body, signature, secret);
    return typeof event.run_id === "string" ? event.run_id : null;
  } catch (error) {
    if (error instanceof WebhookVerificationError) return null;
    throw error;
  }
}

export = runId;
