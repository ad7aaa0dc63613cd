// Module Worker: loads the coasty package's web build and runs every check
// off the main thread, so checking a multi-megabyte body does not block the page.
//
// Messages in: { id, tool: "webhook" | "workbench" | "decoder", input }.
// Messages out: { type: "ready", features, operations, defaults } once, or
// { type: "failed", message } when the package does not load; then
// { type: "result", id, tool, ok, result | error, elapsedMs } per request.
import { decodePasted, decoderAvailable } from "./decoder.js";
import { checkDelivery } from "./diagnose.js";
import { buildPreview, listOperations, workbenchAvailable } from "./workbench.js";

const PACKAGE_URL = "/pkg/dist/browser.mjs";
const loading = import(PACKAGE_URL);

const handlers = {
  webhook: (coasty, input) => checkDelivery(input, { coasty }),
  workbench: (coasty, input) => buildPreview(coasty, input),
  decoder: (coasty, input) => decodePasted(coasty, input),
};

function plainError(error) {
  return {
    name: error?.name ?? "Error",
    code: error?.code ?? null,
    message: error?.message ?? String(error),
  };
}

loading.then(
  (coasty) => {
    const features = {
      webhook: typeof coasty.Webhook === "function",
      workbench: workbenchAvailable(coasty),
      decoder: decoderAvailable(coasty),
    };
    postMessage({
      type: "ready",
      features,
      operations: features.workbench ? listOperations(coasty) : null,
      defaults: {
        baseUrl: coasty.DEFAULT_BASE_URL ?? null,
        toleranceSeconds: coasty.DEFAULT_TOLERANCE_SECONDS,
      },
    });
  },
  (error) => {
    postMessage({
      type: "failed",
      message:
        `The coasty package did not load from ${PACKAGE_URL} (${error.message}). ` +
        "Build it with `make build`, then reload the page.",
    });
  },
);

self.onmessage = async (event) => {
  const { id, tool, input } = event.data;
  const started = performance.now();
  try {
    const handler = handlers[tool];
    if (!handler) throw new Error(`unknown tool ${JSON.stringify(tool)}`);
    const result = await handler(await loading, input);
    postMessage({
      type: "result",
      id,
      tool,
      ok: true,
      result,
      elapsedMs: performance.now() - started,
    });
  } catch (error) {
    const elapsedMs = performance.now() - started;
    postMessage({ type: "result", id, tool, ok: false, error: plainError(error), elapsedMs });
  }
};
