// Hono app that receives Coasty webhook deliveries at POST /webhooks/coasty,
// served on Node by @hono/node-server. The handler uses only the Fetch API
// request, but only this Node adapter is tested.
// Run: COASTY_WEBHOOK_SECRET=whsec_... node examples/hono/server.mjs
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { WebhookVerificationError, verifyWebhook } from "coasty";

/** Creates the Hono app; `secret` is the run's webhook_secret (whsec_...). */
export function createApp(secret) {
  const app = new Hono();

  app.post("/webhooks/coasty", async (c) => {
    // The raw body, read as bytes before anything parses it. c.req.json()
    // would parse it, and re-serialised JSON does not match the signature.
    const payload = new Uint8Array(await c.req.arrayBuffer());
    const signature = c.req.header("coasty-signature") ?? c.req.header("x-coasty-signature");
    let event;
    try {
      event = verifyWebhook(payload, signature, secret);
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        console.warn(`coasty webhook rejected: ${error.code}`);
        return c.json({ error: { code: error.code, message: error.message } }, 400);
      }
      throw error;
    }

    // Verified: act on the event here (it is the parsed JSON payload).
    return c.json({ received: event.event ?? null, runId: event.run_id ?? null });
  });
  return app;
}

/** Starts the app on `host:port` (0 picks a free port); resolves to `{ url, close() }`. */
export function start({ secret, port = 0, host = "127.0.0.1" }) {
  return new Promise((resolve) => {
    const server = serve({ fetch: createApp(secret).fetch, port, hostname: host }, (info) => {
      const close = () => new Promise((done) => server.close(done));
      resolve({ url: `http://${host}:${info.port}`, close });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.COASTY_WEBHOOK_SECRET;
  if (!secret) {
    console.error("COASTY_WEBHOOK_SECRET is not set: export the run's webhook_secret (whsec_...)");
    process.exit(1);
  }
  const { url } = await start({ secret, port: Number(process.env.PORT ?? 3000) });
  console.log(`listening on ${url}/webhooks/coasty`);
}
