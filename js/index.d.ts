// Type declarations for the coasty package.

// ---------------------------------------------------------------------------
// Webhooks

/** A raw request body, exactly as received. A Node `Buffer` is a `Uint8Array`. */
export type WebhookPayload = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/** A signature header as frameworks deliver it: absent, one value, or repeated values. */
export type SignatureHeaderValue = string | readonly string[] | null | undefined;

/** Name of the signature header. */
export declare const SIGNATURE_HEADER: "Coasty-Signature";
/** Name of the alias header that carries the same value. */
export declare const SIGNATURE_HEADER_ALIAS: "X-Coasty-Signature";
/** Default tolerance between the signed timestamp and `now`, in seconds. */
export declare const DEFAULT_TOLERANCE_SECONDS: 300;

export interface WebhookOptions {
  /** Allowed distance between the signed timestamp and `now`, both directions, in seconds (default 300; 0 means the same second). */
  toleranceSeconds?: number;
}

export interface VerifyOptions extends WebhookOptions {
  /** The current time; defaults to the system clock. A number is unix seconds. */
  now?: Date | number;
}

export interface SignOptions {
  /** Signing time; defaults to now. A number is unix seconds. */
  timestamp?: Date | number;
}

export interface VerifiedSignature {
  /** The signed timestamp, in unix seconds. */
  timestamp: number;
  /** Index, in the configured secrets, of the one that matched. */
  secretIndex: number;
}

export interface VerifiedRequest<E = CoastyWebhookEvent> extends VerifiedSignature {
  event: E;
  rawBody: Uint8Array;
}

export type WebhookFailureCode =
  | "MISSING_HEADER"
  | "MALFORMED_HEADER"
  | "NO_MATCHING_SIGNATURE"
  | "TIMESTAMP_OUT_OF_TOLERANCE"
  | "INVALID_PAYLOAD";

/** A failed webhook check. Never contains the secret or the signatures. */
export declare class WebhookVerificationError extends Error {
  readonly name: "WebhookVerificationError";
  readonly code: WebhookFailureCode;
  /** The signed timestamp in unix seconds, when the header had one. */
  readonly timestamp: number | null;
  /** `now - timestamp` in seconds, for `TIMESTAMP_OUT_OF_TOLERANCE`. */
  readonly skewSeconds: number | null;
}

/** An invalid argument: a `TypeError` with `code: "INVALID_ARGUMENT"`. */
export interface InvalidArgumentError extends TypeError {
  readonly code: "INVALID_ARGUMENT";
}

export type RunState =
  | "queued"
  | "running"
  | "awaiting_human"
  | "succeeded"
  | "failed"
  | "cancelled"
  | "timed_out";

interface RunWebhookEventBase {
  run_id?: string;
  run?: { id?: string; status?: string; [key: string]: unknown };
  status?: RunState | (string & {});
  created_at?: string;
  [key: string]: unknown;
}

export interface RunAwaitingHumanEvent extends RunWebhookEventBase {
  event: "run.awaiting_human";
  awaiting_human_reason?: string | null;
  reason?: string;
}
export interface RunSucceededEvent extends RunWebhookEventBase {
  event: "run.succeeded";
  result?: { passed?: boolean; status?: string; summary?: string; verdict?: string } | null;
}
export interface RunFailedEvent extends RunWebhookEventBase {
  event: "run.failed";
  error?: { code: string; message: string } | null;
}
export interface RunCancelledEvent extends RunWebhookEventBase {
  event: "run.cancelled";
}
export interface RunTimedOutEvent extends RunWebhookEventBase {
  event: "run.timed_out";
}
/** Any other event name, kept as sent. */
export interface UnknownWebhookEvent {
  event?: string;
  [key: string]: unknown;
}

/** A verified webhook payload, discriminated on `event`. */
export type CoastyWebhookEvent =
  | RunAwaitingHumanEvent
  | RunSucceededEvent
  | RunFailedEvent
  | RunCancelledEvent
  | RunTimedOutEvent
  | UnknownWebhookEvent;

export interface NormalizedRunEvent {
  event: string | null;
  runId: string | null;
  status: string | null;
  reason: string | null;
  result: unknown;
  error: unknown;
  createdAt: string | null;
  /** Whether `event` is one of the five documented run events. */
  knownEvent: boolean;
}

/** Verifies Coasty webhook deliveries against one secret or several (rotation). */
export declare class Webhook {
  constructor(secretOrSecrets: string | readonly string[], options?: WebhookOptions);
  /** Verifies and returns the parsed JSON payload exactly as sent. */
  verify<E = CoastyWebhookEvent>(payload: WebhookPayload, signatureHeader: SignatureHeaderValue, options?: VerifyOptions): E;
  verifySignature(payload: WebhookPayload, signatureHeader: SignatureHeaderValue, options?: VerifyOptions): VerifiedSignature;
  verifyRequest<E = CoastyWebhookEvent>(request: Request, options?: VerifyOptions): Promise<VerifiedRequest<E>>;
  /** Returns the header value `t=<unix>,v1=<hex>`, signed with the first secret. */
  sign(payload: WebhookPayload, options?: SignOptions): string;
}

export declare function verifyWebhook<E = CoastyWebhookEvent>(
  payload: WebhookPayload,
  signatureHeader: SignatureHeaderValue,
  secret: string | readonly string[],
  options?: VerifyOptions,
): E;
export declare function verifyWebhookSignature(
  payload: WebhookPayload,
  signatureHeader: SignatureHeaderValue,
  secret: string | readonly string[],
  options?: VerifyOptions,
): VerifiedSignature;
export declare function verifyWebhookRequest<E = CoastyWebhookEvent>(
  request: Request,
  secret: string | readonly string[],
  options?: VerifyOptions,
): Promise<VerifiedRequest<E>>;
export declare function signWebhook(payload: WebhookPayload, secret: string, options?: SignOptions): string;
export declare function createSignedWebhookRequest(
  url: string | URL,
  payload: WebhookPayload,
  secret: string,
  options?: SignOptions,
): Request;
export declare function normalizeRunEvent(event: object): NormalizedRunEvent;
