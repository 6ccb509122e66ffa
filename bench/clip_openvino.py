#!/usr/bin/env python3
"""CLIP vision tower: ONNX Runtime fp32 against OpenVINO f32 and bf16, in alternation.

    .cache/venv/bin/python bench/clip_openvino.py [--model .cache/models/clip-vit-b-32-random]
        [--threads 2] [--batches 1,32] [--rounds 6] [--repeats 3] [--json OUT]

The same onnx/vision_model.onnx, compiled the way swift-embed compiles it with
`runtime: openvino` (INFERENCE_PRECISION_HINT passed explicitly and read back,
PERFORMANCE_HINT LATENCY, INFERENCE_NUM_THREADS = --threads) and opened the way it opens ONNX
Runtime (intra-op --threads, inter-op 1, sequential). Inputs: pixel values from N(0, 1), the
same for every configuration. Each round runs the three configurations one after the other,
the order reversed every other round, each --repeats timed runs after the untimed warm-up of
round 0; the figure of a configuration in a round is its median, and what is quoted is the
median over rounds of the in-round ratio ORT seconds / OpenVINO seconds (the host is shared:
absolute times move, ratios within a round much less). Quality: the minimum cosine of each
OpenVINO configuration's vectors against ONNX Runtime fp32's, over real images (--limit of
them, chosen as bench/clip_compare.py chooses them, preprocessed by transformers'
CLIPImageProcessor from the model's preprocessor_config.json, in batches of 32), and over a
batch of 32 N(0, 1) inputs.
"""
import argparse
import json
import statistics
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / ".cache" / "models" / "clip-vit-b-32-random")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batches", default="1,32")
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--images", type=Path, help="image paths, one a line (default: found as clip_compare.py does)")
    parser.add_argument("--roots", default=None, help="where to look for images (default: clip_compare.py's)")
    parser.add_argument("--limit", type=int, default=500, help="real images for the quality figure (0: none)")
    parser.add_argument("--json", type=Path)
    return parser.parse_args()


def real_pixels(args):
    """The real images' pixel values, in batches of 32, as the Python ORT pipeline makes them."""
    import sys
    from PIL import Image
    from transformers import CLIPImageProcessor
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import clip_compare
    options = argparse.Namespace(images=args.images, roots=args.roots or clip_compare.ROOTS, limit=args.limit)
    paths = clip_compare.find_images(options)
    processor = CLIPImageProcessor.from_pretrained(str(args.model))
    batches = []
    for start in range(0, len(paths), 32):
        images = []
        for path in paths[start:start + 32]:
            with Image.open(path) as image:
                images.append(image.convert("RGB"))
        batches.append(processor(images=images, return_tensors="np")["pixel_values"].astype(np.float32))
    return len(paths), batches


def ort_runner(path, threads):
    import onnxruntime as ort
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    return lambda pixels: session.run(["image_embeds"], {"pixel_values": pixels})[0]


def ov_runner(path, threads, precision):
    import openvino as ov
    core = ov.Core()
    compiled = core.compile_model(str(path), "CPU", {
        "INFERENCE_PRECISION_HINT": precision, "PERFORMANCE_HINT": "LATENCY", "INFERENCE_NUM_THREADS": str(threads)})
    actual = str(compiled.get_property("INFERENCE_PRECISION_HINT")).lower()
    actual = {"<type: 'float32'>": "f32", "<type: 'bfloat16'>": "bf16"}.get(actual, actual)
    if actual != precision:
        raise SystemExit(f"asked OpenVINO for {precision}, it compiled {actual}")
    request = compiled.create_infer_request()
    output = compiled.output("image_embeds")
    return lambda pixels: request.infer({"pixel_values": pixels})[output].copy()


def cosine_min(a, b):
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return float((a * b).sum(axis=1).min())


def main():
    args = parse_args()
    path = args.model / "onnx" / "vision_model.onnx"
    runners = {
        "ort-fp32": ort_runner(path, args.threads),
        "ov-f32": ov_runner(path, args.threads, "f32"),
        "ov-bf16": ov_runner(path, args.threads, "bf16"),
    }
    rng = np.random.default_rng(0)
    batches = [int(b) for b in args.batches.split(",")]
    inputs = {b: rng.standard_normal((b, 3, 224, 224), dtype=np.float32) for b in batches}
    quality_input = inputs.get(32, rng.standard_normal((32, 3, 224, 224), dtype=np.float32))
    reference = runners["ort-fp32"](quality_input)
    quality = {name: cosine_min(run(quality_input), reference) for name, run in runners.items() if name != "ort-fp32"}
    print("min cosine vs ONNX Runtime fp32 (32 N(0, 1) inputs):", {k: round(v, 6) for k, v in quality.items()}, flush=True)
    real = {}
    if args.limit > 0:
        count, real_batches = real_pixels(args)
        references = [runners["ort-fp32"](pixels) for pixels in real_batches]
        for name, run in runners.items():
            if name != "ort-fp32":
                real[name] = min(cosine_min(run(pixels), ref) for pixels, ref in zip(real_batches, references))
        print(f"min cosine vs ONNX Runtime fp32 ({count} real images):", {k: round(v, 6) for k, v in real.items()}, flush=True)
    results = {"threads": args.threads, "rounds": args.rounds, "repeats": args.repeats, "min_cosine": quality,
               "min_cosine_real": real, "batches": {}}
    for batch in batches:
        pixels = inputs[batch]
        for run in runners.values():
            run(pixels)  # warm-up
        ratios = {"ov-f32": [], "ov-bf16": []}
        seconds = {name: [] for name in runners}
        for round_index in range(args.rounds):
            order = list(runners) if round_index % 2 == 0 else list(reversed(runners))
            medians = {}
            for name in order:
                times = []
                for _ in range(args.repeats):
                    start = time.perf_counter()
                    runners[name](pixels)
                    times.append(time.perf_counter() - start)
                medians[name] = statistics.median(times)
                seconds[name].append(medians[name])
            for name in ratios:
                ratios[name].append(medians["ort-fp32"] / medians[name])
            print(f"batch {batch} round {round_index + 1} ({' → '.join(order)}): "
                  + ", ".join(f"{n} {medians[n] * 1000:.1f} ms" for n in runners)
                  + "; speed-up " + ", ".join(f"{n} {ratios[n][-1]:.2f}×" for n in ratios), flush=True)
        summary = {name: statistics.median(values) for name, values in ratios.items()}
        per_image = {name: statistics.median(values) / batch * 1000 for name, values in seconds.items()}
        print(f"batch {batch}: median in-round speed-up over ORT fp32: "
              + ", ".join(f"{n} {v:.2f}× (min {min(ratios[n]):.2f}, max {max(ratios[n]):.2f})" for n, v in summary.items())
              + "; median ms/image " + ", ".join(f"{n} {v:.1f}" for n, v in per_image.items()), flush=True)
        results["batches"][str(batch)] = {"speedup": summary, "ratios": ratios, "ms_per_image": per_image}
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
