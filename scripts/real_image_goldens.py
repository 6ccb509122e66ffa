#!/usr/bin/env python3
"""Writes Pillow / CLIPImageProcessor goldens for up to 50 real pictures found on this
machine (Debian's wallpapers, icons and documentation figures), for the comparison test
`RealImageTests` (run by scripts/compare-real-images.sh). Nothing here is committed.

    python scripts/real_image_goldens.py --out DIR [--limit 50]

For each picture: DIR/NAME.rgb (exif_transpose(open(f)).convert("RGB") bytes),
DIR/NAME.f32 and DIR/NAME.u8 (CLIPImageProcessorPil defaults on exif_transpose(open(f))),
and DIR/index.json with the paths and sizes.
"""

import argparse
import hashlib
import itertools
import json
import os
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps
from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil

ROOTS = ["/usr/share/backgrounds", "/usr/share/wallpapers", "/usr/share/desktop-base", "/usr/share/plymouth",
         "/usr/share/icons", "/usr/share/doc", "/usr/share/pixmaps", "/usr/share/images", "/usr/lib/python3"]
SUFFIXES = {".jpg", ".jpeg", ".png", ".webp"}


def candidates(limit: int) -> list[Path]:
    found: list[Path] = []
    for root in ROOTS:
        for folder, _, files in os.walk(root):
            for name in sorted(files):
                path = Path(folder) / name
                if path.suffix.lower() in SUFFIXES and not path.is_symlink() and 20_000 <= path.stat().st_size <= 10 * 1024 * 1024:
                    found.append(path)
    # One per distinct content, then the formats taken in turn (JPEG, WebP, PNG), for variety.
    unique, seen = [], set()
    for path in sorted(found):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest not in seen:
            seen.add(digest)
            unique.append(path)
    groups = [[p for p in unique if p.suffix.lower() in kinds] for kinds in ({".jpg", ".jpeg"}, {".webp"}, {".png"})]
    unique = [p for row in itertools.zip_longest(*groups) for p in row if p is not None]
    return unique[:limit]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--limit", type=int, default=50)
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    full = CLIPImageProcessorPil()
    raw = CLIPImageProcessorPil(do_rescale=False, do_normalize=False)
    entries = []
    for index, path in enumerate(candidates(args.limit)):
        name = f"{index:02d}{path.suffix.lower()}"
        try:
            with Image.open(path) as opened:
                image = ImageOps.exif_transpose(opened)
                image.load()
                rgb = image.convert("RGB")
                values = np.asarray(full(image)["pixel_values"][0], dtype="<f4")
                uint8 = np.asarray(raw(image)["pixel_values"][0], dtype=np.uint8)
                mode = opened.mode
        except Exception as error:  # noqa: BLE001 - reported, the test skips it
            entries.append({"path": str(path), "name": name, "pillow": f"{type(error).__name__}: {error}"})
            continue
        (out / (name + ".rgb")).write_bytes(rgb.tobytes())
        (out / (name + ".f32")).write_bytes(values.tobytes())
        (out / (name + ".u8")).write_bytes(uint8.tobytes())
        entries.append({"path": str(path), "name": name, "pillow": "ok", "mode": mode,
                        "width": rgb.size[0], "height": rgb.size[1]})
    (out / "index.json").write_text(json.dumps({"images": entries}, indent=1) + "\n")
    print(f"{len(entries)} pictures, goldens in {out}")


if __name__ == "__main__":
    main()
