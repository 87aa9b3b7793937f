# Fresh machine: Python 3.11+ and the package registries are all `make run` and `make test` need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Prefect runs embedded (temporary local server, state in ./.prefect) and sends no telemetry.
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_HOME := $(CURDIR)/.prefect

.PHONY: venv run test lint clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: venv
	$(BIN)/plandata ingest samples --out output
	$(BIN)/plandata compare --out output
	$(BIN)/plandata report --out output

test: venv
	$(BIN)/python -m pytest -q

lint: venv
	$(BIN)/ruff check .

clean:
	rm -rf output/datasets output/plandata.duckdb output/.plandata.lock .prefect .pytest_cache .ruff_cache
