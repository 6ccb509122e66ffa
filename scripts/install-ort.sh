#!/usr/bin/env bash
# Links the ONNX Runtime C library shipped inside the onnxruntime wheel (installed by
# setup-python.sh into .cache/venv) into .cache/onnxruntime/lib, the project folder the
# Swift binding searches (see ORTLibraryConfiguration). Idempotent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${EMBED_SETUP_DIR:-$root/.cache}"
"$root/scripts/setup-python.sh"
"$cache/venv/bin/python" - "$cache/onnxruntime/lib" <<'PY'
import os, sys, pathlib, onnxruntime
capi = pathlib.Path(onnxruntime.__file__).resolve().parent / "capi"
target = pathlib.Path(sys.argv[1])
target.mkdir(parents=True, exist_ok=True)
suffix = ".dylib" if sys.platform == "darwin" else ".so"
libs = sorted(p for p in capi.iterdir() if p.name.startswith("libonnxruntime") and "providers" not in p.name
              and (p.suffix == suffix or f"{suffix}." in p.name))
if not libs:
    sys.exit(f"error: no libonnxruntime{suffix}* in {capi}")
links = {f"libonnxruntime{suffix}": libs[-1]}
for extra in capi.glob(f"libonnxruntime_providers_shared{suffix}"):
    links[extra.name] = extra
for name, source in links.items():
    link = target / name
    relative = os.path.relpath(source, target)
    if link.is_symlink() and os.readlink(link) == relative:
        continue
    if link.exists() or link.is_symlink():
        link.unlink()
    link.symlink_to(relative)
    print(f"==> linked {link.relative_to(target.parent.parent.parent)} -> onnxruntime {onnxruntime.__version__}")
PY
