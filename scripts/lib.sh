# Shared by run.sh and test.sh: start an emulator in the background and
# print its URL once it listens.
export PATH="$HOME/.cargo/bin:$PATH"

# start_emulator LOGFILE ARGS... -> prints the URL; the process is a job of the caller's shell.
start_emulator() {
  local log=$1; shift
  ./target/debug/operations-emulator "$@" >"$log" 2>"$log.err" &
  local i
  for i in $(seq 100); do
    if [ -s "$log" ] && head -1 "$log" | grep -q '^listening on '; then
      head -1 "$log" | sed 's/^listening on //'
      return 0
    fi
    sleep 0.1
  done
  echo "the emulator did not start; its output:" >&2
  cat "$log" "$log.err" >&2
  return 1
}
