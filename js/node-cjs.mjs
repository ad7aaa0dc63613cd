// Entry point for Node.js CommonJS; bundled into dist/node.cjs at build time.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "./coasty_wasm.js";

// `__dirname` is defined in the CommonJS bundle this file is built into.
initSync({ module: readFileSync(join(__dirname, "coasty_wasm_bg.wasm")) });

export * from "./index.js";
