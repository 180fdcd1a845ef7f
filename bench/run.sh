#!/usr/bin/env bash
# Submit and lookup against minimal Django views, in the embedded default on a throw-away PostgreSQL
# database and in production mode (bench/cluster.py: gunicorn, Celery, Redis, S3 stand-in); both by default.
# Options: --mode both|embedded|production --duration S --warmup S --connections N --workers N --threads N
# --celery-concurrency N --drafts N --profile (see docs/benchmarks.md). Needs the local PostgreSQL
# (postgres@127.0.0.1:5432, trust); production mode also initdb, redis-server and moto_server.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m bench.submit_lookup "$@"
