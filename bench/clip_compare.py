#!/usr/bin/env python3
"""CLIP images end to end: swift-embed against the Python ORT pipeline and PyTorch, in alternation.

    .cache/venv/bin/python bench/clip_compare.py [--model .cache/models/clip-vit-b-32-random]
        [--images LIST | --roots DIR,DIR] [--limit 500] [--rounds 3] [--threads 2] [--batch 32]
        [--embed .build/release/embed] [--json OUT]

Three whole processes per round, each timed from its start to its exit by this script (imports,
model load, decode, preprocessing and the model included), its peak resident memory read from
os.wait4 (ru_maxrss of that child alone):

  swift    `embed encode --images --input LIST --onnx-file onnx/vision_model.onnx --threads T
           --workers 1 --batch-size B` (the release build), vectors to a file;
  ort      Pillow Image.open + ImageOps.exif_transpose, transformers CLIPImageProcessor (the model's
           preprocessor_config.json), onnxruntime on the same onnx/vision_model.onnx (intra-op T,
           inter-op 1, sequential), batches of B;
  swift-ov-f32, swift-ov-bf16 (with --only)  the same with `--runtime openvino --precision P
           --fallback none`; swift-int8 (with --only) onnx/vision_model_quantized.onnx on ONNX Runtime;
  torch    the same decode and CLIPImageProcessor, CLIPModel.from_pretrained(model)
           .get_image_features in torch.inference_mode, torch.set_num_threads(T), batches of B.

The order of the three is reversed every other round; quoted are the medians over rounds of
the in-round ratios (ort seconds / swift seconds, torch seconds / swift seconds). The Python
children also report their decode+preprocess and model seconds. The vectors of swift and ort are
compared (minimum cosine) as a check that both embedded the same images.

Images: the paths in --images (one per line), else the JPEG/PNG files of 1 KB to 10 MB (the
engine's default images.max_bytes) under --roots (default: where Debian packages put pictures,
as scripts/real_image_goldens.py; scripts/install-bench-images.sh installs the wallpaper
packages the documented figures used), the largest files first, the first --limit that Pillow
opens.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_BYTES = 10 * 1024 * 1024  # the engine's default images.max_bytes: larger files are refused
ROOTS = "/usr/share/backgrounds,/usr/share/wallpapers,/usr/share/desktop-base,/usr/share/icons,/usr/share/doc,/usr/share/pixmaps"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / ".cache" / "models" / "clip-vit-b-32-random")
    parser.add_argument("--images", type=Path)
    parser.add_argument("--roots", default=ROOTS)
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--embed", type=Path, default=ROOT / ".build" / "release" / "embed")
    parser.add_argument("--only", default="swift,ort,torch")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--write-list", type=Path, help="write the chosen images' paths here and stop")
    parser.add_argument("--square", type=int, help="with --write-list: write each image resized to N×N (bicubic, "
                        "RGB, its format: JPEG quality 90 or PNG) beside the list, and list those")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args()


def find_images(args):
    from PIL import Image
    if args.images:
        candidates = [line.strip() for line in args.images.read_text().splitlines() if line.strip()]
    else:
        candidates = []
        for root in args.roots.split(","):
            for dirpath, _, names in os.walk(root):
                for name in names:
                    path = os.path.join(dirpath, name)
                    if name.lower().endswith((".jpg", ".jpeg", ".png")) and not os.path.islink(path) \
                            and 1024 <= os.path.getsize(path) <= MAX_BYTES:
                        candidates.append(path)
        candidates.sort(key=lambda path: (-os.path.getsize(path), path))
    chosen = []
    for path in candidates:
        try:
            with Image.open(path) as image:
                image.convert("RGB").load()
        except Exception:
            continue
        chosen.append(path)
        if len(chosen) == args.limit:
            break
    return chosen


def write_list(args, images):
    """The chosen paths, or copies of the images at --square × --square, listed in --write-list."""
    from PIL import Image
    if args.square:
        folder = args.write_list.with_suffix("")
        folder.mkdir(parents=True, exist_ok=True)
        squares = []
        for index, path in enumerate(images):
            jpeg = path.lower().endswith((".jpg", ".jpeg"))
            target = folder / f"{index:04d}.{'jpg' if jpeg else 'png'}"
            with Image.open(path) as image:
                square = image.convert("RGB").resize((args.square, args.square), Image.BICUBIC)
                square.save(target, quality=90) if jpeg else square.save(target)
            squares.append(str(target))
        images = squares
    args.write_list.write_text("\n".join(images) + "\n")
    print(f"{len(images)} images listed in {args.write_list}")


def child(args):
    """One Python pipeline over the listed images; writes the vectors and its own timings."""
    import numpy as np
    from PIL import Image, ImageOps
    from transformers import CLIPImageProcessor
    paths = [line for line in Path(args.images).read_text().splitlines() if line]
    processor = CLIPImageProcessor.from_pretrained(str(args.model))
    if args.child == "ort":
        import onnxruntime as ort
        options = ort.SessionOptions()
        options.intra_op_num_threads = args.threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        session = ort.InferenceSession(str(args.model / "onnx" / "vision_model.onnx"), options,
                                       providers=["CPUExecutionProvider"])
        run = lambda pixels: session.run(["image_embeds"], {"pixel_values": pixels})[0]
    else:
        import torch
        from transformers import CLIPModel
        torch.set_num_threads(args.threads)
        model = CLIPModel.from_pretrained(str(args.model)).eval()

        def run(pixels):
            with torch.inference_mode():
                features = model.get_image_features(pixel_values=torch.from_numpy(pixels))
            return getattr(features, "pooler_output", features).numpy()
    prepare = compute = 0.0
    vectors = []
    for start in range(0, len(paths), args.batch):
        t0 = time.perf_counter()
        images = []
        for path in paths[start:start + args.batch]:
            with Image.open(path) as image:
                # As scripts/real_image_goldens.py defines the reference: EXIF orientation
                # applied (swift-embed's default), and the processor's own RGB conversion
                # (transformers composites transparency over white, as swift-embed does).
                upright = ImageOps.exif_transpose(image)
                upright.load()
                images.append(upright)
        pixels = processor(images=images, return_tensors="np")["pixel_values"].astype(np.float32)
        t1 = time.perf_counter()
        vectors.append(run(pixels))
        prepare += t1 - t0
        compute += time.perf_counter() - t1
    np.save(args.out, np.concatenate(vectors))
    print(json.dumps({"prepare_s": prepare, "model_s": compute}), file=sys.stderr)


def timed(command, stdout, env=None):
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=stdout, stderr=subprocess.PIPE, env=env)
    stderr = process.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"{command[0]} failed ({status}):\n{stderr[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, stderr


def swift_vectors(path):
    import numpy as np
    return np.array([json.loads(line) for line in Path(path).read_text().splitlines() if line], dtype=np.float32)


def min_cosine(a, b):
    import numpy as np
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return float((a * b).sum(axis=1).min())


def main():
    args = parse_args()
    if args.child:
        return child(args)
    images = find_images(args)
    if args.write_list:
        return write_list(args, images)
    work = Path(tempfile.mkdtemp(prefix="clip-compare-"))
    if len(images) < args.limit:
        print(f"only {len(images)} images found (asked for {args.limit})", file=sys.stderr)
    listing = work / "images.txt"
    listing.write_text("\n".join(images) + "\n")
    print(f"{len(images)} images, model {args.model.name}, threads {args.threads}, batch {args.batch}", flush=True)
    env = dict(os.environ, OMP_NUM_THREADS=str(args.threads), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    commands = {
        "swift": [str(args.embed), "encode", "--model", str(args.model), "--onnx-file", "onnx/vision_model.onnx",
                  "--images", "--input", str(listing), "--threads", str(args.threads), "--workers", "1",
                  "--batch-size", str(args.batch)],
        "ort": [sys.executable, __file__, "--child", "ort"],
        "torch": [sys.executable, __file__, "--child", "torch"],
    }
    for precision in ["f32", "bf16"]:
        commands[f"swift-ov-{precision}"] = commands["swift"] + ["--runtime", "openvino", "--precision", precision,
                                                               "--fallback", "none"]
    commands["swift-int8"] = [part.replace("vision_model.onnx", "vision_model_quantized.onnx") for part in commands["swift"]]
    known = ["swift", "swift-int8", "swift-ov-f32", "swift-ov-bf16", "ort", "torch"]
    names = [n for n in known if n in args.only.split(",")]
    swifts = [n for n in names if n.startswith("swift")]
    pythons = [n for n in names if not n.startswith("swift")]
    rows = []
    for round_index in range(args.rounds):
        order = names if round_index % 2 == 0 else list(reversed(names))
        row = {}
        for name in order:
            out = work / f"{name}.out"
            command = commands[name]
            if name in pythons:
                command = command + ["--model", str(args.model), "--images", str(listing), "--threads", str(args.threads),
                                     "--batch", str(args.batch), "--out", str(out) + ".npy"]
            with open(out, "w") as stdout:
                seconds, rss, stderr = timed(command, stdout, env)
            row[name] = {"seconds": seconds, "peak_rss_mb": rss}
            if name in pythons:
                row[name].update(json.loads(stderr.strip().splitlines()[-1]))
        rows.append(row)
        ratios = {f"{n}/{w}": row[n]["seconds"] / row[w]["seconds"] for w in swifts for n in pythons}
        print(f"round {round_index + 1} ({' → '.join(order)}): "
              + ", ".join(f"{n} {row[n]['seconds']:.1f} s {row[n]['peak_rss_mb']:.0f} MB" for n in names)
              + "; " + ", ".join(f"{k} {v:.2f}×" for k, v in ratios.items()), flush=True)
        for n in names:
            if "prepare_s" in row[n]:
                print(f"    {n}: decode+preprocess {row[n]['prepare_s']:.2f} s, model {row[n]['model_s']:.2f} s "
                      f"({row[n]['prepare_s'] / row[n]['model_s'] * 100:.1f}% of the model)", flush=True)
    summary = {}
    for w in swifts:
        for n in pythons:
            summary[f"{n}/{w}"] = statistics.median(r[n]["seconds"] / r[w]["seconds"] for r in rows)
    print("median in-round ratios: " + ", ".join(f"{k} {v:.2f}×" for k, v in summary.items()))
    print("peak RSS (max over rounds): " + ", ".join(f"{n} {max(r[n]['peak_rss_mb'] for r in rows):.0f} MB" for n in names))
    if "ort" in names:
        import numpy as np
        for w in swifts:
            cosine = min_cosine(swift_vectors(work / f"{w}.out"), np.load(work / "ort.out.npy"))
            print(f"{w} vs ort vectors: min cosine {cosine:.6f} over {len(images)} images")
            summary[f"{w}_vs_ort_min_cosine"] = cosine
    if args.json:
        args.json.write_text(json.dumps({"images": len(images), "rounds": rows, "summary": summary}, indent=2) + "\n")


if __name__ == "__main__":
    main()
