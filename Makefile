# IEP Right. `make` = lint + the SQLite suite, the quick loop while working; `make test` = the
# whole check a newcomer and CI run (README "Quick start").
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.DEFAULT_GOAL := check
.PHONY: install install-dev run check test lint format pytest pytest-postgres browser-deps clean

$(BIN)/python:
	$(PY) scripts/check_python.py
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-dev: $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'

## Run the app on SQLite with the demo household at http://127.0.0.1:8000
run: install
	DEBUG=1 $(BIN)/python manage.py migrate --noinput -v0
	DEBUG=1 $(BIN)/python manage.py demo
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000

## Lint and run the suite on SQLite (the default goal)
check: lint pytest

## Install test dependencies (incl. Debian's chromium), lint, and run the suite on SQLite and PostgreSQL
test: install-dev browser-deps lint pytest pytest-postgres

browser-deps:
	scripts/ensure_chromium.sh

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy iepright tests bench
	$(BIN)/lint-imports

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

pytest:
	$(BIN)/python -m pytest

pytest-postgres:
	scripts/with_postgres.sh $(BIN)/python -m pytest -m "not browser" -p no:cacheprovider

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache .grimp_cache

## The benchmarks: findings, the binder PDF, the check-in page's weight, check-in writes (bench/README.md)
.PHONY: bench
bench: install-dev
	$(BIN)/python -m bench findings
	$(BIN)/python -m bench pdf
	$(BIN)/python -m bench page
	$(BIN)/python -m bench checkin
