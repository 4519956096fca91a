#!/usr/bin/env bash
# The whole suite: static checks, then every test on SQLite, then again on PostgreSQL when DATABASE_URL is set.
# The API fuzzing and the browser journeys exercise the HTTP layer rather than the database, and are the slowest
# parts: with PostgreSQL available they run once, there; without it they run on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

bash scripts/check.sh
bash scripts/ensure-chromium.sh || true

if [ -n "${DATABASE_URL:-}" ]; then
  echo "== tests on SQLite (fuzzing and browser journeys run once, on PostgreSQL)"
  env -u DATABASE_URL $BIN/pytest -m "not fuzz and not browser" "$@"
  echo "== tests on PostgreSQL (${DATABASE_URL%%@*}@…)"
  $BIN/pytest "$@"
else
  echo "== tests on SQLite"
  $BIN/pytest "$@"
  echo "== DATABASE_URL is not set: PostgreSQL run skipped (CI always sets it)"
fi
