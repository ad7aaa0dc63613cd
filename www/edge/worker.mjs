// A Cloudflare Worker that creates Coasty runs through the client and receives
// their webhook deliveries, verifying each with the run's own secret before
// trusting a single byte.
//
// Bindings: COASTY_API_KEY and COASTY_BASE_URL for the API; WEBHOOK_SECRETS, a
// JSON array of secrets accepted for deliveries of runs this Worker did not create.
import {
  CoastyApiError,
  CoastyClient,
  WebhookVerificationError,
  normalizeRunEvent,
  verifyWebhookRequest,
} from "coasty";

// Each run's webhook_secret is returned once, when the run is created. This demo
// keeps them in isolate memory; a deployed receiver stores them in KV or a
// Durable Object, because isolates are recycled.
const runSecrets = new Map();
const deliveries = [];

function errorResponse(status, code, message) {
  return Response.json({ error: { code, message } }, { status });
}

async function createRun(request, env) {
  const client = new CoastyClient({ apiKey: env.COASTY_API_KEY, baseUrl: env.COASTY_BASE_URL });
  const { machine_id, task, max_steps } = await request.json();
  const webhookUrl = new URL("/webhooks/coasty", request.url).href;
  try {
    const run = await client.runs.create(
      { machine_id, task, max_steps, cua_version: "v3", webhook_url: webhookUrl },
      { budgetCheck: true },
    );
    runSecrets.set(run.id, run.webhook_secret);
    return Response.json({ id: run.id, status: run.status, attempts: run.lastResponse.attempts });
  } catch (error) {
    if (error instanceof CoastyApiError) {
      return errorResponse(error.status ?? 502, error.code ?? "API_ERROR", error.message);
    }
    throw error;
  }
}

/** Reads the run id from the unverified body, only to choose the secret. */
async function secretsFor(request, env) {
  try {
    const runId = normalizeRunEvent(await request.clone().json()).runId;
    const secret = runId ? runSecrets.get(runId) : undefined;
    return secret ? [secret] : env.WEBHOOK_SECRETS;
  } catch {
    return env.WEBHOOK_SECRETS;
  }
}

async function receiveWebhook(request, env) {
  try {
    const secrets = await secretsFor(request, env);
    const { event } = await verifyWebhookRequest(request, secrets);
    deliveries.push(normalizeRunEvent(event));
    return Response.json({ received: event.event ?? null });
  } catch (error) {
    // A bad delivery is the sender's problem, never a server error.
    if (error instanceof WebhookVerificationError || error?.code === "INVALID_ARGUMENT") {
      return errorResponse(400, error.code, error.message);
    }
    return errorResponse(400, "UNREADABLE_DELIVERY", "the delivery could not be read");
  }
}

export default {
  async fetch(request, env) {
    const { pathname } = new URL(request.url);
    if (request.method === "POST" && pathname === "/webhooks/coasty") {
      return receiveWebhook(request, env);
    }
    if (request.method === "POST" && pathname === "/runs") {
      return createRun(request, env);
    }
    if (request.method === "GET" && pathname === "/deliveries") {
      return Response.json(deliveries);
    }
    return errorResponse(404, "NOT_FOUND", `no route for ${request.method} ${pathname}`);
  },
};
