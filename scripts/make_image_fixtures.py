#!/usr/bin/env python3
"""Generates the image fixtures of EmbedImaging / EmbedVision and their golden files.

    python scripts/make_image_fixtures.py [--out Tests/Fixtures/images]

Made with (the versions the committed goldens come from):
    Python 3.11.7, Pillow 13.0.0 (its wheel's libjpeg-turbo 3.2.0, libwebp 1.6.0, zlib 1.2.13),
    numpy 2.4.6, transformers 5.24.0 (CLIPImageProcessorPil: the PIL backend, which
    CLIPImageProcessor falls back to without torchvision; torch is not needed), and Debian 12's
    cjpeg 2.1.5 (package libjpeg-turbo-progs) for the progressive, arithmetic and restart-marker
    JPEGs. Set-up: `make setup` (pillow, numpy and transformers are in scripts/requirements.txt).

Every input image is generated here (numpy noise, gradients and shapes, so that JPEG and
WebP have real work to do), small, and written next to its golden data:

* ``decoded/NAME.rgb``: ``ImageOps.exif_transpose(Image.open(f)).convert("RGB")`` as raw
  interleaved RGB bytes; ``decoded-composite/NAME.rgb``: transformers' ``convert_to_rgb``
  (transparency composited over white) for the images that have transparency.
* ``processed/CONFIG/NAME.u8``: the processor's output before rescale/normalise (uint8,
  channels first), ``processed/CONFIG/NAME.f32``: its ``pixel_values`` (float32 LE, [3, H, W]).
* ``configs/CONFIG.json``: the ``preprocessor_config.json`` of each processor configuration.
* ``index.json``: every fixture, its expected size or error code, and what Pillow did.
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, features
from transformers.image_transforms import convert_to_rgb
from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from image_fixture_inputs import make_inputs  # noqa: E402


# The error code our decoder must give, for the inputs that fail (any other must decode).
EXPECTED_ERRORS = {
    "bad-jpeg-truncated.jpg": "truncated",
    "bad-jpeg-progressive-truncated.jpg": "truncated",
    "bad-jpeg-header.jpg": "corrupt",
    "bad-jpeg-no-eoi.jpg": "truncated",
    "bad-png-truncated.png": "truncated",
    "bad-png-idat-data.png": "corrupt",
    "bad-png-ihdr-crc.png": "corrupt",
    "bad-png-text-crc.png": "corrupt",
    "bad-png-bomb-pixels.png": "tooManyPixels",
    "bad-png-bomb-side.png": "sideTooLong",
    "bad-png-signature-only.png": "truncated",
    "bad-webp-truncated.webp": "truncated",
    "bad-webp-header.webp": "corrupt",
    "bad-empty.bin": "empty",
    "bad-text.txt": "unsupportedFormat",
    "bad-gif.gif": "unsupportedFormat",
    "bad-bmp.bmp": "unsupportedFormat",
}

# Processor configurations (preprocessor_config.json) and the fixtures each is run on.
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]


def clip_config(shortest: int, crop, resample: int) -> dict:
    return {
        "crop_size": crop, "do_center_crop": True, "do_convert_rgb": True, "do_normalize": True,
        "do_rescale": True, "do_resize": True, "feature_extractor_type": "CLIPFeatureExtractor",
        "image_mean": CLIP_MEAN, "image_processor_type": "CLIPImageProcessor", "image_std": CLIP_STD,
        "resample": resample, "rescale_factor": 0.00392156862745098, "size": {"shortest_edge": shortest},
    }


CONFIGS = {
    "clip-224": clip_config(224, {"height": 224, "width": 224}, 3),
    "clip-16-bicubic": clip_config(16, 16, 3),
    "clip-16-bilinear": clip_config(16, {"height": 16, "width": 16}, 2),
    "clip-16-lanczos": clip_config(16, 16, 1),
    "clip-12-pad": clip_config(12, {"height": 16, "width": 20}, 3),
    "siglip-16x12": {
        "do_normalize": True, "do_rescale": True, "do_resize": True, "image_mean": [0.5, 0.5, 0.5],
        "image_processor_type": "SiglipImageProcessor", "image_std": [0.5, 0.5, 0.5],
        "processor_class": "SiglipProcessor", "resample": 3, "rescale_factor": 0.00392156862745098,
        "size": {"height": 16, "width": 12},
    },
}
LARGE_CONFIG_INPUTS = ["jpeg-large.jpg", "jpeg-portrait.jpg"]


def processor(config: dict, **overrides) -> CLIPImageProcessorPil:
    keys = ["do_resize", "size", "resample", "do_center_crop", "crop_size", "do_rescale", "rescale_factor",
            "do_normalize", "image_mean", "image_std", "do_convert_rgb"]
    kwargs = {k: config[k] for k in keys if k in config}
    kwargs.setdefault("do_center_crop", False)
    kwargs.update(overrides)
    return CLIPImageProcessorPil(**kwargs)


def has_transparency(image: Image.Image) -> bool:
    return "A" in image.getbands() or image.info.get("transparency") is not None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "Tests/Fixtures/images"))
    out = Path(parser.parse_args().out)
    if out.exists():
        shutil.rmtree(out)
    for sub in ("inputs", "decoded", "decoded-composite", "configs"):
        (out / sub).mkdir(parents=True)
    index = {"pillow": Image.__version__ if hasattr(Image, "__version__") else "",
             "libjpeg_turbo": features.version("jpg"), "libwebp": features.version("webp"),
             "fixtures": [], "configs": {}}
    decoded_images: dict[str, Image.Image] = {}
    for name, data in sorted(make_inputs().items()):
        (out / "inputs" / name).write_bytes(data)
        entry: dict = {"file": name, "bytes": len(data)}
        try:
            with Image.open(io.BytesIO(data)) as opened:
                opened.load()
                entry["pillow_mode"] = opened.mode
                transposed = ImageOps.exif_transpose(opened)
                rgb = transposed.convert("RGB")
                entry["pillow"] = "ok"
                entry["width"], entry["height"] = rgb.size
                (out / "decoded" / (name + ".rgb")).write_bytes(rgb.tobytes())
                if has_transparency(transposed):
                    composite = convert_to_rgb(transposed, return_numpy=True)
                    (out / "decoded-composite" / (name + ".rgb")).write_bytes(composite.tobytes())
                    entry["composite"] = True
                decoded_images[name] = transposed.copy()
        except Exception as error:  # noqa: BLE001 - recorded, the tests compare codes
            entry["pillow"] = f"{type(error).__name__}: {error}"
        if name in EXPECTED_ERRORS:
            entry["error"] = EXPECTED_ERRORS[name]
        elif entry["pillow"] != "ok":
            raise SystemExit(f"{name}: Pillow failed ({entry['pillow']}) but no error is expected")
        index["fixtures"].append(entry)

    for config_name, config in CONFIGS.items():
        (out / "configs" / f"{config_name}.json").write_text(json.dumps(config, indent=2, sort_keys=True) + "\n")
        folder = out / "processed" / config_name
        folder.mkdir(parents=True)
        names = LARGE_CONFIG_INPUTS if config_name == "clip-224" else sorted(
            n for n in decoded_images if n not in EXPECTED_ERRORS)
        full, raw = processor(config), processor(config, do_rescale=False, do_normalize=False)
        shapes = {}
        for name in names:
            image = decoded_images[name]
            values = np.asarray(full(image)["pixel_values"][0], dtype=np.float32)
            uint8 = np.asarray(raw(image)["pixel_values"][0])
            assert uint8.dtype == np.uint8 and uint8.shape == values.shape, (uint8.dtype, uint8.shape)
            (folder / (name + ".f32")).write_bytes(values.astype("<f4").tobytes())
            (folder / (name + ".u8")).write_bytes(uint8.tobytes())
            shapes[name] = list(values.shape)
        index["configs"][config_name] = shapes
    (out / "index.json").write_text(json.dumps(index, indent=1, sort_keys=True) + "\n")
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"wrote {len(index['fixtures'])} fixtures, {total / 1e6:.2f} MB, to {out}")


if __name__ == "__main__":
    main()
