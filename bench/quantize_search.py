#!/usr/bin/env python3
"""Compares int8 quantization recipes of one model: quality against fp32 and speed.

    .cache/venv/bin/python bench/quantize_search.py [--model DIR] [--threads N] [--real N]
        [--sensitivity | --sensitive NODE ...] [--only LABEL ...] [--rounds N] [--json OUT]

For each recipe (scripts/quantize_onnx.py) the fp32 model DIR/onnx/model.onnx is quantized
into a temporary folder, then measured with ONNX Runtime in Python (the same pipeline as
bench/python_pipeline.py: tokenizers, mean pooling over the attention mask as 1_Pooling says,
L2 normalisation):

  * quality: cosine of the quantized model's vectors to the fp32 model's, mean and minimum,
    on the 374 hard reference sentences (scripts/data/reference_sentences.txt: long CJK,
    punctuation-only lines, many scripts) and on --real texts of the corpus
    (.cache/corpus/texts.txt, `make corpus`);
  * speed: texts/s over 480 corpus texts in length-sorted batches of 32, best of --rounds
    rounds (default 3) with the recipes interleaved (load from other processes then hits
    every recipe alike), and the p50 latency of one short text (batch 1).

--sensitivity first quantizes one weight MatMul at a time (per channel) and ranks them by the
mean cosine lost on the hard sentences; the recipes "keep the k most sensitive in fp32" use that
ranking. Prints a table and writes --json.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / ".cache" / "models" / "all-MiniLM-L6-v2")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--real", type=int, default=1000, help="corpus texts for the quality check (default 1000)")
    parser.add_argument("--sensitivity", action="store_true", help="rank the weight MatMuls by sensitivity first")
    parser.add_argument("--sensitive", nargs="*", default=[],
                        help="weight MatMul names from most to least sensitive (instead of --sensitivity)")
    parser.add_argument("--only", nargs="*", default=[],
                        help="measure only the recipes with these labels (a trailing * matches a prefix), besides ort-default")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved speed rounds (default 3)")
    parser.add_argument("--json", type=Path)
    return parser.parse_args()


ARGS = parse_args()
os.environ.setdefault("RAYON_NUM_THREADS", str(ARGS.threads))

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxruntime as ort  # noqa: E402
import tokenizers  # noqa: E402

import quantize_onnx as q  # noqa: E402


class Model:
    def __init__(self, folder, onnx_path, threads):
        config = folder / "sentence_bert_config.json"
        self.max_length = json.loads(config.read_text()).get("max_seq_length", 256) if config.exists() else 256
        self.tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_length)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        self.session = ort.InferenceSession(str(onnx_path), options, providers=["CPUExecutionProvider"])
        self.inputs = [i.name for i in self.session.get_inputs()]

    def encode(self, texts):
        return [self.tokenizer.encode(t) for t in texts]

    def run(self, encodings):
        length = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(encodings), length), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, e in enumerate(encodings):
            ids[row, :len(e.ids)] = e.ids
            mask[row, :len(e.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self.session.run(["last_hidden_state"], {k: v for k, v in feeds.items() if k in self.inputs})[0]
        m = mask[:, :, None].astype(np.float32)
        pooled = (hidden * m).sum(1) / np.clip(m.sum(1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def embed(self, texts, batch=32):
        encodings = self.encode(texts)
        order = sorted(range(len(texts)), key=lambda i: -len(encodings[i].ids))
        out = np.zeros((len(texts), self.session.get_outputs()[0].shape[-1] or 384), dtype=np.float32)
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            out[chunk] = self.run([encodings[i] for i in chunk])
        return out


def cosines(a, b):
    return (a * b).sum(1)


def throughput(model, texts):
    start = time.perf_counter()
    model.embed(texts, batch=32)
    return len(texts) / (time.perf_counter() - start)


def latency(model, texts):
    samples = []
    for text in texts:
        start = time.perf_counter()
        model.run(model.encode([text]))
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main():
    folder = ARGS.model
    fp32_path = folder / "onnx" / "model.onnx"
    hard = [l for l in (ROOT / "scripts/data/reference_sentences.txt").read_text(encoding="utf-8").splitlines() if l.strip()]
    corpus = (ROOT / ".cache/corpus/texts.txt").read_text(encoding="utf-8").splitlines()
    real = corpus[:ARGS.real]
    speed_texts = corpus[ARGS.real:ARGS.real + 480]
    short = [t for t in corpus[ARGS.real + 480:] if len(t.split()) < 16][:100]
    fp32 = Model(folder, fp32_path, ARGS.threads)
    reference = {"hard": fp32.embed(hard), "real": fp32.embed(real)}
    graph = onnx.load(str(fp32_path), load_external_data=False)
    weights = q.weight_matmuls(graph)

    work = Path(tempfile.mkdtemp(prefix="swift-embed-quant-"))
    recipes = {
        "ort-default (QInt8 per tensor)": q.ORT_DEFAULT,
        "QUInt8 per tensor": dict(q.ORT_DEFAULT, weight_type="QUInt8"),
        "QInt8 per channel": dict(q.ORT_DEFAULT, per_channel=True),
        "QInt8 per channel, reduce range": dict(q.ORT_DEFAULT, per_channel=True, reduce_range=True),
        "QUInt8 per channel": dict(q.ORT_DEFAULT, per_channel=True, weight_type="QUInt8"),
        "QInt8 per channel, MatMul only": dict(q.ORT_DEFAULT, per_channel=True, op_types=["MatMul"]),
        "fused, QInt8 per tensor": dict(q.ORT_DEFAULT, optimize=True, op_types=["MatMul", "Attention"]),
        "fused, QInt8 per channel": dict(q.ORT_DEFAULT, optimize=True, per_channel=True, op_types=["MatMul", "Attention"]),
        "QInt8 per channel, MatMul only, 2 widest activations fp32": dict(
            q.ORT_DEFAULT, per_channel=True, op_types=["MatMul"], keep_outliers=2),
        "QInt8 per channel, MatMul only, 4 widest activations fp32": dict(
            q.ORT_DEFAULT, per_channel=True, op_types=["MatMul"], keep_outliers=4),
    }
    ranking = [(0.0, name) for name in ARGS.sensitive]
    if ARGS.sensitivity:
        ranking = []
        for name in weights:
            path = work / "single.onnx"
            others = [n for n in weights if n != name]
            q.quantize(fp32_path, path, dict(q.ORT_DEFAULT, per_channel=True, keep_fp32=others, op_types=["MatMul"]))
            cos = cosines(Model(folder, path, ARGS.threads).embed(hard), reference["hard"])
            ranking.append((1 - float(cos.mean()), name))
        ranking.sort(reverse=True)
        print("most sensitive weight MatMuls (mean cosine lost on the hard sentences when quantized alone):")
        for loss, name in ranking[:10]:
            print(f"  {loss:.5f}  {name}")
    if ranking:
        for k in (1, 2, 4, 6):
            keep = [name for _, name in ranking[:k]]
            recipes[f"QInt8 per channel, {k} most sensitive fp32"] = dict(q.ORT_DEFAULT, per_channel=True, keep_fp32=keep)
            recipes[f"QInt8 per tensor, {k} most sensitive fp32"] = dict(q.ORT_DEFAULT, keep_fp32=keep)
            recipes[f"QInt8 per channel, MatMul only, {k} most sensitive fp32"] = dict(
                q.ORT_DEFAULT, per_channel=True, op_types=["MatMul"], keep_fp32=keep)

    if ARGS.only:
        recipes = {label: recipe for label, recipe in recipes.items()
                   if label.startswith("ort-default") or any(label == word or word.endswith("*") and label.startswith(word[:-1])
                                                               for word in ARGS.only)}
    models = {"fp32": fp32}
    rows = {"fp32": {"recipe": "fp32", "size_mb": fp32_path.stat().st_size / 1e6}}
    for label, recipe in recipes.items():
        path = work / f"{len(models)}.onnx"
        q.quantize(fp32_path, path, recipe)
        model = Model(folder, path, ARGS.threads)
        models[label] = model
        row = {"recipe": q.describe(recipe), "size_mb": path.stat().st_size / 1e6}
        for set_name, texts in (("hard", hard), ("real", real)):
            cos = cosines(model.embed(texts), reference[set_name])
            row[f"{set_name}_mean"], row[f"{set_name}_min"] = float(cos.mean()), float(cos.min())
        rows[label] = row
        print(f"{label}: hard {row['hard_mean']:.4f}/{row['hard_min']:.4f} real {row['real_mean']:.4f}/{row['real_min']:.4f}",
              flush=True)
    for round_ in range(ARGS.rounds):  # interleaved, so that load from other processes hits every recipe alike
        for label, model in models.items():
            rows[label]["throughput"] = max(rows[label].get("throughput", 0), throughput(model, speed_texts))
            rows[label]["p50_ms"] = min(rows[label].get("p50_ms", 1e9), latency(model, short))
    default = rows["ort-default (QInt8 per tensor)"]["throughput"]
    print(f"\n{'recipe':58} {'hard mean/min':>15} {'real mean/min':>15} {'texts/s':>8} {'vs def':>7} {'p50 ms':>7} {'MB':>5}")
    for label, row in rows.items():
        quality = (f"{row['hard_mean']:.4f}/{row['hard_min']:.3f}", f"{row['real_mean']:.4f}/{row['real_min']:.3f}") \
            if "hard_mean" in row else ("1", "1")
        print(f"{label:58} {quality[0]:>15} {quality[1]:>15} {row['throughput']:8.1f} "
              f"{row['throughput'] / default:7.2f} {row['p50_ms']:7.2f} {row['size_mb']:5.1f}")
    if ARGS.json:
        ARGS.json.parent.mkdir(parents=True, exist_ok=True)
        ARGS.json.write_text(json.dumps({"threads": ARGS.threads, "ort": ort.__version__, "rows": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
