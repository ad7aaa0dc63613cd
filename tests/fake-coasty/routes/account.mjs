// Account routes: GET /v1/usage, API keys, stored LLM keys (BYOK) and
// GET /v1/idempotency/{key}.

import { ApiError, validationError } from "../lib/errors.mjs";
import { ALL_SCOPES, DEFAULT_SCOPES, llmKeyFingerprint } from "../lib/keys.mjs";
import { creditsToUsd, jsonResponse, nowIso } from "../lib/util.mjs";
import { rejectQuery } from "../lib/validate.mjs";

const MAX_ACTIVE_KEYS = 20;
const LLM_PROVIDERS = ["anthropic", "openai"];

const KEY_CREATE_SCHEMA = {
  name: {
    type: "string",
    required: true,
    min: 1,
    max: 100,
    check: (value) => (value.trim() === "" ? "must not be blank" : undefined),
  },
  scopes: { type: "array", items: { type: "string", enum: ALL_SCOPES } },
};

const LLM_KEY_SCHEMA = {
  api_key: { type: "string", required: true, min: 16, max: 512, secret: true },
};

function currentPeriod() {
  return new Date().toISOString().slice(0, 7);
}

function usage(ctx) {
  const period = ctx.query.get("period") ?? currentPeriod();
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) {
    rejectQuery("period", `must be a month as YYYY-MM, got ${JSON.stringify(period.slice(0, 20))}`);
  }
  const inPeriod = (atMs) => new Date(atMs).toISOString().startsWith(period);
  const breakdown = {};
  const entryFor = (endpoint) => {
    breakdown[endpoint] ??= { requests: 0, credits: 0 };
    return breakdown[endpoint];
  };
  let totalRequests = 0;
  for (const request of ctx.store.usageLog) {
    if (request.mode === ctx.mode && inPeriod(request.atMs)) {
      entryFor(request.endpoint).requests += 1;
      totalRequests += 1;
    }
  }
  let totalCredits = 0;
  // Only live requests are charged, so a test key gets 0 credits.
  if (ctx.mode === "live") {
    for (const charge of ctx.store.chargeLog) {
      if (inPeriod(charge.atMs)) {
        entryFor(charge.endpoint).credits += charge.credits;
        totalCredits += charge.credits;
      }
    }
  }
  const balance = ctx.store.walletCredits;
  return jsonResponse({
    period,
    total_requests: totalRequests,
    total_credits: totalCredits,
    total_cost_cents: totalCredits,
    breakdown,
    balance,
    wallet_balance_cents: balance,
    wallet_balance_usd: creditsToUsd(balance),
    request_id: ctx.requestId,
  });
}

function keyView(record) {
  return {
    key_id: record.keyId,
    name: record.name,
    tier: record.tier,
    scopes: [...record.scopes],
    created_at: record.createdAt,
    last_used_at: record.lastUsedAt,
    key_prefix: record.raw.slice(0, 16),
  };
}

function createKey(ctx) {
  const values = ctx.parse(KEY_CREATE_SCHEMA);
  if (ctx.store.keys.active().length >= MAX_ACTIVE_KEYS) {
    throw new ApiError(
      "CONFLICT",
      `The account already has ${MAX_ACTIVE_KEYS} active keys. Revoke one with DELETE /v1/keys/{key_id} first.`,
    );
  }
  // Omitted scopes and [] both give the default set.
  const scopes =
    values.scopes === undefined || values.scopes.length === 0 ? DEFAULT_SCOPES : values.scopes;
  const record = ctx.store.keys.create({
    kind: ctx.key.mode,
    scopes,
    name: values.name,
    tier: ctx.key.tier,
  });
  const { key_prefix, last_used_at, ...view } = keyView(record);
  return jsonResponse({ key: record.raw, ...view, request_id: ctx.requestId }, 200, {
    "Cache-Control": "no-store",
  });
}

function revokeKey(ctx) {
  const { keyId } = ctx.params;
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(keyId)) {
    throw validationError([
      {
        loc: ["path", "key_id"],
        msg: "must be 1 to 128 characters of [A-Za-z0-9_-]",
        type: "string_pattern_mismatch",
      },
    ]);
  }
  const record = ctx.store.keys.findById(keyId);
  if (record === undefined) {
    throw new ApiError("NOT_FOUND", `No active key with id '${keyId}'.`);
  }
  record.revoked = true;
  return jsonResponse({ status: "ok", key_id: keyId, request_id: ctx.requestId });
}

function requireLiveKey(ctx) {
  if (ctx.mode !== "live") {
    throw new ApiError(
      "FEATURE_NOT_AVAILABLE",
      "LLM keys can be stored with live keys only; use a sk-coasty-live- key.",
    );
  }
}

function checkProvider(provider) {
  if (!LLM_PROVIDERS.includes(provider)) {
    throw new ApiError(
      "LLM_PROVIDER_UNSUPPORTED",
      `Provider must be anthropic or openai, got ${JSON.stringify(provider.slice(0, 40))}.`,
    );
  }
}

function listLlmKeys(ctx) {
  requireLiveKey(ctx);
  const keys = LLM_PROVIDERS.flatMap((provider) => {
    const stored = ctx.store.llmKeys.get(`${ctx.mode}:${provider}`);
    return stored === undefined
      ? []
      : [{ provider, key_fingerprint: stored.fingerprint, created_at: stored.createdAt }];
  });
  return jsonResponse({ keys, request_id: ctx.requestId });
}

function storeLlmKey(ctx) {
  requireLiveKey(ctx);
  const { provider } = ctx.params;
  checkProvider(provider);
  const { api_key: apiKey } = ctx.parse(LLM_KEY_SCHEMA);
  const fingerprint = llmKeyFingerprint(apiKey);
  // Only the fingerprint is kept, never the key.
  ctx.store.llmKeys.set(`${ctx.mode}:${provider}`, { fingerprint, createdAt: nowIso() });
  return jsonResponse({
    provider,
    key_fingerprint: fingerprint,
    stored: true,
    request_id: ctx.requestId,
  });
}

function deleteLlmKey(ctx) {
  requireLiveKey(ctx);
  const { provider } = ctx.params;
  checkProvider(provider);
  if (!ctx.store.llmKeys.delete(`${ctx.mode}:${provider}`)) {
    throw new ApiError("LLM_KEY_NOT_FOUND", `No ${provider} key is stored.`);
  }
  return jsonResponse({ provider, deleted: true, request_id: ctx.requestId });
}

function idempotencyLookup(ctx) {
  const description = ctx.store.idempotency.describe(ctx.mode, ctx.params.key);
  if (description === undefined) {
    throw new ApiError("NOT_FOUND", "No request with this Idempotency-Key in the last 24 hours.");
  }
  return jsonResponse(description);
}

/** Routes of the account API. */
export const accountRoutes = [
  { method: "GET", path: "/v1/usage", scope: "usage", handler: usage },
  { method: "POST", path: "/v1/keys", scope: "keys", handler: createKey },
  {
    method: "GET",
    path: "/v1/keys",
    scope: "keys",
    handler: (ctx) =>
      jsonResponse({ keys: ctx.store.keys.active().map(keyView), request_id: ctx.requestId }),
  },
  { method: "DELETE", path: "/v1/keys/:keyId", scope: "keys", handler: revokeKey },
  { method: "GET", path: "/v1/llm/keys", scope: "llm_keys", handler: listLlmKeys },
  { method: "PUT", path: "/v1/llm/keys/:provider", scope: "llm_keys", handler: storeLlmKey },
  { method: "DELETE", path: "/v1/llm/keys/:provider", scope: "llm_keys", handler: deleteLlmKey },
  { method: "GET", path: "/v1/idempotency/:key", handler: idempotencyLookup },
];
