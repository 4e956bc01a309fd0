# The two set-up commands: `make serve` and `make test`. Everything else is a helper for them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Leave empty for SQLite; set to a PostgreSQL URL to run the database tests there.
TEST_DATABASE_URL ?=

.PHONY: serve test install install-test db seed lint typecheck bench clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Installs are pinned by the lock file (versions known to pass); `make lock` refreshes it.
LOCK := .ci/constraints.txt

$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(LOCK) $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[test]'
	touch $@

# Resolve pyproject.toml's dependencies afresh in a scratch venv and pin every version in $(LOCK).
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e '.[test]'
	{ echo "# Pinned versions for make install / install-test. Refresh with: make lock"; \
	  .lock-venv/bin/python -m pip freeze --exclude-editable; } > $(LOCK)
	rm -rf .lock-venv

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

db: install
	$(BIN)/forecasts db upgrade

seed: db
	$(BIN)/forecasts seed

serve: seed
	$(BIN)/forecasts serve --host $(HOST) --port $(PORT)

test: install-test
	TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/python -m pytest

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy forecasts webapp

bench: install-test
	$(BIN)/python -m bench.pool
	$(BIN)/python -m bench.history
	$(BIN)/python -m bench.api
	$(BIN)/python -m bench.pages
	$(BIN)/python -m bench.reading
	@echo "ESPAI fit: $(BIN)/python -m bench.espai_fit PATH/TO/responses.csv"

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache .hypothesis
