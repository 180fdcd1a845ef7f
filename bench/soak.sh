#!/usr/bin/env bash
# The soak: production mode on loopback (two servers, two Celery workers, PostgreSQL and Redis of
# its own, the S3 stand-in, the simulators) under a mixed load while faults are injected; checks
# that nothing acknowledged was lost. Options: --duration S (600) --citizens N (4) --grace S (300).
# See docs/reliability.md. Needs the PostgreSQL server programs and redis-server (scripts/services.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m bench.soak "$@"
