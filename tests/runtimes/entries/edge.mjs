// An edge function (service-worker syntax, as edge-runtime runs it) that runs
// the conformance checks on each request. The request body is JSON with the
// fake Coasty server's `baseUrl` and `apiKey`.
import * as coasty from "coasty";

import { runConformance } from "../conformance.mjs";

async function handle(request) {
  const { baseUrl, apiKey } = await request.json();
  const result = await runConformance(coasty, { baseUrl, apiKey, log: () => {} });
  return Response.json(result);
}

addEventListener("fetch", (event) => {
  event.respondWith(handle(event.request));
});
