#!/usr/bin/env bash
# The whole test suite: lint, import contracts and types, then every test on PostgreSQL and on SQLite, side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
export PATH="$PWD/.venv/bin:$PATH"
ruff check .
lint-imports --no-cache >/dev/null || lint-imports --no-cache  # the layering (docs/decisions/0010)
mypy  # the typed domain apps ([tool.mypy] files in pyproject.toml)
python -m django check --settings=egov.settings >/dev/null
python -m django makemigrations --check --dry-run --settings=egov.settings >/dev/null
# The two passes run side by side, each on its own database (decision 0059): the PostgreSQL pass
# prints as it goes, the SQLite pass into var/test-sqlite.log, printed when both have finished.
# Each browser journey, and each test that installs the platform on a database of its own, runs
# once, in the PostgreSQL pass; production mode is PostgreSQL's (decision 0058).
mkdir -p var
sqlite_log=var/test-sqlite.log
DATABASE_URL=sqlite:///var/test.sqlite3 pytest -q --durations=15 \
  -m "not production and not browser and not own_installation" "$@" >"$sqlite_log" 2>&1 &
sqlite_pass=$!
trap 'kill "$sqlite_pass" 2>/dev/null || true' EXIT
echo "== tests on PostgreSQL (and on SQLite beside it)"
postgres_status=0
DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/egov} pytest -q --durations=15 "$@" \
  || postgres_status=$?
sqlite_status=0
wait "$sqlite_pass" || sqlite_status=$?
trap - EXIT
echo "== tests on SQLite"
cat "$sqlite_log"
echo "== PostgreSQL pass: exit status $postgres_status; SQLite pass: exit status $sqlite_status"
[ "$postgres_status" -eq 0 ] && [ "$sqlite_status" -eq 0 ]
