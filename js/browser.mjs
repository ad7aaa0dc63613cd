// Entry point for browsers and bundlers: fetches and compiles the wasm file
// next to this module before the exports can be used.
import init from "./coasty_wasm.js";

await init({ module_or_path: new URL("./coasty_wasm_bg.wasm", import.meta.url) });

export * from "./index.js";
