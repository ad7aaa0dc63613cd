// Entry point for Cloudflare Workers (workerd): the runtime compiles the imported
// .wasm file at deploy time, and code may not compile wasm bytes at run time.
import wasmModule from "./coasty_wasm_bg.wasm";
import { initSync } from "./coasty_wasm.js";

initSync({ module: wasmModule });

export * from "./index.js";
