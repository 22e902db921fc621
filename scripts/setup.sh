#!/usr/bin/env bash
# Installs every tool the build and the tests need, from package registries
# only. Idempotent: a second run checks versions and returns in seconds.
#   scripts/setup.sh          everything (npm test)
#   scripts/setup.sh --run    only what the build and the console need (npm start)
set -euo pipefail
cd "$(dirname "$0")/.."
run_only=false
[ "${1:-}" = --run ] && run_only=true

WASM_BINDGEN_VERSION=0.2.130 # must equal the `wasm-bindgen = "=..."` pin in Cargo.toml
WASM_PACK_VERSION=0.15.1
GECKODRIVER_VERSION=0.37.1
CARGO_FUZZ_VERSION=0.13.2
CARGO_DENY_VERSION=0.20.2 # the newest that builds with rustc 1.95

log() { printf '\033[1msetup:\033[0m %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

cargo_tool() { # name version binary [--locked]
  local crate=$1 version=$2 bin=$3 locked=${4:-}
  if "$bin" --version 2>/dev/null | grep -q "$version"; then return; fi
  log "cargo install $crate $version"
  cargo install "$crate" --version "=$version" $locked --force
}
cargo_tool wasm-pack "$WASM_PACK_VERSION" wasm-pack --locked
# No --locked: wasm-bindgen-cli's lockfile pins a crate version the registry lacks.
cargo_tool wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen

npm_ci() {
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    log "npm ci"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}
if $run_only; then
  npm_ci
  log "ready to build and run (npm test installs the test tools)"
  exit 0
fi

# cargo-fuzz builds the fuzz targets (fuzz/) with the nightly toolchain.
if ! rustup toolchain list | grep -q '^nightly-'; then
  log "installing the nightly toolchain (for cargo-fuzz)"
  rustup toolchain install nightly --profile minimal
fi

apt_missing=()
for pkg in chromium chromium-driver firefox-esr; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || apt_missing+=("$pkg")
done
if ((${#apt_missing[@]})); then
  log "installing Debian packages: ${apt_missing[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${apt_missing[@]}"
fi

cargo_tool geckodriver "$GECKODRIVER_VERSION" geckodriver --locked
cargo_tool cargo-fuzz "$CARGO_FUZZ_VERSION" cargo-fuzz --locked
cargo_tool cargo-deny "$CARGO_DENY_VERSION" cargo-deny --locked

npm_ci
log "ready"
