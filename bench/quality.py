#!/usr/bin/env python3
"""The quality check that guards every speed-up: swift-embed against sentence-transformers.

    .cache/venv/bin/python bench/quality.py [--model DIR] [--embed PATH] [--texts N]
        [--variant onnx/model_quantized.onnx] [--openvino f32,bf16] [--threads N] [--json OUT]

On real texts of the local corpus (`make corpus`: .cache/corpus/texts.txt and pairs.jsonl,
Debian package descriptions and documentation):

  * cosine of swift-embed's vectors (`embed encode`, fp32 onnx/model.onnx and the --variant
    file) to sentence-transformers on PyTorch (fp32), mean and minimum, over the first --texts
    corpus texts (default 2000);
  * retrieval on the pairs that belong together (a package's one-line synopsis as the query,
    its long description as the document, every other document a distractor): recall@1,
    recall@10 and MRR@10 for PyTorch fp32, swift-embed fp32 and swift-embed with the variant,
    and with --openvino, swift-embed on OpenVINO (fp32 file) at each precision given.

Prints a table and writes --json (default bench/results/quality.json). Exit status 1 when
swift-embed fp32 falls below 0.9999 cosine to PyTorch on any text: a speed-up that does that
is a bug. The model's prompts named query/passage are used for queries/documents when it has
them (as `embed quantize` does).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / ".cache/models/all-MiniLM-L6-v2")
    parser.add_argument("--embed", type=Path, default=ROOT / ".build/release/embed", help="the embed executable")
    parser.add_argument("--corpus", type=Path, default=ROOT / ".cache/corpus")
    parser.add_argument("--texts", type=int, default=2000, help="corpus texts for the cosine check (default 2000)")
    parser.add_argument("--variant", default="onnx/model_quantized.onnx", help="the ONNX file compared besides fp32")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--openvino", default="", help="also OpenVINO at these precisions, e.g. f32,bf16")
    parser.add_argument("--json", type=Path, default=ROOT / "bench/results/quality.json")
    return parser.parse_args()


def read_pairs(path):
    pairs = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [p["query"] for p in pairs], [p["document"] for p in pairs]


def ours(args, texts, onnx_file, prompt_name=None, extra=()):
    """swift-embed's vectors for `texts` (one per line through `embed encode --input`)."""
    import numpy as np

    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as f:
        for text in texts:
            f.write(json.dumps({"text": text}, ensure_ascii=False) + "\n")
        path = f.name
    command = [str(args.embed), "encode", "--model", str(args.model), "--onnx-file", onnx_file, "--jsonl",
               "--input", path, "--threads", str(args.threads)]
    if prompt_name:
        command += ["--prompt-name", prompt_name]
    command += list(extra)
    try:
        result = subprocess.run(command, capture_output=True, text=True, check=False)
    finally:
        os.unlink(path)
    if result.returncode != 0:
        sys.exit(f"error: {' '.join(command)} failed:\n{result.stderr}")
    vectors = np.array([json.loads(line) for line in result.stdout.splitlines()], dtype=np.float32)
    if len(vectors) != len(texts):
        sys.exit(f"error: embed encode gave {len(vectors)} vectors for {len(texts)} texts")
    return vectors


def cosines(a, b):
    import numpy as np

    return (a * b).sum(1) / np.clip(np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1), 1e-12, None)


def retrieval(queries, documents):
    """recall@1, recall@10, MRR@10; query i's document is document i (ties rank against it)."""
    import numpy as np

    q = queries / np.clip(np.linalg.norm(queries, axis=1, keepdims=True), 1e-12, None)
    d = documents / np.clip(np.linalg.norm(documents, axis=1, keepdims=True), 1e-12, None)
    scores = q @ d.T
    relevant = np.diag(scores)
    ranks = 1 + (scores >= relevant[:, None]).sum(1) - 1  # documents scoring at least as high, itself excluded
    return {"recall@1": float((ranks == 1).mean()), "recall@10": float((ranks <= 10).mean()),
            "mrr@10": float(np.where(ranks <= 10, 1.0 / ranks, 0.0).mean())}


def main():
    args = parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not args.embed.is_file():
        sys.exit(f"error: {args.embed} not found: build it (swift build -c release) or pass --embed")
    texts_file, pairs_file = args.corpus / "texts.txt", args.corpus / "pairs.jsonl"
    if not texts_file.is_file() or not pairs_file.is_file():
        sys.exit(f"error: no corpus in {args.corpus}: run `make corpus`")
    texts = texts_file.read_text(encoding="utf-8").splitlines()[:args.texts]
    queries, documents = read_pairs(pairs_file)

    import torch
    import transformers
    from sentence_transformers import SentenceTransformer

    transformers.utils.logging.set_verbosity_error()
    torch.set_num_threads(args.threads)
    model = SentenceTransformer(str(args.model), device="cpu")
    query_prompt = "query" if model.prompts.get("query") else None  # sentence-transformers 6 saves empty prompts
    document_prompt = next((name for name in ("passage", "document") if model.prompts.get(name)), None)

    start = time.perf_counter()
    reference = model.encode(texts, batch_size=32, convert_to_numpy=True, show_progress_bar=False)
    torch_queries = model.encode(queries, batch_size=32, prompt_name=query_prompt, convert_to_numpy=True, show_progress_bar=False)
    torch_documents = model.encode(documents, batch_size=32, prompt_name=document_prompt, convert_to_numpy=True,
                                   show_progress_bar=False)
    print(f"PyTorch: {len(texts) + len(queries) + len(documents)} texts in {time.perf_counter() - start:.0f} s", flush=True)

    rows = {"PyTorch fp32": {"retrieval": retrieval(torch_queries, torch_documents)}}
    runs = [("swift-embed fp32", "onnx/model.onnx", ()), (f"swift-embed {Path(args.variant).stem}", args.variant, ())]
    runs += [(f"swift-embed openvino {p}", "onnx/model.onnx", ("--runtime", "openvino", "--precision", p))
             for p in args.openvino.split(",") if p]
    for label, onnx_file, extra in runs:
        vectors = ours(args, texts, onnx_file, extra=extra)
        cos = cosines(vectors, reference)
        rows[label] = {
            "onnx_file": onnx_file, "options": list(extra), "cosine_mean": float(cos.mean()), "cosine_min": float(cos.min()),
            "worst_text": texts[int(cos.argmin())][:80],
            "retrieval": retrieval(ours(args, queries, onnx_file, query_prompt, extra),
                                   ours(args, documents, onnx_file, document_prompt, extra)),
        }
    baseline = rows["PyTorch fp32"]["retrieval"]["mrr@10"]
    print(f"\n{len(texts)} corpus texts (cosine to PyTorch), {len(queries)} query → document pairs (retrieval)\n")
    print(f"{'':28} {'cos mean':>9} {'cos min':>9} {'R@1':>7} {'R@10':>7} {'MRR@10':>8} {'MRR vs PyTorch':>15}")
    for label, row in rows.items():
        r = row["retrieval"]
        cos_mean = f"{row['cosine_mean']:.6f}" if "cosine_mean" in row else "1"
        cos_min = f"{row['cosine_min']:.6f}" if "cosine_min" in row else "1"
        print(f"{label:28} {cos_mean:>9} {cos_min:>9} {r['recall@1']:7.3f} {r['recall@10']:7.3f} {r['mrr@10']:8.4f} "
              f"{(r['mrr@10'] - baseline) / baseline * 100:+14.2f}%")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"model": str(args.model.name), "texts": len(texts), "pairs": len(queries),
                                     "rows": rows}, indent=1) + "\n")
    fp32 = rows["swift-embed fp32"]
    if fp32["cosine_min"] < 0.9999:
        print(f"\nFAIL: swift-embed fp32 is {fp32['cosine_min']:.6f} from PyTorch on {fp32['worst_text']!r} (< 0.9999)")
        sys.exit(1)


if __name__ == "__main__":
    main()
