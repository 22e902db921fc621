# Shared by run.sh and test.sh.
export PATH="$HOME/.cargo/bin:$PATH"

# start_emulator LOGFILE ARGS...
# Starts the emulator as a background job of the calling shell (so the
# caller's `kill $(jobs -p)` stops it) and sets EMULATOR_STARTED_URL once it
# listens.
start_emulator() {
  local log=$1; shift
  rm -f "$log" "$log.err"
  ./target/debug/operations-emulator "$@" >"$log" 2>"$log.err" &
  local i first
  for i in $(seq 100); do
    first=$(head -1 "$log" 2>/dev/null || true)
    if [[ $first == "listening on "* ]]; then
      EMULATOR_STARTED_URL=${first#listening on }
      return 0
    fi
    sleep 0.1
  done
  echo "the emulator did not start; its output:" >&2
  cat "$log" "$log.err" >&2
  return 1
}
