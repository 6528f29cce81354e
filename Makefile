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

.PHONY: help setup system-deps thebe book book-student book-live live pdf verify lighthouse numbers-accept data-check data-hash test test-fast bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

setup: $(VENV)/.installed  ## create .venv and install the pinned Python packages and cjtrade

$(VENV)/.installed: requirements.txt pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

system-deps:  ## (root) Debian packages for the PDF and the browser tests
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	  chromium texlive-xetex texlive-latex-recommended texlive-latex-extra \
	  texlive-fonts-recommended texlive-fonts-extra texlive-pictures texlive-lang-chinese texlive-lang-japanese tex-gyre \
	  fonts-freefont-otf fonts-noto-cjk latexmk xindy poppler-utils
	command -v npm >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm

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

test: setup  ## every test: unit, data, full build, verify, PDF and browser
	$(PY) -m pytest

test-fast: setup  ## the fast tests only (no build, no browser)
	$(PY) -m pytest -m "not slow"

LIGHTHOUSE_DIR := scripts/lighthouse

$(LIGHTHOUSE_DIR)/node_modules/.installed: $(LIGHTHOUSE_DIR)/package-lock.json
	cd $(LIGHTHOUSE_DIR) && npm install --no-audit --no-fund --silent  # not `npm ci`: a dependency asks for "latest"
	touch $@

lighthouse: book $(LIGHTHOUSE_DIR)/node_modules/.installed  ## Lighthouse scores of every page, with and without gzip (gated: see scripts/lighthouse.py)
	$(PY) scripts/lighthouse.py

bench: setup  ## time a clean build, a cached rebuild and the PDF build
	$(PY) scripts/bench.py

clean:  ## remove all build output (not the virtual environment)
	rm -rf _build
