// A Cloudflare Worker that receives Coasty webhook deliveries and verifies them
// with the coasty package before trusting a single byte.
//
// Bindings: WEBHOOK_SECRETS, a JSON array of secrets (the first is current; more
// than one during a rotation).
import { WebhookVerificationError, verifyWebhookRequest } from "coasty";

function errorResponse(status, code, message) {
  return Response.json({ error: { code, message } }, { status });
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname !== "/webhooks/coasty") {
      return errorResponse(404, "NOT_FOUND", `no route for ${url.pathname}`);
    }
    if (request.method !== "POST") {
      return errorResponse(405, "METHOD_NOT_ALLOWED", "deliveries are POST requests");
    }

    try {
      const { event } = await verifyWebhookRequest(request, env.WEBHOOK_SECRETS);
      return Response.json({ received: event.event ?? null });
    } catch (error) {
      // A bad delivery is the sender's problem, never a server error.
      if (error instanceof WebhookVerificationError || error?.code === "INVALID_ARGUMENT") {
        return errorResponse(400, error.code, error.message);
      }
      return errorResponse(400, "UNREADABLE_DELIVERY", "the delivery could not be read");
    }
  },
};
