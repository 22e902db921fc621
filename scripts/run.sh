#!/usr/bin/env bash
# The main job: build the package, start the emulator with seeded operations,
# serve the console, and print where to open it. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

EMULATOR_PORT=${EMULATOR_PORT:-8787}
CONSOLE_PORT=${CONSOLE_PORT:-8080}
TOKEN=local-dev-token

bash scripts/setup.sh
node scripts/build.mjs
cargo build -q -p operations-emulator

trap 'kill $(jobs -p) 2>/dev/null || true' EXIT INT TERM
mkdir -p target/run
start_emulator target/run/emulator.log --port "$EMULATOR_PORT" --seed --run-ms 900000 --token "$TOKEN"
endpoint=$EMULATOR_STARTED_URL
node scripts/serve.mjs --port "$CONSOLE_PORT" --endpoint "$endpoint" --token "$TOKEN" >/dev/null &

cat <<MSG

  Emulator: $endpoint   (token: $TOKEN, requests logged to target/run/emulator.log.err)
  Seeded operations:
$(tail -n +2 target/run/emulator.log | sed 's/^/    /')

  Open the console:  http://127.0.0.1:$CONSOLE_PORT/
  Paste a running operation's name (or press "Start a demo job"), then press Cancel.
  Ctrl-C stops the emulator and the console.

MSG
wait
