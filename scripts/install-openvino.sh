#!/usr/bin/env bash
# Installs the OpenVINO wheel (pinned below) into the project's Python environment
# (.cache/venv, or $EMBED_SETUP_DIR/venv) and links the libraries that a CPU run of an
# ONNX model needs into .cache/openvino/lib (or $EMBED_SETUP_DIR/openvino/lib), the
# folder the Swift binding searches (see OVLibraryConfiguration):
#
#   libopenvino_c       the C API the binding calls
#   libopenvino         the core it wraps
#   the CPU plugin      libopenvino_intel_cpu_plugin (x86_64) or libopenvino_arm_cpu_plugin
#   the ONNX frontend   libopenvino_onnx_frontend (reads .onnx files)
#   the IR frontend     libopenvino_ir_frontend (0.6 MB): OpenVINO's model cache (CACHE_DIR)
#                       reads a cached model back as IR; without it every cache lookup
#                       silently falls back to a full compile
#   libtbb              the threading library the core and the plugin are linked against
#
# Nothing else is needed (checked by running the tests and the real model with copies of
# only these files): OpenVINO finds its plugins and frontends next to libopenvino, so the
# GPU/NPU/AUTO/HETERO plugins, the other frontends and the optional TBB helpers
# (tbbmalloc, tbbbind + hwloc) stay out.
#
# Idempotent: a second run with the same version installs nothing and changes no link.
set -euo pipefail

OPENVINO_VERSION="2026.4.1"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${EMBED_SETUP_DIR:-$root/.cache}"
venv="$cache/venv"
python="${PYTHON:-python3}"

if [ ! -x "$venv/bin/python" ]; then
  echo "==> creating Python environment in ${venv#"$root"/}"
  mkdir -p "$cache"
  "$python" -m venv "$venv"
fi

installed="$("$venv/bin/python" -c 'import importlib.metadata as m; print(m.version("openvino"))' 2>/dev/null || true)"
if [ "$installed" != "$OPENVINO_VERSION" ]; then
  echo "==> installing openvino==$OPENVINO_VERSION into ${venv#"$root"/}"
  "$venv/bin/python" -m pip --disable-pip-version-check --quiet install "openvino==$OPENVINO_VERSION"
fi

"$venv/bin/python" - "$cache/openvino/lib" <<'PY'
import os, pathlib, platform, sys
import importlib.util

spec = importlib.util.find_spec("openvino")
if spec is None or spec.origin is None:
    sys.exit("error: the openvino package is not installed in this environment")
package = pathlib.Path(spec.origin).resolve().parent
libs = package / "libs"
target = pathlib.Path(sys.argv[1])
target.mkdir(parents=True, exist_ok=True)

darwin = sys.platform == "darwin"
arm = platform.machine().lower() in ("arm64", "aarch64")
plugin = "libopenvino_arm_cpu_plugin" if arm else "libopenvino_intel_cpu_plugin"

def find(stem):
    """The wheel's file for a library stem: libname.so, libname.so.N (Linux) or
    libname.dylib, libname.N.dylib (macOS), preferring the versioned file."""
    matches = []
    for path in libs.iterdir():
        name = path.name
        if darwin:
            ok = name == f"{stem}.dylib" or (name.startswith(f"{stem}.") and name.endswith(".dylib")) \
                or name == f"{stem}.so"
        else:
            ok = name == f"{stem}.so" or name.startswith(f"{stem}.so.")
        if ok:
            matches.append(path)
    if not matches:
        sys.exit(f"error: no {stem} library in {libs}")
    return sorted(matches, key=lambda p: (len(p.name), p.name))[-1]

wanted = [find(stem) for stem in ("libopenvino_c", "libopenvino", plugin, "libopenvino_onnx_frontend",
                                  "libopenvino_ir_frontend", "libtbb")]
links = {path.name: path for path in wanted}
# An unversioned name for the C library, so that the binding's search finds it.
c_library = wanted[0]
links["libopenvino_c.dylib" if darwin else "libopenvino_c.so"] = c_library

# Links left from another version (or by hand) would be picked up by OpenVINO's own
# plugin and frontend search: remove every link in the folder that is not wanted.
for entry in target.iterdir():
    if entry.is_symlink() and entry.name not in links:
        entry.unlink()

changed = False
for name, source in links.items():
    link = target / name
    relative = os.path.relpath(source, target)
    if link.is_symlink() and os.readlink(link) == relative:
        continue
    if link.exists() or link.is_symlink():
        link.unlink()
    link.symlink_to(relative)
    changed = True

if changed:
    import importlib.metadata
    total = sum(path.stat().st_size for path in wanted)
    version = importlib.metadata.version("openvino")
    shown = os.path.relpath(target, os.getcwd()) if str(target).startswith(os.getcwd()) else target
    print(f"==> linked {len(wanted)} OpenVINO {version} libraries ({total / 1e6:.1f} MB) into {shown}")
    for path in wanted:
        print(f"    {path.name:40s} {path.stat().st_size / 1e6:6.1f} MB")
PY
