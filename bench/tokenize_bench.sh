#!/usr/bin/env bash
# Tokenization throughput, single thread: EmbedTokenizers (bench/TokenizerBench.swift,
# built with swiftc -O outside the package) against Hugging Face tokenizers
# (bench/tokenize_bench.py), on the same texts and tokenizer files.
#
#   bench/tokenize_bench.sh [texts.txt] [tokenizer.json ...]
#
# Defaults: the benchmark corpus (scripts/make_corpus.py, written to .build/bench-corpus)
# and the real all-MiniLM-L6-v2 tokenizer plus every fixture tokenizer.
# SOURCES=<folder> builds the Swift side from another copy of Sources/ (to compare versions).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=.cache/venv/bin/python
OUT=.build/tokenize-bench
SOURCES="${SOURCES:-Sources}"
mkdir -p "$OUT"
TEXTS="${1:-}"
if [ -z "$TEXTS" ]; then
    $PYTHON scripts/make_corpus.py --cache .build/bench-corpus --count 6000 >/dev/null
    TEXTS=.build/bench-corpus/corpus/texts.txt
fi
shift || true
if [ $# -eq 0 ]; then
    set -- Tests/Fixtures/tokenizers/*/tokenizer.json
fi

FLAGS=(-O -parse-as-library -swift-version 6 -enable-upcoming-feature ExistentialAny
       -enable-upcoming-feature MemberImportVisibility -enable-upcoming-feature InternalImportsByDefault)
swiftc "${FLAGS[@]}" -module-name EmbedCore -emit-module -emit-module-path "$OUT/EmbedCore.swiftmodule" \
    -emit-library -static -o "$OUT/libEmbedCore.a" "$SOURCES"/EmbedCore/*.swift
mapfile -t TOKENIZER_SOURCES < <(find "$SOURCES/EmbedTokenizers" -name '*.swift' | sort)
swiftc "${FLAGS[@]}" -wmo -I "$OUT" -module-name EmbedTokenizers -emit-module \
    -emit-module-path "$OUT/EmbedTokenizers.swiftmodule" -emit-library -static -o "$OUT/libEmbedTokenizers.a" \
    "${TOKENIZER_SOURCES[@]}"
swiftc "${FLAGS[@]}" -I "$OUT" -L "$OUT" -lEmbedTokenizers -lEmbedCore bench/TokenizerBench.swift -o "$OUT/tokenizer-bench"

for TOKENIZER in "$@"; do
    echo "== $TOKENIZER"
    "$OUT/tokenizer-bench" "$TOKENIZER" "$TEXTS"
    $PYTHON bench/tokenize_bench.py --tokenizer "$TOKENIZER" --input "$TEXTS"
done
