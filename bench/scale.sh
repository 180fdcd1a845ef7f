#!/usr/bin/env bash
# The everyday pages at 10 000, 1 000 000 and 10 000 000 dossiers (p50/p99 and the ratio to the
# smallest size), on a throw-away PostgreSQL database (postgres@127.0.0.1:5432, trust).
# Options: --sizes 10000,1000000,10000000 --samples N --warmup N --explain --keep-database
# (see docs/benchmarks.md, "10 million dossiers"). 10 M needs about 30 GB of disk.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m bench.scale "$@"
