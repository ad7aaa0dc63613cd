// Public API of the coasty package; the entry points load the wasm module first.
export {
  DEFAULT_TOLERANCE_SECONDS,
  SIGNATURE_HEADER,
  SIGNATURE_HEADER_ALIAS,
  Webhook,
  WebhookVerificationError,
  createSignedWebhookRequest,
  isRunEvent,
  normalizeRunEvent,
  signWebhook,
  verifyWebhook,
  verifyWebhookRequest,
  verifyWebhookSignature,
} from "./webhook.js";
export {
  DEFAULT_BASE_URL,
  buildRequest,
  createIdempotencyKey,
  decodeApiError,
  estimateRunCost,
  formatDollars,
  operations,
  requiredScope,
  responseMeta,
} from "./api.js";
export { CoastyClient } from "./client.js";
export {
  AuthenticationError,
  CoastyApiError,
  CoastyConnectionError,
  CoastyError,
  CoastyRequestError,
  CoastyTimeoutError,
  ConflictError,
  InsufficientCreditsError,
  InsufficientScopeError,
  NotFoundError,
  RateLimitError,
  ServerError,
  ValidationError,
} from "./errors.js";
