#!/usr/bin/env bash
# Submit and lookup against minimal Django views, on a throw-away PostgreSQL database.
# Options: --duration S --warmup S --connections N --workers N --threads N --drafts N --profile
# (see docs/benchmarks.md). Needs the local PostgreSQL (postgres@127.0.0.1:5432, trust).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m bench.submit_lookup "$@"
