// Serves a Worker under the real Cloudflare runtime (the `workerd` npm
// binary) on 127.0.0.1, for the tests and the demo. It embeds the wasm file
// of whichever coasty package the bundle resolved, so it also serves a
// package installed from a tarball.
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { bundleEntry } from "./bundle.mjs";
import { freePort, stopChild, waitForServer } from "./net.mjs";

const require = createRequire(import.meta.url);

// workerd rejects a compatibility date later than its own build date.
const COMPATIBILITY_DATE = "2026-11-01";

function configText(port, bindings) {
  const bindingLines = Object.entries(bindings).map(
    ([name, value]) =>
      `    (name = ${JSON.stringify(name)}, json = ${JSON.stringify(JSON.stringify(value))}),`,
  );
  // The default "internet" service reaches public addresses only; the fake
  // Coasty server listens on 127.0.0.1.
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .mainWorker),
    (name = "internet", network = (allow = ["local"])),
  ],
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
);
`;
}

/**
 * Bundles `entry` with the `workerd` export condition (as wrangler does) and
 * serves it. `bindings` become JSON bindings on `env`. Returns
 * `{ url, entryPoint, stop(), output() }`: `entryPoint` is the package file
 * that "coasty" resolved to, and `output()` returns what workerd printed.
 */
export async function startWorkerd({ entry, bindings = {} }) {
  const dir = mkdtempSync(join(tmpdir(), "coasty-workerd-"));
  const { wasmFile, entryPoint } = await bundleEntry({
    entry,
    outfile: join(dir, "worker.js"),
    conditions: ["workerd", "worker", "browser"],
  });
  copyFileSync(wasmFile, join(dir, "coasty_wasm_bg.wasm"));
  const port = await freePort();
  writeFileSync(join(dir, "config.capnp"), configText(port, bindings));

  const binary = join(require.resolve("workerd/package.json"), "..", "bin", "workerd");
  const child = spawn(binary, ["serve", join(dir, "config.capnp")], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));

  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForServer(url, child, 15_000);
  } catch (error) {
    await stop();
    throw new Error(`${error.message}\nworkerd output:\n${output}`);
  }
  return { url, entryPoint, stop, output: () => output };
}
