# The README's two commands: `make demo` and `make test`. Both set up .venv on a fresh clone.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-slow lint bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: set PYTHON=/path/to/python3.11"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,serve,spark,browser,similarity]'
	touch $(VENV)/.installed $@

demo: $(VENV)/.installed
	$(BIN)/wiretrace analyze examples/ --out out/demo --store out/demo/wiretrace.duckdb
	@echo "Report: $(CURDIR)/out/demo/report.html (and report.json beside it)"

test: $(VENV)/.installed-dev
	$(BIN)/ruff check wiretrace tests bench
	$(BIN)/python -m pytest

test-slow: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -m slow

clean:
	rm -rf out .pytest_cache
