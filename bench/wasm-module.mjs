// Facts about the built package that the benchmark reports: the size of the
// optimized wasm module, and that the package computes HMACs only in wasm.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

/** Returns the folder of the `coasty` entry point that Node resolves (`pkg/dist`). */
export function packageDistDir() {
  return dirname(fileURLToPath(import.meta.resolve("coasty")));
}

/**
 * Returns the raw and `gzip -9` sizes of `coasty_wasm_bg.wasm`, in bytes.
 * Uses the gzip program without the file name in the header (`-n`). Falls
 * back to zlib at level 9, whose output is slightly larger, when gzip is missing.
 */
export function wasmSize() {
  const path = join(packageDistDir(), "coasty_wasm_bg.wasm");
  const raw = readFileSync(path).length;
  const gzip = spawnSync("gzip", ["-9", "-n", "-c", path], { maxBuffer: 64 << 20 });
  if (gzip.status === 0) {
    return { raw, gzipped: gzip.stdout.length, compressor: "gzip -9 -n" };
  }
  const gzipped = gzipSync(readFileSync(path), { level: 9 }).length;
  return { raw, gzipped, compressor: "zlib level 9 (gzip program not found)" };
}

// Any of these in the package's JavaScript would mean that some HMAC could run
// outside wasm, and the coasty rows would not measure the wasm code.
const HOST_CRYPTO = [
  /node:crypto/,
  /require\(\s*["']crypto["']\s*\)/,
  /from\s+["']crypto["']/,
  /crypto\s*\.\s*subtle/,
  /\bsubtle\s*\.\s*(sign|verify|digest|importKey)\b/,
  /createHmac/,
];

/** Throws if a JavaScript file of the package reaches for host cryptography. */
export function assertHmacInWasm() {
  const dir = packageDistDir();
  const scripts = readdirSync(dir).filter((name) => /\.(m|c)?js$/.test(name));
  for (const name of scripts) {
    const source = readFileSync(join(dir, name), "utf8");
    const hit = HOST_CRYPTO.find((pattern) => pattern.test(source));
    if (hit) {
      throw new Error(
        `${name} in the coasty package matches ${hit}, so the package may compute ` +
          "HMACs outside wasm and the coasty rows would not measure the wasm code; " +
          "keep every HMAC of the package in the wasm module",
      );
    }
  }
  return scripts.length;
}
