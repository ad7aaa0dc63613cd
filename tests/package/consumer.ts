// A TypeScript program that uses the webhook and client exports of the package. It is
// type-checked, never run, by types.test.mjs with `tsc --strict --noEmit`.
// Each `@ts-expect-error` line is a mistake that the declarations must reject.
import {
  CoastyClient,
  DEFAULT_TOLERANCE_SECONDS,
  InsufficientScopeError,
  buildRequest,
  decodeApiError,
  estimateRunCost,
  formatDollars,
  isRunEvent,
  requiredScope,
  SIGNATURE_HEADER,
  SIGNATURE_HEADER_ALIAS,
  Webhook,
  WebhookVerificationError,
  createSignedWebhookRequest,
  normalizeRunEvent,
  signWebhook,
  verifyWebhook,
  verifyWebhookRequest,
  verifyWebhookSignature,
} from "coasty";
import type {
  CoastyWebhookEvent,
  InvalidArgumentError,
  NormalizedRunEvent,
  RunSucceededEvent,
  SignatureHeaderValue,
  VerifiedRequest,
  VerifiedSignature,
  WebhookFailureCode,
  WebhookPayload,
} from "coasty";

const secret = "whsec_typescript_consumer";
const body = '{"event":"run.succeeded","run_id":"run_ts","status":"succeeded"}';

const header: "Coasty-Signature" = SIGNATURE_HEADER;
const alias: "X-Coasty-Signature" = SIGNATURE_HEADER_ALIAS;
const tolerance: number = DEFAULT_TOLERANCE_SECONDS;

// Signing returns the header value; the timestamp may be a Date or unix seconds.
const signature: string = signWebhook(body, secret, { timestamp: new Date() });
signWebhook(new TextEncoder().encode(body), secret, { timestamp: 1_750_000_000 });

// isRunEvent separates the documented events from unknown ones, and then
// narrowing on `event` selects the matching event type.
const event: CoastyWebhookEvent = verifyWebhook(body, signature, secret, { toleranceSeconds: 600 });
if (isRunEvent(event)) {
  switch (event.event) {
    case "run.succeeded": {
      const succeeded: RunSucceededEvent = event;
      const passed: boolean | undefined = succeeded.result?.passed;
      console.log(passed, succeeded.run_id);
      break;
    }
    case "run.failed": {
      const code: string | undefined = event.error?.code;
      console.log(code);
      break;
    }
  }
} else {
  const unknownName: string | undefined = event.event;
  console.log(unknownName);
}

// The client and the request helpers.
async function createRun(): Promise<string> {
  const client = new CoastyClient({ apiKey: "sk-coasty-test-x", baseUrl: "http://127.0.0.1:4010/v1" });
  try {
    const run = await client.runs.create({ machine_id: "m", task: "t", max_steps: 5 }, { budgetCheck: true });
    const attempts: number = run.lastResponse.attempts;
    for await (const item of client.runs.events(run.id)) console.log(item.seq, item.type, attempts);
    const balance = await client.wallet.balance();
    return `${run.id} ${balance.dollars}`;
  } catch (error) {
    if (error instanceof InsufficientScopeError) return error.requiredScope ?? "";
    throw error;
  }
}
const built = buildRequest("runs.get", { pathParams: { id: "run_1" } }, { apiKey: "sk-coasty-test-x" });
const curl: string = built.toCurl();
const decoded = decodeApiError(502, { "content-type": "text/html" }, "<html>Bad Gateway</html>");
const retryable: boolean = decoded.retryable;
const scope: string | null = requiredScope("runs.create");
const estimate = estimateRunCost({ maxSteps: 10, cuaVersion: "v3" });
const dollars: string = formatDollars(estimate.maxCredits ?? 0);

// A caller may name its own event type.
interface InvoiceEvent {
  event: "run.succeeded";
  result: { summary: string };
}
const invoice = verifyWebhook<InvoiceEvent>(body, [signature], [secret, "whsec_previous"]);
const summary: string = invoice.result.summary;

// Every payload shape that frameworks pass to a handler.
const payloads: WebhookPayload[] = [
  body,
  new Uint8Array(0),
  new ArrayBuffer(0),
  new DataView(new ArrayBuffer(0)),
];
const headers: SignatureHeaderValue[] = [signature, [signature], null, undefined];

const checked: VerifiedSignature = verifyWebhookSignature(payloads[0], headers[0], secret, {
  now: 1_750_000_000,
});
const index: number = checked.secretIndex;
const signedAt: number = checked.timestamp;

async function handle(request: Request): Promise<Response> {
  try {
    const verified: VerifiedRequest = await verifyWebhookRequest(request, secret);
    const raw: Uint8Array = verified.rawBody;
    const normalized: NormalizedRunEvent = normalizeRunEvent(verified.event);
    const runId: string | null = normalized.runId;
    const known: boolean = normalized.knownEvent;
    return Response.json({ runId, known, bytes: raw.byteLength });
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      const code: WebhookFailureCode = error.code;
      const skew: number | null = error.skewSeconds;
      const timestamp: number | null = error.timestamp;
      return Response.json({ code, skew, timestamp }, { status: 400 });
    }
    if (error instanceof TypeError && (error as InvalidArgumentError).code === "INVALID_ARGUMENT") {
      return Response.json({ code: "INVALID_ARGUMENT" }, { status: 400 });
    }
    throw error;
  }
}

// The class form keeps a set of secrets during a rotation.
const webhook = new Webhook([secret, "whsec_previous"], { toleranceSeconds: 300 });
const signed: string = webhook.sign(body, { timestamp: 1_750_000_000 });
const viaClass: CoastyWebhookEvent = webhook.verify(body, signed, { now: new Date() });
const classSignature: VerifiedSignature = webhook.verifySignature(body, signed);
const pending: Promise<VerifiedRequest> = webhook.verifyRequest(
  createSignedWebhookRequest("http://127.0.0.1:8787/webhooks/coasty", body, secret),
);
const request: Request = createSignedWebhookRequest(new URL("http://127.0.0.1/"), body, secret, {
  timestamp: new Date(),
});

// @ts-expect-error: a parsed object is not a raw body.
verifyWebhook({ event: "run.succeeded" }, signature, secret);
// @ts-expect-error: the secret must be a string or a list of strings.
verifyWebhook(body, signature, 42);
// @ts-expect-error: toleranceSeconds is a number of seconds.
verifyWebhook(body, signature, secret, { toleranceSeconds: "300" });
// @ts-expect-error: signing takes one secret, not a rotation list.
signWebhook(body, [secret]);
// @ts-expect-error: the failure codes are a closed set.
const unknownCode: WebhookFailureCode = "BAD_SIGNATURE";
// @ts-expect-error: a verification error's code is read-only.
new WebhookVerificationError().code = "MISSING_HEADER";

export {
  createRun,
  curl,
  dollars,
  retryable,
  scope,
  alias,
  checked,
  classSignature,
  handle,
  header,
  index,
  pending,
  request,
  signedAt,
  summary,
  tolerance,
  unknownCode,
  viaClass,
};
