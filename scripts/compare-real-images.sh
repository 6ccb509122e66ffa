#!/usr/bin/env bash
# Compares EmbedImaging + EmbedVision with Pillow + CLIPImageProcessor on up to 50 real
# pictures found on this machine (wallpapers, icons, documentation figures; install e.g.
# gnome-backgrounds, mate-backgrounds for photographs). Nothing is committed: the goldens go
# to a temporary folder, and RealImageTests reads them through EMBED_REAL_IMAGES.
#
#   scripts/compare-real-images.sh [limit]     # default 50
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-.cache/venv/bin/python}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
"$PYTHON" scripts/real_image_goldens.py --out "$OUT" --limit "${1:-50}" 2> >(grep -v "PyTorch was not found" >&2)
EMBED_REAL_IMAGES="$OUT" swift test -c release --filter RealImageTests 2>&1 | grep -E "real image|✘|passed|failed|skipped"
