#!/usr/bin/env python3
"""Times the CLIP towers in ONNX Runtime: the vision tower at 224x224 and the text tower at 77 tokens.

    .cache/venv/bin/python bench/clip_speed.py [--model .cache/models/clip-vit-b-32-random]
        [--threads 2] [--batches 1,32] [--repeats 7] [--variants fp32,quantized] [--json OUT]

The model folder is the full-size random-weight ViT-B/32 that scripts/make_clip_models.py writes
(speed does not depend on the weights' values). For each tower (onnx/vision_model.onnx,
onnx/text_model.onnx and their _quantized variants), each batch size: one session with
intra_op_num_threads = --threads (inter-op 1, sequential execution, ONNX Runtime's default graph
optimisations), one untimed warm-up run, then --repeats timed runs of session.run on the same
inputs (pixel values drawn from N(0, 1); texts of exactly 77 ids: <|startoftext|>, random ids,
<|endoftext|> last, attention mask all ones). Each file is measured in a child process of its
own, so that its memory figures are its own. Printed: the median, minimum and maximum seconds
per batch, the median per item, the session load time, the resident memory after the
warm-up of each batch size and the child's peak resident memory.
The host is shared: the median of a few repeats is what to quote, and runs minutes apart can
differ by 10-30%.
"""
import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / ".cache" / "models" / "clip-vit-b-32-random")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batches", default="1,32", help="comma-separated batch sizes")
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--variants", default="fp32,quantized", help="fp32 and/or quantized")
    parser.add_argument("--towers", default="vision,text", help="vision and/or text")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--child", help=argparse.SUPPRESS)  # tower:variant, measured in this process
    return parser.parse_args()


def rss_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def inputs(tower, batch, config, rng):
    import numpy as np

    if tower == "vision":
        size = config["vision_config"].get("image_size", 224)
        return {"pixel_values": rng.standard_normal((batch, 3, size, size)).astype(np.float32)}
    length = config["text_config"].get("max_position_embeddings", 77)
    vocab = json.loads((Path(config["_folder"]) / "tokenizer.json").read_text())["model"]["vocab"]
    bos, eos = vocab["<|startoftext|>"], vocab["<|endoftext|>"]
    ids = rng.integers(0, min(bos, eos), size=(batch, length), dtype=np.int64)
    ids[:, 0], ids[:, -1] = bos, eos
    return {"input_ids": ids, "attention_mask": np.ones_like(ids)}


def measure(args, tower, variant, config):
    """Times one file in this process; prints one JSON line per batch size."""
    import resource

    import numpy as np
    import onnxruntime as ort

    rng = np.random.default_rng(0)
    name = f"{tower}_model{'_quantized' if variant == 'quantized' else ''}.onnx"
    path = args.model / "onnx" / name
    options = ort.SessionOptions()
    options.intra_op_num_threads = args.threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    start = time.perf_counter()
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    load = time.perf_counter() - start
    output = session.get_outputs()[0].name
    for batch in [int(b) for b in args.batches.split(",")]:
        feeds = inputs(tower, batch, config, rng)
        session.run([output], feeds)
        memory = rss_mb()
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            session.run([output], feeds)
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        print(json.dumps({"tower": tower, "variant": variant, "file": name, "batch": batch,
                          "shape": list(next(iter(feeds.values())).shape), "median_s": median, "min_s": min(times),
                          "max_s": max(times), "median_ms_per_item": 1000 * median / batch,
                          "repeats": args.repeats, "threads": args.threads, "session_load_s": load,
                          "rss_mb_after_warmup": memory,
                          "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                          "file_mb": path.stat().st_size / 1e6}), flush=True)


def main():
    args = parse_args()
    import subprocess

    import onnxruntime as ort

    config_path = args.model / "config.json"
    if not config_path.is_file():
        sys.exit(f"error: {config_path} not found: run scripts/make_clip_models.py --only full first")
    config = json.loads(config_path.read_text())
    config["_folder"] = str(args.model)
    if args.child:
        measure(args, *args.child.split(":"), config)
        return
    results = []
    print(f"onnxruntime {ort.__version__}, {args.threads} thread(s), {args.repeats} timed runs after 1 warm-up; "
          f"host: {os.cpu_count()} CPUs (shared), load average {os.getloadavg()[0]:.2f} at the start", flush=True)
    for tower in args.towers.split(","):
        for variant in args.variants.split(","):
            name = f"{tower}_model{'_quantized' if variant == 'quantized' else ''}.onnx"
            if not (args.model / "onnx" / name).is_file():
                print(f"skip {name}: not found")
                continue
            command = [sys.executable, __file__, "--model", str(args.model), "--threads", str(args.threads),
                       "--batches", args.batches, "--repeats", str(args.repeats), "--child", f"{tower}:{variant}"]
            child = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=True)
            for line in child.stdout.splitlines():
                row = json.loads(line)
                results.append(row)
                print(f"{name:28s} batch {row['batch']:3d} {str(row['shape']):18s} median {row['median_s'] * 1000:8.1f} ms "
                      f"(min {row['min_s'] * 1000:.1f}, max {row['max_s'] * 1000:.1f}) = "
                      f"{row['median_ms_per_item']:6.1f} ms/item; load {row['session_load_s']:.1f} s; "
                      f"RSS {row['rss_mb_after_warmup']:.0f} MB, peak {row['peak_rss_mb']:.0f} MB", flush=True)
    print(f"load average {os.getloadavg()[0]:.2f} at the end")
    if args.json:
        args.json.write_text(json.dumps({"onnxruntime": ort.__version__, "results": results}, indent=1) + "\n")


if __name__ == "__main__":
    main()
