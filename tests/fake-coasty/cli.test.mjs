// The command-line launcher: output lines, a working server, clean shutdown.

import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { test } from "node:test";

const CLI = fileURLToPath(new URL("./cli.mjs", import.meta.url));

/** Starts the CLI and resolves once its four stdout lines are printed. */
async function startCli(args) {
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  child.stdout.setEncoding("utf8");
  await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`CLI printed only ${JSON.stringify(stdout)}`)),
      5000,
    );
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (stdout.split("\n").length > 4) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`CLI exited with ${code}`)));
  });
  return { child, lines: stdout.trimEnd().split("\n") };
}

test("cli prints the base URL and keys, then stops on SIGTERM", async () => {
  const { child, lines } = await startCli(["--port", "0", "--quiet"]);
  try {
    assert.equal(lines.length, 4);
    const [baseUrl] = /http:\/\/127\.0\.0\.1:\d+\/v1/.exec(lines[0]);
    assert.equal(lines[0], `fake Coasty API listening on ${baseUrl}`);
    assert.equal(lines[1], `COASTY_BASE_URL=${baseUrl}`);
    assert.match(lines[2], /^COASTY_API_KEY=sk-coasty-live-[0-9a-f]{48}$/);
    assert.match(
      lines[3],
      /^test key: sk-coasty-test-[0-9a-f]{48} {3}read-only key: sk-coasty-live-[0-9a-f]{48}$/,
    );

    const liveKey = lines[2].slice("COASTY_API_KEY=".length);
    const response = await fetch(`${baseUrl}/usage`, {
      headers: { Authorization: `Bearer ${liveKey}` },
    });
    assert.equal(response.status, 200);
    const readOnlyKey = lines[3].split("read-only key: ")[1];
    const denied = await fetch(`${baseUrl}/runs`, {
      method: "POST",
      headers: { "X-API-Key": readOnlyKey },
      body: "{}",
    });
    assert.equal(denied.status, 403);
  } finally {
    child.kill("SIGTERM");
  }
  const [code] = await once(child, "exit");
  assert.equal(code, 0);
});

test("cli rejects a bad port", async () => {
  const child = spawn(process.execPath, [CLI, "--port", "http"], {
    stdio: ["ignore", "ignore", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const [code] = await once(child, "exit");
  assert.equal(code, 2);
  assert.match(stderr, /--port must be an integer from 0 to 65535/);
});
