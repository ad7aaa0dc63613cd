// Public API of the coasty package; the entry points load the wasm module first.
export {
  DEFAULT_TOLERANCE_SECONDS,
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
} from "./webhook.js";
