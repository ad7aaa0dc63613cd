// A Cloudflare Worker that runs the conformance checks on each request and
// returns the result as JSON. Bindings: BASE_URL and API_KEY of the fake
// Coasty server.
import * as coasty from "coasty";

import { runConformance } from "../conformance.mjs";

export default {
  async fetch(request, env) {
    const result = await runConformance(coasty, {
      baseUrl: env.BASE_URL,
      apiKey: env.API_KEY,
      log: () => {},
    });
    return Response.json(result);
  },
};
