# CCHC — the two commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
ADDR   ?= 127.0.0.1:8000

.PHONY: demo test install install-test lint format serve worker clean benchmark

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Reinstalled only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	CCHC_TASKS=$${CCHC_TASKS:-thread} $(BIN)/cchc demo --serve --addrport $(ADDR)

serve: install
	CCHC_TASKS=$${CCHC_TASKS:-thread} $(BIN)/cchc serve $(ADDR)

worker: install
	CCHC_TASKS=database $(BIN)/cchc worker

test: install-test
	bash scripts/run-tests

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

benchmark: install-test
	$(BIN)/pip install -q -e '.[bench]'
	$(BIN)/python benchmarks/dossiers.py

clean:
	rm -rf $(VENV) var
