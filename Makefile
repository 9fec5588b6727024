# Two entry points: `make demo` runs citecheck on the bundled examples, `make test` runs the whole suite.
# Both create .venv on first use, so a fresh clone needs nothing but Python 3.11+.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint clean where

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,archive,postgres,cluster]'
	touch $(STAMP)

# Offline: the demo must not depend on (or send) internet traffic. Exit code 1 means "the report flags
# something", which is the expected outcome for these examples.
demo: $(STAMP)
	$(BIN)/citecheck check examples/ --offline --db sqlite:///demo.db || [ $$? -eq 1 ]
	@$(MAKE) --no-print-directory where

# The whole suite: lint, strict type checking of the package, then the tests.
test: $(STAMP)
	@$(MAKE) --no-print-directory where
	$(BIN)/ruff check citecheck tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

# Where the command is: .venv/bin/citecheck. `pipx install .` (or `pip install .` in any environment) puts a
# `citecheck` on PATH instead.
where: $(STAMP)
	@echo "citecheck is installed at $(abspath $(BIN))/citecheck"
	@echo "  run it from there, add $(abspath $(BIN)) to PATH, or: pipx install .  (citecheck on PATH everywhere)"

lint: $(STAMP)
	$(BIN)/ruff check citecheck tests bench

clean:
	rm -rf $(VENV) demo.db build
