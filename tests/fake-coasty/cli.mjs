#!/usr/bin/env node
// Starts the fake Coasty API and prints its base URL and keys.
// Usage: node tests/fake-coasty/cli.mjs [--port N] [--step-delay-ms N] [--quiet]
// Request and webhook logs go to stderr. SIGINT or SIGTERM closes the server.

import process from "node:process";

import { startFakeCoasty } from "./server.mjs";

const USAGE = `Usage: node tests/fake-coasty/cli.mjs [--port N] [--step-delay-ms N] [--quiet]
  --port N           TCP port on 127.0.0.1 (default 4010; 0 picks a free port)
  --step-delay-ms N  milliseconds between run lifecycle steps (default 20)
  --quiet            do not log requests to stderr`;

function readInteger(name, text, min, max) {
  const value = /^\d+$/.test(text ?? "") ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    process.stderr.write(
      `error: ${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(text ?? "")}\n${USAGE}\n`,
    );
    process.exit(2);
  }
  return value;
}

function parseArguments(argv) {
  const options = { port: 4010, stepDelayMs: 20, quiet: false };
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index];
    if (argument === "--port") {
      index += 1;
      options.port = readInteger("--port", argv[index], 0, 65_535);
    } else if (argument === "--step-delay-ms") {
      index += 1;
      options.stepDelayMs = readInteger("--step-delay-ms", argv[index], 0, 600_000);
    } else if (argument === "--quiet") {
      options.quiet = true;
    } else if (argument === "--help" || argument === "-h") {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    } else {
      process.stderr.write(`error: unknown argument ${JSON.stringify(argument)}\n${USAGE}\n`);
      process.exit(2);
    }
  }
  return options;
}

const options = parseArguments(process.argv.slice(2));
let fake;
try {
  fake = await startFakeCoasty({
    port: options.port,
    stepDelayMs: options.stepDelayMs,
    log: options.quiet ? () => {} : (line) => process.stderr.write(`${line}\n`),
  });
} catch (error) {
  const hint = error.code === "EADDRINUSE" ? "; pass --port with a free port, or --port 0" : "";
  process.stderr.write(
    `error: cannot start the fake Coasty API on port ${options.port}: ${error.message}${hint}\n`,
  );
  process.exit(1);
}

process.stdout.write(
  [
    `fake Coasty API listening on ${fake.baseUrl}`,
    `COASTY_BASE_URL=${fake.baseUrl}`,
    `COASTY_API_KEY=${fake.keys.live}`,
    `test key: ${fake.keys.test}   read-only key: ${fake.keys.readOnly}`,
    "",
  ].join("\n"),
);

let stopping = false;
const stop = async (signal) => {
  if (stopping) {
    return;
  }
  stopping = true;
  process.stderr.write(`${signal} received, closing the fake Coasty API\n`);
  await fake.close();
  process.exit(0);
};
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
