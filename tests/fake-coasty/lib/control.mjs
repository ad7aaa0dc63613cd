// Control endpoints under /__fake/ for tests that run in another process
// (a workerd demo, a shell script). They need no API key and serve
// loopback clients only.

import { ApiError, errorResponse } from "./errors.mjs";
import { newRequestId } from "./util.mjs";
import { sendJson } from "./pipeline.mjs";

function isLoopback(address) {
  return (
    address === "::1" ||
    address?.startsWith("127.") === true ||
    address?.startsWith("::ffff:127.") === true
  );
}

function invalid(message) {
  return new ApiError("VALIDATION_ERROR", message, {
    details: [{ loc: ["body"], msg: message, type: "value_error" }],
  });
}

/**
 * Returns the handler of `/__fake/` requests. `fake` is the FakeCoasty
 * object, whose methods do the work, and `log` receives unexpected failures.
 */
export function createControlHandler(fake, log) {
  const routes = {
    "GET /__fake/state": () => fake.state(),
    "POST /__fake/faults": (body) => {
      fake.injectFault(body);
      return { pending_faults: fake.state().pending_faults };
    },
    "DELETE /__fake/faults": () => ({ cleared: fake.clearFaults() }),
    "POST /__fake/wallet": (body) => {
      fake.setWallet(body?.credits);
      return { wallet: fake.wallet() };
    },
    "POST /__fake/keys": (body) => ({ key: fake.createKey(body ?? {}) }),
  };

  return (req, res, method, path, body, jsonError) => {
    const requestId = newRequestId();
    const headers = { "X-Coasty-Request-Id": requestId };
    let status = 200;
    let result;
    try {
      if (!isLoopback(req.socket.remoteAddress)) {
        throw new ApiError("NOT_FOUND", "Control endpoints answer loopback clients only.");
      }
      const route = routes[`${method} ${path}`];
      if (route === undefined) {
        throw new ApiError(
          "NOT_FOUND",
          `No control endpoint ${method} ${path}; see the fake server's README.`,
        );
      }
      if (jsonError !== null) {
        throw invalid(`The body is not valid JSON (${jsonError}).`);
      }
      try {
        result = route(body);
      } catch (error) {
        if (error instanceof TypeError || error instanceof RangeError) {
          throw invalid(error.message);
        }
        throw error;
      }
    } catch (error) {
      if (!(error instanceof ApiError)) {
        log(`control request ${method} ${path} failed (${requestId}): ${error.stack}`);
      }
      const response =
        error instanceof ApiError
          ? errorResponse(error, requestId)
          : errorResponse(new ApiError("INTERNAL_ERROR", error.message), requestId);
      status = response.status;
      result = response.body;
      Object.assign(headers, response.headers);
    }
    sendJson(res, status, headers, result);
  };
}
