// Serves the dev-tools page (www/) and the built package (pkg/, under /pkg/) on
// 127.0.0.1 only. Usage: node tools/serve.mjs [--port N] (default 8000, 0 picks
// a free port). The page runs entirely in the browser, so this server only
// returns static files; its Content-Security-Policy lets the page reach nothing
// but this origin.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { dirname, extname, join, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const WWW = join(root, "www");
const PKG = join(root, "pkg");
const HOST = "127.0.0.1";
const DEFAULT_PORT = 8000;

const CONTENT_TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".wasm": "application/wasm",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
};

// 'wasm-unsafe-eval' lets the Worker compile the package's WebAssembly module.
const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "form-action 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "Content-Security-Policy": CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cache-Control": "no-store",
};

/** Maps a URL path to a file under www/ or the package folder, or null when outside both. */
function filePath(urlPath, pkgDir) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0")) return null;

  const [base, rest] = decoded.startsWith("/pkg/")
    ? [pkgDir, decoded.slice("/pkg/".length)]
    : [WWW, decoded.slice(1)];
  const path = resolve(base, rest === "" || rest.endsWith("/") ? `${rest}index.html` : rest);
  return path === base || path.startsWith(base + sep) ? path : null;
}

function sendText(response, status, text, extraHeaders = {}) {
  response.writeHead(status, {
    ...SECURITY_HEADERS,
    "Content-Type": "text/plain; charset=utf-8",
    ...extraHeaders,
  });
  response.end(text);
}

async function handle(request, response, pkgDir) {
  if (request.method !== "GET" && request.method !== "HEAD") {
    sendText(response, 405, "method not allowed: this server only serves files\n", {
      Allow: "GET, HEAD",
    });
    return;
  }
  const url = new URL(request.url, `http://${HOST}`);
  const path = filePath(url.pathname, pkgDir);
  if (path === null) {
    sendText(response, 404, "not found\n");
    return;
  }

  let info;
  try {
    info = await stat(path);
  } catch {
    const hint = path.startsWith(pkgDir) ? " (the package is not built: run `make build`)" : "";
    sendText(response, 404, `not found: ${url.pathname}${hint}\n`);
    return;
  }
  if (!info.isFile()) {
    sendText(response, 404, `not found: ${url.pathname}\n`);
    return;
  }

  response.writeHead(200, {
    ...SECURITY_HEADERS,
    "Content-Type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream",
    "Content-Length": info.size,
  });
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  const stream = createReadStream(path);
  stream.on("error", (error) => {
    console.error(`failed to read ${path}: ${error.message}`);
    response.destroy();
  });
  stream.pipe(response);
}

/**
 * Starts the server on 127.0.0.1. `pkgDir` replaces pkg/ as the folder served
 * under /pkg/ (tests use it to serve a reduced build). Resolves to `{ url,
 * port, close() }` once it listens; `close()` resolves after open connections
 * have ended.
 */
export function startServer({ port = DEFAULT_PORT, pkgDir = PKG } = {}) {
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return Promise.reject(new RangeError(`port must be an integer from 0 to 65535, got ${port}`));
  }
  const servedPkg = resolve(pkgDir);
  const server = createServer((request, response) => {
    handle(request, response, servedPkg).catch((error) => {
      console.error(`failed to serve ${request.method} ${request.url}: ${error.message}`);
      if (!response.headersSent) sendText(response, 500, "internal error\n");
      else response.destroy();
    });
  });

  return new Promise((resolveStart, rejectStart) => {
    server.once("error", rejectStart);
    server.listen(port, HOST, () => {
      server.off("error", rejectStart);
      const actualPort = server.address().port;
      resolveStart({
        url: `http://${HOST}:${actualPort}/`,
        port: actualPort,
        close: () =>
          new Promise((resolveClose) => {
            server.close(() => resolveClose());
            server.closeAllConnections();
          }),
      });
    });
  });
}

function portArgument(argv) {
  const index = argv.indexOf("--port");
  const text = index === -1 ? process.env.PORT : argv[index + 1];
  if (text === undefined) return DEFAULT_PORT;
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) {
    console.error(
      `invalid port ${JSON.stringify(text)}: pass --port with a number from 0 to 65535`,
    );
    process.exit(2);
  }
  return port;
}

async function main() {
  const port = portArgument(process.argv.slice(2));
  let server;
  try {
    server = await startServer({ port });
  } catch (error) {
    const fix =
      error.code === "EADDRINUSE" ? `; pass --port with another port, or 0 for a free one` : "";
    console.error(`could not listen on ${HOST}:${port}: ${error.message}${fix}`);
    process.exit(1);
  }
  try {
    await stat(join(PKG, "dist", "browser.mjs"));
  } catch {
    console.error("warning: pkg/dist/browser.mjs is missing; run `make build` first");
  }
  console.log(`serving www/ and pkg/ at ${server.url} (Ctrl-C stops)`);

  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  await main();
}
