// Runs an edge function in Vercel's Edge Runtime emulator (the `edge-runtime`
// npm package). The emulator evaluates scripts, not modules, so the entry is
// bundled as an IIFE. It has no loader for .wasm imports either: the bundle
// reads the module from a global that the host defines, the way Vercel passes
// a precompiled module for `import wasm from "./x.wasm?module"`.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EdgeRuntime } from "edge-runtime";

import { bundleEntry } from "./bundle.mjs";

const WASM_GLOBAL = "__COASTY_WASM_MODULE__";

/**
 * Bundles `entry` with the `edge-light` export condition (falling back to
 * `workerd`, whose entry imports a compiled wasm module the same way) and
 * returns the EdgeRuntime that evaluated it, ready for `dispatchFetch`.
 */
export async function startEdgeRuntime({ entry }) {
  const dir = mkdtempSync(join(tmpdir(), "coasty-edge-"));
  try {
    const outfile = join(dir, "edge.js");
    const { wasmFile, entryPoint } = await bundleEntry({
      entry,
      outfile,
      format: "iife",
      conditions: ["edge-light", "workerd", "worker", "browser"],
      wasmImport: WASM_GLOBAL,
    });
    const runtime = new EdgeRuntime();
    // NOTE: the module is compiled with the VM's own WebAssembly, because
    // wasm-bindgen's initSync checks `instanceof WebAssembly.Module` and a
    // module compiled in the host realm fails that check. This needs wasm
    // code generation, which edge-runtime allows by default.
    const compile = runtime.evaluate("(bytes) => new WebAssembly.Module(bytes)");
    runtime.context[WASM_GLOBAL] = compile(new Uint8Array(readFileSync(wasmFile)));
    runtime.evaluate(readFileSync(outfile, "utf8"));
    return { runtime, entryPoint };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
