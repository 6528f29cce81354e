# China–Japan Cultural Trade: the commands a reader, an instructor or a reviewer needs.
# `make help` lists them. Python tools run from the project's virtual environment (.venv).

VENV    ?= .venv
PY      := $(VENV)/bin/python
JB      := $(VENV)/bin/jupyter-book
STRICT  := -W -n --keep-going
VERIFY  := _build/verify
STUDENT := _build/student
LIVE    := _build/live
EXPECTED := book/appendix/reference-numbers.json

.PHONY: help setup lock system-deps system-ready lint format thebe book book-student book-live live pdf verify lighthouse numbers-accept data-check data-hash test test-fast bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup: $(VENV)/.installed  ## create .venv and install the pinned Python packages and cjtrade

$(VENV)/.installed: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --no-deps -r requirements.txt  # the whole environment, as pinned
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# requirements.txt pins the whole environment, generated from pyproject.toml's direct dependencies;
# existing pins are kept unless named: `make lock UPGRADE="--upgrade-package pandas"` (or --upgrade).
# Left out: jsonschema's optional IRI-format checker (rfc3987-syntax, with lark), which compiles 39
# grammars each time jsonschema is imported: about 3 s in every kernel that loads data with
# frictionless, and in every `jupyter-book` start. No schema here uses the "iri" format.
UNUSED_PACKAGES := --no-emit-package rfc3987-syntax --no-emit-package lark
lock: setup  ## regenerate requirements.txt from pyproject.toml (UPGRADE="--upgrade-package NAME")
	$(VENV)/bin/uv pip compile pyproject.toml --all-extras --python-version 3.11.7 $(UPGRADE) \
	  $(UNUSED_PACKAGES) --custom-compile-command "make lock" --quiet -o requirements.txt

system-deps:  ## (root) Debian packages for the PDF and the browser tests
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	  chromium texlive-xetex texlive-latex-recommended texlive-latex-extra \
	  texlive-fonts-recommended texlive-fonts-extra texlive-pictures texlive-lang-chinese texlive-lang-japanese tex-gyre \
	  fonts-freefont-otf fonts-noto-cjk latexmk xindy poppler-utils
	command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm

# What the PDF and browser tests need from Debian; `make test` installs whatever is missing.
SYSTEM_TOOLS := chromium xelatex latexmk xindy pdftoppm npm

system-ready:  ## install the Debian packages the tests need if any is missing (as root, or with sudo)
	@missing=""; for tool in $(SYSTEM_TOOLS); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	command -v kpsewhich >/dev/null && kpsewhich xeCJK.sty >/dev/null || missing="$$missing xeCJK"; \
	fc-list 2>/dev/null | grep -q "Noto Serif CJK" || missing="$$missing Noto-CJK-fonts"; \
	if [ -n "$$missing" ]; then \
	  echo "== missing:$$missing; installing the Debian packages of 'make system-deps'"; \
	  if [ "$$(id -u)" = 0 ]; then $(MAKE) --no-print-directory system-deps; \
	  else sudo $(MAKE) --no-print-directory system-deps; fi; \
	fi

book: setup  ## build the HTML book (strict; cached execution) into _build/html
	$(JB) build . $(STRICT)

book-student: setup  ## build the HTML book without exercise solutions into _build/student/_build/html
	$(PY) -m cjbook edition $(STUDENT)/config.yml --student
	$(JB) build . --config $(STUDENT)/config.yml --path-output $(STUDENT) $(STRICT)

# Thebe's lib/ is a self-contained bundle (its lazy chunks and CSS included), so only the package's
# tarball is fetched, pinned by version and by the npm registry's integrity hash, checked before use.
THEBE_VERSION   := 0.9.2
THEBE_INTEGRITY := sha512-qjUpg33VY4CT2hKl+N+FiglTJPfmlA/lQdsJofK2WPAvkiM/l7zTG6MtXNj/pA5YGk11Opcax9EGuBXIz3T1JQ==
THEBE_DIR       := cjbook/thebe
THEBE_TGZ       := $(THEBE_DIR)/thebe-$(THEBE_VERSION).tgz

$(THEBE_DIR)/lib/.thebe-$(THEBE_VERSION):
	rm -rf $(THEBE_DIR)/lib $(THEBE_TGZ)
	cd $(THEBE_DIR) && npm pack --silent thebe@$(THEBE_VERSION) >/dev/null
	python3 -c "import base64, hashlib, sys; digest = hashlib.sha512(open(sys.argv[1], 'rb').read()).digest(); \
	  sys.exit(0 if 'sha512-' + base64.b64encode(digest).decode() == sys.argv[2] else 'thebe: integrity mismatch')" \
	  $(THEBE_TGZ) "$(THEBE_INTEGRITY)"
	tar xzf $(THEBE_TGZ) -C $(THEBE_DIR) --strip-components=1 package/lib
	rm $(THEBE_TGZ)
	touch $@

thebe: $(THEBE_DIR)/lib/.thebe-$(THEBE_VERSION)  ## fetch the pinned Thebe bundle (npm registry) for the live edition

book-live: setup thebe  ## build the live-code edition (Thebe on a local Jupyter server) into _build/live/_build/html
	$(PY) -m cjbook edition $(LIVE)/config.yml --live
	$(JB) build . --config $(LIVE)/config.yml --path-output $(LIVE) $(STRICT)

live: book-live  ## serve the live-code edition and its Jupyter server on 127.0.0.1 (Ctrl-C stops both)
	$(PY) -m cjbook.live $(LIVE)

pdf: setup  ## build the PDF with XeLaTeX into _build/latex/china-japan-cultural-trade.pdf
	rm -rf _build/latex  # latexmk remembers failed runs; the execution cache is kept elsewhere
	$(JB) build . --builder pdflatex $(STRICT)

verify: setup  ## re-execute every page from scratch and compare every quoted number
	rm -rf $(VERIFY)
	$(PY) -m cjbook edition $(VERIFY)/config.yml --force
	$(JB) build . --config $(VERIFY)/config.yml --path-output $(VERIFY) $(STRICT)
	$(PY) -m cjbook numbers-compare $(EXPECTED) $(VERIFY)/_build/html/numbers.json

numbers-accept: book  ## make the current numbers the reference (review `git diff` after!)
	$(PY) -m cjbook numbers-accept _build/html/numbers.json $(EXPECTED)

data-check: setup  ## validate every data file against its schema and checksum
	$(PY) -m cjbook data-check

data-hash: setup  ## record new checksums after a deliberate, sourced data change
	$(PY) -m cjbook data-hash

test: setup system-ready  ## every test: lint, unit, data, full build, verify, PDF and browser
	$(PY) -m pytest

test-fast: setup  ## the fast tests only, lint included (no build, no browser)
	$(PY) -m pytest -m "not slow"

lint: setup  ## ruff over the packages, scripts, tests and the chapters' code cells
	$(VENV)/bin/ruff check cjtrade cjbook scripts tests
	$(VENV)/bin/ruff format --check cjtrade cjbook scripts tests
	$(PY) -m cjbook lint

format: setup  ## format the packages, scripts, tests and the chapters' code cells with ruff
	$(VENV)/bin/ruff format cjtrade cjbook scripts tests
	$(PY) -m cjbook format

LIGHTHOUSE_DIR := scripts/lighthouse

$(LIGHTHOUSE_DIR)/node_modules/.installed: $(LIGHTHOUSE_DIR)/package-lock.json
	cd $(LIGHTHOUSE_DIR) && npm install --no-audit --no-fund --silent  # not `npm ci`: a dependency asks for "latest"
	touch $@

lighthouse: book $(LIGHTHOUSE_DIR)/node_modules/.installed  ## Lighthouse scores of every page with gzip (gated), the heaviest uncompressed (see scripts/lighthouse.py)
	$(PY) scripts/lighthouse.py

bench: setup  ## time a clean build, a cached rebuild and the PDF build
	$(PY) scripts/bench.py

clean:  ## remove all build output (not the virtual environment)
	rm -rf _build
