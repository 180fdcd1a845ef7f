#!/usr/bin/env bash
# The settlement report on 1 000 000 dossiers across 200 agencies, against a hand-written SQL
# aggregate, on a throw-away PostgreSQL database (postgres@127.0.0.1:5432, trust).
# Options: --dossiers N --runs N --explain --keep-database (see docs/reports.md).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m bench.reports_1m "$@"
