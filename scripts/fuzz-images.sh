#!/usr/bin/env bash
# Builds the libFuzzer target for EmbedImaging + EmbedVision (Fuzz/ImageFuzz.swift, outside
# the Swift package) with -sanitize=fuzzer,address, and fuzzes each decoder in turn, seeded
# with the committed image fixtures.
#
#   scripts/fuzz-images.sh [seconds-per-decoder] [formats...]   # default 180, jpeg png webp
#
# Linux only (libFuzzer ships with the Swift toolchain there); needs the -dev packages of
# libjpeg-turbo, libpng and libwebp. Outputs go to .build/fuzz-images: one corpus per format,
# and crash-* / timeout-* files if a problem is found.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_TO_RUN="${1:-180}"
shift || true
FORMATS=("${@:-jpeg png webp}")
[ "$#" -eq 0 ] && FORMATS=(jpeg png webp)
OUT=.build/fuzz-images
mkdir -p "$OUT"

echo "building the fuzz target (release, with libFuzzer and AddressSanitizer)..."
# The C shim, instrumented, and a module map for it (SwiftPM writes one; swiftc needs ours).
clang -O1 -g -fsanitize=fuzzer-no-link,address $(pkg-config --cflags libjpeg libpng) \
    -I Sources/CEmbedImaging/include -c Sources/CEmbedImaging/jpeg.c -o "$OUT/jpeg.o"
clang -O1 -g -fsanitize=fuzzer-no-link,address $(pkg-config --cflags libjpeg libpng) \
    -I Sources/CEmbedImaging/include -c Sources/CEmbedImaging/png.c -o "$OUT/png.o"
mkdir -p "$OUT/CEmbedImaging"
cat > "$OUT/CEmbedImaging/module.modulemap" <<MAP
module CEmbedImaging {
    header "$PWD/Sources/CEmbedImaging/include/CEmbedImaging.h"
    export *
}
MAP
FLAGS=(-O -sanitize=fuzzer,address -parse-as-library -swift-version 6
       -enable-upcoming-feature ExistentialAny -enable-upcoming-feature MemberImportVisibility
       -enable-upcoming-feature InternalImportsByDefault -I "$OUT" -I "$OUT/CEmbedImaging" -I Sources/CWebP)
swiftc "${FLAGS[@]}" -module-name EmbedImaging -emit-module -emit-module-path "$OUT/EmbedImaging.swiftmodule" \
    -emit-library -static -o "$OUT/libEmbedImaging.a" Sources/EmbedImaging/*.swift
swiftc "${FLAGS[@]}" -strict-memory-safety -module-name EmbedVision -emit-module \
    -emit-module-path "$OUT/EmbedVision.swiftmodule" -emit-library -static -o "$OUT/libEmbedVision.a" \
    Sources/EmbedVision/*.swift
swiftc "${FLAGS[@]}" -L "$OUT" -lEmbedVision -lEmbedImaging Fuzz/ImageFuzz.swift "$OUT/jpeg.o" "$OUT/png.o" \
    $(pkg-config --libs libjpeg libpng libwebpdemux) -o "$OUT/image-fuzz" 2> >(grep -v "Cannot export local symbol" >&2)

declare -A PATTERN=([jpeg]="*.jpg" [png]="*.png" [webp]="*.webp")
for format in "${FORMATS[@]}"; do
    corpus="$OUT/corpus-$format"
    mkdir -p "$corpus"
    find Tests/Fixtures/images/inputs -name "${PATTERN[$format]}" -size -64k -exec cp {} "$corpus/" \;
    echo "fuzzing $format for ${SECONDS_TO_RUN}s..."
    ASAN_OPTIONS=detect_leaks=0 FUZZ_FORMAT="$format" "$OUT/image-fuzz" "$corpus" \
        -max_total_time="$SECONDS_TO_RUN" -timeout=10 -rss_limit_mb=4096 -max_len=65536 \
        -artifact_prefix="$OUT/$format-" -print_final_stats=1 2>&1 | tee "$OUT/last-run-$format.log" \
        | grep -E "^#[0-9]+[[:space:]]+(pulse|DONE)|stat::number_of_executed_units|ERROR|Done" || true
    grep -q "Done [0-9]* runs" "$OUT/last-run-$format.log"
done
