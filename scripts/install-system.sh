#!/usr/bin/env bash
# Installs the system packages the build and the tests need, when they are missing:
#   - pkg-config and the -dev packages of the image codecs Pillow itself uses
#     (libjpeg-turbo, libpng, libwebp): the CJPEG/CPNG/CWebP system-library targets
#     find them through pkg-config at build time;
#   - redis-server and openssl: the EmbedRedis tests start their own server on a free
#     loopback port (no service is used) and make a throwaway CA for the TLS tests.
# Debian/Ubuntu: apt-get, waiting for a dpkg lock held by another process. macOS: it
# prints the one Homebrew command. Anywhere else it says what to install. Idempotent.
set -euo pipefail

need_pc=(libjpeg libpng libwebpdemux)
need_cmd=(redis-server openssl pkg-config)
apt_pkgs=(pkg-config libjpeg62-turbo-dev libpng-dev libwebp-dev redis-server openssl)

missing=0
for cmd in "${need_cmd[@]}"; do command -v "$cmd" >/dev/null 2>&1 || missing=1; done
if command -v pkg-config >/dev/null 2>&1; then
    for pc in "${need_pc[@]}"; do pkg-config --exists "$pc" || missing=1; done
fi
[ "$missing" -eq 0 ] && exit 0

if [ "$(uname)" = "Darwin" ]; then
    echo "install-system: please run: brew install pkg-config jpeg-turbo libpng webp redis openssl" >&2
    exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-system: please install pkg-config, libjpeg-turbo, libpng and libwebp (with headers)," >&2
    echo "                redis-server and openssl with your package manager" >&2
    exit 1
fi

# Ubuntu names the JPEG package libjpeg-turbo8-dev; Debian libjpeg62-turbo-dev.
if ! apt-cache show libjpeg62-turbo-dev >/dev/null 2>&1 && apt-cache show libjpeg-turbo8-dev >/dev/null 2>&1; then
    apt_pkgs[1]=libjpeg-turbo8-dev
fi

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
apt=("${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600)
echo "==> installing system packages: ${apt_pkgs[*]}"
if ! "${apt[@]}" install -y --no-install-recommends "${apt_pkgs[@]}"; then
    echo "install-system: install failed, refreshing the package lists and trying once more" >&2
    "${apt[@]}" update
    "${apt[@]}" install -y --no-install-recommends "${apt_pkgs[@]}"
fi
for pc in "${need_pc[@]}"; do
    pkg-config --exists "$pc" || { echo "install-system: pkg-config still cannot find $pc" >&2; exit 1; }
done
