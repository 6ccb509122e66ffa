#!/usr/bin/env python3
"""Times Pillow + transformers' CLIPImageProcessor (PIL backend, CLIP defaults, 224 × 224)
on image files, single thread: the Python side of scripts/bench-images.sh.

    python scripts/bench_images.py [--repeats N] FILE...
"""

import argparse
import statistics
import time

from PIL import Image, ImageOps
from transformers.models.clip.image_processing_pil_clip import CLIPImageProcessorPil


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    processor = CLIPImageProcessorPil()
    for path in args.files:
        data = open(path, "rb").read()
        decode, preprocess, total = [], [], []
        for _ in range(args.repeats):
            import io

            start = time.perf_counter()
            image = ImageOps.exif_transpose(Image.open(io.BytesIO(data)))
            image.load()
            decoded = time.perf_counter()
            values = processor(image, return_tensors="np")["pixel_values"]
            end = time.perf_counter()
            assert values.shape == (1, 3, 224, 224)
            decode.append((decoded - start) * 1000)
            preprocess.append((end - decoded) * 1000)
            total.append((end - start) * 1000)
        name = path.rsplit("/", 1)[-1]
        print(f"python {name} total median {statistics.median(total):.2f} ms (min {min(total):.2f}, max {max(total):.2f}) "
              f"decode {statistics.median(decode):.2f} preprocess {statistics.median(preprocess):.2f}")


if __name__ == "__main__":
    main()
