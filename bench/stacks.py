#!/usr/bin/env python3
"""One embedding stack, measured in this process; bench/compare runs one per process.

    bench/stacks.py STACK --model DIR --input FILE [--variant fp32|quantized] [--threads N]
        [--batch-sizes 1,8,32] [--limit N] [--warmup W] [--repeat R] [--mode measure|file]
        [--output FILE] [--json OUT]

Stacks (same model folder, same ONNX file, same thread count):
  python-naive   tokenizers + onnxruntime + numpy mean pooling, batches in input order (the
                 way the Python ONNX embedding providers are written);
  python-sorted  the same, with batches formed after sorting the texts by token count (what
                 an expert writes; the tokenization used for sorting is timed);
  limit          onnxruntime session.run alone on pre-tokenized batches: the same batches the
                 Swift engine forms (sorted by token count, longest first), no tokenization,
                 no pooling: what the runtime itself costs;
  st-torch       sentence-transformers on PyTorch (CPU), encode(batch_size=B): it sorts by
                 length itself;
  st-onnx        sentence-transformers with backend="onnx" (needs optimum);
  st-openvino    sentence-transformers with backend="openvino" (optimum-intel) on the same
                 onnx/model.onnx, OpenVINO's CPU plugin with INFERENCE_NUM_THREADS=N, the
                 LATENCY hint and INFERENCE_PRECISION_HINT=f32 set explicitly (OpenVINO
                 otherwise picks bf16 by itself on CPUs with native bf16);
  st-openvino-bf16  the same with INFERENCE_PRECISION_HINT=bf16 (only on CPUs with native
                 bf16: elsewhere OpenVINO would emulate it);
  fastembed      fastembed's TextEmbedding on the local model folder.

Mode `measure` (default): throughput at each batch size over the first --limit texts (after
--warmup batches) and single-text latency over --repeat texts, written as JSON. Mode `file`:
embed every text of --input at the first batch size and write the vectors (float32,
.npy) to --output, as a whole program would; bench/compare times the whole process.
A stack that cannot run here exits with status 3 and says why on stderr.
"""
import argparse
import json
import math
import os
import statistics
import sys
import time
from pathlib import Path

UNAVAILABLE = 3


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stack", choices=["python-naive", "python-sorted", "limit", "st-torch", "st-onnx", "st-openvino",
                                           "st-openvino-bf16", "fastembed"])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--variant", choices=["fp32", "quantized"], default="fp32")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--batch-sizes", default="1,8,32")
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--max-batch-tokens", type=int, default=0,
                        help="limit: cut batches at this many padded tokens, as swift-embed's batch.max_tokens (0: none)")
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--mode", choices=["measure", "file"], default="measure")
    parser.add_argument("--output", type=Path)
    parser.add_argument("--json", type=Path)
    return parser.parse_args()


ARGS = parse_args()
# Every library gets the same thread budget: Rayon (tokenizers), OpenMP/MKL (torch, numpy).
for variable in ("RAYON_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, str(ARGS.threads))

import numpy as np  # noqa: E402


def unavailable(reason):
    print(f"{ARGS.stack}: not available here: {reason}", file=sys.stderr)
    sys.exit(UNAVAILABLE)


def onnx_file(folder, variant):
    return folder / "onnx" / ("model.onnx" if variant == "fp32" else "model_quantized.onnx")


def max_seq_length(folder):
    return json.loads((folder / "sentence_bert_config.json").read_text())["max_seq_length"]


class ONNXPipeline:
    """tokenizers + onnxruntime + numpy, batch-longest padding."""

    def __init__(self, folder, variant, threads):
        import onnxruntime as ort
        import tokenizers
        self.versions = {"onnxruntime": ort.__version__, "tokenizers": tokenizers.__version__, "numpy": np.__version__}
        self.tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        self.tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
        self.tokenizer.enable_truncation(max_length=max_seq_length(folder))
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        self.session = ort.InferenceSession(str(onnx_file(folder, variant)), options, providers=["CPUExecutionProvider"])
        self.input_names = {i.name for i in self.session.get_inputs()}

    def feeds(self, texts):
        encodings = self.tokenizer.encode_batch(texts)
        feeds = {"input_ids": np.array([e.ids for e in encodings], dtype=np.int64),
                 "attention_mask": np.array([e.attention_mask for e in encodings], dtype=np.int64)}
        if "token_type_ids" in self.input_names:
            feeds["token_type_ids"] = np.array([e.type_ids for e in encodings], dtype=np.int64)
        return feeds

    def run(self, feeds):
        return self.session.run(["last_hidden_state"], feeds)[0]

    def embed(self, texts):
        feeds = self.feeds(texts)
        hidden = self.run(feeds)
        weights = feeds["attention_mask"].astype(np.float32)[:, :, None]
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)

    def lengths(self, texts):
        return [sum(e.attention_mask) for e in self.tokenizer.encode_batch(texts)]


class Stack:
    """Common measuring code: `embed_all(texts, batch_size)` and `embed_one(text)`."""

    sorts = False

    def embed_all(self, texts, batch_size):
        vectors = []
        for start in range(0, len(texts), batch_size):
            vectors.append(self.embed(texts[start:start + batch_size]))
        return np.concatenate(vectors) if vectors else np.zeros((0, 0), np.float32)

    def embed_one(self, text):
        return self.embed([text])


class PythonNaive(Stack):
    def __init__(self, folder, variant, threads):
        self.pipeline = ONNXPipeline(folder, variant, threads)
        self.versions = self.pipeline.versions
        self.embed = self.pipeline.embed


class PythonSorted(PythonNaive):
    sorts = True

    def embed_all(self, texts, batch_size):
        lengths = self.pipeline.lengths(texts)
        order = sorted(range(len(texts)), key=lambda i: lengths[i])
        vectors = np.zeros((len(texts), 0), np.float32)
        for start in range(0, len(order), batch_size):
            indices = order[start:start + batch_size]
            batch = self.pipeline.embed([texts[i] for i in indices])
            if vectors.shape[1] == 0:
                vectors = np.zeros((len(texts), batch.shape[1]), np.float32)
            vectors[indices] = batch
        return vectors


def plan(lengths, batch_size, max_tokens):
    """swift-embed's offline batch policy (BatchFormer.plan): longest first (ties in input order), at most batch_size
    texts and, with max_tokens, at most that many padded tokens (texts × longest) per batch."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches, current, longest = [], [], 0
    for index in order:
        length = max(lengths[index], longest)
        fits = not max_tokens or (len(current) + 1) * length <= max_tokens
        if current and (len(current) == batch_size or not fits):
            batches.append(current)
            current, longest = [], 0
        current.append(index)
        longest = max(longest, lengths[index])
    if current:
        batches.append(current)
    return batches


class Limit(Stack):
    """session.run alone, on the batches the Swift engine forms, tokenized beforehand."""

    sorts = True

    def __init__(self, folder, variant, threads):
        self.pipeline = ONNXPipeline(folder, variant, threads)
        self.versions = self.pipeline.versions
        self.prepared = {}

    def prepare(self, texts, batch_size):
        lengths = self.pipeline.lengths(texts)
        return [self.pipeline.feeds([texts[i] for i in batch]) for batch in plan(lengths, batch_size, ARGS.max_batch_tokens)]

    def embed_all(self, texts, batch_size):
        key = (id(texts), batch_size)
        if key not in self.prepared:
            raise RuntimeError("prepare() first")
        for feeds in self.prepared[key]:
            self.pipeline.run(feeds)

    def embed_one(self, text):
        self.pipeline.run(self.single[text])


class STTorch(Stack):
    sorts = True

    def __init__(self, folder, variant, threads, backend="torch", precision="f32"):
        try:
            import torch
            from sentence_transformers import SentenceTransformer
        except Exception as error:  # noqa: BLE001 - report any import failure
            unavailable(f"cannot import sentence-transformers: {error}")
        torch.set_num_threads(threads)
        kwargs = {"device": "cpu"}
        extra_versions = {}
        if backend == "openvino":
            if variant != "fp32":
                unavailable("st-openvino runs the fp32 ONNX file only (swift-embed runs int8 models on ONNX Runtime)")
            try:
                import importlib.metadata
                import openvino
                import optimum.intel  # noqa: F401 - what backend="openvino" needs
            except Exception as error:  # noqa: BLE001
                unavailable(f"cannot import optimum-intel and openvino: {error}")
            if precision == "bf16" and "BF16" not in openvino.Core().get_property("CPU", "OPTIMIZATION_CAPABILITIES"):
                unavailable("this CPU has no native bf16 (OpenVINO would emulate it)")
            # The same ONNX file as the other OpenVINO stacks (no export from the PyTorch
            # weights, which sentence-transformers would otherwise redo at every load).
            kwargs["model_kwargs"] = {"file_name": "onnx/model.onnx", "from_onnx": True, "export": False, "ov_config": {
                "INFERENCE_PRECISION_HINT": precision, "INFERENCE_NUM_THREADS": str(threads),
                "PERFORMANCE_HINT": "LATENCY"}}
            try:
                self.model = SentenceTransformer(str(folder), backend="openvino", **kwargs)
            except Exception as error:  # noqa: BLE001
                unavailable(f"backend='openvino' failed: {type(error).__name__}: {str(error).splitlines()[0][:300]}")
            compiled = self.model[0].auto_model.request
            import transformers
            extra_versions = {
                "openvino": openvino.__version__.split("-")[0], "optimum-intel": importlib.metadata.version("optimum-intel"),
                "transformers": transformers.__version__,
                "compiled INFERENCE_PRECISION_HINT": compiled.get_property("INFERENCE_PRECISION_HINT").to_string(),
                "compiled INFERENCE_NUM_THREADS": str(compiled.get_property("INFERENCE_NUM_THREADS"))}
        elif backend == "onnx":
            if variant == "quantized":
                kwargs["model_kwargs"] = {"file_name": "onnx/model_quantized.onnx"}
            try:
                self.model = SentenceTransformer(str(folder), backend="onnx", **kwargs)
            except Exception as error:  # noqa: BLE001
                unavailable(f"backend='onnx' failed: {type(error).__name__}: {str(error).splitlines()[0][:300]}")
        else:
            if variant != "fp32":
                unavailable("sentence-transformers on PyTorch runs the fp32 weights only")
            self.model = SentenceTransformer(str(folder), **kwargs)
        import sentence_transformers
        self.versions = {"sentence-transformers": sentence_transformers.__version__, "torch": torch.__version__,
                         **extra_versions}

    def embed(self, texts):
        return self.model.encode(texts, batch_size=max(1, len(texts)), normalize_embeddings=True, convert_to_numpy=True)

    def embed_all(self, texts, batch_size):
        return self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True)


class FastEmbed(Stack):
    def __init__(self, folder, variant, threads):
        try:
            import fastembed
            from fastembed import TextEmbedding
        except Exception as error:  # noqa: BLE001
            unavailable(f"cannot import fastembed: {error}")
        # fastembed reads <folder>/model.onnx: a folder of links to the model's files, with
        # model.onnx pointing at the variant's file (the same file the other stacks run).
        import tempfile
        self.folder = tempfile.TemporaryDirectory(prefix="fastembed-")
        view = Path(self.folder.name)
        for entry in Path(folder).iterdir():
            if entry.name != "model.onnx":
                (view / entry.name).symlink_to(entry.resolve())
        (view / "model.onnx").symlink_to(onnx_file(folder, variant).resolve())
        try:
            self.model = TextEmbedding(
                model_name="sentence-transformers/all-MiniLM-L6-v2", specific_model_path=str(view), threads=threads,
                local_files_only=True)
        except Exception as error:  # noqa: BLE001
            unavailable(f"TextEmbedding on the local folder failed: {type(error).__name__}: {str(error).splitlines()[0][:300]}")
        self.versions = {"fastembed": fastembed.__version__}

    def embed(self, texts):
        return np.array(list(self.model.embed(texts, batch_size=max(1, len(texts)))), dtype=np.float32)

    def embed_all(self, texts, batch_size):
        return np.array(list(self.model.embed(texts, batch_size=batch_size)), dtype=np.float32)


STACKS = {"python-naive": PythonNaive, "python-sorted": PythonSorted, "limit": Limit, "st-torch": STTorch,
          "st-onnx": lambda f, v, t: STTorch(f, v, t, backend="onnx"),
          "st-openvino": lambda f, v, t: STTorch(f, v, t, backend="openvino"),
          "st-openvino-bf16": lambda f, v, t: STTorch(f, v, t, backend="openvino", precision="bf16"),
          "fastembed": FastEmbed}


def read_texts(path, limit=None):
    texts = [t for t in path.read_text(encoding="utf-8").split("\n") if t]
    return texts[:limit] if limit else texts


def percentile(ordered, p):  # nearest rank
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def peak_rss_mb():
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    args = ARGS
    batch_sizes = [int(b) for b in args.batch_sizes.split(",") if b.strip()]
    started = time.perf_counter()
    stack = STACKS[args.stack](args.model, args.variant, args.threads)
    load_seconds = time.perf_counter() - started

    if args.mode == "file":
        texts = read_texts(args.input)
        started = time.perf_counter()
        vectors = stack.embed_all(texts, batch_sizes[0])
        print(f"{args.stack}: load {load_seconds:.2f} s, embed {time.perf_counter() - started:.2f} s", file=sys.stderr)
        if args.output and vectors is not None:
            with open(args.output, "wb") as output:
                np.save(output, np.asarray(vectors, dtype=np.float32))
        return

    texts = read_texts(args.input, args.limit)
    throughput = []
    for size in batch_sizes:
        if isinstance(stack, Limit):
            stack.prepared[(id(texts), size)] = stack.prepare(texts, size)
        warm = texts[:size * args.warmup]
        if isinstance(stack, Limit):
            stack.prepared[(id(warm), size)] = stack.prepare(warm, size)
        stack.embed_all(warm, size)
        start = time.perf_counter()
        stack.embed_all(texts, size)
        seconds = time.perf_counter() - start
        throughput.append({"batch_size": size, "seconds": seconds, "texts_per_second": len(texts) / seconds})
        print(f"{args.stack}: batch {size}: {len(texts) / seconds:.1f} texts/s", file=sys.stderr)

    if isinstance(stack, Limit):
        stack.single = {t: stack.pipeline.feeds([t]) for t in set(texts[:max(args.repeat, args.warmup * 5)])}
    for text in texts[:args.warmup * 5]:
        stack.embed_one(text)
    samples = []
    for index in range(args.repeat):
        text = texts[index % len(texts)]
        start = time.perf_counter()
        stack.embed_one(text)
        samples.append((time.perf_counter() - start) * 1000)
    ordered = sorted(samples)
    report = {
        "stack": args.stack, "variant": args.variant, "threads": args.threads, "texts": len(texts),
        "sorts_by_length": stack.sorts, "load_seconds": load_seconds, "versions": stack.versions,
        "throughput": throughput,
        "latency": {"samples": len(samples), "p50_ms": percentile(ordered, 50), "p95_ms": percentile(ordered, 95),
                    "p99_ms": percentile(ordered, 99), "mean_ms": statistics.fmean(samples)},
        "peak_rss_mb": peak_rss_mb(),
    }
    text = json.dumps(report, indent=2)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
