// Runs a Worker under the real Cloudflare runtime (the `workerd` npm package):
// bundles it the way wrangler does, writes a workerd config and serves it on
// 127.0.0.1.
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const workerdBinary = join(root, "node_modules", ".bin", "workerd");
const wasmFile = join(root, "pkg", "dist", "coasty_wasm_bg.wasm");

// workerd rejects a compatibility date later than its own build date.
const COMPATIBILITY_DATE = "2026-11-01";

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function capnpString(text) {
  return JSON.stringify(text);
}

function configText({ port, bindings, allowLocalNetwork }) {
  const bindingLines = Object.entries(bindings).map(
    ([name, value]) =>
      `    (name = ${capnpString(name)}, json = ${capnpString(JSON.stringify(value))}),`,
  );
  // Without this service, workerd lets a Worker reach public addresses only;
  // the tests' fake Coasty server listens on 127.0.0.1.
  const internet = allowLocalNetwork
    ? `    (name = "internet", network = (allow = ["local"])),\n`
    : "";
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .mainWorker),
${internet}  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const mainWorker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "coasty_wasm_bg.wasm", wasm = embed "coasty_wasm_bg.wasm"),
  ],
  bindings = [
${bindingLines.join("\n")}
  ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  compatibilityFlags = ["nodejs_compat"],
);
`;
}

async function waitForPort(url, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`workerd exited with code ${child.exitCode} before serving`);
    }
    try {
      await fetch(url, { signal: AbortSignal.timeout(500) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`workerd did not serve ${url} within the start timeout`);
}

/**
 * Bundles `entry` with the `workerd` export condition and serves it.
 * Returns `{ url, stop(), output() }`; `output()` is what workerd printed.
 */
export async function startWorker({ entry, bindings = {}, allowLocalNetwork = false }) {
  const dir = mkdtempSync(join(tmpdir(), "coasty-workerd-"));
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    format: "esm",
    platform: "neutral",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["*.wasm", "node:*"],
    outfile: join(dir, "worker.js"),
    logLevel: "error",
  });
  copyFileSync(wasmFile, join(dir, "coasty_wasm_bg.wasm"));
  const port = await freePort();
  writeFileSync(join(dir, "config.capnp"), configText({ port, bindings, allowLocalNetwork }));

  const child = spawn(workerdBinary, ["serve", join(dir, "config.capnp")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForPort(url, child, Date.now() + 15000);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\n${output}`);
  }
  return { url, stop, output: () => output };
}
