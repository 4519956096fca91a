#!/usr/bin/env bash
# The whole suite: static checks, then every test on SQLite, then again on PostgreSQL when DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

bash scripts/check.sh
bash scripts/ensure-chromium.sh || true

echo "== tests on SQLite"
env -u DATABASE_URL $BIN/pytest "$@"

if [ -n "${DATABASE_URL:-}" ]; then
  echo "== tests on PostgreSQL (${DATABASE_URL%%@*}@…)"
  $BIN/pytest "$@"
else
  echo "== DATABASE_URL is not set: PostgreSQL run skipped (CI always sets it)"
fi
