// Markdown for the benchmark results: the ops/s table, the wasm size and the
// goal lines.

/** Maximum gzipped size of the optimized wasm module, in bytes (40 KiB). */
export const WASM_GZIP_BUDGET_BYTES = 40 * 1024;

const SIZE_NAMES = new Map([
  [1024, "1 KiB"],
  [16 * 1024, "16 KiB"],
  [1024 * 1024, "1 MiB"],
]);

/** Returns `1 KiB`, `16 KiB`, `1 MiB`, or the byte count for other sizes. */
export function sizeName(bytes) {
  return SIZE_NAMES.get(bytes) ?? `${bytes} B`;
}

function formatCount(value) {
  return Math.round(value).toLocaleString("en-US");
}

function formatOps(ops) {
  return ops >= 100 ? formatCount(ops) : ops.toFixed(1);
}

/** Returns the header lines: date, Node version, CPU, cores and load. */
export function environmentLines(machine) {
  return [
    `Run ${machine.date} · Node ${machine.node} · ${machine.cpu} · ` +
      `${machine.cores} cores · load average ${machine.load} at start`,
  ];
}

/**
 * Returns the ops/s table. `results` maps `contenderId|type|size` to
 * `{ ops, rme }`, with `rme` the relative margin of error in percent.
 */
export function opsTable(contenders, types, sizes, results) {
  const header = ["contender", "payload", ...sizes.map(sizeName)];
  const lines = [
    `| ${header.join(" | ")} |`,
    `| --- | --- | ${sizes.map(() => "---:").join(" | ")} |`,
  ];
  for (const contender of contenders) {
    for (const type of types) {
      const cells = sizes.map((size) => {
        const result = results.get(`${contender.id}|${type}|${size}`);
        return result ? `${formatOps(result.ops)} ±${result.rme.toFixed(1)} %` : "n/a";
      });
      lines.push(`| ${contender.label} | ${type} | ${cells.join(" | ")} |`);
    }
  }
  return lines;
}

/** Returns the line that gives the raw and gzipped module size. */
export function sizeLines(size) {
  return [
    `\`coasty_wasm_bg.wasm\` (optimized): ${formatCount(size.raw)} bytes raw, ` +
      `${formatCount(size.gzipped)} bytes gzipped (${size.compressor}).`,
  ];
}

function goalLine(passed, text) {
  return `- ${passed ? "PASS" : "MISS"} ${text}`;
}

/**
 * Returns the goal lines: coasty `Webhook.verify` at least as fast as stripe
 * `constructEvent` at 1 KiB for each payload type, and the gzipped module
 * within the budget.
 */
export function goalLines(types, results, size) {
  const lines = [];
  for (const type of types) {
    const coasty = results.get(`coasty-verify|${type}|1024`);
    const stripe = results.get(`stripe|${type}|1024`);
    if (!coasty || !stripe) {
      lines.push(goalLine(false, `1 KiB ${type}: no result for coasty or stripe`));
      continue;
    }
    const ratio = (coasty.ops / stripe.ops).toFixed(2);
    const relation = coasty.ops >= stripe.ops ? ">=" : "<";
    lines.push(
      goalLine(
        coasty.ops >= stripe.ops,
        `1 KiB ${type}: coasty \`Webhook.verify\` ${formatOps(coasty.ops)} ops/s ${relation} ` +
          `stripe \`constructEvent\` ${formatOps(stripe.ops)} ops/s (${ratio}x)`,
      ),
    );
  }

  const withinBudget = size.gzipped <= WASM_GZIP_BUDGET_BYTES;
  lines.push(
    goalLine(
      withinBudget,
      `wasm size: ${formatCount(size.gzipped)} bytes gzipped ${withinBudget ? "<=" : ">"} ` +
        `${formatCount(WASM_GZIP_BUDGET_BYTES)} (40 KiB)`,
    ),
  );
  return lines;
}
