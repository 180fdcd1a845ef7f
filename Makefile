# Two commands for a newcomer:
#   make demo   set up, load the Thái Nguyên demo data (with Bắc Kạn's history) and run the platform on http://127.0.0.1:8000
#   make test   set up and run the whole test suite (PostgreSQL, then SQLite)
.PHONY: setup demo test lint bench audit
setup:
	@bash scripts/setup.sh
demo: setup
	@.venv/bin/egov demo
test: setup
	@bash scripts/test.sh
lint: setup
	@.venv/bin/ruff check .
# Known vulnerabilities in the pinned Python packages and the npm packages (docs/security.md).
# pip-audit runs from a virtual environment of its own under var/, not from the platform's.
audit:
	@python3 -m venv var/pip-audit && var/pip-audit/bin/pip install -q --upgrade pip-audit
	@status=0; \
	var/pip-audit/bin/pip-audit --requirement requirements.lock --no-deps --disable-pip --strict || status=1; \
	npm audit --omit=dev || status=1; \
	exit $$status
