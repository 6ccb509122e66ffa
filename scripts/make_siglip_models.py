#!/usr/bin/env python3
"""Makes a tiny SigLIP (random weights, the real architecture), its split ONNX towers and reference data.

    .cache/venv/bin/python scripts/make_siglip_models.py [--output Tests/Fixtures/siglip] [--force]
        [--corpus scripts/data/reference_sentences.txt]

No real SigLIP weights can be downloaded here: the model is transformers.SiglipModel with a small
SiglipConfig and random weights (torch seed SEED): text tower hidden 32, 2 layers, 4 heads, 64
positions, vocabulary 1,000; vision tower hidden 32, 2 layers, 4 heads, 32x32 images in 8x8 patches.
Its files (about 1.1 MB, 0.4 MB of it the tokenizer's Precompiled charsmap) are committed under
Tests/Fixtures/siglip, as the tiny CLIP's are; `make fixtures` runs this script again (idempotent: a
stamp .made.json records the inputs; nothing is rebuilt when they did not change).

The tokenizer: a SentencePiece Unigram model trained here (sentencepiece, one thread, on --corpus,
vocabulary 1,000, character coverage 0.995, nmt_nfkc; pieces <pad> 0, </s> 1, <unk> 2, as in
google/siglip-*; the pad token is </s> (id 1), as SiglipTokenizer's default and text_config's
pad_token_id 1 in google/siglip-*), converted to a fast tokenizer.json by transformers' T5Converter (Precompiled
normalizer, Metaspace, Unigram, "$A </s>"): transformers has no SiglipTokenizer converter. The
ids are checked against sentencepiece itself. SiglipTokenizer's Python-side canonicalize_text
(lower-casing and punctuation removal done before sentencepiece) is not part of any
tokenizer.json and is not reproduced; index.json records on how many texts SiglipTokenizer (the
sentencepiece class, with it) gives other ids.

Text is fed as HF's processor(text=..., padding="max_length", max_length=64, truncation=True)
gives it, input_ids only (the original SigLIP uses no attention mask: get_text_features is called
with input_ids alone and pools the last position, which is padding for short texts).

Written under --output:
  tiny/config.json, preprocessor_config.json (SiglipImageProcessor), tokenizer.json,
       tokenizer_config.json, onnx/text_model.onnx (input_ids -> text_embeds),
       onnx/vision_model.onnx (pixel_values -> image_embeds)
  images/   the 13 images of scripts/make_clip_models.py
  reference/texts.json (ids, text_embeds), images.json (image_embeds), pixel_values.npy,
       resized_uint8.npy (the same processor with do_rescale and do_normalize off: Pillow's resize)
Every ONNX output is checked against PyTorch (cosine >= 0.9999, exit 1 otherwise).
Never touches the network.
"""
import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import warnings
from importlib import metadata
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))

import make_clip_models  # noqa: E402

SEED = 20240611
MAX_LENGTH = 64
VOCAB_SIZE = 1000
IMAGE_SIZE = 32
MIN_COSINE = 0.9999
TEXTS = make_clip_models.TEXTS + [
    "word " * 80,
    "Straße, Œuvre, ǅ, ﬀ, ① and ＡＢＣ under NFKC",
    "a</s>b<pad>c<unk>",
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=ROOT / "Tests" / "Fixtures" / "siglip")
    parser.add_argument("--corpus", type=Path, default=ROOT / "scripts" / "data" / "reference_sentences.txt")
    parser.add_argument("--force", action="store_true")
    return parser.parse_args()


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


def fingerprint(args):
    digest = hashlib.sha256()
    for path in (Path(__file__), Path(make_clip_models.__file__), args.corpus):
        digest.update(path.read_bytes())
    versions = {name: metadata.version(name) for name in
                ("torch", "transformers", "tokenizers", "sentencepiece", "onnx", "onnxruntime", "Pillow", "numpy")}
    return {"sha256": digest.hexdigest(), "versions": versions}


def train_tokenizer(corpus, folder):
    import sentencepiece as spm
    from transformers.convert_slow_tokenizer import T5Converter

    work = Path(tempfile.mkdtemp())
    try:
        lines = [line for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
        (work / "corpus.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        spm.SentencePieceTrainer.train(
            input=str(work / "corpus.txt"), model_prefix=str(work / "spiece"), vocab_size=VOCAB_SIZE,
            model_type="unigram", character_coverage=0.995, normalization_rule_name="nmt_nfkc",
            pad_id=0, eos_id=1, unk_id=2, bos_id=-1, pad_piece="<pad>", eos_piece="</s>", unk_piece="<unk>",
            num_threads=1, minloglevel=2)

        class Original:  # what T5Converter reads of a slow tokenizer
            vocab_file = str(work / "spiece.model")
            legacy, add_prefix_space, _extra_ids, eos_token = True, True, 0, "</s>"

            def convert_tokens_to_ids(self, token):
                return {"<pad>": 0, "</s>": 1, "<unk>": 2}[token]

        tokenizer = T5Converter(Original()).converted()
        tokenizer.save(str(folder / "tokenizer.json"))
        processor = spm.SentencePieceProcessor(model_file=str(work / "spiece.model"))
        for text in TEXTS:
            if "</s>" in text or "<pad>" in text:
                continue  # added tokens: matched by tokenizers, not by sentencepiece
            if tokenizer.encode(text).ids != processor.encode(text) + [1]:
                fail(f"tokenizer.json and sentencepiece disagree on {text!r}")
        import transformers
        slow = transformers.SiglipTokenizer(vocab_file=str(work / "spiece.model"), model_max_length=MAX_LENGTH)
        slow_ids = slow(TEXTS, padding="max_length", max_length=MAX_LENGTH, truncation=True)["input_ids"]
        differing = [t for t, a, b in zip(TEXTS, slow_ids, encode(folder, TEXTS)) if a != b]
    finally:
        shutil.rmtree(work)
    (folder / "tokenizer_config.json").write_text(json.dumps({
        "model_max_length": MAX_LENGTH, "pad_token": "</s>", "eos_token": "</s>", "unk_token": "<unk>",
        "tokenizer_class": "SiglipTokenizer"}, indent=2) + "\n")
    return {"texts": len(TEXTS), "differing": len(differing),
            "note": "SiglipTokenizer (sentencepiece, canonicalize_text: lower case, punctuation removed) vs "
                    "tokenizer.json, both padding='max_length', max_length=64, truncation=True"}


def encode(folder, texts):
    """processor(text=texts, padding="max_length", max_length=64, truncation=True)'s input_ids."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_LENGTH)
    tokenizer.enable_padding(length=MAX_LENGTH, pad_id=1, pad_token="</s>")
    return [e.ids for e in tokenizer.encode_batch(texts)]


def export(module, example, path, inputs, output, opset=17):
    import torch

    path.parent.mkdir(parents=True, exist_ok=True)
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        torch.onnx.export(module.eval(), example, str(path), dynamo=False, input_names=inputs, output_names=[output],
                          dynamic_axes={inputs[0]: {0: "batch"}, output: {0: "batch"}}, opset_version=opset,
                          do_constant_folding=True)


def main():
    args = parse_args()
    import numpy as np
    import onnxruntime
    import torch
    import transformers

    stamp = args.output / ".made.json"
    inputs = fingerprint(args)
    if not args.force and stamp.is_file() and json.loads(stamp.read_text()) == inputs:
        print(f"{args.output}: up to date")
        return
    staging = args.output.with_name(args.output.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    model_dir = staging / "tiny"
    model_dir.mkdir(parents=True)
    slow_tokenizer = train_tokenizer(args.corpus, model_dir)

    config = transformers.SiglipConfig(
        text_config=dict(vocab_size=VOCAB_SIZE, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                         num_attention_heads=4, max_position_embeddings=MAX_LENGTH, pad_token_id=1, bos_token_id=None,
                         eos_token_id=1),
        vision_config=dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                           image_size=IMAGE_SIZE, patch_size=8))
    torch.manual_seed(SEED)
    model = transformers.SiglipModel(config).eval()
    config.save_pretrained(model_dir)
    processor = transformers.SiglipImageProcessorPil(
        size={"height": IMAGE_SIZE, "width": IMAGE_SIZE}, resample=3, do_resize=True, do_rescale=True,
        rescale_factor=1 / 255, do_normalize=True, image_mean=[0.5] * 3, image_std=[0.5] * 3, do_convert_rgb=True)
    processor.save_pretrained(model_dir)

    class Tower(torch.nn.Module):  # the model as a submodule: its weights are parameters, not constants
        def __init__(self, text):
            super().__init__()
            self.model, self.text = model, text

        def forward(self, tensor):
            if self.text:
                return features(self.model.get_text_features(input_ids=tensor))
            return features(self.model.get_image_features(pixel_values=tensor))

    def features(out):
        return out if isinstance(out, torch.Tensor) else out.pooler_output

    images = make_clip_models.make_images()
    pil_images = make_clip_models.open_images(images)
    pixels = np.asarray(processor(pil_images, return_tensors="np")["pixel_values"], dtype=np.float32)
    raw = np.asarray(processor(pil_images, do_rescale=False, do_normalize=False, return_tensors="np")["pixel_values"])
    resized = raw.astype(np.uint8)
    if not np.array_equal(resized.astype(raw.dtype), raw):
        fail("the resized images (do_rescale and do_normalize off) are not whole numbers 0..255")
    again = ((resized.astype(np.float64) * (1 / 255)).astype(np.float32) - np.float32(0.5)) / np.float32(0.5)
    if not np.array_equal(again, pixels):
        fail("rescaling and normalising resized_uint8 does not give pixel_values exactly")
    ids = np.asarray(encode(model_dir, TEXTS), dtype=np.int64)
    with torch.no_grad():
        text_embeds = features(model.get_text_features(input_ids=torch.from_numpy(ids))).numpy()
        image_embeds = features(model.get_image_features(pixel_values=torch.from_numpy(pixels))).numpy()
    export(Tower(True), (torch.from_numpy(ids[:3]),), model_dir / "onnx" / "text_model.onnx", ["input_ids"], "text_embeds")
    export(Tower(False), (torch.from_numpy(pixels[:2]),), model_dir / "onnx" / "vision_model.onnx", ["pixel_values"],
           "image_embeds")

    def cosines(a, b):
        return (a * b).sum(1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)

    figures = {}
    for name, feed, expected in [("text_model", {"input_ids": ids}, text_embeds),
                                 ("vision_model", {"pixel_values": pixels}, image_embeds)]:
        session = onnxruntime.InferenceSession(str(model_dir / "onnx" / f"{name}.onnx"),
                                               providers=["CPUExecutionProvider"])
        got = session.run(None, feed)[0]
        smallest = float(cosines(got, expected).min())
        figures[name] = smallest
        print(f"    onnx/{name}.onnx vs PyTorch: smallest cosine {smallest:.7f}")
        if smallest < MIN_COSINE:
            fail(f"{name}: cosine {smallest} < {MIN_COSINE}")

    (staging / "images").mkdir()
    for name, data, _ in images:
        (staging / "images" / name).write_bytes(data)
    reference = staging / "reference"
    reference.mkdir()
    f32 = make_clip_models.f32
    (reference / "texts.json").write_text(json.dumps({
        "call": "tokenizer.json (tokenizers) truncation 64, padding to max_length 64 with </s> (id 1); "
                "SiglipModel.get_text_features(input_ids) with no attention mask",
        "texts": [{"text": t, "input_ids": [int(x) for x in ids[i]], "text_embeds": f32(text_embeds[i])}
                  for i, t in enumerate(TEXTS)]}, ensure_ascii=False) + "\n", encoding="utf-8")
    np.save(reference / "pixel_values.npy", pixels)
    np.save(reference / "resized_uint8.npy", resized)
    (reference / "images.json").write_text(json.dumps({
        "processor": "SiglipImageProcessorPil with tiny/preprocessor_config.json's settings",
        "pixel_values": {"file": "reference/pixel_values.npy", "shape": list(pixels.shape), "dtype": "float32"},
        "resized_uint8": {"file": "reference/resized_uint8.npy", "shape": list(resized.shape), "dtype": "uint8"},
        "images": [{"file": f"images/{name}", "mode": image.mode, "row": i, "image_embeds": f32(image_embeds[i])}
                   for i, ((name, _, _), image) in enumerate(zip(images, pil_images))]}) + "\n")
    (reference / "index.json").write_text(json.dumps({
        "architecture": "SiglipModel", "random_weights_seed": SEED, "max_length": MAX_LENGTH,
        "onnx_vs_pytorch_smallest_cosine": figures, "siglip_tokenizer_vs_tokenizer_json": slow_tokenizer, **inputs}, indent=1) + "\n")
    (staging / ".made.json").write_text(json.dumps(inputs) + "\n")
    shutil.rmtree(args.output, ignore_errors=True)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staging, args.output)
    print(f"{args.output}: made")


if __name__ == "__main__":
    main()
