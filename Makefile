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

# Install a Debian package unless a check says it is there: $(call apt-install,CHECK,PACKAGE,TARGET).
define apt-install
@{ $(1); } >/dev/null 2>&1 || { \
  if [ "$$(id -u)" = 0 ]; then \
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
  else \
    echo "$(2) is missing: run 'sudo apt-get install -y $(2)' and then 'make $(3)' again." >&2; exit 1; \
  fi; }
endef

# Browser tests use Debian's chromium; Playwright's own browser download cannot run here. Japanese is
# drawn with a Japanese font, as people see it: the accessibility checks measure the text's size.
chromium:
	$(call apt-install,command -v chromium,chromium,test)
	$(call apt-install,fc-list :lang=ja | grep -q .,fonts-ipafont-gothic,test)

check-data: $(STAMP)
	$(BIN)/python -m server.catalog data

lint: $(TEST_STAMP)
	$(BIN)/ruff check server tests bench
	$(BIN)/ruff format --check server tests bench

pytest: $(TEST_STAMP) chromium
	$(BIN)/python -m pytest -q

test: lint check-data pytest

# Check an evidence pack exported by the extension: make verify-evidence PACK=file.zip
verify-evidence: $(STAMP)
	@test -n "$(PACK)" || { echo "usage: make verify-evidence PACK=file.zip" >&2; exit 2; }
	$(BIN)/python -m server.evidence "$(PACK)"

clean:
	rm -rf $(VENV) dist build .pytest_cache .ruff_cache

# Parts of the build that belong to one component (e.g. the extension) live in mk/.
-include mk/*.mk
