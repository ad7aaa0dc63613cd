// Entry point for Node.js ES modules: loads the wasm file synchronously.
import { readFileSync } from "node:fs";
import { initSync } from "./coasty_wasm.js";

initSync({ module: readFileSync(new URL("./coasty_wasm_bg.wasm", import.meta.url)) });

export * from "./index.js";
