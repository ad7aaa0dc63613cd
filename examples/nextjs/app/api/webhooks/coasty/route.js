// Next.js App Router route handler that receives Coasty webhook deliveries at
// POST /api/webhooks/coasty. Set COASTY_WEBHOOK_SECRET to the run's
// webhook_secret (whsec_...).
import { WebhookVerificationError, verifyWebhook } from "coasty";

// The Node.js runtime loads the package's Node build.
export const runtime = "nodejs";

function reject(status, code, message) {
  return Response.json({ error: { code, message } }, { status });
}

export async function POST(request) {
  const secret = process.env.COASTY_WEBHOOK_SECRET;
  if (!secret) {
    console.error("coasty webhook: COASTY_WEBHOOK_SECRET is not set");
    return reject(500, "NOT_CONFIGURED", "the webhook secret is not configured");
  }

  // The raw body, read as text before anything parses it: request.json()
  // followed by JSON.stringify would not give back the signed bytes.
  const payload = await request.text();
  const signature =
    request.headers.get("coasty-signature") ?? request.headers.get("x-coasty-signature");

  let event;
  try {
    event = verifyWebhook(payload, signature, secret);
  } catch (error) {
    if (error instanceof WebhookVerificationError) {
      console.warn(`coasty webhook rejected: ${error.code}`);
      return reject(400, error.code, error.message);
    }
    throw error;
  }

  // Verified: act on the event here (it is the parsed JSON payload).
  return Response.json({ received: event.event ?? null, runId: event.run_id ?? null });
}
