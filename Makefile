# Fresh machine: Python 3.11+ and the package registries are all `make run` and `make test` need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# Prefect runs embedded (temporary local server, state in ./.prefect) and sends no telemetry.
export DO_NOT_TRACK := 1
export PREFECT_SERVER_ANALYTICS_ENABLED := false
export PREFECT_HOME := $(CURDIR)/.prefect

OCR_PACKAGES := ocrmypdf tesseract-ocr tesseract-ocr-fin tesseract-ocr-swe

.PHONY: venv run test lint clean ocr-tools

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m compileall -q models extractors flows
	# builds the derived lemma tables' cache (~/.cache/plandata), so the first extraction process starts fast
	$(BIN)/python -c "from extractors.pipeline import warm_up; warm_up()"
	touch $(STAMP)

# The first start of Prefect's temporary server creates and migrates its database in PREFECT_HOME (tens of
# seconds on a busy 2-core machine); do it once here, so the first `plandata` command of `make run` starts fast.
$(PREFECT_HOME)/prefect.db: $(STAMP)
	$(BIN)/python -m flows.server

run: venv $(PREFECT_HOME)/prefect.db
	$(BIN)/plandata ingest samples --out output
	$(BIN)/plandata compare --out output
	$(BIN)/plandata report --out output

test: venv
	$(BIN)/python -m pytest -q

# OCR of scanned pages needs OCRmyPDF and Tesseract with Finnish and Swedish data (Debian packages); the
# test session installs them the same way when missing.
ocr-tools:
	@if command -v ocrmypdf >/dev/null && command -v tesseract >/dev/null \
	    && tesseract --list-langs 2>/dev/null | grep -qx fin && tesseract --list-langs 2>/dev/null | grep -qx swe; then \
	    echo "OCR tools present"; \
	elif [ "$$(id -u)" = 0 ]; then \
	    DEBIAN_FRONTEND=noninteractive apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $(OCR_PACKAGES); \
	else \
	    echo "OCR tools missing: run as root, or: sudo apt-get install $(OCR_PACKAGES)" >&2; exit 1; \
	fi

lint: venv
	$(BIN)/ruff check .

clean:
	rm -rf output/datasets output/plandata.duckdb output/.plandata.lock .prefect .pytest_cache .ruff_cache
