// Entry point for Vercel Edge Functions and Next.js edge routes (the
// `edge-light` condition): their bundlers compile a `.wasm?module` import into a
// WebAssembly.Module, and code may not compile wasm bytes at run time.
import wasmModule from "./coasty_wasm_bg.wasm?module";
import { initSync } from "./coasty_wasm.js";

initSync({ module: wasmModule });

export * from "./index.js";
