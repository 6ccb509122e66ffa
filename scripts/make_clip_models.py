#!/usr/bin/env python3
"""Makes CLIP image/text models with random weights, their ONNX exports and reference data.

    .cache/venv/bin/python scripts/make_clip_models.py [--only tiny|full|all] [--force]
        [--output Tests/Fixtures/clip] [--cache .cache] [--corpus scripts/data/reference_sentences.txt]

No real CLIP weights can be downloaded here, so both models are transformers.CLIPModel with
random weights (fixed seed) and the real architecture:

tiny  (committed, --output, default Tests/Fixtures/clip/): text tower hidden 32, 2 layers, 4
      heads, 77 positions; vision tower hidden 32, 2 layers, 4 heads, 32x32 images in 8x8
      patches; projection 16. initializer_factor 5 (not 1) makes the random towers mix their
      inputs more, so that texts and images get clearly different vectors.
full  (NOT committed, --cache, default .cache/models/clip-vit-b-32-random*/, 2.3 GB): the
      default CLIPConfig, i.e. OpenAI's ViT-B/32 (projection 512; vision 768 wide, 12 layers,
      patch 32 at 224x224; text 512 wide, 12 layers, vocabulary 49,408), for speed and memory
      measurements only.

Both text configs carry OpenAI's bos/pad/eos ids (0/1/2, as in every openai/clip-* config.json),
so transformers pools the text at argmax(input_ids) (see scripts/clip_export.py), which is right
because the tokenizer's <|endoftext|> is its largest id, as in OpenAI's vocabulary.

The tokenizer is a CLIP byte-level BPE made here: merges learned (a small deterministic BPE
learner below, on the words CLIP's pre-tokenizer makes) from --corpus (the committed reference
sentences), words ending in "</w>", the vocabulary laid out as
OpenAI's (the 256 byte symbols, the same with "</w>", one token per merge, then
<|startoftext|> and <|endoftext|>: 1,000 ids), and the pipeline built by transformers'
CLIPTokenizer (NFC + whitespace runs to one space + lowercase; CLIP's regex split, then
byte-level; RobertaProcessing with <|startoftext|> ... <|endoftext|>; byte-level decoder). The
full-size model uses the same tokenizer: its embedding table has 49,408 rows, of which ids past
999 are never produced.

Written for each model (the Hugging Face layout):
  <model>/config.json, preprocessor_config.json, tokenizer.json, tokenizer_config.json,
          special_tokens_map.json, model.safetensors
  <model>/onnx/model.onnx                  joint CLIPModel (normalised embeddings and logits)
  <model>/onnx/text_model.onnx             CLIPTextModelWithProjection (text_embeds)
  <model>/onnx/vision_model.onnx           CLIPVisionModelWithProjection (image_embeds)
  <model>/onnx/{text,vision}_model_quantized.onnx   dynamic int8 (scripts/quantize_onnx.py)
  <model>-vision/model.onnx, preprocessor_config.json, config.json   fastembed's vision-only layout
Each export is checked with ONNX Runtime against PyTorch's get_text_features /
get_image_features (cosine >= 0.9999 for every vector; exit status 1 otherwise).
For the tiny model also: images/ (13 small PNG and JPEG files of several sizes and modes) and
reference/ (index.json: files, names, shapes, pooling rule, tokenizer facts, verification
figures, versions; texts.json: 20 texts with their ids as CLIPTokenizer pads them to 77 and the
text embeddings; images.json: the image facts and embeddings, unnormalised and normalised;
pixel_values.npy: what CLIPImageProcessorPil gives; crops_uint8.npy: the resized, cropped
images before rescale and normalisation).

Everything is built under a temporary name next to the target folder and renamed into place
when every check passed. Idempotent: a stamp (.made.json) records the inputs (these scripts,
the corpus, library versions) and the outputs; when nothing changed the model is skipped
(--force rebuilds). Never touches the network (HF_HUB_OFFLINE=1).
"""
import argparse
import hashlib
import io
import json
import os
import random
import shutil
import sys
from importlib import metadata
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
sys.path.insert(0, str(SCRIPTS))

import clip_export  # noqa: E402

SEED = 20240611
MAX_LENGTH = 77
VOCAB_SIZE = 1000  # 512 byte symbols + 486 merges + 2 special tokens
SPECIAL = ["<|startoftext|>", "<|endoftext|>"]
OPENAI_TEXT_IDS = {"bos_token_id": 0, "pad_token_id": 1, "eos_token_id": 2}  # as in openai/clip-* config.json
TINY = {
    "projection_dim": 16,
    "text_config": dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                        max_position_embeddings=MAX_LENGTH, initializer_factor=5.0, projection_dim=16,
                        **OPENAI_TEXT_IDS),
    "vision_config": dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                          image_size=32, patch_size=8, initializer_factor=5.0, projection_dim=16),
}
FULL = {  # CLIPConfig()'s defaults (ViT-B/32) with OpenAI's text token ids
    "projection_dim": 512,
    "text_config": dict(projection_dim=512, **OPENAI_TEXT_IDS),
    "vision_config": dict(projection_dim=512),
}
TEXTS = [
    "a photo of a cat",
    "A PHOTO OF A DOG.",
    "Hello world!",
    "The quick brown fox jumps over the lazy dog.",
    "it's a dog's life, isn't it? we'll see, they'd say you're right: I've done it, I'm here",
    "Ünïcödé café naïve résumé, Ελληνικά and Ångström.",
    "東京は日本の首都です。",
    "Пример текста на русском языке.",
    "I love pizza 🍕 and 👩‍👩‍👧 family time!",
    "Version 2.4.1 fixes CVE-2023-12345; see https://example.com/notes?id=42.",
    "",
    "   ",
    "x",
    "Tabs\tand\nnewlines   and    runs of spaces",
    "MIXED Case, punctuation!!! (really?) -- yes...",
    "numbers 1234567890 and 3.14159",
    "a text with <|endoftext|> inside it",
    "<|startoftext|>already marked<|endoftext|>",
    "ﬁne ligatures and ＦＵＬＬＷＩＤＴＨ letters stay as they are under NFC",
    "A longer caption follows, written so that it is truncated: a large brown dog with a red collar runs "
    "across a green field of tall grass towards a small wooden house under a cloudy sky, while two children "
    "in yellow raincoats watch from the porch and a cat sleeps on the windowsill next to a vase of flowers, "
    "and this last clause is cut away by the tokenizer.",
]
EXPORT_TEXTS = ["a photo", "a somewhat longer example caption for tracing the graph", "x"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=["tiny", "full", "all"], default="all", help="which model(s) to make")
    parser.add_argument("--output", type=Path, default=ROOT / "Tests" / "Fixtures" / "clip",
                        help="folder of the committed tiny model and its reference data")
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache",
                        help="cache folder; the full-size model goes to <cache>/models/clip-vit-b-32-random*/")
    parser.add_argument("--corpus", type=Path, default=ROOT / "scripts" / "data" / "reference_sentences.txt",
                        help="text the tokenizer's merges are learned from (one text a line)")
    parser.add_argument("--opset", type=int, default=clip_export.OPSET)
    parser.add_argument("--force", action="store_true", help="rebuild even when the stamp says nothing changed")
    return parser.parse_args()


def fail(message):
    print(f"error: {message}", file=sys.stderr)
    sys.exit(1)


# --- idempotence -------------------------------------------------------------------------------

def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def versions():
    return {name: metadata.version(name) for name in
            ("torch", "transformers", "tokenizers", "onnx", "onnxruntime", "numpy", "pillow")}


def fingerprint(args, kind):
    helpers = [Path(__file__), Path(clip_export.__file__), Path(clip_export.onnx_export.__file__),
               Path(clip_export.quantize_onnx.__file__)]
    return {"kind": kind, "scripts_sha256": {path.name: sha256(path) for path in helpers},
            "corpus_sha256": sha256(args.corpus), "opset": args.opset, "versions": versions()}


def output_state(folder, hashed):
    """{relative path: sha256 (committed files: mtimes change on checkout) or size+mtime}."""
    state = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name != ".made.json"):
        stat = path.stat()
        state[str(path.relative_to(folder))] = sha256(path) if hashed else f"{stat.st_size}:{stat.st_mtime_ns}"
    return state


def up_to_date(folders, inputs, hashed):
    """The stamp in the first folder matches the inputs and every folder's files."""
    try:
        stamp = json.loads((folders[0] / ".made.json").read_text())
        return stamp["inputs"] == inputs and [output_state(folder, hashed) for folder in folders] == stamp["outputs"]
    except (OSError, ValueError, KeyError):
        return False


def write_stamp(folders, inputs, hashed):
    stamp = {"inputs": inputs, "outputs": [output_state(folder, hashed) for folder in folders]}
    (folders[0] / ".made.json").write_text(json.dumps(stamp, indent=1, sort_keys=True) + "\n")


def replace_folder(staging, target):
    if target.exists():
        shutil.rmtree(target)
    os.replace(staging, target)


# --- tokenizer ---------------------------------------------------------------------------------

def byte_symbols():
    """The 256 characters byte-level BPE writes the bytes as, in OpenAI CLIP's vocabulary order:
    the bytes that are printable Latin-1 characters (other than space and soft hyphen) stand for
    themselves, in byte order; the other 68 bytes map to U+0100 onwards, in byte order."""
    printable = [b for b in range(256) if 0x21 <= b <= 0x7E or 0xA1 <= b <= 0xAC or 0xAE <= b <= 0xFF]
    rest = [b for b in range(256) if b not in set(printable)]
    symbol = {b: chr(b) for b in printable}
    symbol.update({b: chr(0x100 + i) for i, b in enumerate(rest)})
    return [symbol[b] for b in printable + rest]


def learned_merges(corpus_lines, count):
    """The first `count` BPE merges learned on the corpus, words split as CLIP's normalizer and
    pre-tokenizer split them, each word's last symbol marked with "</w>". Classic BPE learning:
    repeatedly merge the most frequent adjacent pair (counted over word occurrences, at least
    twice); ties go to the smallest pair (code-point order), so the result does not depend on
    hash order (the `tokenizers` trainer's tie-breaks do: its merges change from run to run)."""
    import collections

    import transformers

    backend = transformers.CLIPTokenizer(vocab={t: i for i, t in enumerate(SPECIAL)}, merges=[]).backend_tokenizer
    words = collections.Counter()
    for line in corpus_lines:
        for piece, _ in backend.pre_tokenizer.pre_tokenize_str(backend.normalizer.normalize_str(line)):
            words[tuple(piece[:-1]) + (piece[-1] + "</w>",)] += 1
    words = {word: n for word, n in words.items()}
    merges = []
    while len(merges) < count:
        pairs = collections.Counter()
        for word, n in words.items():
            for pair in zip(word, word[1:]):
                pairs[pair] += n
        if not pairs:
            break
        top = max(pairs.values())
        if top < 2:
            break
        left, right = min(pair for pair, n in pairs.items() if n == top)
        merges.append((left, right))
        merged = {}
        for word, n in words.items():
            out, i = [], 0
            while i < len(word):
                if i + 1 < len(word) and word[i] == left and word[i + 1] == right:
                    out.append(left + right)
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + n
        words = merged
    if len(merges) < count:
        fail(f"the corpus gives only {len(merges)} merges; {count} are needed")
    return merges


def make_tokenizer(corpus):
    """transformers.CLIPTokenizer with OpenAI's vocabulary layout and merges learned on `corpus`."""
    import transformers

    if not corpus.is_file():
        fail(f"corpus {corpus} not found (pass --corpus)")
    lines = [line for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    symbols = byte_symbols()
    merges = learned_merges(lines, VOCAB_SIZE - 2 * len(symbols) - len(SPECIAL))
    tokens = symbols + [s + "</w>" for s in symbols] + ["".join(m) for m in merges] + SPECIAL
    if len(set(tokens)) != len(tokens) or len(tokens) != VOCAB_SIZE:
        fail("the vocabulary has duplicate tokens")
    vocab = {token: i for i, token in enumerate(tokens)}
    tokenizer = transformers.CLIPTokenizer(vocab=vocab, merges=merges, model_max_length=MAX_LENGTH)
    if tokenizer.convert_tokens_to_ids(SPECIAL) != [VOCAB_SIZE - 2, VOCAB_SIZE - 1]:
        fail("the special tokens did not keep the last ids")
    return tokenizer


def save_tokenizer(tokenizer, folder):
    tokenizer.save_pretrained(folder)
    special = folder / "special_tokens_map.json"
    if not special.exists():  # transformers 5 no longer writes it; fastembed and older loaders read it
        entry = lambda token: {"content": token, "lstrip": False, "normalized": False, "rstrip": False,  # noqa: E731
                               "single_word": False}
        special.write_text(json.dumps({"bos_token": entry(SPECIAL[0]), "eos_token": entry(SPECIAL[1]),
                                       "pad_token": entry(SPECIAL[1]), "unk_token": entry(SPECIAL[1])},
                                      indent=2) + "\n")


def check_tokenizer(folder):
    """CLIPTokenizerFast(tokenizer_file=...), AutoTokenizer on the folder and `tokenizers` on
    tokenizer.json agree on every text (truncated to 77, specials added)."""
    import transformers
    from tokenizers import Tokenizer

    from_file = transformers.CLIPTokenizerFast(tokenizer_file=str(folder / "tokenizer.json"))
    auto = transformers.AutoTokenizer.from_pretrained(folder)
    raw = Tokenizer.from_file(str(folder / "tokenizer.json"))
    raw.enable_truncation(MAX_LENGTH)
    for text in TEXTS:
        expected = raw.encode(text).ids
        for name, tok in (("CLIPTokenizerFast(tokenizer_file=)", from_file), ("AutoTokenizer", auto)):
            got = tok(text, truncation=True, max_length=MAX_LENGTH)["input_ids"]
            if got != expected:
                fail(f"{name} and tokenizers disagree on {text!r}: {got} != {expected}")
    facts = {"class": type(auto).__name__, "CLIPTokenizerFast_is_CLIPTokenizer":
             transformers.CLIPTokenizerFast is transformers.CLIPTokenizer}
    return auto, facts


def padding_facts(tokenizer):
    """What CLIPTokenizer's padding options do (recorded in reference/index.json)."""
    short = TEXTS[:3]
    fixed = tokenizer(short, padding="max_length", truncation=True)
    longest = tokenizer(short, padding=True)
    long_plain = tokenizer([TEXTS[-1]])["input_ids"][0]
    long_truncated = tokenizer([TEXTS[-1]], truncation=True)["input_ids"][0]
    return {
        "pad_token": tokenizer.pad_token, "pad_token_id": tokenizer.pad_token_id,
        "eos_token_id": tokenizer.eos_token_id, "bos_token_id": tokenizer.bos_token_id,
        "model_max_length": tokenizer.model_max_length, "padding_side": tokenizer.padding_side,
        "padding_max_length_without_max_length": {
            "lengths": [len(ids) for ids in fixed["input_ids"]],
            "note": "padding='max_length' with no max_length pads to model_max_length (77) with the pad token "
                    "(<|endoftext|>), attention_mask 0 there"},
        "padding_true": {"lengths": [len(ids) for ids in longest["input_ids"]],
                         "note": "padding=True pads to the longest text of the batch, same pad token"},
        "no_truncation_long_text_length": len(long_plain),
        "truncation_long_text_length": len(long_truncated),
        "truncation_keeps_eos_last": long_truncated[-1] == tokenizer.eos_token_id,
        "note": "without truncation=True a text longer than 77 tokens is NOT cut (the model then fails: 77 "
                "positions); with it, 75 tokens are kept between <|startoftext|> and <|endoftext|>",
    }


# --- images ------------------------------------------------------------------------------------

def make_images():
    """[(file name, bytes, description)]: small deterministic images of several sizes and modes."""
    import numpy as np
    from PIL import Image

    rng = np.random.RandomState(SEED)

    def pattern(width, height, channels=3):
        y, x = np.mgrid[0:height, 0:width].astype(np.float64)
        planes = []
        for c in range(channels):
            fx, fy, phase = rng.uniform(0.05, 0.6), rng.uniform(0.05, 0.6), rng.uniform(0, 6.3)
            wave = 0.5 + 0.35 * np.sin(fx * x + fy * y + phase) + 0.15 * (x / max(width - 1, 1) - y / max(height - 1, 1))
            planes.append(wave + rng.normal(0, 0.05, size=wave.shape))
        return (np.clip(np.stack(planes, axis=-1), 0, 1) * 255).round().astype(np.uint8)

    def encode(image, fmt, **kwargs):
        buffer = io.BytesIO()
        image.save(buffer, fmt, **kwargs)
        return buffer.getvalue()

    images = []
    for w, h, note in [(32, 32, "RGB at the crop size: no resize"), (64, 48, "RGB landscape, downscaled"),
                       (20, 50, "RGB portrait, upscaled"), (31, 31, "RGB odd size, upscaled by 32/31"),
                       (100, 7, "RGB extreme aspect: resized to 457x32, then cropped")]:
        images.append((f"rgb-{w}x{h}.png", encode(Image.fromarray(pattern(w, h)), "PNG"), note))
    images.append(("gray-40x40.png", encode(Image.fromarray(pattern(40, 40, 1)[..., 0], "L"), "PNG"), "L (grayscale)"))
    rgba = pattern(48, 40, 4)
    rgba[..., 3] = np.where(rgba[..., 3] > 128, 255, rgba[..., 3] // 2)
    rgba[:10, :10, 3] = 0
    images.append(("rgba-48x40.png", encode(Image.fromarray(rgba, "RGBA"), "PNG"),
                   "RGBA with transparent and half-transparent pixels: transformers composites onto white"))
    la = pattern(30, 45, 2)
    la[..., 1] = np.where(la[..., 1] > 100, 255, 60)
    images.append(("la-30x45.png", encode(Image.fromarray(la, "LA"), "PNG"), "LA (grayscale + alpha)"))
    palette = Image.fromarray(pattern(33, 27)).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    images.append(("palette-33x27.png", encode(palette, "PNG"), "P (16-colour palette), no transparency"))
    transparent = Image.fromarray(pattern(24, 24)).convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
    images.append(("palette-transparent-24x24.png", encode(transparent, "PNG", transparency=0),
                   "P with palette index 0 transparent (tRNS): transformers composites onto white"))
    bilevel = Image.fromarray(pattern(37, 29, 1)[..., 0], "L").convert("1")
    images.append(("bilevel-37x29.png", encode(bilevel, "PNG"), "1 (one bit per pixel, dithered)"))
    images.append(("photo-64x64.jpg", encode(Image.fromarray(pattern(64, 64)), "JPEG", quality=90),
                   "JPEG (baseline, 4:2:0): decoders may differ by a level or two"))
    exif = Image.Exif()
    exif[0x0112] = 6  # Orientation: rotate 90 degrees clockwise to display
    images.append(("exif-rotated-48x32.jpg", encode(Image.fromarray(pattern(48, 32)), "JPEG", quality=90,
                                                     exif=exif.tobytes()),
                   "JPEG with EXIF Orientation 6: transformers (PIL Image.open) ignores it, the pixels are used "
                   "as stored (48 wide, 32 high)"))
    return images


def image_processor(size):
    """CLIPImageProcessorPil (the PIL backend, forced: transformers 5 prefers torchvision when it
    is installed) with OpenAI CLIP's settings at `size`."""
    import transformers

    return transformers.CLIPImageProcessorPil(size={"shortest_edge": size}, crop_size={"height": size, "width": size},
                                              do_resize=True, do_center_crop=True, do_rescale=True,
                                              rescale_factor=1 / 255, do_normalize=True, resample=3,
                                              do_convert_rgb=True)


def open_images(images):
    from PIL import Image

    return [Image.open(io.BytesIO(data)) for _, data, _ in images]


def pixel_values(processor, pil_images):
    import numpy as np

    return np.asarray(processor(pil_images, return_tensors="np")["pixel_values"], dtype=np.float32)


# --- models ------------------------------------------------------------------------------------

def save_model(spec, tokenizer, folder, size):
    import torch
    import transformers

    text = dict(spec["text_config"])
    text["vocab_size"] = len(tokenizer) if size == "tiny" else 49408
    config = transformers.CLIPConfig(projection_dim=spec["projection_dim"], text_config=text,
                                     vision_config=dict(spec["vision_config"]))
    torch.manual_seed(SEED)
    model = transformers.CLIPModel(config).eval()
    model.save_pretrained(folder)
    save_tokenizer(tokenizer, folder)
    image_processor(config.vision_config.image_size).save_pretrained(folder)
    return config


def batches(tokenizer, pil_images, processor):
    """The text and pixel batches every export is checked on (different batch sizes and lengths)."""
    text = [tokenizer(TEXTS, padding="max_length", truncation=True, return_tensors="np"),
            tokenizer(TEXTS[:5], padding=True, truncation=True, return_tensors="np"),
            tokenizer(TEXTS[2:3], return_tensors="np")]
    pixels = pixel_values(processor, pil_images)
    return text, [pixels, pixels[:1], pixels[1:4]]


def export_all(folder, vision_folder, tokenizer, pil_images, opset):
    """Writes the three layouts and the int8 variants; returns their verification figures."""
    processor = image_processor(json.loads((folder / "config.json").read_text())["vision_config"]["image_size"])
    example_text = tokenizer(EXPORT_TEXTS, padding=True, return_tensors="np")
    example_pixels = pixel_values(processor, pil_images[:2])
    text_batches, pixel_batches = batches(tokenizer, pil_images, processor)
    reference = clip_export.load(folder, "clip")
    onnx_dir = folder / "onnx"
    report = {}
    for layout, name in [("joint", "model.onnx"), ("text", "text_model.onnx"), ("vision", "vision_model.onnx")]:
        path = onnx_dir / name
        print(f"==> {folder.name}/onnx/{name} ({layout}, opset {opset})", flush=True)
        clip_export.export(folder, layout, path, example_text, example_pixels, opset)
        report[f"onnx/{name}"] = {"layout": layout, "signature": clip_export.check_signature(path, layout),
                                  "verification": clip_export.verify(path, layout, reference, text_batches,
                                                                     pixel_batches),
                                  "bytes": path.stat().st_size}
        if layout != "vision":
            report[f"onnx/{name}"]["pooling_rule"] = clip_export.pooling_rule(path)
    for layout in ("text", "vision"):
        fp32 = onnx_dir / f"{layout}_model.onnx"
        target = onnx_dir / f"{layout}_model_quantized.onnx"
        print(f"==> {folder.name}/onnx/{target.name}", flush=True)
        recipe = clip_export.quantize(fp32, target)
        report[f"onnx/{target.name}"] = {
            "layout": layout, "recipe": recipe, "signature": clip_export.check_signature(target, layout),
            "versus_fp32_onnx": clip_export.verify_quantized(target, fp32, layout, text_batches, pixel_batches),
            "bytes": target.stat().st_size}
    # fastembed's vision-only layout: model.onnx (first input: pixel values; first output: the
    # unnormalised embedding, normalised by fastembed) beside preprocessor_config.json.
    vision_folder.mkdir(parents=True, exist_ok=True)
    clip_export.copy_file(onnx_dir / "vision_model.onnx", vision_folder / "model.onnx")
    for name in ("preprocessor_config.json", "config.json"):
        clip_export.copy_file(folder / name, vision_folder / name)
    print(f"==> {vision_folder.name}/model.onnx (fastembed's vision-only layout)", flush=True)
    report[f"{vision_folder.name}/model.onnx"] = {
        "layout": "vision", "signature": clip_export.check_signature(vision_folder / "model.onnx", "vision"),
        "verification": clip_export.verify(vision_folder / "model.onnx", "vision", reference, text_batches,
                                           pixel_batches),
        "bytes": (vision_folder / "model.onnx").stat().st_size}
    padding_check(onnx_dir / "text_model.onnx", tokenizer)
    return report


def padding_check(text_model, tokenizer):
    """text_embeds do not depend on how the batch is padded (the pooled EOS token only attends
    to the tokens before it)."""
    import numpy as np

    fixed = tokenizer(TEXTS, padding="max_length", truncation=True, return_tensors="np")
    longest = tokenizer(TEXTS[:10], padding=True, truncation=True, return_tensors="np")
    a = clip_export.run(text_model, clip_export.text_feeds(fixed), ["text_embeds"])["text_embeds"][:10]
    b = clip_export.run(text_model, clip_export.text_feeds(longest), ["text_embeds"])["text_embeds"]
    diff = float(np.abs(a - b).max())
    print(f"    text_embeds padded to 77 vs padded to the longest ({longest['input_ids'].shape[1]}): "
          f"max abs diff {diff:.3g}", flush=True)
    if diff > 1e-4:
        fail(f"text_embeds depend on the padding (max abs diff {diff:.3g})")


# --- reference data ----------------------------------------------------------------------------

def f32(values):
    """Floats written with the fewest digits that read back as the same float32."""
    import numpy as np

    return [float(np.format_float_positional(np.float32(v), unique=True, trim="0")) for v in np.ravel(values)]


def write_reference(folder, model_folder, tokenizer, images, pil_images, report, tokenizer_facts):
    import numpy as np
    from transformers.image_transforms import get_resize_output_image_size

    model = clip_export.load(model_folder, "clip")
    config = model.config
    size = config.vision_config.image_size
    processor = image_processor(size)
    reference_dir = folder / "reference"
    reference_dir.mkdir(parents=True)

    encoded = tokenizer(TEXTS, padding="max_length", truncation=True, return_tensors="np")
    text_embeds = clip_export.text_features(model, encoded)
    texts = []
    for i, text in enumerate(TEXTS):
        ids = [int(x) for x in encoded["input_ids"][i]]
        mask = [int(x) for x in encoded["attention_mask"][i]]
        texts.append({"text": text, "length": int(sum(mask)), "input_ids": ids, "attention_mask": mask,
                      "pooled_position": int(np.argmax(encoded["input_ids"][i])),
                      "text_embeds": f32(text_embeds[i]),
                      "text_embeds_normalized": f32(clip_export.normalized(text_embeds[i:i + 1])[0])})
    (reference_dir / "texts.json").write_text(json.dumps({
        "tokenizer": f"{model_folder.name}/tokenizer.json", "call": "CLIPTokenizer(texts, padding='max_length', "
        "truncation=True) (max_length = model_max_length = 77)", "pad_token_id": tokenizer.pad_token_id,
        "texts": texts}, ensure_ascii=False) + "\n", encoding="utf-8")

    pixels = pixel_values(processor, pil_images)
    crops = np.asarray(processor(pil_images, do_rescale=False, do_normalize=False, return_tensors="np")["pixel_values"])
    if crops.dtype != np.uint8 or not np.array_equal(normalize_like_transformers(crops, processor), pixels):
        fail("the pixel values are not the rescaled and normalised uint8 crops")
    np.save(reference_dir / "pixel_values.npy", pixels)
    np.save(reference_dir / "crops_uint8.npy", crops)
    image_embeds = clip_export.image_features(model, pixels)
    entries = []
    for i, ((name, data, note), image) in enumerate(zip(images, pil_images)):
        resized = get_resize_output_image_size(np.zeros((image.height, image.width, 1)), size, default_to_square=False,
                                               input_data_format="channels_last")
        entries.append({"file": f"images/{name}", "description": note, "mode": image.mode, "format": image.format,
                        "width": image.width, "height": image.height, "resized_height_width": list(resized),
                        "row": i, "image_embeds": f32(image_embeds[i]),
                        "image_embeds_normalized": f32(clip_export.normalized(image_embeds[i:i + 1])[0])})
    (reference_dir / "images.json").write_text(json.dumps({
        "processor": f"{type(processor).__name__} ({processor.backend} backend) with the settings of "
                     f"{model_folder.name}/preprocessor_config.json",
        "pixel_values": {"file": "reference/pixel_values.npy", "dtype": "float32 little-endian",
                         "shape": list(pixels.shape), "order": "[image row, channel (R, G, B), y, x], C order"},
        "crops": {"file": "reference/crops_uint8.npy", "dtype": "uint8", "shape": list(crops.shape),
                  "what": "each image after RGB conversion, bicubic resize (PIL, shortest edge) and centre crop, "
                          "before rescale and normalisation",
                  "pixel_values_from_crops": "float32(float32(crop * (1/255 as float64)) - mean) / std, mean and std "
                                             "as float32 (exactly the stored pixel values)"},
        "npy_format": "NumPy .npy version 1.0: 6-byte magic \\x93NUMPY, 2 version bytes, a little-endian uint16 header "
                      "length, an ASCII dict header (descr, fortran_order False, shape), then the raw array",
        "images": entries}, ensure_ascii=False) + "\n", encoding="utf-8")

    norm_t, norm_i = clip_export.normalized(text_embeds), clip_export.normalized(image_embeds)
    index = {
        "model": model_folder.name, "vision_only": f"{model_folder.name}-vision",
        "architecture": "CLIPModel", "random_weights_seed": SEED,
        "projection_dim": config.projection_dim, "logit_scale": float(np.exp(model.logit_scale.item())),
        "text": {"hidden_size": config.text_config.hidden_size, "vocab_size": config.text_config.vocab_size,
                 "max_position_embeddings": config.text_config.max_position_embeddings,
                 "eos_token_id_in_config": config.text_config.eos_token_id,
                 "pooling_rule": report["onnx/text_model.onnx"]["pooling_rule"]},
        "vision": {"hidden_size": config.vision_config.hidden_size, "image_size": size,
                   "patch_size": config.vision_config.patch_size, "pooling": "class token (position 0), post_layernorm"},
        "tokenizer": dict(tokenizer_facts, **padding_facts(tokenizer)),
        "image_processor": {"class": type(processor).__name__, "backend": processor.backend,
                            "torchvision_installed": _torchvision_installed()},
        "files": {"texts": "reference/texts.json", "images": "reference/images.json",
                  "pixel_values": "reference/pixel_values.npy", "crops": "reference/crops_uint8.npy"},
        "exports": report,
        "spread": {"text_cosines": _spread(norm_t, [tuple(t["input_ids"]) for t in texts]),
                   "image_cosines": _spread(norm_i, [e["file"] for e in entries])},
        "versions": versions(),
    }
    (reference_dir / "index.json").write_text(json.dumps(index, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    image_dir = folder / "images"
    image_dir.mkdir()
    for name, data, _ in images:
        (image_dir / name).write_bytes(data)


def _spread(vectors, keys):
    """Smallest and largest cosine between two inputs, over the pairs whose inputs differ (""
    and "   " tokenize alike, for example)."""
    import numpy as np

    cosines = vectors @ vectors.T
    different = np.array([[a != b for b in keys] for a in keys])
    off = cosines[different]
    return {"min": round(float(off.min()), 4), "max": round(float(off.max()), 4)}


def normalize_like_transformers(crops, processor):
    """transformers' rescale (float64 multiply, then float32) and normalize (float32)."""
    import numpy as np

    scaled = (crops.astype(np.float64) * processor.rescale_factor).astype(np.float32)
    mean = np.asarray(processor.image_mean, dtype=np.float32).reshape(1, 3, 1, 1)
    std = np.asarray(processor.image_std, dtype=np.float32).reshape(1, 3, 1, 1)
    return (scaled - mean) / std


def _torchvision_installed():
    import importlib.util

    return importlib.util.find_spec("torchvision") is not None


# --- the two models ----------------------------------------------------------------------------

def make_tiny(args):
    folder = args.output.resolve()
    inputs = fingerprint(args, "tiny")
    if not args.force and up_to_date([folder], inputs, hashed=True):
        print(f"==> {folder.name}: up to date", flush=True)
        return
    staging = folder.with_name(f".{folder.name}.making-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        model_folder, vision_folder = staging / "tiny", staging / "tiny-vision"
        tokenizer = make_tokenizer(args.corpus)
        save_model(TINY, tokenizer, model_folder, "tiny")
        tokenizer, facts = check_tokenizer(model_folder)
        images = make_images()
        pil_images = open_images(images)
        report = export_all(model_folder, vision_folder, tokenizer, pil_images, args.opset)
        write_reference(staging, model_folder, tokenizer, images, pil_images, report, facts)
        write_stamp([staging], inputs, hashed=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    replace_folder(staging, folder)
    sizes(folder)


def make_full(args):
    models = args.cache.resolve() / "models"
    folder, vision_folder = models / "clip-vit-b-32-random", models / "clip-vit-b-32-random-vision"
    inputs = fingerprint(args, "full")
    if not args.force and up_to_date([folder, vision_folder], inputs, hashed=False):
        print(f"==> {folder.name}: up to date", flush=True)
        return
    models.mkdir(parents=True, exist_ok=True)
    staging = models / f".clip-full.making-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        model_folder, staged_vision = staging / folder.name, staging / vision_folder.name
        tokenizer = make_tokenizer(args.corpus)
        print(f"==> {folder.name}: CLIPModel(CLIPConfig()) with random weights (~600 MB)", flush=True)
        save_model(FULL, tokenizer, model_folder, "full")
        tokenizer, _ = check_tokenizer(model_folder)
        report = export_all(model_folder, staged_vision, tokenizer, open_images(make_images()), args.opset)
        (model_folder / "exports.json").write_text(json.dumps(report, indent=1) + "\n")
        for target, staged in ((folder, model_folder), (vision_folder, staged_vision)):
            replace_folder(staged, target)
        write_stamp([folder, vision_folder], inputs, hashed=False)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    sizes(folder)
    sizes(vision_folder)


def sizes(folder):
    total = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        total += path.stat().st_size
    print(f"==> wrote {folder} ({total / 1e6:.2f} MB)", flush=True)


def main():
    args = parse_args()
    random.seed(SEED)
    import numpy as np
    import torch

    np.random.seed(SEED)
    torch.manual_seed(SEED)
    clip_export._quiet_transformers()
    if args.only in ("tiny", "all"):
        make_tiny(args)
    if args.only in ("full", "all"):
        make_full(args)


if __name__ == "__main__":
    main()
