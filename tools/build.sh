#!/usr/bin/env bash
# Builds the npm package into pkg/: the release wasm, its wasm-bindgen glue
# (web target), the optimized module, the JS entry points and the declarations.
set -euo pipefail
cd "$(dirname "$0")/.."

out=pkg/dist
cargo build --release --target wasm32-unknown-unknown --quiet
target_dir=${CARGO_TARGET_DIR:-target}
rm -rf pkg
mkdir -p "$out"
wasm-bindgen "$target_dir/wasm32-unknown-unknown/release/coasty.wasm" \
  --target web --out-dir "$out" --out-name coasty_wasm --no-typescript

# binaryen from npm: Debian's wasm-opt 108 corrupts wasm-bindgen output.
node_modules/.bin/wasm-opt -O3 "$out/coasty_wasm_bg.wasm" -o "$out/coasty_wasm_bg.wasm"

cp js/*.js js/*.mjs "$out/"
# CommonJS gets one bundled file; the ES module entries share the modules above.
node_modules/.bin/esbuild "$out/node-cjs.mjs" --bundle --platform=node --format=cjs \
  --log-level=error --outfile="$out/node.cjs"
rm "$out/node-cjs.mjs"
cp js/package.json js/index.d.ts js/README.md pkg/
# The same declarations serve the CommonJS entry, which needs a .d.cts file.
cp js/index.d.ts pkg/index.d.cts

# Smoke test: a broken optimizer pass shows up here as a failed instantiation.
node --input-type=module -e "
  const { signWebhook, verifyWebhookSignature } = await import('./pkg/dist/node.mjs');
  const header = signWebhook('{}', 'whsec_smoke', { timestamp: 1 });
  verifyWebhookSignature('{}', header, 'whsec_smoke', { now: 1 });
"
size=$(wc -c <"$out/coasty_wasm_bg.wasm")
gzipped=$(gzip -9 -c "$out/coasty_wasm_bg.wasm" | wc -c)
echo "built pkg/: coasty_wasm_bg.wasm $size bytes, $gzipped gzipped"

# Tests, the demo and the benchmarks import the package by name, as users do.
ln -sfn ../pkg node_modules/coasty
