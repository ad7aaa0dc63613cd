// Runs the conformance checks in a runtime that loads "coasty" from
// node_modules with its own export conditions: Node (ESM), Deno and Bun.
// Usage: <runtime> tests/runtimes/entries/esm.mjs [BASE_URL API_KEY]
import * as coasty from "coasty";

import { runConformance } from "../conformance.mjs";

const [baseUrl, apiKey] = process.argv.slice(2);
console.log(`entry point: ${import.meta.resolve("coasty")}`);
const { failed } = await runConformance(coasty, { baseUrl, apiKey });
process.exitCode = failed === 0 ? 0 : 1;
