// Package lints from npm: publint (package.json fields and files) and
// arethetypeswrong (whether TypeScript resolves declarations that match each
// JavaScript entry point). Errors fail the test; publint's warnings and
// suggestions are printed as diagnostics.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { publint } from "publint";
import { formatMessage } from "publint/utils";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const packageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "pkg");

test("publint reports no errors", async (t) => {
  const { messages, pkg } = await publint({ pkgDir: packageDir, pack: "npm", level: "suggestion" });
  for (const message of messages) {
    t.diagnostic(`publint ${message.type}: ${formatMessage(message, pkg)}`);
  }
  const errors = messages.filter((message) => message.type === "error");
  const text = errors.map((message) => formatMessage(message, pkg)).join("\n");
  assert.equal(errors.length, 0, `publint errors:\n${text}`);
});

test("arethetypeswrong finds no problems", async () => {
  const attw = join(
    dirname(require.resolve("@arethetypeswrong/cli/package.json")),
    "dist",
    "index.js",
  );
  const args = [attw, "--pack", packageDir, "--format", "json"];
  let stdout;
  try {
    ({ stdout } = await run(process.execPath, args, { timeout: 60_000 }));
  } catch (error) {
    // attw exits with 1 when it finds problems and still prints its report.
    if (!error.stdout) throw error;
    stdout = error.stdout;
  }
  const report = JSON.parse(stdout);
  const problems = Object.values(report.problems ?? {}).flat();
  const summary = problems
    .map(
      (problem) =>
        `${problem.kind}: ${problem.typesFileName ?? ""} for ${problem.implementationFileName ?? problem.entrypoint ?? "?"}`,
    )
    .join("\n");
  assert.equal(problems.length, 0, `arethetypeswrong problems:\n${summary}`);
});
