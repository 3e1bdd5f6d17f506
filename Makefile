# The two commands the README promises: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEMO_DB ?= dyadwatch.duckdb

.PHONY: demo serve test bench lint install clean train evaluate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml requirements-parsers.txt | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements-parsers.txt
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/dyadwatch --db $(DEMO_DB) demo

serve: $(STAMP)
	$(BIN)/dyadwatch --db $(DEMO_DB) serve

test: $(STAMP)
	$(BIN)/python -m pytest

# Rebuild the coder's models from labels/ (fixed seeds), then score them on dev and test.
train: $(STAMP)
	$(BIN)/dyadwatch train coder --labels labels --shared ../shared

# The coder on the labelled corpus, then the verdicts on the record of shifts (needs `make demo`).
evaluate: $(STAMP)
	$(BIN)/dyadwatch evaluate coder --split all --out EVALUATION.md --scores-out dyadwatch/data/eval/coder_scores.json
	$(BIN)/dyadwatch --db $(DEMO_DB) evaluate verdicts --out EVALUATION.md --scores-out dyadwatch/data/eval/verdict_scores.json

bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python benchmarks/run_all.py

lint: $(STAMP)
	$(BIN)/ruff check dyadwatch tests benchmarks
	$(BIN)/ruff format --check dyadwatch tests benchmarks
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache $(DEMO_DB) $(DEMO_DB).wal $(basename $(DEMO_DB)).read.duckdb
