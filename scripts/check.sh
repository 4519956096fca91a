#!/usr/bin/env bash
# The project's static checks: lint and format, types, import rules, migrations in step with models.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
export DJANGO_SETTINGS_MODULE=zhijia.settings.test
echo "== ruff (lint, format)"
$BIN/ruff check src tests bench conftest.py
$BIN/ruff format --check src tests bench conftest.py
echo "== mypy"
$BIN/mypy src
echo "== import rules"
PYTHONPATH=src $BIN/lint-imports
echo "== migrations match the models"
env -u DATABASE_URL $BIN/zhijia makemigrations --check --dry-run
echo "== django system checks"
env -u DATABASE_URL $BIN/zhijia check --fail-level WARNING
