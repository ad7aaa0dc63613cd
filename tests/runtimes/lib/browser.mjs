// Runs a bundled page in headless Chromium (Debian's /usr/bin/chromium driven
// by playwright-core; no browser is downloaded). A node:http server on
// 127.0.0.1 serves the bundle and the package's wasm file, and forwards
// /v1/* to the fake Coasty server so the page's API calls are same-origin.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, request as httpRequest } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

import { bundleEntry } from "./bundle.mjs";

const CHROMIUM = "/usr/bin/chromium";
// Without these flags Chromium keeps trying to reach Google's hosts, and as
// root it refuses to start with its sandbox on.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];
const PAGE =
  '<!doctype html><meta charset="utf-8"><title>coasty</title><script type="module" src="/bundle.js"></script>';

function forward(request, response, target) {
  const url = new URL(request.url, target);
  const upstream = httpRequest(
    url,
    { method: request.method, headers: { ...request.headers, host: url.host } },
    (reply) => {
      response.writeHead(reply.statusCode, reply.headers);
      reply.pipe(response);
    },
  );
  upstream.on("error", (error) => {
    response.writeHead(502, { "content-type": "text/plain" });
    response.end(`forwarding to ${target} failed: ${error.message}`);
  });
  request.pipe(upstream);
}

function listen(server) {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve(server.address().port));
  });
}

/**
 * Bundles `entry` with the `browser` export condition, opens it in headless
 * Chromium and waits until the page sets `window.__result`. Returns
 * `{ result, entryPoint, console }`: that value, the package file that
 * "coasty" resolved to, and the page's console messages.
 * `apiOrigin` (optional) is the origin that /v1/* is forwarded to, and `hash`
 * is the page URL's fragment. A script error on the page fails the run.
 */
export async function runInChromium({ entry, apiOrigin, hash = "", timeoutMs = 30_000 }) {
  const dir = mkdtempSync(join(tmpdir(), "coasty-browser-"));
  const { wasmFile, entryPoint } = await bundleEntry({
    entry,
    outfile: join(dir, "bundle.js"),
    conditions: ["browser"],
  });
  const files = {
    "/": ["text/html", PAGE],
    "/bundle.js": ["text/javascript", readFileSync(join(dir, "bundle.js"))],
    "/coasty_wasm_bg.wasm": ["application/wasm", readFileSync(wasmFile)],
    "/favicon.ico": ["image/x-icon", ""],
  };
  const server = createServer((request, response) => {
    if (apiOrigin !== undefined && request.url.startsWith("/v1/")) {
      forward(request, response, apiOrigin);
      return;
    }
    const file = files[new URL(request.url, "http://127.0.0.1").pathname];
    if (file === undefined) {
      response.writeHead(404, { "content-type": "text/plain" }).end("not found");
      return;
    }
    response.writeHead(200, { "content-type": file[0] }).end(file[1]);
  });
  const port = await listen(server);

  const profile = join(dir, "profile");
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const consoleLines = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on("console", (message) => consoleLines.push(message.text()));
    const pageError = new Promise((_, reject) => {
      page.on("pageerror", (error) => reject(new Error(`page error: ${error.message}`)));
    });
    pageError.catch(() => {});
    await page.goto(`http://127.0.0.1:${port}/#${encodeURIComponent(hash)}`);
    await Promise.race([
      page.waitForFunction(() => window.__result !== undefined, null, { timeout: timeoutMs }),
      pageError,
    ]);
    const result = await page.evaluate(() => window.__result);
    return { result, entryPoint, console: consoleLines };
  } catch (error) {
    throw new Error(`${error.message}\npage console:\n${consoleLines.join("\n")}`);
  } finally {
    await context.close();
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}
