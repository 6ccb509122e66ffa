#!/usr/bin/env bash
# Installs the Debian packages whose pictures bench/clip_compare.py, bench/clip_openvino.py and
# bench/clip-latency use as real images (wallpapers and photographs; icons and documentation
# figures come with the base system). Debian 12 / Ubuntu; needs root (or sudo).
#
#   bash scripts/install-bench-images.sh
#
# The figures in docs/images.md ("Speed and memory") were measured with these installed: 500
# images, the largest files first (≤ 10 MB, the engine's default images.max_bytes), which were
# the wallpapers of these packages and then the largest icons.
set -euo pipefail
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends \
    gnome-backgrounds mate-backgrounds desktop-base plasma-workspace-wallpapers
