"""The CLIP branch of scripts/convert_model.py (not a program of its own).

A checkpoint whose config.json says model_type "clip" (transformers CLIPModel) is written as
the split towers swift-embed opens by default (transformers.js' layout):

1. config.json, the tokenizer (tokenizer.json and its configs) and preprocessor_config.json
   (CLIPImageProcessor's settings), saved from the checkpoint; no weights are copied.
2. onnx/text_model.onnx (CLIPTextModelWithProjection: text_embeds) and
   onnx/vision_model.onnx (CLIPVisionModelWithProjection: image_embeds), exported by
   scripts/clip_export.py, each checked against PyTorch: text_embeds against
   CLIPModel.get_text_features and image_embeds against get_image_features, cosine >= 0.9999
   on every row of padded text batches and of pixel batches of several sizes.
3. With a reference path: PyTorch's features for the check texts and for check images that
   this script draws (deterministic, several sizes and modes, saved as PNG and JPEG beside the
   reference), for the Swift engine's check: {"kind": "clip", "texts", "embeddings",
   "images": [paths], "image_embeddings"}.
"""
import io
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import clip_export  # noqa: E402

EXPORT_TEXTS = ["a photo", "a somewhat longer example caption for tracing the graph", "x"]


def is_clip(source):
    """Whether `source` (a folder or hub id) is a CLIP checkpoint, from its config."""
    import transformers

    local = Path(source).expanduser() / "config.json"
    if local.is_file():
        try:
            return json.loads(local.read_text(encoding="utf-8")).get("model_type") == "clip"
        except (OSError, ValueError, AttributeError):
            return False
    try:
        return transformers.AutoConfig.from_pretrained(source).model_type == "clip"
    except Exception:  # noqa: BLE001 - not loadable as a transformers config: not CLIP; the main path reports it
        return False


def processor_for(source):
    """The checkpoint's CLIPImageProcessor with the PIL backend (what Pillow users get;
    transformers 5 would pick torchvision when it is installed)."""
    import transformers

    cls = getattr(transformers, "CLIPImageProcessorPil", None) or transformers.CLIPImageProcessor
    return cls.from_pretrained(source)


def check_images(folder):
    """Deterministic check images: sizes and modes the preprocessing must handle, as files."""
    import numpy as np
    from PIL import Image

    rng = np.random.default_rng(7)
    specs = [(64, 64, "RGB", "png"), (100, 37, "RGB", "jpeg"), (31, 90, "L", "png"), (48, 40, "RGBA", "png"),
             (256, 192, "RGB", "jpeg"), (7, 7, "RGB", "png")]
    paths = []
    for index, (width, height, mode, fmt) in enumerate(specs):
        y, x = np.mgrid[0:height, 0:width]
        base = np.stack([(x * 255 // max(width - 1, 1)), (y * 255 // max(height - 1, 1)),
                         ((x + y) * 127 // max(width + height - 2, 1))], -1).astype(np.int16)
        noise = rng.integers(-40, 40, size=base.shape)
        pixels = np.clip(base + noise, 0, 255).astype(np.uint8)
        image = Image.fromarray(pixels, "RGB")
        if mode != "RGB":
            image = image.convert(mode)
        path = folder / f"check-{index}-{width}x{height}-{mode.lower()}.{'jpg' if fmt == 'jpeg' else 'png'}"
        image.save(path, format=fmt.upper(), **({"quality": 92} if fmt == "jpeg" else {}))
        paths.append(path)
    return paths


def convert(source, staging, texts, reference_path, opset, fail):
    """Writes the split-tower folder into `staging`; `fail(step, message)` ends the run."""
    import numpy as np
    import transformers
    from PIL import Image

    clip_export._quiet_transformers()
    try:
        model = transformers.CLIPModel.from_pretrained(source).eval()
        tokenizer = transformers.AutoTokenizer.from_pretrained(source)
        processor = processor_for(source)
    except Exception as error:  # noqa: BLE001
        fail("loading " + str(source), f"{type(error).__name__}: {error}")
    if not getattr(tokenizer, "is_fast", False):
        fail("tokenizer", "the model has no fast tokenizer (tokenizer.json), which swift-embed needs")
    staging.mkdir(parents=True, exist_ok=True)
    model.config.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    processor.save_pretrained(staging)
    # The towers are exported from a checkpoint folder: the weights go to a scratch copy only.
    scratch = staging.with_name(staging.name + ".weights")
    model.save_pretrained(scratch)
    work = Path(reference_path).parent if reference_path else scratch
    images = check_images(work)
    pil = [Image.open(io.BytesIO(path.read_bytes())) for path in images]
    pixels = np.asarray(processor(pil, return_tensors="np")["pixel_values"], dtype=np.float32)
    text_batches = [tokenizer(texts, padding=True, truncation=True, return_tensors="np"),
                    tokenizer(texts[:3], padding=True, truncation=True, return_tensors="np")]
    pixel_batches = [pixels, pixels[:1], pixels[1:4]]
    example_text = tokenizer(EXPORT_TEXTS, padding=True, return_tensors="np")
    (staging / "onnx").mkdir(exist_ok=True)
    try:
        for layout in ("text", "vision"):
            path = staging / "onnx" / f"{layout}_model.onnx"
            print(f"==> exporting onnx/{path.name} ({layout} tower, opset {opset})", flush=True)
            clip_export.export(scratch, layout, path, example_text, pixels[:2], opset)
            clip_export.check_signature(path, layout)
            clip_export.verify(path, layout, model, text_batches, pixel_batches)
    except SystemExit as error:
        fail("ONNX check", str(error))
    except Exception as error:  # noqa: BLE001
        fail("ONNX export", f"{type(error).__name__}: {error}")
    finally:
        import shutil
        shutil.rmtree(scratch, ignore_errors=True)
    if reference_path:
        batch = tokenizer(texts, padding=True, truncation=True, return_tensors="np")
        document = {
            "kind": "clip", "texts": texts,
            "embeddings": clip_export.text_features(model, batch).astype(float).tolist(),
            "images": [str(path) for path in images],
            "image_embeddings": clip_export.image_features(model, pixels).astype(float).tolist(),
        }
        Path(reference_path).write_text(json.dumps(document, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"==> reference: {len(texts)} texts and {len(images)} images from PyTorch ({reference_path})", flush=True)
