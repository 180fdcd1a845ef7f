#!/usr/bin/env bash
# sqlmap against the public procedure search, the public dossier lookup and the sign-in form of a
# platform served on a throw-away PostgreSQL database with demo data (docs/security.md). Run on
# purpose, not by the test suite. Installs the Debian package sqlmap if it is missing.
# Options: --level N (2) --risk N (2) --timeout S (per target, 300) --only TEXT --database NAME --keep-database
# Exit status: 0 nothing injectable, 1 an injection point was found, 2 a target was not tested.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v sqlmap >/dev/null; then
  log=$(mktemp)
  if ! { command -v apt-get >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q sqlmap >"$log" 2>&1 \
         || { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q sqlmap; } >>"$log" 2>&1; }; then
    echo "sqlmap.sh: could not install the Debian package sqlmap:" >&2
    tail -n 20 "$log" >&2
    exit 2
  fi
fi
exec .venv/bin/python scripts/sqlmap_scan.py "$@"
