#!/usr/bin/env bash
# Builds the libFuzzer target for EmbedTokenizers (Fuzz/TokenizerFuzz.swift, outside the
# Swift package) with -sanitize=fuzzer,address and runs it on every fixture tokenizer.
#
#   scripts/fuzz-tokenizer.sh [seconds]      # default 300
#
# Linux only (libFuzzer ships with the Swift toolchain there). Outputs go to .build/fuzz:
# the corpus it grows, and crash-* / timeout-* files if it finds a problem.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-300}"
OUT=.build/fuzz
mkdir -p "$OUT/corpus"

FLAGS=(-O -sanitize=fuzzer,address -parse-as-library -swift-version 6
       -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
       -enable-upcoming-feature InternalImportsByDefault)
echo "building the fuzz target (release, with libFuzzer and AddressSanitizer)..."
swiftc "${FLAGS[@]}" -module-name EmbedCore -emit-module -emit-module-path "$OUT/EmbedCore.swiftmodule" \
    -emit-library -static -o "$OUT/libEmbedCore.a" Sources/EmbedCore/*.swift
mapfile -t TOKENIZER_SOURCES < <(find Sources/EmbedTokenizers -name '*.swift' | sort)
swiftc "${FLAGS[@]}" -I "$OUT" -module-name EmbedTokenizers -emit-module \
    -emit-module-path "$OUT/EmbedTokenizers.swiftmodule" -emit-library -static -o "$OUT/libEmbedTokenizers.a" \
    "${TOKENIZER_SOURCES[@]}"
swiftc "${FLAGS[@]}" -I "$OUT" -L "$OUT" -lEmbedTokenizers -lEmbedCore Fuzz/TokenizerFuzz.swift \
    -o "$OUT/tokenizer-fuzz" 2> >(grep -v "Cannot export local symbol" >&2)

# Seeds: the hand-written hard cases, one per tokenizer and mode.
if [ -z "$(ls -A "$OUT/corpus")" ]; then
    i=0
    while IFS= read -r line; do
        printf "\\x$(printf %x $((i % 256)))%s" "$line" > "$OUT/corpus/seed-$i"
        i=$((i + 1))
    done < scripts/data/tokenizer_cases.txt
fi

echo "fuzzing for ${SECONDS_TO_RUN}s..."
# Leak detection is off: Swift keeps enum payload pointers with tag bits set, which
# LeakSanitizer cannot follow, so the tokenizers loaded once at start look leaked. (The
# library has no classes, hence no reference cycles to leak.)
ASAN_OPTIONS=detect_leaks=0 FUZZ_TOKENIZERS="$PWD/Tests/Fixtures/tokenizers" "$OUT/tokenizer-fuzz" "$OUT/corpus" \
    -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=4096 -max_len=4096 -detect_leaks=0 \
    -artifact_prefix="$OUT/" -print_final_stats=1 2>&1 | tee "$OUT/last-run.log" | grep -E "^#[0-9]+[[:space:]]+(pulse|DONE)|stat::|fuzzing|ERROR|Done" || true
grep -q "Done [0-9]* runs" "$OUT/last-run.log"
