#!/usr/bin/env bash
# The whole test suite: lint, import contracts and types, then every test on PostgreSQL, then on SQLite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh
export PATH="$PWD/.venv/bin:$PATH"
ruff check .
lint-imports --no-cache >/dev/null || lint-imports --no-cache  # the layering (docs/decisions/0010)
mypy  # the typed domain apps ([tool.mypy] files in pyproject.toml)
python -m django check --settings=egov.settings >/dev/null
python -m django makemigrations --check --dry-run --settings=egov.settings >/dev/null
echo "== tests on PostgreSQL"
DATABASE_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/egov} pytest -q --durations=15 "$@"
# Each browser journey, and each test that installs the platform on a database of its own, runs
# once, in the pass above; production mode is PostgreSQL's (decision 0058).
echo "== tests on SQLite"
DATABASE_URL=sqlite:///var/test.sqlite3 pytest -q --durations=15 -m "not production and not browser and not own_installation" "$@"
