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

/** The five documented run webhook events, discriminated on `event`. */
export type RunWebhookEvent =
  | RunAwaitingHumanEvent
  | RunSucceededEvent
  | RunFailedEvent
  | RunCancelledEvent
  | RunTimedOutEvent;

/**
 * A verified webhook payload: a documented run event, or any other event kept as
 * sent. Narrow with `isRunEvent(event)`, then `switch (event.event)`.
 */
export type CoastyWebhookEvent = RunWebhookEvent | UnknownWebhookEvent;

/** Returns whether a payload is one of the five documented run events. */
export declare function isRunEvent(event: unknown): event is RunWebhookEvent;

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

// ---------------------------------------------------------------------------
// API requests, errors and credits

export type AuthScheme = "x-api-key" | "bearer";

/** Base URL of the Coasty API, including the version. */
export declare const DEFAULT_BASE_URL: "https://coasty.ai/v1";

export interface RequestConfig {
  /** API key (`sk-coasty-live-...`, `sk-coasty-test-...` or `cua_sk_...`). */
  apiKey?: string;
  /** Base URL including the version; default `https://coasty.ai/v1`. */
  baseUrl?: string;
  /** `x-api-key` (default) sends `X-API-Key`; `bearer` sends `Authorization: Bearer`. */
  authScheme?: AuthScheme;
}

export interface RequestParams {
  pathParams?: Record<string, string>;
  query?: Record<string, string | number | boolean>;
  body?: unknown;
  /** At most 128 characters from `A-Z a-z 0-9 _ - :`. */
  idempotencyKey?: string;
  headers?: Record<string, string>;
}

export interface BuiltRequest {
  operation: string;
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  headers: [string, string][];
  body: string | null;
  idempotencyKey: string | null;
  scope: string | null;
  streams: boolean;
  idempotency: "honoured" | "accepted" | "not_accepted";
  /** A shell command for the request; secrets are replaced by variables unless revealed. */
  toCurl(options?: { revealSecrets?: boolean }): string;
}

export interface OperationField {
  name: string;
  required: boolean;
  kind: string;
  min?: number;
  max?: number;
  values?: string[];
}

export interface OperationInfo {
  id: string;
  method: string;
  path: string;
  scope: string | null;
  idempotency: "honoured" | "accepted" | "not_accepted";
  streams: boolean;
  pathParams: string[];
  fields: OperationField[];
  query: OperationField[];
}

export interface RunCostEstimate {
  steps: number;
  perStepCredits: number | null;
  maxCredits: number | null;
  maxDollars: string | null;
  /** False when the version has no documented price; then there is no figure. */
  known: boolean;
  /** The basis of the estimate: the price table and the assumptions. */
  basis: string;
}

export interface RateLimitInfo {
  limit: number | null;
  remaining: number | null;
  reset: number | null;
}

export interface ResponseMeta {
  requestId: string | null;
  creditsCharged: number | null;
  creditsRemaining: number | null;
  creditsRefunded: number | null;
  idempotentReplay: boolean;
  testMode: boolean;
  keyKind: string | null;
  rateLimit: RateLimitInfo | null;
}

export interface LastResponse extends ResponseMeta {
  status: number;
  idempotencyKey: string | null;
  attempts: number;
  /** Set by `runs.create` with `budgetCheck`; `checked` is false when the cost is unknown. */
  budgetCheck?: { checked: boolean; estimate: RunCostEstimate; balanceCredits: number };
}

export type HeadersInput = Headers | Record<string, string | string[]> | [string, string][];

export declare function buildRequest(operationId: string, params?: RequestParams, config?: RequestConfig): BuiltRequest;
export declare function operations(): OperationInfo[];
export declare function requiredScope(operationId: string): string | null;
export declare function decodeApiError(
  status: number,
  headers: HeadersInput | null | undefined,
  body: string | Uint8Array | ArrayBuffer | null | undefined,
  options?: { now?: Date | number },
): CoastyApiError;
export declare function responseMeta(headers: HeadersInput): ResponseMeta;
export declare function createIdempotencyKey(): string;
export declare function estimateRunCost(options?: { maxSteps?: number; cuaVersion?: string }): RunCostEstimate;
/** Formats credits as dollars: 1 credit is $0.01, so 1234 is "$12.34". */
export declare function formatDollars(credits: number): string;

/** Base class of the errors the package throws on purpose, except argument errors. */
export declare class CoastyError extends Error {
  readonly code: string | null;
}
/** A request rejected locally, before anything was sent. */
export declare class CoastyRequestError extends CoastyError {
  readonly field: string | null;
  readonly problem: string | null;
  readonly allowed: string | null;
}
export declare class CoastyConnectionError extends CoastyError {
  readonly retryable: true;
  attempts: number;
}
export declare class CoastyTimeoutError extends CoastyError {
  readonly retryable: true;
  attempts: number;
}
/** An error response from the API or from a proxy in front of it. */
export declare class CoastyApiError extends CoastyError {
  readonly kind: "api_error" | "rate_limited" | "http_error" | "budget_check";
  readonly status: number | null;
  readonly type: string | null;
  readonly requestId: string | null;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | null;
  readonly retryWithSameIdempotencyKey: boolean | null;
  readonly rateLimit: RateLimitInfo | null;
  readonly extras: Record<string, unknown>;
  /** The start of the response body, for debugging. */
  readonly rawBody: string;
  /** The next step for the caller, when known. */
  readonly hint: string | null;
  /** How many attempts the client made. */
  attempts: number;
  idempotencyKey: string | null;
}
export declare class AuthenticationError extends CoastyApiError {}
export declare class InsufficientCreditsError extends CoastyApiError {
  readonly required: number | null;
  readonly balance: number | null;
  readonly shortfallCredits: number | null;
  readonly shortfallDollars: string | null;
}
export declare class InsufficientScopeError extends CoastyApiError {
  readonly requiredScope: string | null;
  readonly currentScopes: string[] | null;
}
export declare class NotFoundError extends CoastyApiError {}
export declare class ConflictError extends CoastyApiError {}
export declare class ValidationError extends CoastyApiError {
  readonly details: unknown;
}
export declare class RateLimitError extends CoastyApiError {}
export declare class ServerError extends CoastyApiError {}

// ---------------------------------------------------------------------------
// Client

export interface CoastyClientOptions extends RequestConfig {
  /** Retries after the first attempt (default 2). */
  maxRetries?: number;
  /** Longest Retry-After the client waits, in ms (default 60000); a longer one stops. */
  maxRetryAfterMs?: number;
  /** Time limit of one attempt, in ms (default 60000). */
  timeoutMs?: number;
  /** Time limit of a whole call with its retries, in ms (default none). */
  deadlineMs?: number;
  /** Used in place of the global fetch: tests, service bindings, proxies. */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
}

export interface CallOptions {
  idempotencyKey?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  deadlineMs?: number;
  headers?: Record<string, string>;
  /** Query parameters for operations that also send a body. */
  query?: Record<string, string | number | boolean>;
}

/** The result of an API call: the response JSON, plus `lastResponse`. */
export type ApiResult<T = Record<string, unknown>> = T & { readonly lastResponse: LastResponse };

export interface Run {
  id: string;
  object?: "agent.run";
  status: RunState | (string & {});
  machine_id: string;
  task: string;
  cua_version?: string;
  max_steps?: number;
  steps_completed?: number;
  credits_charged?: number;
  cost_cents?: number;
  result?: { passed?: boolean; status?: string; summary?: string; verdict?: string } | null;
  error?: { code: string; message: string } | null;
  awaiting_human_reason?: string | null;
  metadata?: Record<string, unknown> | null;
  webhook_url?: string | null;
  /** Returned once, on create, when `webhook_url` was given. */
  webhook_secret?: string | null;
  created_at?: string;
  started_at?: string | null;
  finished_at?: string | null;
  [key: string]: unknown;
}

export interface CreateRunParams {
  machine_id: string;
  task: string;
  cua_version?: "v1" | "v3" | "v4" | "v5" | (string & {});
  instructions?: string | null;
  system_prompt?: string | null;
  max_steps?: number;
  deadline_seconds?: number | null;
  on_awaiting_human?: "pause" | "fail" | "cancel";
  awaiting_human_timeout_seconds?: number | null;
  webhook_url?: string | null;
  metadata?: Record<string, unknown> | null;
  model?: string | null;
  llm?: Record<string, unknown>;
}

export interface RunEvent {
  seq: number | null;
  type: string;
  data: unknown;
  id: string | null;
}

type Method = (...args: any[]) => Promise<ApiResult>;
type Group = Record<string, Method>;

export declare class CoastyClient {
  constructor(options?: CoastyClientOptions);
  runs: {
    create(body: CreateRunParams, options?: CallOptions & { budgetCheck?: boolean }): Promise<ApiResult<Run>>;
    list(query?: { status?: RunState; limit?: number }, options?: CallOptions): Promise<ApiResult<{ data: Run[]; has_more: boolean }>>;
    get(id: string, query?: undefined, options?: CallOptions): Promise<ApiResult<Run>>;
    cancel(id: string, body?: undefined, options?: CallOptions): Promise<ApiResult<Run>>;
    resume(id: string, body?: { note?: string }, options?: CallOptions): Promise<ApiResult<Run>>;
    /** Streams events, reconnecting with Last-Event-ID, until `done`. */
    events(id: string, options?: { lastEventId?: string | number; signal?: AbortSignal }): AsyncIterable<RunEvent>;
  };
  wallet: {
    balance(options?: CallOptions): Promise<{ credits: number; dollars: string; usage: ApiResult }>;
  };
  usage: Group;
  keys: Group;
  llmKeys: Group;
  models: Group;
  machines: Group;
  sessions: Group;
  predict: Group;
  ground: Group;
  parse: Group;
  workflows: Group;
  schedules: Group;
  triggers: Group;
  idempotency: Group;
  /** Sends a request to any documented route; `path` is relative to the base URL. */
  request(method: string, path: string, params?: RequestParams, options?: CallOptions): Promise<ApiResult>;
}
