#!/usr/bin/env bash
# `npm run bench`: builds the release package, installs the compared clients
# into bench/ only (never into the package's dependencies) and runs the
# benchmark, which prints the table and writes bench/RESULTS.md.
# BENCH_NO_BUILD=1 skips the setup and build (use the pkg/ already built).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${BENCH_NO_BUILD:-}" != 1 ]; then
  bash scripts/setup.sh
  export PATH="$HOME/.cargo/bin:$PATH"
  node scripts/build.mjs
fi
if [ ! -d bench/node_modules ] || [ bench/package-lock.json -nt bench/node_modules/.package-lock.json ]; then
  npm ci --prefix bench --no-audit --no-fund --loglevel=error
fi
exec node --expose-gc bench/run.mjs
