// The request pipeline: body, faults, routing, auth, rate limit, scope,
// idempotency, handler, response headers.

import { ApiError, errorResponse, validationError } from "./errors.mjs";
import { NGINX_502_HTML, faultError } from "./faults.mjs";
import { readIdempotencyKey, replayResponse, requestFingerprint } from "./idempotency.mjs";
import { consumeRateLimit, requireScope } from "./keys.mjs";
import { newRequestId, readBody, sleep } from "./util.mjs";
import { validateBody } from "./validate.mjs";

// A 10 MiB base64 screenshot plus the rest of a predict body.
const MAX_BODY_BYTES = 11 * 1024 * 1024;

function parseJson(raw) {
  if (raw === "") {
    return { value: undefined, error: null };
  }
  try {
    return { value: JSON.parse(raw), error: null };
  } catch (error) {
    return { value: undefined, error: error.message };
  }
}

function createContext(store, request) {
  const ctx = {
    store,
    ...request,
    params: {},
    route: null,
    key: null,
    mode: null,
    idempotencyKey: undefined,
    responseHeaders: {},
    /** Validates the JSON body against a strict schema (see validate.mjs). */
    parse(schema) {
      if (ctx.jsonError !== null) {
        throw validationError([
          { loc: ["body"], msg: `is not valid JSON (${ctx.jsonError})`, type: "json_invalid" },
        ]);
      }
      return validateBody(ctx.body, schema);
    },
    /** Sets X-Credits-Charged and, on live keys, X-Credits-Remaining (cents). */
    setBillingHeaders(charged) {
      ctx.responseHeaders["X-Credits-Charged"] = String(ctx.mode === "test" ? 0 : charged);
      if (ctx.mode === "live") {
        ctx.responseHeaders["X-Credits-Remaining"] = String(store.walletCredits);
      }
    },
    /** Charges a per-request fee before the work; 402 when the wallet is short. */
    bill(credits, what) {
      store.requireBalance(ctx.mode, credits, what);
      store.tryCharge({
        mode: ctx.mode,
        credits,
        path: ctx.path,
        endpoint: ctx.route.path,
        idempotencyKey: ctx.idempotencyKey,
      });
      ctx.setBillingHeaders(credits);
      return ctx.mode === "test" ? 0 : credits;
    },
  };
  return ctx;
}

async function runHandler(ctx, found, fault) {
  if (ctx.tooLarge) {
    throw new ApiError(
      "PAYLOAD_TOO_LARGE",
      `The request body is larger than ${MAX_BODY_BYTES} bytes. Send screenshots of at most 10 MB of base64.`,
    );
  }
  if (found === null) {
    throw new ApiError("NOT_FOUND", `No route matches ${ctx.method} ${ctx.path}.`);
  }
  if (found.allowed !== undefined) {
    throw new ApiError(
      "METHOD_NOT_ALLOWED",
      `${ctx.method} is not allowed on ${ctx.path}; use ${found.allowed.join(" or ")}.`,
      {},
      { headers: { Allow: found.allowed.join(", ") } },
    );
  }
  const { route, params } = found;
  ctx.route = route;
  ctx.params = params;
  if (route.auth !== false) {
    ctx.key = ctx.store.keys.authenticate(ctx.headers);
    ctx.mode = ctx.key.mode;
    Object.assign(ctx.responseHeaders, consumeRateLimit(ctx.key));
    requireScope(ctx.key, route.scope);
    ctx.store.usageLog.push({ mode: ctx.mode, endpoint: route.path, atMs: Date.now() });
  }
  if (route.idempotent) {
    ctx.idempotencyKey = readIdempotencyKey(ctx.headers);
  }
  if (ctx.idempotencyKey === undefined) {
    if (fault?.kind === "slow") {
      await sleep(fault.delayMs);
    }
    return route.handler(ctx);
  }

  const fingerprint = requestFingerprint(ctx.method, ctx.path, ctx.body ?? ctx.rawBody);
  const stored = ctx.store.idempotency.begin(
    ctx.mode,
    ctx.idempotencyKey,
    fingerprint,
    ctx.requestId,
  );
  if (stored !== null) {
    const replay = replayResponse(stored);
    if (ctx.mode === "live") {
      replay.headers["X-Credits-Remaining"] = String(ctx.store.walletCredits);
    }
    return replay;
  }
  let response;
  try {
    // A slow fault delays work while the key is reserved, so a concurrent
    // retry with the same key gets IDEMPOTENCY_IN_FLIGHT.
    if (fault?.kind === "slow") {
      await sleep(fault.delayMs);
    }
    response = await route.handler(ctx);
  } catch (error) {
    ctx.store.idempotency.finish(ctx.mode, ctx.idempotencyKey, { status: 500 });
    throw error;
  }
  // Billing and rate-limit headers are not stored: a replay gets fresh ones.
  ctx.store.idempotency.finish(ctx.mode, ctx.idempotencyKey, {
    status: response.status,
    headers: response.headers,
    body: response.body,
  });
  return response;
}

function toErrorResponse(store, ctx, error) {
  if (error instanceof ApiError) {
    return errorResponse(error, ctx.requestId);
  }
  store.log(`internal error on ${ctx.method} ${ctx.path} (${ctx.requestId}): ${error.stack}`);
  return errorResponse(
    new ApiError("INTERNAL_ERROR", "The fake server failed; see its log for the stack trace."),
    ctx.requestId,
  );
}

function responseHeaders(ctx, response) {
  const headers = {
    "X-Coasty-Request-Id": ctx.requestId,
    ...ctx.responseHeaders,
    ...response.headers,
  };
  if (ctx.key !== null) {
    headers["X-Coasty-Key-Kind"] = ctx.key.kind;
  }
  if (ctx.mode === "test") {
    headers["X-Coasty-Test-Mode"] = "true";
    headers["X-Credits-Charged"] = "0";
    delete headers["X-Credits-Remaining"];
  }
  return headers;
}

/** Writes a JSON response with Content-Length. */
export function sendJson(res, status, headers, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    "Content-Type": "application/json",
    "Content-Length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Returns the `node:http` request listener. `control` handles `/__fake/`
 * paths, and everything else goes through faults and the router.
 */
export function createRequestHandler(store, router, faults, control) {
  return (req, res) => {
    handleRequest(store, router, faults, control, req, res).catch((error) => {
      store.log(`request ${req.method} ${req.url} failed: ${error.stack}`);
      res.destroy();
    });
  };
}

/** Reads the body and records the request in the store's request log. */
async function readRequest(store, req, startedMs) {
  const url = new URL(req.url, "http://127.0.0.1");
  const { bytes, raw, tooLarge } = await readBody(req, MAX_BODY_BYTES);
  const { value, error } = parseJson(raw);
  const request = {
    method: req.method.toUpperCase(),
    path: url.pathname,
    query: url.searchParams,
    headers: req.headers,
    body: value,
    jsonError: error,
    rawBody: raw,
    rawBytes: bytes,
    tooLarge,
    requestId: newRequestId(),
  };
  store.requestLog.push({
    at: startedMs,
    method: request.method,
    path: request.path,
    query: url.search,
    headers: { ...req.headers },
    body: value ?? (raw === "" ? null : raw),
  });
  return request;
}

/** Runs the route, or builds the error of a `status`/`rate_limit` fault. */
async function respond(store, ctx, found, fault) {
  try {
    if (fault?.kind === "status" || fault?.kind === "rate_limit") {
      throw faultError(fault);
    }
    return await runHandler(ctx, found, fault);
  } catch (caught) {
    return toErrorResponse(store, ctx, caught);
  }
}

async function handleRequest(store, router, faults, control, req, res) {
  const startedMs = Date.now();
  const request = await readRequest(store, req, startedMs);
  if (request.path.startsWith("/__fake/")) {
    control(req, res, request.method, request.path, request.body, request.jsonError);
    return;
  }

  const ctx = createContext(store, request);
  const found = router.match(ctx.method, ctx.path);
  const fault = faults.take(ctx.method, ctx.path, found?.route?.stream === true);
  if (fault !== undefined) {
    store.log(`fault ${fault.kind} on ${ctx.method} ${ctx.path} (${ctx.requestId})`);
  }
  if (fault?.kind === "drop" && fault.after !== true) {
    req.socket.destroy();
    return;
  }
  if (fault?.kind === "html502") {
    res.writeHead(502, { "Content-Type": "text/html", Server: "nginx" });
    res.end(NGINX_502_HTML);
    return;
  }

  const response = await respond(store, ctx, found, fault);
  if (fault?.kind === "drop") {
    // The request took effect, and only the response is lost.
    req.socket.destroy();
    return;
  }
  const headers = responseHeaders(ctx, response);
  if (response.stream !== undefined) {
    const cutAfter = fault?.kind === "cut_stream" ? fault.afterEvents : undefined;
    response.stream(res, headers, cutAfter);
  } else {
    sendJson(res, response.status, headers, response.body);
  }
  const elapsedMs = Date.now() - startedMs;
  store.log(
    `${ctx.method} ${ctx.path} -> ${response.status ?? 200} (${elapsedMs} ms, ${ctx.requestId})`,
  );
}
