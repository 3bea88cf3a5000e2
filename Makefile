# Two commands do everything on a fresh machine (Python 3.11+, git, make, Node.js 18+; Chromium is installed if missing):
#   make serve   build and serve the site on http://127.0.0.1:8000
#   make test    run every test (installs what the tests need, Chromium included)
# Also: make test-fast (lint and the tests that need no full build, browser or snippet run),
# make build (static site in site/), make pdf (site/dl-interview-qa.pdf), make coverage,
# make bench, make clean.
# The tools are the `qa` command (package dlqa, installed in .venv in editable mode): `.venv/bin/qa --help`.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
export NO_MKDOCS_2_WARNING := 1

.PHONY: install serve build pdf test test-fast coverage bench clean

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.txt constraints.txt pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("error: Python 3.11+ is required") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -c constraints.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

# The frameworks the answers' code snippets need (torch, TensorFlow, Keras, ...): for `make test` only.
$(VENV)/.snippets: $(VENV)/.installed requirements-snippets.txt constraints-snippets.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-snippets.txt -c constraints.txt -c constraints-snippets.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null 2>&1 || { echo "error: Node.js 18+ with npm is required: the build renders math with KaTeX and diagrams with Mermaid from npm packages (https://nodejs.org)"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

/usr/bin/chromium:
	@echo "Installing Debian's chromium (the build draws diagrams in it; the tests drive it)"
	$(SUDO) apt-get update -qq
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

serve: install /usr/bin/chromium
	SITE_URL=http://127.0.0.1:8000/ $(PY) -m mkdocs serve --dev-addr 127.0.0.1:8000

build: install /usr/bin/chromium
	$(PY) -m mkdocs build --strict

pdf: build /usr/bin/chromium
	$(VENV)/bin/qa pdf --site site --out site/dl-interview-qa.pdf

test: install $(VENV)/.snippets /usr/bin/chromium
	$(VENV)/bin/ruff check dlqa tests
	$(PY) -m pytest

# The inner loop: lint and every test that needs no full build, browser or snippet run (seconds).
test-fast: install
	$(VENV)/bin/ruff check dlqa tests
	$(PY) -m pytest -m "not slow" -n 0

coverage: install
	$(VENV)/bin/qa coverage

bench: install /usr/bin/chromium
	$(VENV)/bin/qa bench $(BENCH_ARGS)

clean:
	rm -rf site .cache .pytest_cache
