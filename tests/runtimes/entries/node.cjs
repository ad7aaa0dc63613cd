// Runs the conformance checks against the CommonJS build, loaded with require().
// Usage: node tests/runtimes/entries/node.cjs [BASE_URL API_KEY]
const coasty = require("coasty");

const [baseUrl, apiKey] = process.argv.slice(2);
console.log(`entry point: ${require.resolve("coasty")}`);
import("../conformance.mjs")
  .then(({ runConformance }) => runConformance(coasty, { baseUrl, apiKey }))
  .then(({ failed }) => {
    process.exitCode = failed === 0 ? 0 : 1;
  });
