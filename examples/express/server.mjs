// Express app that receives Coasty webhook deliveries at POST /webhooks/coasty.
// Run: COASTY_WEBHOOK_SECRET=whsec_... node examples/express/server.mjs
import { pathToFileURL } from "node:url";
import express from "express";
import { WebhookVerificationError, verifyWebhook } from "coasty";

/** Creates the Express app; `secret` is the run's webhook_secret (whsec_...). */
export function createApp(secret) {
  const app = express();

  app.post(
    "/webhooks/coasty",
    // The raw body: express.raw() leaves the received bytes in req.body as a
    // Buffer. express.json() here would parse them, and re-serialised JSON
    // does not match the signature.
    express.raw({ type: "application/json" }),
    (req, res) => {
      // headersDistinct keeps a repeated header as two values, which the
      // library rejects, where req.headers would join them with ", ".
      const signature =
        req.headersDistinct["coasty-signature"] ?? req.headersDistinct["x-coasty-signature"];
      let event;
      try {
        event = verifyWebhook(req.body, signature, secret);
      } catch (error) {
        // INVALID_ARGUMENT: no raw body, for example a Content-Type other than JSON.
        if (error instanceof WebhookVerificationError || error.code === "INVALID_ARGUMENT") {
          console.warn(`coasty webhook rejected: ${error.code}`);
          res.status(400).json({ error: { code: error.code, message: error.message } });
          return;
        }
        throw error;
      }

      // Verified: act on the event here (it is the parsed JSON payload).
      res.json({ received: event.event ?? null, runId: event.run_id ?? null });
    },
  );
  return app;
}

/** Starts the app on `host:port` (0 picks a free port); resolves to `{ url, close() }`. */
export function start({ secret, port = 0, host = "127.0.0.1" }) {
  return new Promise((resolve, reject) => {
    const server = createApp(secret).listen(port, host);
    server.once("error", reject);
    server.once("listening", () => {
      const close = () => new Promise((done) => server.close(done));
      resolve({ url: `http://${host}:${server.address().port}`, close });
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
