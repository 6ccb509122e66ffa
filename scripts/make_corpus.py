#!/usr/bin/env python3
"""Gathers a corpus of real texts from this machine for benchmarks and retrieval checks.

    scripts/make_corpus.py [--cache DIR] [--count N]        (default N: 6000)

Sources, all local (read, never executed or imported):
  * Debian package descriptions from /var/lib/dpkg/status: the one-line synopsis (short
    texts) and each paragraph of the long description (medium texts);
  * documentation under /usr/share/doc (README, NEWS, changelog, copyright, ... also .gz):
    paragraphs, changelog bullet items, and whole changelog entries when they are long;
  * docstrings of the Python modules in the site-packages of the Python running the script
    (run it with the project venv, .cache/venv/bin/python), parsed with ast.

Each text is one line (newlines inside a text become spaces, runs of spaces collapse,
tabs inside a line are kept). Texts are deduplicated and bucketed by word count: short
(< 16 words), medium (16..150), long (151..600; longer ones are dropped). N texts are
picked, about 40% short, 40% medium, 20% long, taking the sources in turn within each
bucket, then put in a fixed pseudo-random order (seeded), so the same machine always gives
the same file and any prefix of it has the same mix.

Writes <cache>/corpus/texts.txt and <cache>/corpus/pairs.jsonl, one
{"package", "query": synopsis, "document": long description} per package that has both
(pairs whose query or document repeats another pair's are left out).
Idempotent: a stamp records this script, the arguments and the state of the sources
(dpkg status, the file list of /usr/share/doc, the venv's package list); when none changed
it does nothing.
"""
import argparse
import ast
import gzip
import hashlib
import json
import os
import random
import re
import sys
import sysconfig
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DPKG_STATUS = Path("/var/lib/dpkg/status")
DOC_DIR = Path("/usr/share/doc")
SHARES = {"short": 0.4, "medium": 0.4, "long": 0.2}
MAX_WORDS = 600
SEED = 20240601
DOC_NAMES = re.compile(r"^(README|NEWS|changelog|copyright|AUTHORS|THANKS|TODO|FAQ|CHANGES|HISTORY|BUGS)"
                       r"([._-].*)?$|\.(md|txt|rst)(\.gz)?$", re.IGNORECASE)
CHANGELOG_HEADER = re.compile(r"^\S+ \([^)]*\) [^;]*;")
PER_PACKAGE_DOCSTRINGS = 400  # keeps the parse short and the mix of Python packages broad


def one_line(text):
    """Joins the lines of a text with single spaces (tabs inside a line are kept)."""
    return " ".join(" ".join(part for part in line.strip().split(" ") if part) for line in text.splitlines()
                    if line.strip())


def words(text):
    return len(text.split())


def bucket(text):
    n = words(text)
    return "short" if n < 16 else "medium" if n <= 150 else "long" if n <= MAX_WORDS else None


def looks_like_text(text):
    """Mostly letters, a few words: drops separators, hex dumps, file lists and the like."""
    visible = [c for c in text if not c.isspace()]
    return (len(text) >= 12 and words(text) >= 3 and
            sum(c.isalpha() for c in visible) >= 0.6 * len(visible) and "\ufffd" not in text)


# ---------------------------------------------------------------- Debian packages

def dpkg_descriptions():
    """(package, synopsis, [paragraphs of the long description]) from the dpkg status file."""
    seen = set()
    for stanza in DPKG_STATUS.read_text(encoding="utf-8", errors="replace").split("\n\n"):
        package, description = None, None
        for line in stanza.split("\n"):
            if line.startswith("Package: "):
                package = line[9:].strip()
            elif line.startswith("Description: "):
                description = [line[13:]]
            elif description is not None and line.startswith(" "):
                description.append(line)
            elif description is not None:
                break
        if not package or not description or package in seen:
            continue
        seen.add(package)
        paragraphs, current = [], []
        for line in description[1:]:
            if line.strip() == ".":
                paragraphs.append(current)
                current = []
            else:
                current.append(line[1:])
        paragraphs.append(current)
        yield package, description[0].strip(), [one_line("\n".join(p)) for p in paragraphs if p]


# ---------------------------------------------------------------- /usr/share/doc

def read_doc(path):
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            data = f.read(2_000_000)
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError, EOFError):
        return None


def changelog_texts(text):
    """Whole entries when long, else their bullet items ("  * ...")."""
    entries, current = [], []
    for line in text.splitlines():
        if CHANGELOG_HEADER.match(line) and current:
            entries.append(current)
            current = []
        current.append(line)
    entries.append(current)
    for entry in entries:
        body = [line for line in entry[1:] if not line.startswith(" -- ") and not re.match(r"^\s*\[ .* \]$", line)]
        joined = one_line("\n".join(body))
        if bucket(joined) == "long":
            yield joined
            continue
        item = []
        for line in body:
            if re.match(r"^\s+[*+-] ", line) and item:
                yield one_line("\n".join(item))
                item = []
            if line.strip():
                item.append(re.sub(r"^(\s+)[*+-] ", r"\1", line))
        if item:
            yield one_line("\n".join(item))


def doc_texts():
    files = sorted(p for p in DOC_DIR.rglob("*")
                   if p.is_file() and not p.is_symlink() and DOC_NAMES.search(p.name))
    for path in files:
        text = read_doc(path)
        if text is None:
            continue
        if path.name.lower().startswith(("changelog", "news")) and CHANGELOG_HEADER.match(text):
            yield from changelog_texts(text)
        else:
            for paragraph in re.split(r"\n\s*\n", text):
                yield one_line(paragraph)


# ---------------------------------------------------------------- Python docstrings

def site_packages():
    """The site-packages of the Python running this script (the project venv, .cache/venv)."""
    return [Path(sysconfig.get_paths()["purelib"])]


def docstring_texts():
    for site in site_packages():
        by_package = {}
        for path in sorted(site.rglob("*.py")):
            parts = path.relative_to(site).parts
            if any(p in ("tests", "test", "testing") for p in parts) or path.stat().st_size > 400_000:
                continue
            by_package.setdefault(parts[0], []).append(path)
        for package, paths in sorted(by_package.items()):
            count = 0
            for path in paths:
                try:
                    tree = ast.parse(path.read_text(encoding="utf-8"))
                except (SyntaxError, UnicodeDecodeError, ValueError):
                    continue
                for node in ast.walk(tree):
                    if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
                        doc = ast.get_docstring(node)
                        if doc:
                            count += 1
                            yield one_line(doc)
                if count >= PER_PACKAGE_DOCSTRINGS:
                    break


# ---------------------------------------------------------------- selection

def sources_state():
    """What the corpus depends on, cheap to compute: file sizes and mtimes."""
    def state(path):
        st = path.stat()
        return [st.st_size, st.st_mtime_ns]

    doc_files = sorted(str(p) for p in DOC_DIR.rglob("*") if p.is_file() and DOC_NAMES.search(p.name))
    dists = sorted(p.name for site in site_packages() for p in site.glob("*.dist-info"))
    return {
        "dpkg_status": state(DPKG_STATUS),
        "doc_files_sha256": hashlib.sha256("\n".join(doc_files).encode()).hexdigest(),
        "python_dists_sha256": hashlib.sha256("\n".join(dists).encode()).hexdigest(),
    }


def pick(candidates_by_source, wanted):
    """Takes the sources in turn (each one shuffled), so one big source cannot crowd out the others."""
    rng = random.Random(SEED)
    queues = []
    for name in sorted(candidates_by_source):
        items = list(candidates_by_source[name])
        rng.shuffle(items)
        queues.append(items)
    chosen = []
    while len(chosen) < wanted and any(queues):
        for queue in queues:
            if queue and len(chosen) < wanted:
                chosen.append(queue.pop())
    return chosen


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache", help="cache folder (default: <repo>/.cache)")
    parser.add_argument("--count", type=int, default=6000, help="number of texts (default: 6000)")
    args = parser.parse_args()

    out_dir = args.cache.resolve() / "corpus"
    texts_path, pairs_path = out_dir / "texts.txt", out_dir / "pairs.jsonl"
    stamp_path = out_dir / ".corpus.stamp"
    inputs = {"script_sha256": hashlib.sha256(Path(__file__).read_bytes()).hexdigest(),
              "count": args.count, "sources": sources_state()}
    try:
        stamp = json.loads(stamp_path.read_text())
        if stamp["inputs"] == inputs and all(
                [p.stat().st_size, p.stat().st_mtime_ns] == stamp["outputs"][p.name] for p in (texts_path, pairs_path)):
            print(f"make_corpus: {out_dir} is up to date, nothing to do")
            return
    except (OSError, ValueError, KeyError):
        pass

    # Gather: source name -> bucket -> texts, deduplicated across all sources.
    seen, candidates, pairs = set(), {}, []
    seen_queries, seen_documents = set(), set()

    def add(source, text):
        if text in seen or not looks_like_text(text):
            return
        size = bucket(text)
        if size:
            seen.add(text)
            candidates.setdefault(size, {}).setdefault(source, []).append(text)

    for package, synopsis, paragraphs in dpkg_descriptions():
        add("dpkg", synopsis)
        for paragraph in paragraphs:
            add("dpkg", paragraph)
        document = " ".join(paragraphs)
        if synopsis and document and synopsis not in seen_queries and document not in seen_documents:
            seen_queries.add(synopsis)
            seen_documents.add(document)
            pairs.append({"package": package, "query": synopsis, "document": document})
    for text in doc_texts():
        add("doc", text)
    for text in docstring_texts():
        add("python", text)

    available = {size: sum(map(len, by_source.values())) for size, by_source in candidates.items()}
    chosen = []
    for size, share in SHARES.items():
        wanted = round(args.count * share)
        got = pick(candidates.get(size, {}), wanted)
        if len(got) < wanted:
            print(f"warning: only {len(got)} {size} texts available (wanted {wanted})", file=sys.stderr)
        chosen += got
    random.Random(SEED).shuffle(chosen)
    if len(chosen) < 5000:
        sys.exit(f"error: only {len(chosen)} texts gathered, at least 5000 needed")

    out_dir.mkdir(parents=True, exist_ok=True)
    outputs = {}
    for path, lines in ((texts_path, chosen), (pairs_path, [json.dumps(p, ensure_ascii=False) for p in pairs])):
        assert all(line and "\n" not in line and "\r" not in line for line in lines)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
        os.replace(tmp, path)
        outputs[path.name] = [path.stat().st_size, path.stat().st_mtime_ns]
    tmp = stamp_path.with_name(f"{stamp_path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"inputs": inputs, "outputs": outputs}, indent=1) + "\n")
    os.replace(tmp, stamp_path)

    sizes = Counter(bucket(t) for t in chosen)
    chosen_set = set(chosen)
    sources = Counter(src for size in candidates.values() for src, texts in size.items() for t in texts if t in chosen_set)
    lengths = sorted(words(t) for t in chosen)
    print(f"make_corpus: wrote {len(chosen)} texts to {texts_path} and {len(pairs)} pairs to {pairs_path}")
    print(f"  candidates after dedup: " + ", ".join(f"{k} {available.get(k, 0)}" for k in SHARES))
    print(f"  chosen: " + ", ".join(f"{k} {sizes[k]} ({sizes[k] / len(chosen):.0%})" for k in SHARES)
          + " | by source: " + ", ".join(f"{k} {v}" for k, v in sorted(sources.items())))
    print(f"  words per text: min {lengths[0]}, median {lengths[len(lengths) // 2]}, "
          f"p90 {lengths[int(len(lengths) * 0.9)]}, max {lengths[-1]}, mean {sum(lengths) / len(lengths):.1f}")


if __name__ == "__main__":
    main()
