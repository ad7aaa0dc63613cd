// Type-checks consumer.ts and consumer.cts with `tsc --strict --noEmit`
// against the declarations of the packed package, installed in a temporary
// project as a user installs it.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { copyFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

import { installPackedPackage } from "./install.mjs";

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const testDir = dirname(fileURLToPath(import.meta.url));
const tsc = join(dirname(require.resolve("typescript/package.json")), "bin", "tsc");
const COMMON = ["--strict", "--noEmit", "--target", "es2022", "--lib", "es2022,dom"];

let installed;

before(async () => {
  installed = await installPackedPackage();
  for (const file of ["consumer.ts", "consumer.cts"]) {
    copyFileSync(join(testDir, file), join(installed.projectDir, file));
  }
});

after(() => installed?.cleanup());

/** Runs tsc in the consumer project; resolves to its output, "" when clean. */
async function typeCheck(args) {
  try {
    await run(process.execPath, [tsc, ...COMMON, ...args], {
      cwd: installed.projectDir,
      timeout: 60_000,
    });
    return "";
  } catch (error) {
    if (error.stdout === undefined) throw error;
    return `${error.stdout}${error.stderr}`.trim();
  }
}

test("consumer.ts under nodenext", async () => {
  const output = await typeCheck(["--module", "nodenext", "consumer.ts"]);
  if (output !== "") assert.fail(`tsc reported errors:\n${output}`);
});

test("consumer.ts under bundler resolution", async () => {
  const args = ["--module", "preserve", "--moduleResolution", "bundler", "consumer.ts"];
  const output = await typeCheck(args);
  if (output !== "") assert.fail(`tsc reported errors:\n${output}`);
});

test("consumer.cts under node16", async () => {
  const output = await typeCheck(["--module", "node16", "consumer.cts"]);
  if (output !== "") assert.fail(`tsc reported errors:\n${output}`);
});
