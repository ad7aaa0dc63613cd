// API keys: formats, scopes, authentication and per-key rate limits.

import { ApiError } from "./errors.mjs";
import { nowIso, randomHex, sha256Hex } from "./util.mjs";

/** Every scope the API defines. */
export const ALL_SCOPES = [
  "predict",
  "session",
  "ground",
  "parse",
  "keys",
  "usage",
  "runs:read",
  "runs:write",
  "workflows:read",
  "workflows:write",
  "machines:read",
  "machines:write",
  "actions:exec",
  "terminal:exec",
  "files:read",
  "files:write",
  "browser:execute",
  "snapshots:write",
  "connection:read",
  "schedules:read",
  "schedules:write",
  "triggers:write",
  "llm_keys",
];

/**
 * Scopes of a key created without a `scopes` list (also of `POST /v1/keys`
 * with `[]`). `connection:read` and `browser:execute` must be requested.
 */
export const DEFAULT_SCOPES = [
  "predict",
  "session",
  "ground",
  "parse",
  "machines:read",
  "machines:write",
  "actions:exec",
  "terminal:exec",
  "files:read",
  "files:write",
  "snapshots:write",
  "runs:read",
  "runs:write",
  "workflows:read",
  "workflows:write",
  "llm_keys",
];

/**
 * Scopes of the built-in live and test keys: the default set plus the
 * account scopes, so a demo can reach every route except the two opt-in ones.
 */
export const BUILTIN_SCOPES = [
  ...DEFAULT_SCOPES,
  "usage",
  "keys",
  "schedules:read",
  "schedules:write",
  "triggers:write",
];

/** Rate limit of keys that do not set their own. */
export const DEFAULT_RATE_LIMIT = { limit: 6000, windowSeconds: 60 };

const PREFIXES = { live: "sk-coasty-live-", test: "sk-coasty-test-", legacy: "cua_sk_" };
const KEY_PATTERN = /^(sk-coasty-live-|sk-coasty-test-|cua_sk_)[0-9a-f]{48}$/;
const TIERS = ["free", "starter", "professional", "enterprise"];

function invalidKey(message) {
  return new ApiError("INVALID_API_KEY", message);
}

function checkRateLimit(rateLimit) {
  if (rateLimit === null) {
    return null;
  }
  const { limit, windowSeconds } = rateLimit;
  if (
    !Number.isInteger(limit) ||
    limit < 1 ||
    !Number.isInteger(windowSeconds) ||
    windowSeconds < 1
  ) {
    throw new TypeError("rateLimit must be null or {limit, windowSeconds} with positive integers");
  }
  return { limit, windowSeconds };
}

/** All API keys of the fake's single account. */
export class KeyRing {
  constructor() {
    this.byRaw = new Map();
  }

  /**
   * Creates a key and returns its record. `kind` is live, test or legacy
   * (legacy keys bill the live wallet). Unknown scopes raise a TypeError.
   */
  create({
    kind = "live",
    scopes,
    name,
    tier = "professional",
    rateLimit = DEFAULT_RATE_LIMIT,
  } = {}) {
    if (!Object.hasOwn(PREFIXES, kind)) {
      throw new TypeError(`kind must be live, test or legacy, got ${JSON.stringify(kind)}`);
    }
    if (!TIERS.includes(tier)) {
      throw new TypeError(`tier must be one of ${TIERS.join(", ")}, got ${JSON.stringify(tier)}`);
    }
    const scopeList = scopes ?? DEFAULT_SCOPES;
    if (!Array.isArray(scopeList)) {
      throw new TypeError("scopes must be an array of scope names");
    }
    for (const scope of scopeList) {
      if (!ALL_SCOPES.includes(scope)) {
        throw new TypeError(
          `unknown scope ${JSON.stringify(scope)}; known: ${ALL_SCOPES.join(", ")}`,
        );
      }
    }
    const raw = `${PREFIXES[kind]}${randomHex(24)}`;
    const record = {
      raw,
      keyId: `key_${randomHex(8)}`,
      name: name ?? `${kind} key`,
      kind,
      mode: kind === "test" ? "test" : "live",
      tier,
      scopes: [...new Set(scopeList)],
      createdAt: nowIso(),
      lastUsedAt: null,
      revoked: false,
      rateLimit: checkRateLimit(rateLimit),
      window: { resetAt: 0, count: 0 },
    };
    this.byRaw.set(raw, record);
    return record;
  }

  /** Returns the active (not revoked) key records. */
  active() {
    return [...this.byRaw.values()].filter((record) => !record.revoked);
  }

  /** Returns the active key with this id, or undefined. */
  findById(keyId) {
    return this.active().find((record) => record.keyId === keyId);
  }

  /**
   * Returns the key record named by the request headers (`X-API-Key` first,
   * then `Authorization: Bearer`), or throws 401 INVALID_API_KEY.
   * Messages never contain the key itself.
   */
  authenticate(headers) {
    const apiKeyHeader = headers["x-api-key"];
    const authorization = headers.authorization;
    let raw;
    if (apiKeyHeader !== undefined) {
      if (/^\s*bearer\s/i.test(apiKeyHeader)) {
        throw invalidKey(
          "X-API-Key must contain the bare key. Remove the 'Bearer ' prefix, or send 'Authorization: Bearer <key>' instead.",
        );
      }
      raw = apiKeyHeader.trim();
    } else if (authorization !== undefined) {
      const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization);
      if (match === null) {
        throw invalidKey("The Authorization header must have the form 'Bearer <key>'.");
      }
      raw = match[1];
    } else {
      throw invalidKey(
        "Missing API key. Send it as 'X-API-Key: <key>' or 'Authorization: Bearer <key>'.",
      );
    }
    if (!KEY_PATTERN.test(raw)) {
      throw invalidKey(
        "Malformed API key: expected sk-coasty-live-, sk-coasty-test- or cua_sk_ followed by 48 lower-case hex characters.",
      );
    }
    const record = this.byRaw.get(raw);
    if (record === undefined || record.revoked) {
      throw invalidKey("Unknown or revoked API key. Create a new key in the dashboard.");
    }
    record.lastUsedAt = nowIso();
    return record;
  }
}

/** Throws 403 INSUFFICIENT_SCOPE unless the key carries `scope`. */
export function requireScope(key, scope) {
  if (scope === undefined || key.scopes.includes(scope)) {
    return;
  }
  throw new ApiError(
    "INSUFFICIENT_SCOPE",
    `This key lacks the '${scope}' scope required for this operation.`,
    { required_scope: scope, current_scopes: [...key.scopes] },
  );
}

/**
 * Counts one request against the key's fixed rate-limit window. Returns the
 * `x-ratelimit-*` headers (empty for keys without a limit) or throws 429
 * RATE_LIMITED carrying them.
 */
export function consumeRateLimit(key, nowMs = Date.now()) {
  if (key.rateLimit === null) {
    return {};
  }
  const { limit, windowSeconds } = key.rateLimit;
  if (nowMs >= key.window.resetAt) {
    key.window = { resetAt: nowMs + windowSeconds * 1000, count: 0 };
  }
  const resetSeconds = Math.ceil(key.window.resetAt / 1000);
  if (key.window.count >= limit) {
    const retryAfter = Math.max(1, Math.ceil((key.window.resetAt - nowMs) / 1000));
    throw rateLimitedError(retryAfter, { limit, remaining: 0, resetSeconds });
  }
  key.window.count += 1;
  return rateLimitHeaders(limit, limit - key.window.count, resetSeconds);
}

function rateLimitHeaders(limit, remaining, resetSeconds) {
  return {
    "x-ratelimit-limit": String(limit),
    "x-ratelimit-remaining": String(remaining),
    "x-ratelimit-reset": String(resetSeconds),
  };
}

/** Builds the 429 RATE_LIMITED error with `Retry-After` and `retry_after` in seconds. */
export function rateLimitedError(retryAfter, window) {
  const headers =
    window === undefined
      ? {}
      : rateLimitHeaders(window.limit, window.remaining, window.resetSeconds);
  return new ApiError(
    "RATE_LIMITED",
    `Rate limit exceeded. Retry after ${retryAfter} seconds.`,
    { retry_after: retryAfter },
    { headers },
  );
}

/** Returns the fingerprint shown for a stored or forwarded LLM key: `sha256:<16 hex>`. */
export function llmKeyFingerprint(apiKey) {
  return `sha256:${sha256Hex(apiKey).slice(0, 16)}`;
}
