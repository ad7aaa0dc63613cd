// Bundles an entry file with esbuild for one runtime's export conditions and
// finds the coasty_wasm_bg.wasm file of the package that the bundle resolved.
import { dirname, join, resolve } from "node:path";
import * as esbuild from "esbuild";

/**
 * Bundles `entry` into `outfile`. Returns `{ wasmFile, entryPoint }`: the
 * absolute paths of the package's wasm file, which the caller serves or
 * embeds next to the bundle, and of the file that "coasty" resolved to.
 * `wasmImport` decides what happens to `import wasm from "...wasm"` (workerd
 * and edge-light entries): "external" keeps the import for the runtime's own
 * module loader, or a global name makes it read that global instead.
 */
export async function bundleEntry({
  entry,
  outfile,
  conditions,
  format = "esm",
  wasmImport = "external",
}) {
  const plugins = [];
  if (wasmImport !== "external") {
    plugins.push({
      name: "wasm-module-global",
      setup(build) {
        build.onResolve({ filter: /\.wasm(\?module)?$/ }, (args) => ({
          path: args.path,
          namespace: "wasm-module-global",
        }));
        build.onLoad({ filter: /.*/, namespace: "wasm-module-global" }, () => ({
          contents: `export default globalThis[${JSON.stringify(wasmImport)}];`,
          loader: "js",
        }));
      },
    });
  }
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    format,
    platform: "neutral",
    target: "es2022",
    conditions,
    mainFields: ["module", "main"],
    external: wasmImport === "external" ? ["*.wasm"] : [],
    plugins,
    metafile: true,
    logLevel: "error",
  });
  const inputs = result.metafile.inputs;
  const glue = Object.keys(inputs).find((input) => input.endsWith("coasty_wasm.js"));
  if (glue === undefined) {
    throw new Error(
      `the bundle of ${entry} does not contain coasty_wasm.js; is "coasty" imported?`,
    );
  }
  // The file that the import of "coasty" resolved to under these conditions.
  const packageImport = Object.values(inputs)
    .flatMap((input) => input.imports)
    .find((imported) => imported.original === "coasty");
  return {
    wasmFile: join(dirname(resolve(glue)), "coasty_wasm_bg.wasm"),
    entryPoint: packageImport ? resolve(packageImport.path) : null,
  };
}
