#!/usr/bin/env bash
# The main job: build the package, start the emulator with seeded operations,
# serve the console, and print where to open it. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

EMULATOR_PORT=${EMULATOR_PORT:-8787}
CONSOLE_PORT=${CONSOLE_PORT:-8080}
TOKEN=local-dev-token

bash scripts/setup.sh --run
node scripts/build.mjs
cargo build -q -p operations-emulator

trap 'kill $(jobs -p) 2>/dev/null || true' EXIT INT TERM
mkdir -p target/run
start_emulator target/run/emulator.log --port "$EMULATOR_PORT" --seed --run-ms 900000 --token "$TOKEN" \
  --mode "${EMULATOR_MODE:-full}"
endpoint=$EMULATOR_STARTED_URL
node scripts/serve.mjs --port "$CONSOLE_PORT" --endpoint "$endpoint" --token "$TOKEN" >target/run/console.log 2>&1 &
for _ in $(seq 50); do
  grep -q '^console on ' target/run/console.log 2>/dev/null && break
  sleep 0.1
done
grep -q '^console on ' target/run/console.log || { echo "the console server did not start:" >&2; cat target/run/console.log >&2; exit 1; }

cat <<MSG

  Emulator: $endpoint  (mode ${EMULATOR_MODE:-full}, token: $TOKEN; requests logged to target/run/emulator.log.err)
  Seeded operations (full list in target/run/emulator.log):
$(tail -n +2 target/run/emulator.log | awk '{print $1}' | sort | uniq -c | sed 's/^ */    /')

  Open the console:  http://127.0.0.1:$CONSOLE_PORT/
  It connects to the emulator by itself: $(if [ "${EMULATOR_MODE:-full}" = google ]; then
  echo "it reads operations by name; listing and cancelling answer as the public service does today (unsupported)."
else
  echo "filter, open, cancel one or select many and cancel them."
fi)
  Ctrl-C stops the emulator and the console.

MSG
wait
