"""Runs every client snippet of docs/clients.md, exactly as written, against `embed serve`.

1. docs/clients.md: every fenced block must be preceded by `<!-- snippet: clients/FILE -->`
   and equal docs/clients/FILE byte for byte; every file in docs/clients/ must be shown.
   (`--docs-only` stops here: no server, no venv.)
2. The client libraries go into their own venv, .cache/clients-venv (chromadb, LlamaIndex and
   Haystack pull many dependencies), from scripts/requirements-clients.txt; a stamp file
   makes a second run with the same requirements install nothing.
3. Starts the built `embed serve` on a free loopback port with an API key (so a snippet that
   does not send the key fails with 401), then runs each snippet with EMBED_BASE_URL,
   EMBED_API_KEY and EMBED_MODEL set (timeout per snippet). OPENAI_API_KEY, OPENAI_BASE_URL,
   HF_TOKEN and HF_HUB_OFFLINE (InferenceClient refuses even loopback URLs under it) are
   removed from the environment; telemetry of chromadb (in the snippet) and
   Haystack (HAYSTACK_TELEMETRY_ENABLED) is off; tiktoken gets the cl100k_base file that
   `make setup` installs, so nothing is downloaded.
   swift_embedder.swift (the library in-process, no server) is compiled and linked first with
   swiftc against the objects and modules of the build that --embed belongs to (Swift 6 mode,
   warnings as errors), then run with EMBED_MODEL_DIR.
4. Each Python snippet (and the Swift one) prints JSON lines: {"texts", "vectors"} (each vector must have cosine
   >= 0.999999 with `embed encode` of the same text, same model and runtime, offline path),
   {"source", "sentences", "scores"} (each score within 1e-6 of the cosine of the reference
   vectors) or {"query", "ids"} (chromadb's nearest document). curl.sh prints the two
   servers' answers (OpenAI's object, TEI's array), checked the same way.

Run by `make test`:
    .cache/venv/bin/python scripts/test_client_snippets.py --embed .build/debug/embed \
        --model .cache/models/all-MiniLM-L6-v2
"""

import argparse
import json
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from fnmatch import fnmatch
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_openai_client import free_port, wait_for_health  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs/clients.md"
SNIPPETS = ROOT / "docs/clients"
REQUIREMENTS = ROOT / "scripts/requirements-clients.txt"
API_KEY = "key-for-the-client-snippets"
COSINE = 0.999999
SCORE = 1e-6
TIMEOUT_S = 240
# The texts curl.sh sends (in both requests): JSON written in the shell script, not printed by it.
CURL_TEXTS = ["A man is eating food.", "Grüße aus Köln 🙂 — naïve café"]
# Snippet file → JSON lines it must print (kinds, in order).
EXPECTED = {
    "openai_client.py": ["vectors"],
    "langchain_client.py": ["vectors", "vectors"],
    "llamaindex_client.py": ["vectors", "vectors"],
    "haystack_client.py": ["vectors", "vectors"],
    "chromadb_client.py": ["vectors", "ids"],
    "huggingface_hub_client.py": ["vectors", "scores"],
    "curl.sh": ["openai", "tei"],
    "swift_embedder.swift": ["vectors"],
}
# Build folders under the debug build that are not the library's closure: executables (their
# own `main`), tests and test helpers. The Swift snippet is linked with every other object.
NOT_LINKED = ("*Tests", "*Testing*", "*TestKit", "*TestUtils", "embed", "*-tool", "generate_*", "imaging_bench",
              "PerformanceTest", "swift_embedPackage*", "FakeHub", "EmbedTestSupport", "InMemory*")
CHROMADB_NEAREST = {"Where is the capital of Japan?": ["tokyo"]}


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, condition: bool, what: str) -> bool:
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}", file=sys.stderr)
        return condition


def cosine(a, b) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def check_docs(checker: Checker) -> None:
    """Every fenced block of docs/clients.md is a file of docs/clients/, verbatim."""
    text = DOCS.read_text(encoding="utf-8")
    shown = set()
    fences = list(re.finditer(r"^```[^\n]*\n(.*?)^```$", text, flags=re.S | re.M))
    checker.check(len(fences) > 0, "docs/clients.md has fenced blocks")
    for fence in fences:
        before = text[: fence.start()].rstrip("\n").rsplit("\n", 1)[-1]
        marker = re.fullmatch(r"<!-- snippet: clients/([\w.\-]+) -->", before)
        line = text.count("\n", 0, fence.start()) + 1
        if not checker.check(marker is not None, f"docs/clients.md line {line}: a block without a snippet marker"):
            continue
        name = marker.group(1)
        path = SNIPPETS / name
        if not checker.check(path.is_file(), f"docs/clients.md line {line}: no docs/clients/{name}"):
            continue
        shown.add(name)
        checker.check(fence.group(1) == path.read_text(encoding="utf-8"),
                      f"docs/clients.md line {line}: the block differs from docs/clients/{name}")
    for path in sorted(SNIPPETS.iterdir()):
        checker.check(path.name in shown, f"docs/clients/{path.name} is not shown in docs/clients.md")
    for name in EXPECTED:
        checker.check(name in shown, f"docs/clients.md shows {name}")


def clients_python(cache: Path) -> Path:
    """The venv with the client libraries, created or updated from requirements-clients.txt."""
    venv = cache / "clients-venv"
    python = venv / "bin/python"
    stamp = venv / ".installed-requirements"
    wanted = REQUIREMENTS.read_text(encoding="utf-8")
    if python.exists() and stamp.is_file() and stamp.read_text(encoding="utf-8") == wanted:
        return python
    print(f"==> installing {REQUIREMENTS.relative_to(ROOT)} into {venv.name}", file=sys.stderr)
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(python), "-m", "pip", "--disable-pip-version-check", "--quiet", "install",
                    "-r", str(REQUIREMENTS)], check=True)
    stamp.write_text(wanted, encoding="utf-8")
    return python


def build_swift(source: Path, build: Path, output: Path) -> str:
    """Compiles and links the Swift snippet against this build (.build/debug): its modules, the
    module maps of its C targets and its object files, as a package depending on swift-embed
    would get them. Swift 6 mode, warnings are errors. Returns the compiler's complaints, or ''."""
    objects = []
    for folder in sorted(build.glob("*.build")):
        if not any(fnmatch(folder.name[: -len(".build")], pattern) for pattern in NOT_LINKED):
            objects += sorted(str(o) for o in folder.rglob("*.o"))
    maps = sorted(build.glob("*.build/module.modulemap")) + sorted((ROOT / "Sources").glob("C*/module.modulemap"))
    libraries = subprocess.run(["pkg-config", "--libs", "libjpeg", "libpng", "libwebpdemux", "zlib"],
                               capture_output=True, text=True, check=True).stdout.split()
    main = output.parent / "main.swift"  # top-level code needs the name main.swift
    shutil.copy(source, main)
    command = (["swiftc", "-swift-version", "6", "-warnings-as-errors", "-I", str(build / "Modules")]
               + [arg for m in maps for arg in ("-Xcc", f"-fmodule-map-file={m}")]
               + [str(main)] + objects + libraries + ["-lstdc++", "-o", str(output)])
    run = subprocess.run(command, capture_output=True, text=True, timeout=600)
    complaints = [line for line in (run.stdout + run.stderr).splitlines() if "ld.lld: warning" not in line]
    if run.returncode != 0:
        return "\n".join(complaints[-40:]) or f"swiftc exit status {run.returncode}"
    return ""


def reference_vectors(embed: str, model: str, texts: list) -> dict:
    """`embed encode` (the offline path, no server) of every text."""
    body = "".join(json.dumps({"text": t}) + "\n" for t in texts)
    run = subprocess.run([embed, "encode", "--model", model, "--runtime", "onnxruntime", "--jsonl", "--input", "-"],
                         input=body, capture_output=True, text=True, timeout=300, check=True, cwd=ROOT)
    vectors = [json.loads(line) for line in run.stdout.splitlines()]
    if len(vectors) != len(texts):
        raise SystemExit(f"embed encode gave {len(vectors)} vectors for {len(texts)} texts")
    return dict(zip(texts, vectors))


def parse_output(name: str, stdout: str, checker: Checker) -> list:
    """The snippet's JSON lines as (kind, record); curl's answers turned into {"texts", "vectors"}."""
    records = []
    lines = [line for line in stdout.splitlines() if line.strip()]
    kinds = EXPECTED[name]
    if not checker.check(len(lines) == len(kinds), f"{name}: {len(lines)} output lines, expected {len(kinds)}"):
        return records
    for kind, line in zip(kinds, lines):
        try:
            value = json.loads(line)
        except json.JSONDecodeError as error:
            checker.check(False, f"{name}: not JSON ({error}): {line[:200]}")
            continue
        if kind == "openai":
            data = sorted(value["data"], key=lambda item: item["index"])
            value = {"texts": CURL_TEXTS, "vectors": [item["embedding"] for item in data]}
            kind = "vectors"
        elif kind == "tei":
            value = {"texts": CURL_TEXTS, "vectors": value}
            kind = "vectors"
        records.append((kind, value))
    return records


def check_records(name: str, records: list, reference: dict, checker: Checker) -> list:
    """Checks every record; returns the smallest cosine seen."""
    cosines = []
    for number, (kind, record) in enumerate(records):
        what = f"{name} line {number + 1}"
        if kind == "vectors":
            texts, vectors = record["texts"], record["vectors"]
            checker.check(len(vectors) == len(texts), f"{what}: {len(vectors)} vectors for {len(texts)} texts")
            for index, (text, vector) in enumerate(zip(texts, vectors)):
                expected = reference[text]
                checker.check(len(vector) == len(expected), f"{what}[{index}]: {len(vector)} values, expected {len(expected)}")
                value = cosine(vector, expected)
                cosines.append(value)
                checker.check(value >= COSINE, f"{what}[{index}] {text!r}: cosine {value:.9f} < {COSINE}")
        elif kind == "scores":
            source, sentences, scores = record["source"], record["sentences"], record["scores"]
            checker.check(len(scores) == len(sentences), f"{what}: {len(scores)} scores for {len(sentences)} sentences")
            for index, (sentence, score) in enumerate(zip(sentences, scores)):
                expected = cosine(reference[source], reference[sentence])
                checker.check(abs(score - expected) <= SCORE,
                              f"{what}[{index}]: similarity {score:.9f}, reference cosine {expected:.9f}")
        elif kind == "ids":
            wanted = CHROMADB_NEAREST.get(record["query"])
            checker.check(record["ids"] == wanted, f"{what}: nearest {record['ids']} to {record['query']!r}, expected {wanted}")
    return cosines


def texts_of(records: list) -> list:
    texts = []
    for kind, record in records:
        if kind == "vectors":
            texts += record["texts"]
        elif kind == "scores":
            texts += [record["source"]] + record["sentences"]
    return texts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embed", help="the embed executable")
    parser.add_argument("--model", help="the model folder")
    parser.add_argument("--docs-only", action="store_true", help="only check docs/clients.md against docs/clients/")
    parser.add_argument("--only", action="append", default=[], help="run only this snippet (repeatable)")
    args = parser.parse_args()

    checker = Checker()
    check_docs(checker)
    if args.docs_only:
        print(f"client-snippets (docs): {checker.passed} passed, {checker.failed} failed")
        return 0 if checker.failed == 0 else 1
    if not args.embed or not args.model:
        parser.error("--embed and --model are required (or --docs-only)")
    names = args.only or list(EXPECTED)
    unknown = [n for n in names if n not in EXPECTED]
    if unknown:
        parser.error(f"unknown snippet {unknown}; known: {', '.join(EXPECTED)}")

    cache = Path(os.environ.get("EMBED_SETUP_DIR", ROOT / ".cache"))
    python = clients_python(cache)
    encoding = cache / "tiktoken/cl100k_base.tiktoken"
    if not encoding.is_file():
        raise SystemExit(f"no {encoding}: run `make setup` (scripts/install-tiktoken.sh)")
    tiktoken_dir = tempfile.mkdtemp(prefix="tiktoken-")
    shutil.copy(encoding, os.path.join(tiktoken_dir, "9b5ad71b2ce5302211f9c61530b329a4922fc6a4"))

    embed = str(Path(args.embed).resolve())
    model = str(Path(args.model).resolve())
    workdir = Path(tempfile.mkdtemp(prefix="client-snippets-"))
    swift_binary = workdir / "swift_embedder"
    if "swift_embedder.swift" in names:
        complaints = build_swift(SNIPPETS / "swift_embedder.swift", Path(args.embed).resolve().parent, swift_binary)
        checker.check(complaints == "", f"swift_embedder.swift builds against {args.embed}'s build:\n{complaints}")
    port = free_port()
    env = {k: v for k, v in os.environ.items()
           if k not in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE", "HF_TOKEN", "HF_ENDPOINT", "HF_HUB_OFFLINE")}
    env.update({
        "EMBED_BASE_URL": f"http://127.0.0.1:{port}",
        "EMBED_API_KEY": API_KEY,
        "EMBED_MODEL": os.path.basename(os.path.normpath(model)),
        "EMBED_MODEL_DIR": model,
        "TIKTOKEN_CACHE_DIR": tiktoken_dir,
        "HAYSTACK_TELEMETRY_ENABLED": "False",
        "ANONYMIZED_TELEMETRY": "False",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    })
    env.setdefault("ORT_DYLIB_PATH", str(cache / "onnxruntime/lib"))
    server = subprocess.Popen(
        [embed, "serve", "--model", model, "--port", str(port), "--host", "127.0.0.1", "--api-key", API_KEY,
         "--runtime", "onnxruntime", "--log-level", "notice"],
        stdout=subprocess.DEVNULL, cwd=ROOT)
    outputs = {}
    try:
        wait_for_health(port, server)
        for name in names:
            if name.endswith(".sh"):
                command = ["sh", str(SNIPPETS / name)]
            elif name.endswith(".swift"):
                if not swift_binary.exists():
                    continue
                command = [str(swift_binary)]
            else:
                command = [str(python), str(SNIPPETS / name)]
            started = time.monotonic()
            try:
                run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S,
                                     cwd=workdir)
            except subprocess.TimeoutExpired:
                checker.check(False, f"{name}: no answer within {TIMEOUT_S} s")
                continue
            seconds = time.monotonic() - started
            if not checker.check(run.returncode == 0, f"{name}: exit status {run.returncode}\n{run.stderr[-3000:]}"):
                continue
            outputs[name] = (parse_output(name, run.stdout, checker), seconds)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            status = server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            status = "killed after 30 s"
        shutil.rmtree(tiktoken_dir, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)
    checker.check(status == 0, f"the server exits 0 on SIGTERM (got {status})")

    texts = sorted({t for records, _ in outputs.values() for t in texts_of(records)})
    reference = reference_vectors(embed, model, texts) if texts else {}
    summary = {}
    for name in names:
        if name not in outputs:
            checker.check(False, f"{name}: not checked (it failed above)")
            continue
        records, seconds = outputs[name]
        cosines = check_records(name, records, reference, checker)
        checker.check(len(cosines) > 0, f"{name}: no vectors checked")
        summary[name] = {"vectors": len(cosines), "min_cosine": round(min(cosines), 9) if cosines else None,
                         "seconds": round(seconds, 1)}
    print(json.dumps(summary, indent=1))
    print(f"client-snippets: {checker.passed} passed, {checker.failed} failed "
          f"(cosine >= {COSINE} with embed encode, similarity scores within {SCORE})")
    return 0 if checker.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
