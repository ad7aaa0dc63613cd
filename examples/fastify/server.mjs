// Fastify app that receives Coasty webhook deliveries at POST /webhooks/coasty.
// Run: COASTY_WEBHOOK_SECRET=whsec_... node examples/fastify/server.mjs
import { pathToFileURL } from "node:url";
import Fastify from "fastify";
import { WebhookVerificationError, verifyWebhook } from "coasty";

/**
 * Creates the Fastify app; `secret` is the run's webhook_secret (whsec_...)
 * and `logger` is Fastify's logger option.
 */
export function createApp(secret, { logger = true } = {}) {
  const app = Fastify({ logger });

  // A plugin scope, so that only the webhook route keeps raw bodies.
  app.register(async (webhooks) => {
    // The raw body: parseAs "buffer" hands the received bytes to the route
    // as a Buffer. Fastify's default JSON parser would parse them, and
    // re-serialised JSON does not match the signature.
    webhooks.addContentTypeParser(
      "application/json",
      { parseAs: "buffer" },
      (request, body, done) => done(null, body),
    );

    webhooks.post("/webhooks/coasty", async (request, reply) => {
      // headersDistinct keeps a repeated header as two values, which the
      // library rejects, where request.headers would join them with ", ".
      const headers = request.raw.headersDistinct;
      const signature = headers["coasty-signature"] ?? headers["x-coasty-signature"];
      let event;
      try {
        event = verifyWebhook(request.body, signature, secret);
      } catch (error) {
        // INVALID_ARGUMENT: no raw body, for example an empty request.
        if (error instanceof WebhookVerificationError || error.code === "INVALID_ARGUMENT") {
          request.log.warn(`coasty webhook rejected: ${error.code}`);
          return reply.code(400).send({ error: { code: error.code, message: error.message } });
        }
        throw error;
      }

      // Verified: act on the event here (it is the parsed JSON payload).
      return { received: event.event ?? null, runId: event.run_id ?? null };
    });
  });
  return app;
}

/** Starts the app on `host:port` (0 picks a free port); resolves to `{ url, close() }`. */
export async function start({ secret, port = 0, host = "127.0.0.1", logger = true }) {
  const app = createApp(secret, { logger });
  await app.listen({ port, host });
  return { url: `http://${host}:${app.server.address().port}`, close: () => app.close() };
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
