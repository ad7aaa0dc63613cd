// CoastyClient performs the HTTP requests and the waiting. The wasm core decides
// what to send, whether to retry, how long to wait and which idempotency key to
// use, and this file carries those decisions out.
import * as wasm from "./coasty_wasm.js";
import {
  DEFAULT_BASE_URL,
  buildRequest,
  createIdempotencyKey,
  decodeApiError,
  estimateRunCost,
  formatDollars,
  operations,
  responseMeta,
} from "./api.js";
import {
  CoastyConnectionError,
  CoastyError,
  CoastyRequestError,
  CoastyTimeoutError,
  InsufficientCreditsError,
  InsufficientScopeError,
  invalidArgument,
} from "./errors.js";
import { SIGNATURE_HEADER, signWebhook } from "./webhook.js";

const DEFAULTS = {
  maxRetries: 2,
  timeoutMs: 60_000,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  maxStreamReconnects: 5,
};

const decoder = new TextDecoder();

function environmentVariable(name) {
  try {
    return globalThis.process?.env?.[name] || undefined;
  } catch {
    // Some runtimes throw on environment access without a permission.
    return undefined;
  }
}

function checkPositive(name, value, fallback) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw invalidArgument(`${name} must be a whole number of milliseconds >= 1, got ${String(value)}`);
  }
  return value;
}

function checkCount(name, value, fallback) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw invalidArgument(`${name} must be a whole number >= 0, got ${String(value)}`);
  }
  return value;
}

function isResponse(value) {
  return (
    value !== null &&
    typeof value === "object" &&
    typeof value.status === "number" &&
    typeof value.arrayBuffer === "function" &&
    typeof value.headers?.get === "function"
  );
}

function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function randomUnit() {
  const word = new Uint32Array(1);
  globalThis.crypto.getRandomValues(word);
  return word[0] / 2 ** 32;
}

/** Splits `(pathParam..., params?, options?)` arguments of a generated method. */
function splitArguments(operation, args) {
  const names = operation.pathParams;
  const pathParams = {};
  names.forEach((name, index) => {
    const value = args[index];
    if (typeof value !== "string" || value === "") {
      throw invalidArgument(
        `${operation.id} needs ${names.join(", ")} as its first argument${names.length > 1 ? "s" : ""}; ` +
          `${name} is ${value === "" ? "empty" : typeof value}`,
      );
    }
    pathParams[name] = value;
  });
  const params = args[names.length];
  const options = args[names.length + 1] ?? {};
  const sendsBody = operation.method !== "GET" && operation.method !== "DELETE";
  return {
    pathParams,
    body: sendsBody ? params : undefined,
    query: sendsBody ? options.query : params,
    options,
  };
}

/** Client for the Coasty API. */
export class CoastyClient {
  #config;
  #fetch;
  #policy;
  #timeoutMs;
  #deadlineMs;

  constructor(options = {}) {
    const apiKey = options.apiKey ?? environmentVariable("COASTY_API_KEY");
    if (typeof apiKey !== "string" || apiKey === "") {
      throw new CoastyRequestError({
        code: "MISSING_API_KEY",
        message:
          "no Coasty API key: pass new CoastyClient({ apiKey }) or set the COASTY_API_KEY " +
          "environment variable (in a Worker, pass env.COASTY_API_KEY)",
      });
    }
    const fetchFunction = options.fetch ?? globalThis.fetch;
    if (typeof fetchFunction !== "function") {
      throw invalidArgument("fetch must be a function; this runtime has no global fetch");
    }
    this.#fetch = options.fetch ? fetchFunction : fetchFunction.bind(globalThis);
    this.#config = {
      apiKey,
      baseUrl: options.baseUrl ?? environmentVariable("COASTY_BASE_URL") ?? DEFAULT_BASE_URL,
      authScheme: options.authScheme,
    };
    this.#policy = {
      maxRetries: checkCount("maxRetries", options.maxRetries, DEFAULTS.maxRetries),
      baseDelayMs: DEFAULTS.baseDelayMs,
      maxDelayMs: DEFAULTS.maxDelayMs,
      maxRetryAfterMs: checkCount("maxRetryAfterMs", options.maxRetryAfterMs, DEFAULTS.maxRetryAfterMs),
    };
    this.#timeoutMs = checkPositive("timeoutMs", options.timeoutMs, DEFAULTS.timeoutMs);
    this.#deadlineMs = checkPositive("deadlineMs", options.deadlineMs, undefined);

    // Fails now, not at the first call, on a bad base URL or key format.
    buildRequest("models.list", {}, this.#config);
    this.#addOperationGroups();
    this.wallet = { balance: (callOptions) => this.#walletBalance(callOptions) };
  }

  /** Sends any request; `path` is relative to the base URL, e.g. `/runs`. */
  request(method, path, params = {}, options = {}) {
    if (typeof method !== "string" || typeof path !== "string" || !path.startsWith("/")) {
      throw invalidArgument("request(method, path) takes an HTTP method and a path starting with /");
    }
    const upper = method.toUpperCase();
    const [pathOnly] = path.split("?");
    for (const operation of operations()) {
      if (operation.method !== upper) continue;
      const pathParams = matchPath(operation.path, pathOnly);
      if (pathParams) {
        return this.#send(operation, { ...params, pathParams }, options);
      }
    }
    throw new CoastyRequestError({
      code: "UNKNOWN_OPERATION",
      message: `no documented operation is ${upper} ${pathOnly}; see operations() for the list`,
    });
  }

  #addOperationGroups() {
    for (const operation of operations()) {
      const [group, action] = operation.id.split(".");
      this[group] ??= {};
      this[group][action] = operation.streams
        ? (...args) => this.#events(operation, args)
        : (...args) => {
            const { options, ...params } = splitArguments(operation, args);
            return this.#send(operation, params, options);
          };
    }
    const create = this.runs.create;
    this.runs.create = async (body, options = {}) => {
      if (!options.budgetCheck) return create(body, options);
      const budgetCheck = await this.#checkBudget(body, options);
      const run = await create(body, options);
      run.lastResponse.budgetCheck = budgetCheck;
      return run;
    };
  }

  async #walletBalance(options) {
    const usage = await this.usage.get(undefined, options);
    const credits = usage.wallet_balance_cents ?? usage.balance;
    if (!Number.isSafeInteger(credits)) {
      throw new CoastyError("the usage response has no wallet balance", "INVALID_RESPONSE");
    }
    return { credits, dollars: formatDollars(credits), usage };
  }

  async #checkBudget(body, options) {
    const estimate = estimateRunCost({ maxSteps: body?.max_steps, cuaVersion: body?.cua_version });
    let wallet;
    try {
      wallet = await this.#walletBalance({ signal: options.signal });
    } catch (error) {
      if (error instanceof InsufficientScopeError) {
        error.message =
          `the budget check reads the wallet from GET /usage, which needs the usage ` +
          `scope on this API key; add it or create the run without budgetCheck (${error.message})`;
      }
      throw error;
    }
    // An estimate without a documented price cannot be compared, so the result
    // records `checked: false` instead of claiming the run fits.
    if (!estimate.known || estimate.maxCredits <= wallet.credits) {
      return { checked: estimate.known, estimate, balanceCredits: wallet.credits };
    }
    const shortfall = estimate.maxCredits - wallet.credits;
    throw new InsufficientCreditsError({
      kind: "budget_check",
      status: null,
      code: "INSUFFICIENT_CREDITS",
      message:
        `budget check failed before sending: the run may cost up to ${estimate.maxCredits} ` +
        `credits (${estimate.maxDollars}, an estimate: ${estimate.basis}), and the wallet ` +
        `holds ${wallet.credits} (${wallet.dollars})`,
      retryable: false,
      required: estimate.maxCredits,
      balance: wallet.credits,
      shortfallCredits: shortfall,
      shortfallDollars: formatDollars(shortfall),
      hint: "top up the wallet, lower max_steps, or use a sk-coasty-test- key",
    });
  }

  async #send(operation, params, options = {}) {
    const deadlineMs = checkPositive("deadlineMs", options.deadlineMs, this.#deadlineMs);
    const timeoutMs = checkPositive("timeoutMs", options.timeoutMs, this.#timeoutMs);
    const deadlineAt = deadlineMs === undefined ? undefined : Date.now() + deadlineMs;
    let key = options.idempotencyKey;
    if (key === undefined && operation.idempotency === "honoured") key = createIdempotencyKey();
    const headers = { ...params.headers, ...options.headers };
    const signed = operation.id === "triggers.webhook";
    if (signed && typeof options.secret !== "string") {
      throw invalidArgument(
        "triggers.webhook is signed, not sent with the API key: pass the trigger's " +
          "secret as options.secret",
      );
    }

    for (let attempts = 1; ; attempts++) {
      const request = buildRequest(
        operation.id,
        { ...params, headers, idempotencyKey: key },
        this.#config,
      );
      if (signed) {
        // The signature covers the exact bytes the builder produced.
        request.headers.push([SIGNATURE_HEADER, signWebhook(request.body ?? "", options.secret)]);
      }
      let failure;
      let outcome = "response";
      try {
        const response = await this.#attempt(request, { ...options, timeoutMs }, deadlineAt);
        if (response.status >= 200 && response.status < 300) {
          return resultFrom(operation, response, { idempotencyKey: key ?? null, attempts });
        }
        failure = decodeApiError(response.status, response.headers, response.bytes);
      } catch (error) {
        if (error instanceof CoastyTimeoutError) outcome = "timeout";
        else if (error instanceof CoastyConnectionError) outcome = "network";
        else throw error;
        failure = error;
      }

      const decision = JSON.parse(
        wasm.retryDecision(
          this.#policy.maxRetries,
          this.#policy.baseDelayMs,
          this.#policy.maxDelayMs,
          this.#policy.maxRetryAfterMs,
          attempts - 1,
          outcome,
          failure.status ?? 0,
          failure.code ?? undefined,
          failure.retryable,
          failure.retryAfterSeconds ?? -1,
          failure.retryWithSameIdempotencyKey == null ? -1 : Number(failure.retryWithSameIdempotencyKey),
          request.method,
          key !== undefined,
          randomUnit(),
          deadlineAt === undefined ? -1 : Math.max(0, deadlineAt - Date.now()),
        ),
      );
      if (!decision.retry) {
        failure.attempts = attempts;
        failure.idempotencyKey = key ?? null;
        if (attempts > 1) failure.message = `${failure.message} (${decision.reason})`;
        throw failure;
      }
      if (decision.newIdempotencyKey && key !== undefined) key = createIdempotencyKey();
      await sleep(decision.delayMs, options.signal);
    }
  }

  /** One attempt: sends the request and reads the whole body within the timeout. */
  async #attempt(request, options, deadlineAt) {
    const remaining = deadlineAt === undefined ? Infinity : deadlineAt - Date.now();
    const timeoutMs = Math.min(options.timeoutMs, remaining);
    if (timeoutMs <= 0) throw new CoastyTimeoutError("the call's deadline passed");
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = () => controller.abort(options.signal.reason);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const response = await this.#fetch(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body ?? undefined,
        signal: controller.signal,
      });
      if (!isResponse(response)) {
        throw new CoastyFetchResultError(response);
      }
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, headers: response.headers, bytes };
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (timedOut) {
        throw new CoastyTimeoutError(
          `no complete response to ${request.method} ${request.url} within ${timeoutMs} ms`,
        );
      }
      if (error instanceof CoastyError) throw error;
      throw new CoastyConnectionError(
        `${request.method} ${request.url} failed before a response arrived: ${error?.message ?? error}`,
        error,
      );
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
    }
  }

  /** Streams a run's events, reconnecting with Last-Event-ID until `done`. */
  async *#events(operation, args) {
    // Streams take `(id, options)`: there is no body or query.
    const { pathParams } = splitArguments(operation, args);
    const options = args[operation.pathParams.length] ?? {};
    const stream = new wasm.WasmEventStream();
    let lastEventId = options.lastEventId == null ? undefined : String(options.lastEventId);
    let failures = 0;
    try {
      while (!stream.done) {
        const headers = lastEventId === undefined ? {} : { "Last-Event-ID": lastEventId };
        const request = buildRequest(operation.id, { pathParams, headers }, this.#config);
        let response;
        try {
          response = await this.#fetch(request.url, {
            method: request.method,
            headers: request.headers,
            signal: options.signal,
          });
          if (!isResponse(response)) throw new CoastyFetchResultError(response);
        } catch (error) {
          if (options.signal?.aborted || error instanceof CoastyFetchResultError) throw error;
          response = null;
        }
        if (response && response.status >= 300) {
          const failure = decodeApiError(
            response.status,
            response.headers,
            new Uint8Array(await response.arrayBuffer()),
          );
          if (!failure.retryable) throw failure;
        } else if (response) {
          for await (const event of readEvents(response, stream, options.signal)) {
            failures = 0;
            lastEventId = event.id ?? lastEventId;
            yield event;
          }
        }
        lastEventId = stream.lastEventId ?? lastEventId;
        if (stream.done) break;
        failures += 1;
        if (failures > DEFAULTS.maxStreamReconnects) {
          throw new CoastyConnectionError(
            `the event stream of ${pathParams.id} dropped ${failures} times in a row without an event`,
          );
        }
        await sleep(stream.retryMs || DEFAULTS.baseDelayMs, options.signal);
      }
    } finally {
      stream.free();
    }
  }
}

/** The caller's fetch returned something that is not a Response. */
class CoastyFetchResultError extends CoastyError {
  constructor(value) {
    const kind = value === null ? "null" : typeof value;
    super(`the fetch function returned ${kind}, not a Response`, "INVALID_FETCH_RESULT");
    this.name = "CoastyError";
  }
}

async function* readEvents(response, stream, signal) {
  const reader = response.body?.getReader();
  if (!reader) return;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      for (const event of JSON.parse(stream.push(value))) yield event;
      if (stream.done) break;
    }
  } catch (error) {
    // A dropped connection ends this read; the caller reconnects.
    if (signal?.aborted) throw signal.reason;
  } finally {
    stream.finish();
    reader.cancel().catch(() => {});
  }
}

function matchPath(template, path) {
  const templateParts = template.split("/");
  const pathParts = path.split("/");
  if (templateParts.length !== pathParts.length) return null;
  const params = {};
  for (let i = 0; i < templateParts.length; i++) {
    const part = templateParts[i];
    if (part.startsWith("{") && part.endsWith("}")) {
      if (pathParts[i] === "") return null;
      params[part.slice(1, -1)] = decodeURIComponent(pathParts[i]);
    } else if (part !== pathParts[i]) {
      return null;
    }
  }
  return params;
}

function resultFrom(operation, response, details) {
  const text = decoder.decode(response.bytes);
  let data;
  try {
    data = text === "" ? {} : JSON.parse(operation.id.startsWith("runs.") ? wasm.normalizeRun(text) : text);
  } catch {
    throw new CoastyError(
      `${operation.id} returned HTTP ${response.status} with a body that is not JSON`,
      "INVALID_RESPONSE",
    );
  }
  const lastResponse = { status: response.status, ...responseMeta(response.headers), ...details };
  if (data !== null && typeof data === "object") {
    Object.defineProperty(data, "lastResponse", { value: lastResponse, enumerable: false });
  }
  return data;
}
