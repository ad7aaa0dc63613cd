// The packed package as a user receives it: `npm pack`, then an offline
// install into an empty project, then each runtime imports "coasty" by name
// and verifies a delivery. Signatures are computed with node:crypto, never
// with the library's own signer.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createHmac } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { after, before, test } from "node:test";
import { promisify } from "node:util";
import * as esbuild from "esbuild";

import { runInChromium } from "../runtimes/lib/browser.mjs";
import { startWorkerd } from "../runtimes/lib/workerd.mjs";
import { installPackedPackage } from "./install.mjs";

const run = promisify(execFile);
const SECRET = "whsec_package_test_5e1f";
const BODY = JSON.stringify({ event: "run.succeeded", run_id: "run_pkg_1", status: "succeeded" });
const TAMPERED = BODY.replace("run_pkg_1", "run_pkg_2");

let installed;

before(async () => {
  installed = await installPackedPackage();
});

after(() => installed?.cleanup());

function signatureHeader(secret, timestamp, body) {
  const mac = createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
  return `t=${timestamp},v1=${mac}`;
}

function freshHeader() {
  return signatureHeader(SECRET, Math.floor(Date.now() / 1000), BODY);
}

/** Returns a Node script that verifies BODY and TAMPERED and prints JSON. */
function nodeScript(kind) {
  const load =
    kind === "esm"
      ? 'import { verifyWebhook, WebhookVerificationError } from "coasty";\nconst resolved = import.meta.resolve("coasty");'
      : 'const { verifyWebhook, WebhookVerificationError } = require("coasty");\nconst resolved = require.resolve("coasty");';
  return `${load}
const [body, tampered, header, secret] = JSON.parse(process.argv[2]);
const event = verifyWebhook(body, header, secret);
let rejection = null;
try {
  verifyWebhook(tampered, header, secret);
} catch (error) {
  rejection = { code: error.code, isVerificationError: error instanceof WebhookVerificationError };
}
console.log(JSON.stringify({ resolved, runId: event.run_id, rejection }));
`;
}

async function runNodeConsumer(fileName, kind) {
  writeFileSync(join(installed.projectDir, fileName), nodeScript(kind));
  const input = JSON.stringify([BODY, TAMPERED, freshHeader(), SECRET]);
  const { stdout } = await run(process.execPath, [fileName, input], {
    cwd: installed.projectDir,
    timeout: 30_000,
  });
  return JSON.parse(stdout);
}

function packageFile(resolved) {
  const path = resolved.startsWith("file:") ? new URL(resolved).pathname : resolved;
  return relative(installed.packageDir, path);
}

test("Node ESM import verifies", async () => {
  const result = await runNodeConsumer("consumer.mjs", "esm");
  assert.equal(packageFile(result.resolved), "dist/node.mjs");
  assert.equal(result.runId, "run_pkg_1");
  assert.equal(result.rejection?.code, "NO_MATCHING_SIGNATURE");
  assert.equal(result.rejection?.isVerificationError, true);
});

test("Node CJS require verifies", async () => {
  const result = await runNodeConsumer("consumer.cjs", "cjs");
  assert.equal(packageFile(result.resolved), "dist/node.cjs");
  assert.equal(result.runId, "run_pkg_1");
  assert.equal(result.rejection?.code, "NO_MATCHING_SIGNATURE");
  assert.equal(result.rejection?.isVerificationError, true);
});

const WORKER = `import { WebhookVerificationError, verifyWebhookRequest } from "coasty";

export default {
  async fetch(request, env) {
    try {
      const { event } = await verifyWebhookRequest(request, env.WEBHOOK_SECRET);
      return Response.json({ runId: event.run_id });
    } catch (error) {
      if (error instanceof WebhookVerificationError) {
        return Response.json({ code: error.code }, { status: 400 });
      }
      throw error;
    }
  },
};
`;

test("workerd bundle verifies", async () => {
  const entry = join(installed.projectDir, "worker.mjs");
  writeFileSync(entry, WORKER);
  const worker = await startWorkerd({ entry, bindings: { WEBHOOK_SECRET: SECRET } });
  try {
    assert.equal(packageFile(worker.entryPoint), "dist/workerd.mjs");
    const post = (body, header) =>
      fetch(`${worker.url}/webhooks/coasty`, {
        method: "POST",
        headers: { "content-type": "application/json", "coasty-signature": header },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    const header = freshHeader();

    const valid = await post(BODY, header);
    assert.equal(valid.status, 200, worker.output());
    assert.deepEqual(await valid.json(), { runId: "run_pkg_1" });

    const tampered = await post(TAMPERED, header);
    assert.equal(tampered.status, 400, worker.output());
    assert.deepEqual(await tampered.json(), { code: "NO_MATCHING_SIGNATURE" });
  } finally {
    await worker.stop();
  }
});

const PAGE = `import { WebhookVerificationError, verifyWebhook } from "coasty";

const [body, tampered, header, secret] = JSON.parse(decodeURIComponent(location.hash.slice(1)));
const event = verifyWebhook(body, header, secret);
let rejection = null;
try {
  verifyWebhook(tampered, header, secret);
} catch (error) {
  rejection = { code: error.code, isVerificationError: error instanceof WebhookVerificationError };
}
window.__result = { runId: event.run_id, rejection };
`;

test("browser bundle verifies in Chromium", async () => {
  const entry = join(installed.projectDir, "page.mjs");
  writeFileSync(entry, PAGE);
  const { result, entryPoint } = await runInChromium({
    entry,
    hash: JSON.stringify([BODY, TAMPERED, freshHeader(), SECRET]),
  });
  assert.equal(packageFile(entryPoint), "dist/browser.mjs");
  assert.equal(result.runId, "run_pkg_1");
  assert.equal(result.rejection?.code, "NO_MATCHING_SIGNATURE");
  assert.equal(result.rejection?.isVerificationError, true);
});

/** Resolves a conditional `exports` target the way Node does, for `conditions`. */
function resolveTarget(target, conditions) {
  if (typeof target === "string") return target;
  for (const [key, value] of Object.entries(target)) {
    if (key === "default" || conditions.includes(key)) {
      const resolved = resolveTarget(value, conditions);
      if (resolved !== null) return resolved;
    }
  }
  return null;
}

function leafTargets(target) {
  return typeof target === "string" ? [target] : Object.values(target).flatMap(leafTargets);
}

async function esbuildEntryPoint(conditions, kind) {
  const contents = kind === "require" ? 'require("coasty");' : 'import "coasty";';
  const result = await esbuild.build({
    stdin: { contents, resolveDir: installed.projectDir, loader: "js" },
    absWorkingDir: installed.projectDir,
    bundle: true,
    write: false,
    format: "esm",
    platform: "neutral",
    conditions,
    mainFields: ["module", "main"],
    external: ["*.wasm", "node:*"],
    metafile: true,
    logLevel: "silent",
  });
  return relative("node_modules/coasty", result.metafile.inputs["<stdin>"].imports[0].path);
}

const CONDITION_CASES = [
  { name: "node import", conditions: ["node"], kind: "import", file: "dist/node.mjs" },
  { name: "node require", conditions: ["node"], kind: "require", file: "dist/node.cjs" },
  {
    name: "workerd",
    conditions: ["workerd", "worker", "browser"],
    kind: "import",
    file: "dist/workerd.mjs",
  },
  { name: "browser", conditions: ["browser"], kind: "import", file: "dist/browser.mjs" },
  { name: "import alone", conditions: [], kind: "import", file: "dist/browser.mjs" },
  { name: "require alone", conditions: [], kind: "require", file: "dist/node.cjs" },
];

test("export conditions resolve with esbuild", async () => {
  for (const { name, conditions, kind, file } of CONDITION_CASES) {
    assert.equal(await esbuildEntryPoint(conditions, kind), file, `conditions: ${name}`);
  }
});

test("default and types targets exist", () => {
  const manifest = JSON.parse(readFileSync(join(installed.packageDir, "package.json"), "utf8"));
  const rootExport = manifest.exports["."];
  assert.equal(resolveTarget(rootExport, []), "./dist/browser.mjs", "default condition alone");
  assert.match(
    resolveTarget(rootExport, ["types", "import"]) ?? "",
    /\.d\.ts$/,
    "types for import",
  );
  assert.match(
    resolveTarget(rootExport, ["types", "require"]) ?? "",
    /\.d\.c?ts$/,
    "types for require",
  );
  for (const target of [
    ...leafTargets(manifest.exports),
    manifest.main,
    manifest.module,
    manifest.types,
  ]) {
    assert.ok(
      existsSync(join(installed.packageDir, target)),
      `${target} is missing from the tarball`,
    );
  }
});
