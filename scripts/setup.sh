#!/usr/bin/env bash
# Creates .venv from the lock file and the front-end assets from package-lock.json.
# Re-running is cheap: each step is skipped when its inputs have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
stamp=.venv/.lock-$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  .venv/bin/python -m pip install -q -r requirements.lock
  .venv/bin/python -m pip install -q --no-deps -e .
  rm -f .venv/.lock-* && touch "$stamp"
fi
nstamp=node_modules/.lock-$(sha256sum package-lock.json | cut -c1-16)
if [ ! -f "$nstamp" ]; then
  npm ci --no-audit --no-fund --loglevel=error
  touch "$nstamp"
fi
# Vendor the CSS framework from npm into the app's static files (no CDN).
mkdir -p egov/static/vendor/bootstrap
cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map \
   node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map \
   egov/static/vendor/bootstrap/
# The charting library of the dashboards (Apache ECharts), from npm the same way.
mkdir -p egov/static/vendor/echarts
cp node_modules/echarts/dist/echarts.min.js egov/static/vendor/echarts/
