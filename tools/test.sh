#!/usr/bin/env bash
# Runs every test: lints, native Rust tests, wasm tests in Node and headless
# Chromium, the JS tests of the built package, and the demo. Installs what is
# missing first. Processes it starts are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

tools/setup.sh --browser

# Chromium leaves profile data behind on every run.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
export TMPDIR="$scratch" XDG_CONFIG_HOME="$scratch"

echo "== format and lints"
cargo fmt --check
cargo clippy --all-targets --quiet -- -D warnings
cargo clippy --target wasm32-unknown-unknown --quiet -- -D warnings

echo "== native Rust tests"
cargo test --quiet

echo "== build the package"
tools/build.sh

echo "== wasm tests in Node and headless Chromium"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=/usr/bin/chromedriver \
  cargo test --target wasm32-unknown-unknown --test wasm_node --test wasm_browser

echo "== JS tests: the package, the fake API, the dev-tools page"
node --test --test-concurrency=1 tests/js/ tests/fake-coasty/ tests/www/

echo "== the packed package and every runtime: Node, workerd, Chromium, Deno, Bun, edge-runtime"
node --test --test-concurrency=1 tests/package/ tests/runtimes/

echo "== demo"
node www/edge/demo.mjs
