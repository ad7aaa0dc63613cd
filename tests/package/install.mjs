// Packs pkg/ with `npm pack` and installs the tarball into a new, empty
// project ("type": "module") in a temporary folder, the way a user's project
// receives it.
// The install runs with --offline: the package has no dependencies, so it
// must install without a network.
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const NPM_ENV = { ...process.env, npm_config_update_notifier: "false", npm_config_fund: "false" };

/**
 * Returns `{ dir, projectDir, packageDir, tarball, cleanup() }`: the
 * temporary folder, the consumer project in it, the installed package
 * (`projectDir/node_modules/coasty`) and the packed tarball.
 */
export async function installPackedPackage() {
  const dir = mkdtempSync(join(tmpdir(), "coasty-package-"));
  try {
    const { stdout } = await run(
      "npm",
      ["pack", join(root, "pkg"), "--pack-destination", dir, "--json"],
      {
        cwd: root,
        env: NPM_ENV,
      },
    );
    const tarball = join(dir, JSON.parse(stdout)[0].filename);

    const projectDir = join(dir, "consumer");
    mkdirSync(projectDir);
    const manifest = { name: "coasty-consumer", version: "1.0.0", private: true, type: "module" };
    writeFileSync(join(projectDir, "package.json"), `${JSON.stringify(manifest, null, 2)}\n`);
    await run("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], {
      cwd: projectDir,
      env: NPM_ENV,
      timeout: 60_000,
    });
    const packageDir = join(projectDir, "node_modules", "coasty");
    return {
      dir,
      projectDir,
      packageDir,
      tarball,
      cleanup: () => rmSync(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
