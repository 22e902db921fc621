#!/usr/bin/env bash
# Sets up the machine and runs every test: lints, the dependency audit, native
# unit tests, a short fuzzing run of every fuzz target, the wasm
# suite in Node, headless Chromium and headless Firefox against real
# emulators, the release build with its size budget, the types, the packed
# tarball in every runtime, and the console end to end.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step setup
bash scripts/setup.sh

step "format and lints"
cargo fmt --all --check
cargo clippy -q --workspace --all-targets -- -D warnings
cargo clippy -q -p route-optimization-operations --all-targets --target wasm32-unknown-unknown -- -D warnings

step "dependency audit (cargo deny)"
bash scripts/deny.sh

step "native unit tests"
cargo test -q --workspace

step "fuzzing, ${FUZZ_SECONDS:-25} s per target with a fixed seed (npm run fuzz explores longer)"
FUZZ_SEED=${FUZZ_SEED:-1} bash scripts/fuzz.sh "${FUZZ_SECONDS:-25}"

step "emulators"
cargo build -q -p operations-emulator
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
mkdir -p target/test
start_emulator target/test/full.log --port 0 --quiet
export EMULATOR_URL=$EMULATOR_STARTED_URL
start_emulator target/test/google.log --port 0 --quiet --mode google
export EMULATOR_GOOGLE_URL=$EMULATOR_STARTED_URL
echo "full: $EMULATOR_URL  google: $EMULATOR_GOOGLE_URL"

# A test may take longer than wasm-bindgen-test's default 20 s on a busy machine.
export WASM_BINDGEN_TEST_TIMEOUT=120

step "wasm suite in Node"
wasm-pack test --node -- --test node
step "wasm suite in headless Chromium"
env -u GECKODRIVER CHROMEDRIVER=/usr/bin/chromedriver wasm-pack test --headless --chrome -- --test browser
step "wasm suite in headless Firefox"
env -u CHROMEDRIVER GECKODRIVER="$(command -v geckodriver)" wasm-pack test --headless --firefox -- --test browser

step "release build and npm pack"
node scripts/build.mjs
step "size budget"
node scripts/size-budget.mjs

step "types (tsc --strict over types-test/)"
node_modules/.bin/tsc -p types-test

step "packed tarball in Node, Deno, Bun, workerd, Chromium (page and Worker) and Firefox"
node --test tests/runtimes/

# 100,000 calls: 57 to 125 s on a 2-core machine. SOAK_CALLS=20000 makes it
# shorter while iterating; `npm run soak` runs it alone (after a build).
step "soak: 100,000 cancel calls from Node against an emulator"
node --expose-gc tests/soak/soak.mjs --calls "${SOAK_CALLS:-100000}" --json target/test/soak.json

step "console end to end"
# The console's helpers in Node, then the page in headless Chromium; every
# e2e test starts its own emulator (seeded, or in google mode) and the tests
# share one console server, all on free ports.
node --test tests/console/ tests/e2e/

step "all tests passed"
