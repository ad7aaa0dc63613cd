// In-memory state of one fake server: keys, wallet, resources, logs, timers.

import { ApiError } from "./errors.mjs";
import { IdempotencyStore } from "./idempotency.mjs";
import { KeyRing } from "./keys.mjs";

/** Default live wallet, in credits (1 credit = 1 cent). */
export const DEFAULT_WALLET_CREDITS = 10_000;

/** State shared by the HTTP layer, the route handlers and the lifecycles. */
export class Store {
  constructor({ stepDelayMs, keepaliveMs, log }) {
    this.stepDelayMs = stepDelayMs;
    this.keepaliveMs = keepaliveMs;
    this.log = log;
    this.baseUrl = "";
    this.keys = new KeyRing();
    this.idempotency = new IdempotencyStore();
    this.walletCredits = DEFAULT_WALLET_CREDITS;
    this.chargeLog = [];
    this.usageLog = [];
    this.requestLog = [];
    this.deliveryLog = [];
    this.runs = new Map();
    this.sessions = new Map();
    this.machines = new Map();
    this.workflows = new Map();
    this.workflowRuns = new Map();
    this.schedules = new Map();
    this.triggers = new Map();
    this.llmKeys = new Map();
    this.timers = new Set();
    this.closeHandlers = new Set();
    this.closed = false;
  }

  /** Starts a tracked timer that `close()` cancels. */
  setTimer(callback, ms) {
    if (this.closed) {
      return undefined;
    }
    const handle = setTimeout(() => {
      this.timers.delete(handle);
      try {
        callback();
      } catch (error) {
        this.log(`timer callback failed: ${error.stack}`);
      }
    }, ms);
    this.timers.add(handle);
    return handle;
  }

  /** Cancels a timer from `setTimer`; undefined is ignored. */
  clearTimer(handle) {
    if (handle !== undefined) {
      clearTimeout(handle);
      this.timers.delete(handle);
    }
  }

  /** Registers a callback run by `close()` (open streams, deliveries). */
  onClose(callback) {
    this.closeHandlers.add(callback);
    return () => this.closeHandlers.delete(callback);
  }

  /** Cancels every timer and runs every close handler. */
  close() {
    this.closed = true;
    for (const handle of this.timers) {
      clearTimeout(handle);
    }
    this.timers.clear();
    for (const callback of [...this.closeHandlers]) {
      callback();
    }
    this.closeHandlers.clear();
  }

  /** Returns the resource with this id if it belongs to `mode`, else undefined. */
  findOwned(map, id, mode) {
    const resource = map.get(id);
    return resource !== undefined && resource.mode === mode ? resource : undefined;
  }

  /**
   * Takes `credits` from the live wallet and records the charge. Returns false,
   * charging nothing, when the wallet is short. Test mode never bills.
   */
  tryCharge({ mode, credits, path, endpoint, runId, idempotencyKey }) {
    if (mode === "test" || credits === 0) {
      return true;
    }
    if (this.walletCredits < credits) {
      return false;
    }
    this.walletCredits -= credits;
    const charge = { path, credits, endpoint: endpoint ?? path, atMs: Date.now() };
    if (runId !== undefined) {
      charge.runId = runId;
    }
    if (idempotencyKey !== undefined) {
      charge.idempotencyKey = idempotencyKey;
    }
    this.chargeLog.push(charge);
    return true;
  }

  /** Throws 402 INSUFFICIENT_CREDITS unless the live wallet contains `required` credits. */
  requireBalance(mode, required, what) {
    if (mode === "test" || this.walletCredits >= required) {
      return;
    }
    throw new ApiError(
      "INSUFFICIENT_CREDITS",
      `${what} needs ${required} credits; the wallet has ${this.walletCredits}.`,
      { required, balance: this.walletCredits },
    );
  }

  /** Returns copies of the charges as `{runId?, path, credits, idempotencyKey?}`. */
  charges() {
    return this.chargeLog.map(({ atMs, endpoint, ...charge }) => ({ ...charge }));
  }
}
