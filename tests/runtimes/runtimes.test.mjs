// Runs the conformance checks (conformance.mjs) in every runtime the package
// claims to support and asserts that each passes the same checks as Node.
// One fake Coasty server on 127.0.0.1 serves the client calls of all of them.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import * as coasty from "coasty";

import { startFakeCoasty } from "../fake-coasty/server.mjs";
import { runConformance } from "./conformance.mjs";
import { runInChromium } from "./lib/browser.mjs";
import { startEdgeRuntime } from "./lib/edge.mjs";
import { startWorkerd } from "./lib/workerd.mjs";

const testDir = dirname(fileURLToPath(import.meta.url));
const root = join(testDir, "..", "..");
const require = createRequire(import.meta.url);
const run = promisify(execFile);
const SUMMARY = /^(\d+) passed, (\d+) failed, (\d+) skipped$/;

let fake;
let expected;

before(async () => {
  fake = await startFakeCoasty();
  const reference = await runConformance(coasty, {
    baseUrl: fake.baseUrl,
    apiKey: fake.keys.test,
    log: () => {},
  });
  assert.equal(reference.failed, 0, `Node in-process run failed:\n${reference.lines.join("\n")}`);
  expected = passedChecks(reference.lines);
});

after(() => fake?.close());

function passedChecks(lines) {
  return lines
    .filter((line) => line.startsWith("ok   "))
    .map((line) => line.slice(5).replace(/ \(.*\)$/, ""));
}

/** Asserts that a runtime's output shows the same passed checks as Node's. */
function assertConformant(t, runtime, lines) {
  const output = lines.join("\n");
  const summary = lines.at(-1)?.match(SUMMARY);
  assert.ok(summary, `${runtime} printed no summary line:\n${output}`);
  assert.equal(Number(summary[2]), 0, `${runtime} failed checks:\n${output}`);
  assert.deepEqual(
    passedChecks(lines),
    expected,
    `${runtime} passed other checks than Node:\n${output}`,
  );

  const created = output.match(/created (run_[0-9a-f]+)/)?.[1];
  if (expected.includes("CoastyClient runs.create on the fake server")) {
    assert.ok(created, `${runtime} printed no created run id`);
    assert.ok(
      fake.runs().some((entry) => entry.id === created),
      `the fake server has no run ${created} from ${runtime}`,
    );
  }
  t.diagnostic(`${runtime}: ${summary[1]} checks passed, ${summary[3]} skipped`);
}

async function runProcess(t, runtime, command, args, env = {}) {
  const { stdout } = await run(command, [...args, fake.baseUrl, fake.keys.test], {
    cwd: root,
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
  const lines = stdout.trim().split("\n");
  const entry = lines.shift();
  t.diagnostic(`${runtime} ${entry}`);
  assertConformant(t, runtime, lines);
}

function binary(name) {
  return join(dirname(require.resolve(`${name}/package.json`)), "..", ".bin", name);
}

test("Node ESM import", async (t) => {
  await runProcess(t, "Node ESM", process.execPath, ["tests/runtimes/entries/esm.mjs"]);
});

test("Node CommonJS require", async (t) => {
  await runProcess(t, "Node CJS", process.execPath, ["tests/runtimes/entries/node.cjs"]);
});

test("Deno", async (t) => {
  const args = [
    "run",
    `--allow-read=${root}`,
    "--allow-net=127.0.0.1",
    "tests/runtimes/entries/esm.mjs",
  ];
  await runProcess(t, "Deno", binary("deno"), args, {
    DENO_NO_UPDATE_CHECK: "1",
    DENO_NO_PROMPT: "1",
  });
});

test("Bun", async (t) => {
  await runProcess(t, "Bun", binary("bun"), ["tests/runtimes/entries/esm.mjs"], {
    DO_NOT_TRACK: "1",
  });
});

test("workerd", async (t) => {
  const worker = await startWorkerd({
    entry: join(testDir, "entries", "worker.mjs"),
    bindings: { BASE_URL: fake.baseUrl, API_KEY: fake.keys.test },
  });
  try {
    const response = await fetch(worker.url, { signal: AbortSignal.timeout(30_000) });
    assert.equal(response.status, 200, `workerd answered ${response.status}:\n${worker.output()}`);
    assertConformant(t, "workerd", (await response.json()).lines);
  } finally {
    await worker.stop();
  }
});

test("headless Chromium", async (t) => {
  const { result } = await runInChromium({
    entry: join(testDir, "entries", "browser.mjs"),
    apiOrigin: new URL(fake.baseUrl).origin,
    hash: fake.keys.test,
  });
  assertConformant(t, "Chromium", result.lines);
});

test("Vercel edge-runtime", async (t) => {
  const { runtime, entryPoint } = await startEdgeRuntime({
    entry: join(testDir, "entries", "edge.mjs"),
  });
  t.diagnostic(`edge-runtime entry point: ${relative(root, entryPoint)}`);
  const response = await runtime.dispatchFetch("http://127.0.0.1/conformance", {
    method: "POST",
    body: JSON.stringify({ baseUrl: fake.baseUrl, apiKey: fake.keys.test }),
  });
  await response.waitUntil();
  assert.equal(response.status, 200);
  assertConformant(t, "edge-runtime", (await response.json()).lines);
});
