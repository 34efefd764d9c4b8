# 通報ナビ — `make run` serves the app, `make test` runs every test (browser tests included).
HOST ?= 127.0.0.1
PORT ?= 8000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.PHONY: run test check-data lint pytest chromium verify-evidence clean

run: $(STAMP)
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python -m server

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Browser tests use Debian's chromium; Playwright's own download cannot run here.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "Chromium is missing: run 'sudo apt-get install -y chromium' and then 'make test' again." >&2; exit 1; \
	  fi; }

check-data: $(STAMP)
	$(BIN)/python -m server.catalog data

lint: $(TEST_STAMP)
	$(BIN)/ruff check server tests
	$(BIN)/ruff format --check server tests

pytest: $(TEST_STAMP) chromium
	$(BIN)/python -m pytest -q

test: lint check-data pytest

# Check an evidence pack exported by the extension: make verify-evidence PACK=file.zip
verify-evidence: $(STAMP)
	@test -n "$(PACK)" || { echo "usage: make verify-evidence PACK=file.zip" >&2; exit 2; }
	$(BIN)/python -m server.evidence "$(PACK)"

clean:
	rm -rf $(VENV) dist .pytest_cache .ruff_cache

# Parts of the build that belong to one component (e.g. the extension) live in mk/.
-include mk/*.mk
