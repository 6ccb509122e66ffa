#!/usr/bin/env python3
"""Baseline: the minimal Python embedding pipeline, timed end to end.

    bench/python_pipeline.py --model DIR --input FILE [--variant fp32|quantized] [--threads N]
        [--batch-sizes 1,8,32] [--warmup W] [--repeat R] [--limit N] [--sort-by-length] [--json OUT]

Pipeline (what the Swift code is compared against):
  tokenizers.Tokenizer.from_file(DIR/tokenizer.json), the file's own padding and truncation
  replaced by batch-longest padding (pad id 0) and truncation to max_seq_length from
  DIR/sentence_bert_config.json; onnxruntime.InferenceSession(DIR/onnx/model.onnx, or
  model_quantized.onnx with --variant quantized) on CPU with intra_op_num_threads=N,
  inter_op_num_threads=1, sequential execution, graph optimisation level ALL; mean pooling
  over the attention mask and L2 normalisation in numpy.

Measures, after W warm-up batches:
  * throughput in texts/s at each batch size over the first --limit lines of FILE
    (tokenize + run + pool), batches in input order, or length-sorted with --sort-by-length;
  * single-text latency p50/p95/p99 over R calls with batch size 1 (texts taken in turn from
    the input).
"""
import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True, help="model folder (tokenizer.json, onnx/model.onnx, ...)")
    parser.add_argument("--input", type=Path, required=True, help="texts, one per line")
    parser.add_argument("--variant", choices=["fp32", "quantized"], default="fp32",
                        help="onnx/model.onnx (fp32, default) or onnx/model_quantized.onnx")
    parser.add_argument("--threads", type=int, default=os.cpu_count(), help="ORT intra-op threads (default: cores)")
    parser.add_argument("--batch-sizes", default="1,8,32", help="comma-separated (default: 1,8,32)")
    parser.add_argument("--warmup", type=int, default=3, help="warm-up batches before each measurement (default: 3)")
    parser.add_argument("--repeat", type=int, default=200, help="single-text latency samples (default: 200)")
    parser.add_argument("--limit", type=int, default=1000, help="use the first N lines of the input (default: 1000)")
    parser.add_argument("--sort-by-length", action="store_true", help="batch texts sorted by token count")
    parser.add_argument("--json", type=Path, help="also write the results here")
    return parser.parse_args()


ARGS = parse_args()
# The tokenizers library batches on its own Rayon thread pool; give it the same thread budget.
os.environ.setdefault("RAYON_NUM_THREADS", str(ARGS.threads))

import numpy as np  # noqa: E402
import onnxruntime as ort  # noqa: E402
import tokenizers  # noqa: E402


class Pipeline:
    def __init__(self, folder, variant, threads):
        max_length = json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"]
        self.tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # length=None: pad to the batch's longest
        self.tokenizer.enable_truncation(max_length=max_length)
        self.max_length = max_length

        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.model_path = folder / "onnx" / ("model.onnx" if variant == "fp32" else "model_quantized.onnx")
        self.session = ort.InferenceSession(str(self.model_path), options, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}

    def embed(self, texts):
        encodings = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self.input_names:
            feeds["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
        hidden = self.session.run(["last_hidden_state"], feeds)[0]
        weights = mask.astype(np.float32)[:, :, None]
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


def read_texts(path, limit):
    texts = path.read_text(encoding="utf-8").split("\n")
    texts = [t for t in texts if t][:limit]
    if not texts:
        sys.exit(f"error: no texts in {path}")
    return texts


def batches(texts, size):
    return [texts[i:i + size] for i in range(0, len(texts), size)]


def throughput(pipeline, texts, batch_size, warmup, sort_by_length):
    if sort_by_length:  # sorting is part of the work: tokenize once to get the lengths
        start = time.perf_counter()
        lengths = [sum(e.attention_mask) for e in pipeline.tokenizer.encode_batch(texts)]
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        texts = [texts[i] for i in order]
        sort_seconds = time.perf_counter() - start
    else:
        sort_seconds = 0.0
    work = batches(texts, batch_size)
    for batch in work[:warmup]:
        pipeline.embed(batch)
    start = time.perf_counter()
    for batch in work:
        pipeline.embed(batch)
    seconds = time.perf_counter() - start + sort_seconds
    return {"batch_size": batch_size, "texts": len(texts), "seconds": seconds, "texts_per_second": len(texts) / seconds}


def latency(pipeline, texts, repeat, warmup):
    for i in range(warmup):
        pipeline.embed([texts[i % len(texts)]])
    samples = []
    for i in range(repeat):
        text = texts[i % len(texts)]
        start = time.perf_counter()
        pipeline.embed([text])
        samples.append((time.perf_counter() - start) * 1000)
    ordered = sorted(samples)

    def percentile(p):  # nearest-rank method
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]

    return {"samples": repeat, "p50_ms": percentile(50), "p95_ms": percentile(95), "p99_ms": percentile(99),
            "mean_ms": statistics.fmean(samples), "min_ms": ordered[0], "max_ms": ordered[-1]}


def main():
    args = ARGS
    batch_sizes = [int(b) for b in args.batch_sizes.split(",") if b.strip()]
    pipeline = Pipeline(args.model, args.variant, args.threads)
    texts = read_texts(args.input, args.limit)
    tokens = [sum(e.attention_mask) for e in pipeline.tokenizer.encode_batch(texts)]  # without padding

    print(f"python pipeline: {pipeline.model_path.name} ({args.variant}), onnxruntime {ort.__version__}, "
          f"tokenizers {tokenizers.__version__}, {args.threads} thread(s), max_seq_length {pipeline.max_length}")
    print(f"input: {len(texts)} texts from {args.input.name}, tokens per text mean {statistics.fmean(tokens):.1f} "
          f"(max {max(tokens)}), {'length-sorted' if args.sort_by_length else 'input-order'} batches, "
          f"warm-up {args.warmup} batches")
    results = []
    print(f"{'batch':>6} {'texts/s':>10} {'seconds':>9}")
    for size in batch_sizes:
        result = throughput(pipeline, texts, size, args.warmup, args.sort_by_length)
        results.append(result)
        print(f"{size:>6} {result['texts_per_second']:>10.1f} {result['seconds']:>9.2f}")
    lat = latency(pipeline, texts, args.repeat, args.warmup)
    print(f"single-text latency over {lat['samples']} texts: p50 {lat['p50_ms']:.2f} ms, "
          f"p95 {lat['p95_ms']:.2f} ms, p99 {lat['p99_ms']:.2f} ms (mean {lat['mean_ms']:.2f} ms)")

    if args.json:
        report = {
            "pipeline": "python",
            "model": args.model.name,
            "model_file": f"onnx/{pipeline.model_path.name}",
            "variant": args.variant,
            "input": args.input.name,
            "texts": len(texts),
            "mean_tokens": statistics.fmean(tokens),
            "threads": args.threads,
            "sort_by_length": args.sort_by_length,
            "warmup": args.warmup,
            "versions": {"python": platform.python_version(), "onnxruntime": ort.__version__,
                         "tokenizers": tokenizers.__version__, "numpy": np.__version__},
            "machine": {"system": platform.system(), "machine": platform.machine(), "cpus": os.cpu_count()},
            "throughput": results,
            "latency": lat,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n")
        print(f"wrote {args.json}")


if __name__ == "__main__":
    main()
