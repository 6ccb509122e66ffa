#!/usr/bin/env bash
# Decode + preprocess (CLIP defaults, 224 × 224) of a 1024 × 768 and a 4000 × 3000 JPEG,
# single thread: swift-embed (release build) and Pillow + CLIPImageProcessor (PIL backend),
# run in alternation, ROUNDS times each, so that the noise of a shared host falls on both.
#
#   scripts/bench-images.sh [rounds] [repeats]     # default 5 rounds of 15 repeats
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.cache/venv/bin/python}"
ROUNDS="${1:-5}"
REPEATS="${2:-15}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
swift build -c release --product imaging-bench -Xswiftc -warnings-as-errors >/dev/null
"$PYTHON" - "$OUT" <<'PY'
import sys
from pathlib import Path
sys.path.insert(0, "scripts")
from PIL import Image
from image_fixture_inputs import picture
for w, h in [(1024, 768), (4000, 3000)]:
    Image.fromarray(picture(w, h, 42)).save(Path(sys.argv[1]) / f"photo-{w}x{h}.jpg", quality=90)
PY
FILES=("$OUT/photo-1024x768.jpg" "$OUT/photo-4000x3000.jpg")
for round in $(seq "$ROUNDS"); do
    OMP_NUM_THREADS=1 .build/release/imaging-bench --repeats "$REPEATS" "${FILES[@]}"
    OMP_NUM_THREADS=1 "$PYTHON" scripts/bench_images.py --repeats "$REPEATS" "${FILES[@]}" 2> >(grep -v "PyTorch was not found" >&2)
done | tee "$OUT/results.txt"
"$PYTHON" - "$OUT/results.txt" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    m = re.match(r"(swift|python) (\S+) total median ([\d.]+)", line)
    if m:
        runs.setdefault((m[2], m[1]), []).append(float(m[3]))
for name in sorted({k[0] for k in runs}):
    s, p = statistics.median(runs[(name, "swift")]), statistics.median(runs[(name, "python")])
    print(f"{name}: swift {s:.2f} ms, python {p:.2f} ms, python/swift {p / s:.2f}x (median of {len(runs[(name, 'swift')])} rounds)")
PY
