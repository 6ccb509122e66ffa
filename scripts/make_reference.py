#!/usr/bin/env python3
"""Writes the reference embeddings the Swift tests compare against.

    scripts/make_reference.py [--cache DIR] [--sentences FILE]

Runs sentence-transformers (CPU, normalize_embeddings=True, batch_size=32) with the model
folder <cache>/models/all-MiniLM-L6-v2 (made by scripts/prepare_model.py) over the sentences
of scripts/data/reference_sentences.txt (one per line, no empty lines) plus two extra
entries added here, an empty string and a whitespace-only string, and writes
<cache>/reference/all-MiniLM-L6-v2.json:

    {"model", "sentence_transformers_version", "torch_version", "normalized": true,
     "max_seq_length": 256, "sentences": [...], "embeddings": [[float, ...], ...]}

The floats are the float32 values written exactly (shortest repr of the float32 widened to a
Python float, so parsing them back as Float gives the same bits).
Idempotent: a stamp next to the JSON records this script, the sentence file, the model files
and library versions; when none changed it does nothing. Never touches the network.
"""
import argparse
import hashlib
import json
import os
import sys
import time
from importlib import metadata
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
MODEL_NAME = "all-MiniLM-L6-v2"
EXTRA_SENTENCES = ["", " \t\n  "]  # empty and whitespace-only, cannot be lines of the file


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_sentences(path):
    text = path.read_text(encoding="utf-8")
    lines = text[:-1].split("\n") if text.endswith("\n") else text.split("\n")
    for number, line in enumerate(lines, 1):
        if not line.strip() or "\r" in line:
            sys.exit(f"error: {path}:{number}: empty, whitespace-only or CR-terminated line")
    return lines


def model_files(folder):
    """The files sentence-transformers reads (everything except the ONNX exports)."""
    return sorted(p for p in folder.rglob("*")
                  if p.is_file() and "onnx" not in p.relative_to(folder).parts and not p.name.startswith(".prepared"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache", help="cache folder (default: <repo>/.cache)")
    parser.add_argument("--sentences", type=Path, default=ROOT / "scripts" / "data" / "reference_sentences.txt",
                        help="one sentence per line (default: scripts/data/reference_sentences.txt)")
    args = parser.parse_args()

    folder = args.cache.resolve() / "models" / MODEL_NAME
    if not (folder / "model.safetensors").is_file():
        sys.exit(f"error: {folder} is missing; run scripts/prepare_model.py first")
    output = args.cache.resolve() / "reference" / f"{MODEL_NAME}.json"
    stamp_path = output.with_name(f".{output.name}.stamp")

    sentences = read_sentences(args.sentences) + EXTRA_SENTENCES
    inputs = {
        "script_sha256": sha256(Path(__file__)),
        "sentences_sha256": hashlib.sha256(json.dumps(sentences).encode()).hexdigest(),
        "model_files": {str(p.relative_to(folder)): sha256(p) for p in model_files(folder)},
        "versions": {name: metadata.version(name) for name in ("sentence-transformers", "transformers", "torch")},
    }
    try:
        stamp = json.loads(stamp_path.read_text())
        st = output.stat()
        if stamp["inputs"] == inputs and stamp["output"] == [st.st_size, st.st_mtime_ns]:
            print(f"make_reference: {output} is up to date, nothing to do")
            return
    except (OSError, ValueError, KeyError):
        pass

    import numpy as np
    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.utils.logging.disable_progress_bar()

    start = time.perf_counter()
    model = SentenceTransformer(str(folder), device="cpu")
    embeddings = model.encode(sentences, normalize_embeddings=True, batch_size=32,
                              convert_to_numpy=True, show_progress_bar=False)
    assert embeddings.dtype == np.float32 and embeddings.shape[0] == len(sentences)
    document = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "sentence_transformers_version": metadata.version("sentence-transformers"),
        "torch_version": torch.__version__,
        "normalized": True,
        "max_seq_length": model.max_seq_length,
        "sentences": sentences,
        "embeddings": [[float(x) for x in row] for row in embeddings],
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(f".{output.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(document, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, output)
    st = output.stat()
    tmp = stamp_path.with_name(f"{stamp_path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"inputs": inputs, "output": [st.st_size, st.st_mtime_ns]}, indent=1) + "\n")
    os.replace(tmp, stamp_path)
    norms = np.linalg.norm(embeddings, axis=1)
    print(f"make_reference: wrote {len(sentences)} embeddings ({len(sentences) - len(EXTRA_SENTENCES)} sentences "
          f"+ empty + whitespace-only, dim {embeddings.shape[1]}, max_seq_length {model.max_seq_length}, "
          f"norms {norms.min():.6f}..{norms.max():.6f}) to {output} in {time.perf_counter() - start:.1f} s")


if __name__ == "__main__":
    main()
