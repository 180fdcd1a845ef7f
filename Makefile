# Two commands for a newcomer:
#   make demo   set up, load the Thái Nguyên demo data (with Bắc Kạn's history) and run the platform on http://127.0.0.1:8000
#   make test   set up and run the whole test suite (PostgreSQL, then SQLite)
.PHONY: setup demo test lint bench
setup:
	@bash scripts/setup.sh
demo: setup
	@.venv/bin/egov demo
test: setup
	@bash scripts/test.sh
lint: setup
	@.venv/bin/ruff check .
