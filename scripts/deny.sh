#!/usr/bin/env bash
# cargo-deny over the main workspace, with the policy in deny.toml: licences,
# bans (duplicates, wildcards) and sources always; security advisories only
# when a local copy of the RustSec database exists, since cargo-deny fetches
# it from GitHub, which these machines cannot reach.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

cargo deny --color never --log-level warn check licenses bans sources

db_root=${CARGO_HOME:-$HOME/.cargo}/advisory-dbs
if compgen -G "$db_root/advisory-db-*/crates" >/dev/null; then
  echo "advisories: checking against the local database in $db_root (not refreshed)"
  cargo deny --color never --log-level warn --offline check advisories
else
  echo "advisories: NOT CHECKED. cargo-deny fetches the RustSec advisory database from GitHub, which this"
  echo "  machine cannot reach, and no local copy exists in $db_root. Where GitHub is reachable, run"
  echo "  \`cargo deny check advisories\`: it fetches the database into $db_root, and with a copy"
  echo "  there this script checks advisories offline."
fi
