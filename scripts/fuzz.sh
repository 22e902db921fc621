#!/usr/bin/env bash
# Runs every fuzz target (fuzz/fuzz_targets) for a bounded time each, from
# the committed seeds (fuzz/seeds/<target>) plus the corpus earlier runs grew
# (fuzz/corpus/<target>, not committed). Prints executions and crashes per
# target; fails when any target crashed (the input is in fuzz/artifacts/).
#   scripts/fuzz.sh [seconds-per-target] [target...]
# FUZZ_SEED fixes libFuzzer's seed (the test command uses 1): a clean clone
# then explores the same inputs in the same order on every run, and a slower
# machine a prefix of them, so the test command does not turn red on the luck
# of the draw. Without it each run draws a new seed (exploration: npm run fuzz).
# A crash found by exploration is fixed, and its input committed as a seed.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

seconds=${1:-30}
shift || true
targets=("$@")
((${#targets[@]})) || targets=(name_url json responses retry_after policy)

# cargo-fuzz needs the nightly toolchain (sanitizer flags); scripts/setup.sh installs both.
fuzz=(cargo +nightly fuzz)
"${fuzz[@]}" build >/dev/null 2>target/fuzz-build.log || { cat target/fuzz-build.log >&2; exit 1; }

mkdir -p target/fuzz
total_execs=0
total_crashes=0
printf '%-12s %12s %8s %8s %8s\n' target executions seconds corpus crashes
for target in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
  log=target/fuzz/$target.log
  touch "$log.start"
  set +e
  "${fuzz[@]}" run "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    ${FUZZ_SEED:+-seed="$FUZZ_SEED"} >"$log" 2>&1
  status=$?
  set -e
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  elapsed=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -1)
  crashes=$(find "fuzz/artifacts/$target" -type f -newer "$log.start" | wc -l)
  if ((status != 0 && crashes == 0)); then
    crashes=1 # a failure that left no input (for example a failed start): still a failure
  fi
  printf '%-12s %12s %8s %8s %8s\n' "$target" "${execs:-?}" "${elapsed:-?}" \
    "$(find "fuzz/corpus/$target" -type f | wc -l)" "$crashes"
  if ((crashes)); then
    echo "--- $target failed (log: $log); the panic:" >&2
    grep -m1 -A3 "panicked at" "$log" >&2 || tail -20 "$log" >&2
    find "fuzz/artifacts/$target" -type f -newer "$log.start" >&2
  fi
  total_execs=$((total_execs + ${execs:-0}))
  total_crashes=$((total_crashes + crashes))
done
echo "fuzz: ${#targets[@]} targets, $total_execs executions, $total_crashes crashes"
((total_crashes == 0))
