# swift-embed: the two commands are `make run` and `make test`; both install what they
# need first (see `make setup`) and can be run again at any time.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c

CACHE ?= .cache
PYTHON := $(CACHE)/venv/bin/python
MODEL_DIR := $(CACHE)/models/all-MiniLM-L6-v2
REFERENCE := $(CACHE)/reference/all-MiniLM-L6-v2.json
CORPUS := $(CACHE)/corpus/texts.txt
# Our own code must build without a single warning.
SWIFT_BUILD_FLAGS := -Xswiftc -warnings-as-errors
EMBED := .build/release/embed
TOOLCHAIN_DIR := .build/toolchain-test
THREADS ?= $(shell nproc 2>/dev/null || sysctl -n hw.ncpu)
HOST ?= 127.0.0.1
PORT ?= 8080

export EMBED_SETUP_DIR := $(abspath $(CACHE))
# The binary finds .cache/onnxruntime/lib by itself; another cache folder is named explicitly.
ifneq ($(CACHE),.cache)
export ORT_DYLIB_PATH := $(abspath $(CACHE))/onnxruntime/lib
endif

.PHONY: help setup system openvino tiktoken python ort model reference corpus build release run demo test test-fleet test-toolchain test-library bench bench-server quality fixtures clean

help:
	@echo "make run     build (release) and serve all-MiniLM-L6-v2 over HTTP on $(HOST):$(PORT) (Ctrl-C stops)"
	@echo "make demo    build (release) and embed sample sentences with all-MiniLM-L6-v2"
	@echo "make test    run every test (installs ONNX Runtime and the model first)"
	@echo "make test-fleet  the deployment files, nginx + replicas, replicas sharing Redis (part of make test)"
	@echo "make test-library  build examples/library-consumer on the EmbedEngine product alone and run it (part of make test)"
	@echo "make setup   only install: system packages, Python tools, ONNX Runtime and OpenVINO libraries, model export, reference vectors"
	@echo "make bench   embed bench and the Python pipeline on the same texts"
	@echo "make bench-server  load test of embed serve: 1, 8 and 64 connections (bench/load_test.py), then the Redis cache on repeated texts (bench/redis_cache.py)"
	@echo "make quality swift-embed fp32/int8 vs sentence-transformers: cosine and retrieval on the corpus"
	@echo "make fixtures  regenerate the committed test fixtures (tiny graphs, tokenizer golden files)"

## Set-up -----------------------------------------------------------------------------

setup: system ort openvino tiktoken model reference

# Debian packages: pkg-config and the image codecs' -dev packages (the build needs them),
# redis-server and openssl (the EmbedRedis tests start their own server).
system:
	@scripts/install-system.sh

python:
	@scripts/setup-python.sh

ort: python
	@scripts/install-ort.sh

# OpenVINO's CPU runtime (runtime: openvino), from the openvino wheel, into .cache/openvino/lib.
openvino: python
	@scripts/install-openvino.sh

# cl100k_base.tiktoken: the server decodes the token ids LangChain sends by default.
tiktoken: python
	@scripts/install-tiktoken.sh

model: python
	@$(PYTHON) scripts/prepare_model.py --cache $(CACHE)

reference: model
	@$(PYTHON) scripts/make_reference.py --cache $(CACHE)

corpus: python
	@$(PYTHON) scripts/make_corpus.py --cache $(CACHE)

## Build, run, test -------------------------------------------------------------------

build: system
	swift build $(SWIFT_BUILD_FLAGS)

release: system
	swift build -c release $(SWIFT_BUILD_FLAGS)

# The server on the default model: OpenAI POST /v1/embeddings, TEI POST /embed, /health, /metrics…
run: system ort tiktoken model release
	$(EMBED) serve --model $(MODEL_DIR) --threads $(THREADS) --host $(HOST) --port $(PORT)

demo: system ort model release
	$(EMBED) similarity --model $(MODEL_DIR) --threads $(THREADS) \
		"A man is eating food." \
		"A man is eating a piece of bread." \
		"The girl is carrying a baby." \
		"A man is riding a horse." \
		"Un homme mange du pain." \
		"Stock markets fell sharply on Monday."

# EMBED_REQUIRE_RUNTIME=1: tests that need ONNX Runtime or the real model fail instead of
# being skipped when something is missing.
test: setup corpus
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	EMBED_REQUIRE_RUNTIME=1 swift test --skip-build
	$(PYTHON) scripts/test_openai_client.py --embed .build/debug/embed --model $(MODEL_DIR)
	$(PYTHON) scripts/test_langchain_client.py --embed .build/debug/embed --model $(MODEL_DIR)
	$(PYTHON) scripts/test_client_snippets.py --embed .build/debug/embed --model $(MODEL_DIR)
	$(PYTHON) scripts/test_huggingface_hub_client.py --embed .build/debug/embed --model $(MODEL_DIR)
	$(PYTHON) bench/stress.py --embed .build/debug/embed --model $(MODEL_DIR)
	$(PYTHON) scripts/test_openapi_schemathesis.py --embed .build/debug/embed --model $(MODEL_DIR)
	$(PYTHON) scripts/fit_projection.py check --embed .build/debug/embed
	@$(MAKE) --no-print-directory test-fleet
	@$(MAKE) --no-print-directory test-toolchain
	@$(MAKE) --no-print-directory test-library

# Beyond one machine, on loopback (the debug build made by `make test`): the deployment
# files validated offline (scripts/validate-deploy.sh installs nginx, kubernetes-validate and
# hadolint when missing; no cluster and no Docker engine run here), nginx in front of two
# replicas with one killed, and three replicas behind nginx sharing one redis-server.
# An application's build: examples/library-consumer depends on the EmbedEngine product only
# (its own build folder; no server, CLI or TLS code compiled) and ranks documents.
test-library: setup
	scripts/test-library-consumer.sh $(MODEL_DIR)

test-fleet: setup
	EMBED=.build/debug/embed bash scripts/validate-deploy.sh
	$(PYTHON) scripts/test-load-balancer.py --embed .build/debug/embed --model $(MODEL_DIR)
	$(PYTHON) scripts/test-replicas-redis.py --embed .build/debug/embed --model $(MODEL_DIR)

# The conversion toolchain end to end on the real all-MiniLM-L6-v2: embed convert (export,
# then swift-embed vs PyTorch on 374 texts, fails under 0.999), then embed quantize (int8,
# then quality, retrieval on 300 corpus pairs and speed against fp32). Debug build: the
# speed figures it prints are relative (int8 vs fp32 in the same binary).
# Its optimised graphs go under $(TOOLCHAIN_DIR), not into the user's cache.
test-toolchain: export EMBED_ONNX_OPTIMIZED_CACHE_DIR := $(abspath $(TOOLCHAIN_DIR))/optimized
test-toolchain: setup corpus build
	@rm -rf $(TOOLCHAIN_DIR)
	.build/debug/embed convert $(MODEL_DIR) --output $(TOOLCHAIN_DIR)/all-MiniLM-L6-v2 --threads $(THREADS)
	.build/debug/embed quantize $(TOOLCHAIN_DIR)/all-MiniLM-L6-v2 --mode dynamic-int8 --threads $(THREADS) \
		--pairs-sample 300 --speed-sample 256

## Benchmarks -------------------------------------------------------------------------

bench: ort model corpus release
	$(EMBED) bench --model $(MODEL_DIR) --input $(CORPUS) --threads $(THREADS) --batch-sizes 1,8,32
	$(EMBED) bench --model $(MODEL_DIR) --input $(CORPUS) --threads $(THREADS) --batch-sizes 1,8,32 --no-sort
	$(PYTHON) bench/python_pipeline.py --model $(MODEL_DIR) --input $(CORPUS) --threads $(THREADS) --batch-sizes 1,8,32

# Loopback load test of the server (bounded: DURATION seconds per level); see docs/server.md.
DURATION ?= 30
bench-server: ort model corpus release
	$(PYTHON) bench/load_test.py --embed $(EMBED) --model $(MODEL_DIR) --input $(CORPUS) \
		--concurrency 1,8,64 --duration $(DURATION) --offline --server-arg=--threads --server-arg=$(THREADS)
	$(PYTHON) bench/redis_cache.py --embed $(EMBED) --model $(MODEL_DIR) --input $(CORPUS) \
		--duration $(DURATION) --server-arg=--threads --server-arg=$(THREADS)

# swift-embed (fp32 and int8) against sentence-transformers on real texts: cosine and retrieval.
quality: ort model corpus release
	$(PYTHON) bench/quality.py --model $(MODEL_DIR) --embed $(EMBED) --threads $(THREADS)

## Fixtures (committed; regenerate after changing the scripts) -------------------------

fixtures: python
	$(PYTHON) scripts/make_test_models.py
	$(PYTHON) scripts/gen_unicode_tables.py
	$(PYTHON) scripts/gen_unicode_properties.py
	$(PYTHON) scripts/make_tokenizer_golden.py
	$(PYTHON) scripts/make_tokenizer_fixtures.py
	$(PYTHON) scripts/make_tokenizer_components.py
	$(PYTHON) scripts/make_family_models.py
	$(PYTHON) scripts/make_siglip_models.py

clean:
	rm -rf .build
