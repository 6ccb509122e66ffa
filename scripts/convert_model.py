#!/usr/bin/env python3
"""Converts a sentence-transformers / transformers checkpoint into a folder swift-embed runs.

A CLIP checkpoint (config.json model_type "clip") takes scripts/convert_clip.py's path instead:
split text and vision towers, each checked against get_text_features / get_image_features.

    .cache/venv/bin/python scripts/convert_model.py SOURCE --output DIR [--texts FILE]
        [--reference OUT.json] [--opset 17] [--force] [--trust-remote-code]

SOURCE is a model folder or a hub id (downloaded by sentence-transformers into the usual
Hugging Face cache unless HF_HUB_OFFLINE=1). `embed convert` runs this script, then checks
the result with the Swift engine against the reference vectors it writes.

1. Loads SOURCE with sentence-transformers (CPU). A plain transformers checkpoint gets what
   sentence-transformers gives it: mean pooling (a warning says so).
2. Saves it in the Hugging Face / sentence-transformers layout (config.json,
   model.safetensors, tokenizer.json and its configs, modules.json, 1_Pooling/, Dense modules
   with model.safetensors, Normalize, config_sentence_transformers.json with the prompts).
3. Exports the transformer to onnx/model.onnx with scripts/onnx_export.py (torch.onnx.export,
   opset 17 by default, dynamic batch and sequence axes, one self-contained file) and checks
   it against PyTorch: max |difference| of last_hidden_state < 1e-4 on two padded batches.
   Pooling, Dense and Normalize stay outside the graph: swift-embed runs them from the files.
4. With --reference, writes sentence-transformers' vectors for the texts of --texts (default
   scripts/data/reference_sentences.txt, plus an empty and a whitespace-only text) as JSON
   {"texts": [...], "embeddings": [[...]], "dimension", "max_seq_length"} for the Swift check.

The folder is assembled under a temporary name next to DIR and renamed into place only when
everything passed; an existing DIR is an error unless --force (then it is replaced).
Exit status: 0 on success, 1 on any failure (the message says which step).
"""
import argparse
import json
import os
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import convert_clip  # noqa: E402
import onnx_export  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TEXTS = ROOT / "scripts" / "data" / "reference_sentences.txt"
EXTRA_TEXTS = ["", " \t\n  "]
MAX_ABS_DIFF = 1e-4
CHECK_BATCHES = [
    ["hello world", "How do I reset my password?", "東京は日本の首都です。", "I love pizza 🍕!", "x",
     "A longer sentence that makes the other rows of this batch carry padding, " * 4],
    ["Dynamic axes must work for every batch size and length.", "short", "Ünïcödé ñ ß ø å, 한국어 문장"],
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="a model folder or a hub id")
    parser.add_argument("--output", type=Path, required=True, help="the folder to write")
    parser.add_argument("--texts", type=Path, default=DEFAULT_TEXTS, help="texts for the reference vectors, one per line")
    parser.add_argument("--reference", type=Path, help="write sentence-transformers' vectors for the texts here (JSON)")
    parser.add_argument("--opset", type=int, default=onnx_export.OPSET, help=f"ONNX opset (default {onnx_export.OPSET})")
    parser.add_argument("--force", action="store_true", help="replace an existing output folder")
    parser.add_argument("--trust-remote-code", action="store_true",
                        help="allow the model's own Python code (custom architectures); off by default")
    return parser.parse_args()


def fail(step, message):
    print(f"error: {step}: {message}", file=sys.stderr)
    sys.exit(1)


def read_texts(path):
    try:
        lines = path.read_text(encoding="utf-8").split("\n")
    except OSError as error:
        fail("reading texts", str(error))
    return [line for line in lines if line.strip()] + EXTRA_TEXTS


def load(source, trust_remote_code):
    from sentence_transformers import SentenceTransformer

    if source.startswith(("/", "./", "../", "~")) and not Path(source).expanduser().is_dir():
        fail("loading " + source, "no such folder")

    try:
        return SentenceTransformer(source, device="cpu", trust_remote_code=trust_remote_code)
    except Exception as error:  # noqa: BLE001 - any loading failure ends the conversion with its message
        fail("loading " + source, f"{type(error).__name__}: {error}")


def check_modules(model):
    """Only what swift-embed runs: a text Transformer, Pooling, Dense, Normalize."""
    names = [type(module).__name__ for module in model]
    supported = {"Transformer", "Pooling", "Dense", "Normalize"}
    unsupported = [name for name in names if name not in supported]
    if unsupported or names[:1] != ["Transformer"]:
        fail("checking modules", f"the model's modules are {names}; swift-embed runs Transformer, Pooling, Dense and "
                                 f"Normalize only (unsupported: {unsupported or names[:1]})")


def export(folder, opset, trust_remote_code):
    import transformers

    tokenizer = transformers.AutoTokenizer.from_pretrained(folder, trust_remote_code=trust_remote_code)
    if not getattr(tokenizer, "is_fast", False) or not (folder / "tokenizer.json").is_file():
        fail("tokenizer", "the model has no fast tokenizer (tokenizer.json), which swift-embed needs")

    def model(attention=None):
        kwargs = {"trust_remote_code": trust_remote_code}
        if attention:
            kwargs["attn_implementation"] = attention
        return transformers.AutoModel.from_pretrained(folder, **kwargs).eval()

    reference = model()
    names = onnx_export.input_names(reference, tokenizer)
    try:
        eager = model("eager")
    except (ValueError, TypeError):
        eager = model()  # architectures without an eager switch trace as they are
    (folder / "onnx").mkdir(exist_ok=True)
    path = folder / "onnx" / "model.onnx"
    print(f"==> exporting onnx/model.onnx (opset {opset}, inputs {', '.join(names)})", flush=True)
    try:
        onnx_export.export(eager, tokenizer, path, names, opset=opset)
    except Exception as error:  # noqa: BLE001
        fail("ONNX export", f"{type(error).__name__}: {error}")
    onnx_export.check_self_contained(path, names)
    # At most 256 tokens (and no more than the tokenizer allows): within every model's positions.
    max_length = min(int(getattr(tokenizer, "model_max_length", 256) or 256), 256)
    diff = onnx_export.max_abs_diff(reference, tokenizer, path, CHECK_BATCHES, names, max_length=max_length)
    print(f"    ONNX Runtime vs PyTorch, last_hidden_state: max abs diff {diff:.3g} (limit {MAX_ABS_DIFF})", flush=True)
    if not diff < MAX_ABS_DIFF:
        fail("ONNX check", f"max abs diff {diff:.3g} >= {MAX_ABS_DIFF}")


def write_reference(folder, texts_path, reference_path):
    from sentence_transformers import SentenceTransformer

    texts = read_texts(texts_path)
    model = SentenceTransformer(str(folder), device="cpu")
    vectors = model.encode(texts, batch_size=32, convert_to_numpy=True, show_progress_bar=False)
    document = {"texts": texts, "embeddings": [[float(x) for x in row] for row in vectors],
                "dimension": int(vectors.shape[1]), "max_seq_length": model.max_seq_length}
    reference_path.parent.mkdir(parents=True, exist_ok=True)
    reference_path.write_text(json.dumps(document, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"==> reference vectors: {len(texts)} texts, dimension {vectors.shape[1]} ({reference_path})", flush=True)


def main():
    args = parse_args()
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import transformers

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    output = args.output.resolve()
    if output.exists() and not args.force:
        fail("output", f"{output} exists; pass --force to replace it")
    staging = output.with_name(f".{output.name}.converting-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)

    if convert_clip.is_clip(args.source):
        print(f"==> {args.source} is a CLIP model: exporting its text and vision towers", flush=True)
        texts = [text for text in read_texts(args.texts) if text.strip()]
        try:
            convert_clip.convert(args.source, staging, texts, args.reference, args.opset, fail)
        except SystemExit:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        finish(staging, output)
        return

    print(f"==> loading {args.source} with sentence-transformers", flush=True)
    model = load(args.source, args.trust_remote_code)
    check_modules(model)
    model.save(str(staging))
    (staging / "README.md").unlink(missing_ok=True)
    try:
        export(staging, args.opset, args.trust_remote_code)
        if args.reference:
            write_reference(staging, args.texts, args.reference)
    except SystemExit:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finish(staging, output)


def finish(staging, output):
    """Moves the finished folder into place (replacing an old one: --force was checked)."""
    if output.exists():
        shutil.rmtree(output)
    os.replace(staging, output)
    files = sorted(str(p.relative_to(output)) for p in output.rglob("*") if p.is_file())
    print(f"==> wrote {output}: {', '.join(files)}", flush=True)


if __name__ == "__main__":
    main()
