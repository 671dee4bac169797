# Thin targets over the project's tools. A fresh clone needs only
# `make site` and `make test`; both set up .venv themselves.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Reinstall when the pins or the project's metadata change.
STAMP := $(VENV)/.installed-$(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-12)

export NO_MKDOCS_2_WARNING := 1
# Deterministic builds: dates in the output come from the last commit.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)

.PHONY: site serve test clean venv node browser

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) || { \
	  echo "error: could not create $(VENV); install Python 3.11+ with venv (Debian: apt-get install python3-venv)"; exit 1; }
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	@rm -f $(VENV)/.installed-* && touch $@

venv: $(STAMP)

# The search index is built with the same JavaScript that runs in the browser.
NODE_STAMP := node_modules/.package-lock.json
$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { \
	  echo "error: npm is missing; the search index is built with Node.js (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund --silent

node: $(NODE_STAMP)

## site: build every language into site/ (strict: a broken link or nav entry fails)
site: venv node
	$(BIN)/python -m mkdocs build --strict --clean

## serve: live preview on http://127.0.0.1:8000 (ONLY=es builds one language)
serve: venv node
	$(if $(ONLY),KB_ONLY=$(ONLY)) $(BIN)/python -m mkdocs serve

## browser: Debian's chromium for the browser tests (installed when missing and root)
browser:
	@scripts/ensure-chromium.sh

## test: build the site, then run every test
test: site browser
	$(BIN)/python -m pytest

clean:
	rm -rf site .pytest_cache
