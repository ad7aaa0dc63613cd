// Main-thread entry of the dev-tools page: starts the module Worker that runs
// the coasty package, and wires each tool's form to it. Each tool keeps at
// most one request in flight. Input that arrives meanwhile replaces the queued
// request, so after a slow check only the latest input is checked.
import { setupDecoder } from "./decoder-ui.js";
import { setupWebhook } from "./webhook-ui.js";
import { setupWorkbench } from "./workbench-ui.js";

const loadStatus = document.getElementById("load-status");
const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
const tools = new Map();
let nextId = 1;

function setBusy(name, busy) {
  document.getElementById(`${name}-results`).setAttribute("aria-busy", String(busy));
}

function send(name, input) {
  const tool = tools.get(name);
  tool.busy = true;
  setBusy(name, true);
  worker.postMessage({ id: nextId, tool: name, input });
  nextId += 1;
}

/** Sends `input` to tool `name`, or queues it while that tool is busy. */
function submit(name, input) {
  const tool = tools.get(name);
  if (tool.busy) tool.queued = input;
  else send(name, input);
}

function register(name, render) {
  tools.set(name, { render, busy: false, queued: null });
}

function failAll(message) {
  loadStatus.textContent = message;
  loadStatus.classList.add("failed");
  for (const [name, tool] of tools) {
    tool.busy = false;
    tool.queued = null;
    setBusy(name, false);
  }
}

function onReady(message) {
  const missing = Object.entries(message.features)
    .filter(([, present]) => !present)
    .map(([name]) => name);
  loadStatus.textContent =
    missing.length === 0
      ? "The coasty package is loaded. Everything runs in this tab."
      : `The coasty package is loaded; not in this build: ${missing.join(", ")}.`;
  setupWebhook({ submit, register, defaults: message.defaults });
  setupWorkbench({
    submit,
    register,
    available: message.features.workbench,
    operations: message.operations,
    defaults: message.defaults,
  });
  setupDecoder({ submit, register, available: message.features.decoder });
  document.body.dataset.ready = "true";
}

worker.onmessage = (event) => {
  const message = event.data;
  if (message.type === "ready") {
    onReady(message);
    return;
  }
  if (message.type === "failed") {
    failAll(message.message);
    return;
  }
  const tool = tools.get(message.tool);
  if (!tool) return;
  if (tool.queued !== null) {
    const input = tool.queued;
    tool.queued = null;
    send(message.tool, input);
    return;
  }
  tool.busy = false;
  setBusy(message.tool, false);
  tool.render(message);
};

worker.onerror = (event) => {
  event.preventDefault();
  failAll(
    `The checking Worker stopped: ${event.message || "it failed to start"}. Reload the page.`,
  );
};
