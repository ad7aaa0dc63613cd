// Page script that runs the conformance checks in a browser. The host page
// forwards /v1/* to the fake Coasty server and passes the API key in the
// URL fragment.
import * as coasty from "coasty";

import { runConformance } from "../conformance.mjs";

const apiKey = decodeURIComponent(location.hash.slice(1)) || undefined;
window.__result = await runConformance(coasty, {
  baseUrl: apiKey ? `${location.origin}/v1` : undefined,
  apiKey,
  log: () => {},
});
