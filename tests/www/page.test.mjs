// End-to-end test of the dev-tools page: serves www/ and pkg/ with
// tools/serve.mjs on a free port, drives the page in headless Chromium and
// checks each tool's verdict. Deliveries are signed here with node:crypto.
// Screenshots go to test-output/www/. Needs a built package (`make build`) and
// Chromium at /usr/bin/chromium (`tools/setup.sh --browser`).
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

import { startServer } from "../../tools/serve.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const shots = join(root, "test-output", "www");
const chromiumArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
];
const SECRET = "whsec_page_test_5b7d";
const API_KEY = "sk-coasty-test-9f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928";
const T = 1750000000;
const EVENT = { event: "run.succeeded", run_id: "run_page_1", status: "succeeded" };
const BODY = JSON.stringify(EVENT);

let server;
let context;
let page;
let profile;
const foreignRequests = [];
// Origins of the servers this test started; any other origin is foreign.
const ownOrigins = new Set();
const pageErrors = [];
let features = {};

function header(secret, body, t = T) {
  const mac = createHmac("sha256", secret).update(`${t}.`).update(body).digest("hex");
  return `t=${t},v1=${mac}`;
}

async function fillDelivery({ body = BODY, signedBody = body, now = T + 30, t = T } = {}) {
  await page.fill("#wh-secrets", SECRET);
  await page.fill("#wh-header", header(SECRET, signedBody, t));
  await page.fill("#wh-body", body);
  await page.fill("#wh-now", String(now));
  await page.click("#webhook-form button[type=submit]");
}

async function verdictOf(output) {
  const locator = page.locator(`#${output}-output [data-verdict]`).first();
  await locator.waitFor();
  return locator.getAttribute("data-verdict");
}

async function idle(tool) {
  await page.waitForSelector(`#${tool}-results[aria-busy="false"]`);
}

before(async () => {
  mkdirSync(shots, { recursive: true });
  server = await startServer({ port: 0 });
  ownOrigins.add(new URL(server.url).origin);
  profile = mkdtempSync(join(tmpdir(), "coasty-www-chromium-"));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: chromiumArgs,
    viewport: { width: 1280, height: 900 },
  });
  context.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith("data:") && !ownOrigins.has(new URL(url).origin)) foreignRequests.push(url);
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (message.type() === "error") pageErrors.push(message.text());
  });
  await page.goto(server.url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 15000 });
  features = {
    workbench: await page.isHidden("#workbench-unavailable"),
    decoder: await page.isHidden("#decoder-unavailable"),
  };
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test("webhook: valid delivery", async () => {
  await fillDelivery();
  assert.equal(await verdictOf("webhook"), "ok");
  await idle("webhook");
  const output = await page.textContent("#webhook-output");
  assert.match(output, /run_page_1/);
  assert.match(output, /30 s before the receive time/);
  assert.equal(await page.textContent("[data-expected='0']"), header(SECRET, BODY));
  const indicator = await page.evaluate(
    () => getComputedStyle(document.getElementById("webhook-working")).visibility,
  );
  assert.equal(indicator, "hidden");
  await page.locator("#webhook").screenshot({ path: join(shots, "webhook-valid.png") });
});

test("webhook: re-serialised body diagnosed", async () => {
  await fillDelivery({ body: JSON.stringify(EVENT, null, 2), signedBody: BODY });
  await page.locator('[data-cause="json-reserialised"]').waitFor();
  await idle("webhook");
  assert.equal(await verdictOf("webhook"), "NO_MATCHING_SIGNATURE");
  assert.equal(await page.locator("[data-cause]").count(), 1);
  await page.locator("#webhook").screenshot({ path: join(shots, "webhook-reserialised.png") });
});

test("webhook: stale timestamp", async () => {
  await fillDelivery({ now: T + 3600 });
  await page.locator('[data-cause="timestamp-too-old"]').waitFor();
  await idle("webhook");
  assert.equal(await verdictOf("webhook"), "TIMESTAMP_OUT_OF_TOLERANCE");
  assert.match(await page.textContent("#webhook-output"), /1 h 0 min before the receive time/);
  await page.locator("#webhook").screenshot({ path: join(shots, "webhook-stale.png") });
});

test("webhook: exact bytes from a file", async () => {
  const crlfBody = '{\r\n"event": "run.succeeded",\r\n"run_id": "run_crlf"\r\n}';
  await page.fill("#wh-secrets", SECRET);
  await page.fill("#wh-header", header(SECRET, crlfBody));
  await page.fill("#wh-now", String(T));
  await page.setInputFiles("#wh-file", {
    name: "body.json",
    mimeType: "application/json",
    buffer: Buffer.from(crlfBody),
  });
  await page.waitForFunction(() =>
    document.querySelector("#webhook-output")?.textContent.includes("run_crlf"),
  );
  assert.equal(await verdictOf("webhook"), "ok");
  const size = Buffer.byteLength(crlfBody);
  assert.match(await page.textContent("#wh-body-source"), new RegExp(`body\\.json, ${size} bytes`));
  await page.click("#wh-file-clear");
  assert.equal(await page.isDisabled("#wh-body"), false);
});

test("workbench: request built or marked unavailable", async () => {
  if (!features.workbench) {
    assert.match(await page.textContent("#workbench-unavailable"), /Not available in this build/);
    return;
  }
  await page.selectOption("#wb-operation", "runs.create");
  await page.fill("#wb-apikey", API_KEY);
  await page.fill("#wb-base-url", "http://127.0.0.1:9/v1");
  await page.fill("#wb-field-machine_id", "mach_123");
  await page.fill("#wb-field-task", "Download the latest invoice");
  await page.fill("#wb-field-cua_version", "v3");
  await page.fill("#wb-field-max_steps", "10");
  await page.click("#workbench-form button[type=submit]");
  await page.waitForFunction(() =>
    document
      .querySelector("#workbench-output [data-output=curl]")
      ?.textContent.includes("mach_123"),
  );
  await idle("workbench");
  assert.equal(await verdictOf("workbench"), "ok");

  const editor = JSON.parse(await page.inputValue("#wb-body"));
  assert.deepEqual(editor, {
    machine_id: "mach_123",
    task: "Download the latest invoice",
    cua_version: "v3",
    max_steps: 10,
  });
  const curl = await page.textContent("[data-output=curl]");
  const fetchCode = await page.textContent("[data-output=fetch]");
  const http = await page.textContent("[data-output=http]");
  assert.match(curl, /\$COASTY_API_KEY/);
  assert.match(fetchCode, /process\.env\.COASTY_API_KEY/);
  assert.match(http, /^POST \/v1\/runs HTTP\/1\.1/);
  for (const text of [curl, fetchCode, http, await page.textContent("#workbench-output")]) {
    assert.equal(text.includes(API_KEY), false, "the API key leaked into the output");
  }
  assert.match(await page.textContent("[data-output=cost]"), /50 credits/);
  assert.match(await page.textContent("#workbench-output"), /runs:write/);
  await page.locator("#workbench").screenshot({ path: join(shots, "workbench-valid.png") });

  await page.fill("#wb-field-max_steps", "5000");
  await page.click("#workbench-form button[type=submit]");
  await page.waitForFunction(() =>
    document.querySelector("#workbench-output")?.textContent.includes("max_steps"),
  );
  await idle("workbench");
  assert.notEqual(await verdictOf("workbench"), "ok");
  await page.locator("#workbench").screenshot({ path: join(shots, "workbench-invalid.png") });
});

test("decoder: error decoded or marked unavailable", async () => {
  if (!features.decoder) {
    assert.match(await page.textContent("#decoder-unavailable"), /Not available in this build/);
    return;
  }
  await page.fill("#de-status", "429");
  await page.fill("#de-headers", "Retry-After: 12\nX-Coasty-Request-Id: req_page_1");
  await page.fill(
    "#de-body",
    JSON.stringify({
      error: { code: "RATE_LIMITED", message: "Slow down.", type: "rate_limit_error" },
    }),
  );
  await page.click("#decoder-form button[type=submit]");
  await page.waitForFunction(() =>
    document.querySelector("#decoder-output")?.textContent.includes("req_page_1"),
  );
  await idle("decoder");
  assert.equal(await verdictOf("decoder"), "RateLimitError");
  const output = await page.textContent("#decoder-output");
  assert.match(output, /retryAfterSeconds\s*12/);
  assert.match(output, /RATE_LIMITED/);
  assert.ok((await page.textContent("[data-output=hint]")).length > 10);
  await page.locator("#decoder").screenshot({ path: join(shots, "decoder.png") });
});

test("webhook: large body off main thread", async () => {
  const items = Array.from({ length: 50000 }, (_, i) => ({ id: i, label: `item ${i}` }));
  const event = { ...EVENT, result: { items } };
  const pretty = JSON.stringify(event, null, 2);
  assert.ok(pretty.length > 3_000_000, `body is ${pretty.length} bytes`);

  await page.fill("#wh-secrets", SECRET);
  await page.fill("#wh-header", header(SECRET, JSON.stringify(event)));
  await page.fill("#wh-now", String(T));
  await page.setInputFiles("#wh-file", {
    name: "big.json",
    mimeType: "application/json",
    buffer: Buffer.from(pretty),
  });
  try {
    await page.locator('[data-cause="json-reserialised"]').waitFor({ timeout: 20000 });
    await idle("webhook");

    // Loading the file through the test driver blocks the page by itself, so
    // the measured check is the one that a later edit starts.
    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) window.longTasks.push(entry.duration);
      }).observe({ type: "longtask" });
    });
    await page.fill("#wh-now", String(T + 5));
    await page.waitForFunction(() =>
      document
        .querySelector("#webhook-output")
        ?.textContent.includes("5 s before the receive time"),
    );
    await idle("webhook");
    assert.equal(await page.locator('[data-cause="json-reserialised"]').count(), 1);
    const longest = await page.evaluate(() => Math.max(0, ...window.longTasks));
    assert.ok(longest < 250, `the main thread was blocked for ${Math.round(longest)} ms`);
  } finally {
    await page.click("#wh-file-clear");
  }
});

test("old build marks panels unavailable", async () => {
  // A build with the webhook API only, as before buildRequest and
  // decodeApiError existed.
  const reduced = mkdtempSync(join(tmpdir(), "coasty-www-pkg-"));
  cpSync(join(root, "pkg"), reduced, { recursive: true });
  writeFileSync(join(reduced, "dist", "index.js"), 'export * from "./webhook.js";\n');
  const oldServer = await startServer({ port: 0, pkgDir: reduced });
  ownOrigins.add(new URL(oldServer.url).origin);
  const oldPage = await context.newPage();
  try {
    await oldPage.bringToFront();
    await oldPage.goto(oldServer.url);
    await oldPage.waitForSelector("body[data-ready=true]", { timeout: 15000 });
    assert.match(
      await oldPage.textContent("#workbench-unavailable"),
      /Not available in this build/,
    );
    assert.match(await oldPage.textContent("#decoder-unavailable"), /Not available in this build/);
    assert.equal(await oldPage.isHidden("#workbench-tool"), true);
    assert.match(
      await oldPage.textContent("#load-status"),
      /not in this build: workbench, decoder/,
    );

    await oldPage.click("#wh-example");
    await oldPage.locator('#webhook-output [data-verdict="ok"]').waitFor();
    await oldPage.screenshot({ path: join(shots, "old-build.png"), fullPage: true });
  } finally {
    await oldPage.close();
    await page.bringToFront();
    await oldServer.close();
    rmSync(reduced, { recursive: true, force: true });
  }
});

test("every control has a label", async () => {
  const unlabelled = await page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((element) => element.labels.length === 0)
      .map((element) => element.id || element.outerHTML),
  );
  assert.deepEqual(unlabelled, []);
});

test("typing does not move the inputs", async () => {
  const positions = () =>
    page.evaluate(() =>
      [...document.querySelectorAll("#webhook-form textarea, #webhook-form input")].map(
        (element) => {
          const box = element.getBoundingClientRect();
          return [element.id, Math.round(box.top + window.scrollY), Math.round(box.height)];
        },
      ),
    );
  await page.fill("#wh-body", "");
  await idle("webhook");
  const before = await positions();
  await fillDelivery({ body: JSON.stringify(EVENT, null, 2), signedBody: BODY });
  await page.locator('[data-cause="json-reserialised"]').waitFor();
  await page.type("#wh-now", "0", { delay: 20 });
  await idle("webhook");
  assert.deepEqual(await positions(), before);
});

test("keyboard reaches the first tool", async () => {
  await page.reload();
  await page.waitForSelector("body[data-ready=true]");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "wh-secrets");
});

test("phone width has no horizontal scroll", async () => {
  await page.setViewportSize({ width: 375, height: 800 });
  await fillDelivery({ body: JSON.stringify(EVENT, null, 2), signedBody: BODY });
  await page.locator('[data-cause="json-reserialised"]').waitFor();
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 375, `page is ${width} px wide`);
  await page.screenshot({ path: join(shots, "phone.png"), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
});

test("page stays on its own origin", () => {
  assert.deepEqual(foreignRequests, []);
  assert.deepEqual(pageErrors, []);
});
