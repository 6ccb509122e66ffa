#!/usr/bin/env python3
"""ONNX Runtime against OpenVINO, whole programs, in alternation: `embed encode` with each
runtime and precision, and the expert Python pipelines on the same texts, threads and
model file, each round running every configuration once in a rotated order.

    bench/runtimes.py [--embed .build/release/embed] [--model DIR] [--input FILE] [--limit 2000]
                      [--threads N] [--rounds 5] [--configs NAME,...] [--no-st-openvino] [--json OUT]

Configurations: swift-embed ONNX Runtime fp32 (the default), swift-embed OpenVINO f32 and
bf16 (bf16 only where the CPU has it natively), the Python OpenVINO pipeline at f32 and bf16
(bench/ov_pipeline.py) and the expert Python ONNX Runtime pipeline (bench/stacks.py
python-sorted), and sentence-transformers with backend="openvino" at f32 and bf16 (bench/stacks.py
st-openvino and st-openvino-bf16, batches of 32, in the environment bench/compare makes for
them, .cache/venv-bench-openvino; left out if it is absent). Also start to first embedding (one short text, whole process) for each
swift-embed runtime, OpenVINO with and without its model cache. Reported: medians over the
rounds of wall time and of the in-round ratios, and the minimum cosine of each swift-embed
configuration's vectors against ONNX Runtime fp32 (first round), and of sentence-transformers
on OpenVINO against sentence-transformers on PyTorch (fp32, run once beforehand).
"""
import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def run(command, stdout=subprocess.DEVNULL, stages=None):
    """Wall seconds and peak RSS (MB) of a process; with `stages`, bench/stacks.py's own load and
    embed seconds (its last stderr line in file mode) are appended to it."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as errors:  # a file, not a pipe: a chatty stderr cannot block
        process = subprocess.Popen(command, stdout=stdout, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        errors.seek(0)
        err = errors.read().decode(errors="replace")
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{err}")
    if stages is not None:
        found = re.findall(r": load ([0-9.]+) s, embed ([0-9.]+) s", err)
        stages.append(tuple(float(x) for x in found[-1]) if found else None)
    return seconds, usage.ru_maxrss / 1024


def vectors(path):
    """The vectors `embed encode` wrote: one JSON array per line."""
    return np.array([json.loads(line) for line in path.read_text().splitlines() if line], np.float64)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed", type=Path, default=ROOT / ".build/release/embed")
    parser.add_argument("--model", type=Path, default=ROOT / ".cache/models/all-MiniLM-L6-v2")
    parser.add_argument("--input", type=Path, default=ROOT / ".cache/corpus/texts.txt")
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--no-bf16", action="store_true", help="skip bf16 (a CPU without native bf16)")
    parser.add_argument("--configs", help="run only these configurations (comma-separated names)")
    parser.add_argument("--openvino-python", type=Path, default=ROOT / ".cache/venv-bench-openvino/bin/python",
                        help="the Python of the environment with sentence-transformers and optimum-intel")
    parser.add_argument("--no-st-openvino", action="store_true", help="leave sentence-transformers on OpenVINO out")
    parser.add_argument("--no-st-torch", action="store_true",
                        help="skip the st-torch run that st-openvino's vectors are checked against")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()

    python = sys.executable
    work = Path(tempfile.mkdtemp(prefix="runtimes-"))
    texts = [t for t in args.input.read_text(encoding="utf-8").split("\n") if t][:args.limit]
    input_file = work / "texts.txt"
    input_file.write_text("\n".join(texts) + "\n", encoding="utf-8")
    embed = [str(args.embed), "encode", "--model", str(args.model), "--threads", str(args.threads)]
    precisions = ["f32"] if args.no_bf16 else ["f32", "bf16"]

    configs = {"swift-ort-fp32": embed + ["--runtime", "onnxruntime"]}
    for precision in precisions:
        configs[f"swift-ov-{precision}"] = embed + ["--runtime", "openvino", "--precision", precision]
        configs[f"python-ov-{precision}"] = [python, str(ROOT / "bench/ov_pipeline.py"), "--model", str(args.model),
                                             "--input", str(input_file), "--precision", precision,
                                             "--threads", str(args.threads), "--output", str(work / "out.npy")]
    configs["python-ort-sorted"] = [python, str(ROOT / "bench/stacks.py"), "python-sorted", "--mode", "file",
                                    "--model", str(args.model), "--input", str(input_file), "--threads",
                                    str(args.threads), "--batch-sizes", "32", "--output", str(work / "out.npy")]
    st_openvino = not args.no_st_openvino and args.openvino_python.exists()
    if st_openvino:
        for precision in precisions:
            stack = "st-openvino" if precision == "f32" else f"st-openvino-{precision}"
            configs[f"st-ov-{precision}"] = [str(args.openvino_python), str(ROOT / "bench/stacks.py"), stack, "--mode",
                                             "file", "--model", str(args.model), "--input", str(input_file),
                                             "--threads", str(args.threads), "--batch-sizes", "32",
                                             "--output", str(work / f"st-ov-{precision}.npy")]
    startup = {"start-ort": embed + ["--runtime", "onnxruntime", "hello"]}
    for precision in precisions:
        command = embed + ["--runtime", "openvino", "--precision", precision, "hello"]
        startup[f"start-ov-{precision}"] = command + ["--set", "openvino.model_cache=false"]
        startup[f"start-ov-{precision}-cached"] = command + ["--set", f"openvino.cache_dir={work / 'ov-cache'}"]
    if args.configs:  # the chosen whole programs; start-up runs only if named too
        wanted = args.configs.split(",")
        configs = {name: command for name, command in configs.items() if name in wanted}
        startup = {name: command for name, command in startup.items() if name in wanted}

    names = list(configs)
    seconds = {name: [] for name in names + list(startup)}
    rss = {name: [] for name in names}
    stages = {name: [] for name in names if name.startswith("st-ov")}
    cosines = {}
    if any(name.startswith("st-ov") for name in names) and not args.no_st_torch:
        run([python, str(ROOT / "bench/stacks.py"), "st-torch", "--mode", "file", "--model", str(args.model),
             "--input", str(input_file), "--threads", str(args.threads), "--batch-sizes", "32",
             "--output", str(work / "st-torch.npy")])
    for round_index in range(args.rounds):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            command = configs[name]
            if name.startswith("swift") and round_index == 0:
                with open(work / f"{name}.txt", "wb") as output:
                    wall, peak = run(command + ["--input", str(input_file)], stdout=output)
            else:
                wall, peak = run(command + (["--input", str(input_file)] if name.startswith("swift") else []),
                                 stages=stages.get(name))
            seconds[name].append(wall)
            rss[name].append(peak)
        for name, command in startup.items():
            seconds[name].append(run(command)[0])
        line = "  ".join(f"{n} {seconds[n][-1]:.2f}s" for n in names)
        print(f"round {round_index + 1}: {line}", file=sys.stderr)
        if round_index == 0 and "swift-ort-fp32" in names:
            base = vectors(work / "swift-ort-fp32.txt")
            for name in names:
                if name.startswith("swift-ov"):
                    other = vectors(work / f"{name}.txt")
                    cos = (base * other).sum(1) / np.linalg.norm(base, axis=1) / np.linalg.norm(other, axis=1)
                    cosines[name] = float(cos.min())
        if round_index == 0:
            for name in names:
                if name.startswith("st-ov") and not args.no_st_torch:
                    base, other = np.load(work / "st-torch.npy"), np.load(work / f"{name}.npy")
                    cos = (base * other).sum(1) / np.linalg.norm(base, axis=1) / np.linalg.norm(other, axis=1)
                    cosines[f"{name} vs st-torch"] = float(cos.min())

    def ratio(slow, fast):  # median of in-round ratios: how many times faster `fast` is
        return statistics.median(s / f for s, f in zip(seconds[slow], seconds[fast]))

    def add_ratio(fast, slow):
        if fast in names and slow in names:
            report["ratios"][f"{fast} vs {slow}"] = ratio(slow, fast)

    report = {"texts": len(texts), "threads": args.threads, "rounds": args.rounds,
              "seconds": {n: statistics.median(v) for n, v in seconds.items()},
              "peak_rss_mb": {n: statistics.median(v) for n, v in rss.items()},
              "min_cosine_vs_ort_fp32": cosines, "ratios": {}}
    for precision in precisions:
        add_ratio(f"swift-ov-{precision}", "swift-ort-fp32")
        add_ratio(f"swift-ov-{precision}", f"python-ov-{precision}")
        add_ratio(f"swift-ov-{precision}", "python-ort-sorted")
        add_ratio(f"swift-ov-{precision}", f"st-ov-{precision}")
        add_ratio(f"python-ov-{precision}", f"st-ov-{precision}")
    add_ratio("swift-ort-fp32", "python-ort-sorted")
    report["seconds_per_round"] = seconds
    report["st_openvino_load_and_embed_seconds"] = {
        name: {"load": statistics.median(s[0] for s in runs if s), "embed": statistics.median(s[1] for s in runs if s)}
        for name, runs in stages.items() if any(runs)}
    text = json.dumps(report, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
