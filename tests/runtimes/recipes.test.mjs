// The raw-body examples under examples/: each server runs on 127.0.0.1 and
// receives a valid delivery (200), a tampered one (400) and the same JSON
// re-serialised (400), all signed here with node:crypto. The Next.js route
// handler runs under `next dev`.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { createHmac } from "node:crypto";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { start as startExpress } from "../../examples/express/server.mjs";
import { start as startFastify } from "../../examples/fastify/server.mjs";
import { start as startHono } from "../../examples/hono/server.mjs";
import { freePort, waitForServer } from "./lib/net.mjs";

const require = createRequire(import.meta.url);
const examplesDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "examples");
const SECRET = "whsec_recipe_test_71c2";
// Pretty-printed, with a trailing zero: JSON.stringify(JSON.parse(BODY)) differs.
const BODY = '{\n  "event": "run.succeeded",\n  "run_id": "run_recipe_1",\n  "cost_usd": 1.50\n}';

function signatureHeader(timestamp, body) {
  const mac = createHmac("sha256", SECRET).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

async function post(url, body, signature) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", "coasty-signature": signature },
    body,
    signal: AbortSignal.timeout(60_000),
  });
  return { status: response.status, body: await response.json() };
}

/** Posts the three deliveries to `url` and asserts each verdict. */
async function assertRecipe(url) {
  const signature = signatureHeader(Math.floor(Date.now() / 1000), BODY);

  const valid = await post(url, BODY, signature);
  assert.equal(valid.status, 200, `valid delivery: ${JSON.stringify(valid.body)}`);
  assert.equal(valid.body.runId, "run_recipe_1");

  const tampered = await post(url, BODY.replace("run_recipe_1", "run_recipe_2"), signature);
  assert.equal(tampered.status, 400, "tampered delivery");
  assert.equal(tampered.body.error?.code, "NO_MATCHING_SIGNATURE");

  const reserialised = await post(url, JSON.stringify(JSON.parse(BODY)), signature);
  assert.equal(reserialised.status, 400, "re-serialised delivery");
  assert.equal(reserialised.body.error?.code, "NO_MATCHING_SIGNATURE");
}

for (const [name, start] of [
  ["express", startExpress],
  ["hono", startHono],
  ["fastify", (options) => startFastify({ ...options, logger: false })],
]) {
  test(`${name} recipe verdicts`, async () => {
    const server = await start({ secret: SECRET });
    try {
      await assertRecipe(`${server.url}/webhooks/coasty`);
    } finally {
      await server.close();
    }
  });
}

test("nextjs route handler verdicts", async () => {
  const next = join(dirname(require.resolve("next/package.json")), "dist", "bin", "next");
  const port = await freePort();
  const child = spawn(process.execPath, [next, "dev", "-H", "127.0.0.1", "-p", String(port)], {
    cwd: join(examplesDir, "nextjs"),
    env: { ...process.env, COASTY_WEBHOOK_SECRET: SECRET, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  try {
    await waitForServer(`http://127.0.0.1:${port}/`, child, 60_000);
    await assertRecipe(`http://127.0.0.1:${port}/api/webhooks/coasty`);
  } catch (error) {
    error.message += `\nnext dev output:\n${output}`;
    throw error;
  } finally {
    // next dev starts a server process of its own: stop the whole group.
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(-child.pid, "SIGTERM");
      await exited;
    }
  }
});
