// Times webhook verification for coasty and the usual alternatives at 1 KiB,
// 16 KiB and 1 MiB, with string and byte payloads, in one Node process.
// Prints Markdown: an ops/s table, the wasm module size and the goal lines.
//
// Usage: node bench/run.mjs [--markdown FILE] [--time MS]
//   --markdown FILE  also writes the printed Markdown to FILE
//   --time MS        time budget per task in milliseconds, split over the rounds
//                    (default 360, and 300 at 1 MiB)
import { writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { checkContender, createContenders } from "./contenders.mjs";
import { createDelivery, createSecrets } from "./payloads.mjs";
import { environmentLines, goalLines, opsTable, sizeLines, sizeName } from "./report.mjs";
import { ROUNDS, roundOptions, timeInRounds } from "./timing.mjs";
import { assertHmacInWasm, wasmSize } from "./wasm-module.mjs";

const USAGE = "usage: node bench/run.mjs [--markdown FILE] [--time MS]";
const SIZES = [1024, 16 * 1024, 1024 * 1024];
const TYPES = ["string", "bytes"];

// Holds the last result of every timed call, so none can be optimized away.
let sink;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      markdown: { type: "string" },
      time: { type: "string" },
    },
  });
  let timeMs;
  if (values.time !== undefined) {
    timeMs = Number(values.time);
    if (!Number.isInteger(timeMs) || timeMs <= 0) {
      throw new RangeError(
        `--time must be a whole number of milliseconds > 0, got "${values.time}"`,
      );
    }
  }
  return { markdownFile: values.markdown, timeMs };
}

function describeMachine() {
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    node: process.version,
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    cores: availableParallelism(),
    load: loadavg()[0].toFixed(2),
  };
}

/**
 * Benchmarks every contender on one payload size and stores `{ ops, rme }`
 * in `results` under `contenderId|type|size`.
 */
async function benchSize(size, contenders, secrets, timeMs, results) {
  // Signed just now, so every timestamp stays within the 300 s tolerance.
  const delivery = createDelivery(size, secrets);
  for (const contender of contenders) await checkContender(contender, delivery);

  const tasks = new Map();
  for (const contender of contenders) {
    for (const type of TYPES) {
      const payload = delivery.payloads[type].valid;
      const verify = contender.isAsync
        ? async () => {
            sink = await contender.verify(payload, delivery);
          }
        : () => {
            sink = contender.verify(payload, delivery);
          };
      tasks.set(`${contender.id}|${type}|${size}`, verify);
    }
  }

  process.stderr.write(`timing ${tasks.size} tasks at ${sizeName(size)}\n`);
  const timed = await timeInRounds(tasks, roundOptions(size, timeMs));
  for (const [name, result] of timed) results.set(name, result);
}

async function main() {
  let options;
  try {
    options = parseOptions();
  } catch (error) {
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  const { markdownFile, timeMs } = options;
  const machine = describeMachine();
  const scriptCount = assertHmacInWasm();
  process.stderr.write(`checked ${scriptCount} scripts of the coasty package: no host crypto\n`);

  const secrets = createSecrets();
  const contenders = await createContenders(secrets);
  const results = new Map();
  for (const size of SIZES) {
    await benchSize(size, contenders, secrets, timeMs, results);
  }
  const size = wasmSize();

  const lines = [
    "## Webhook verification, ops/s (higher is better)",
    "",
    ...environmentLines(machine),
    "",
    ...opsTable(contenders, TYPES, SIZES, results),
    "",
    `Each cell: operations per second, ± the 95 % margin of error of the mean ` +
      `latency, pooled over ${ROUNDS} rounds.`,
    "",
    "## Wasm module size",
    "",
    ...sizeLines(size),
    "",
    "## Goals",
    "",
    ...goalLines(TYPES, results, size),
  ];
  const text = `${lines.join("\n")}\n`;
  process.stdout.write(text);
  if (markdownFile !== undefined) writeFileSync(markdownFile, text);
}

await main();
