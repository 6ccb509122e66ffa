#!/usr/bin/env python3
"""swift-embed against the limit (bare session.run on the same batches), in many short rounds.

    bench/versus_limit.py [--variant fp32|quantized] [--rounds 10] [--limit 300] [--repeat 200]

On a shared host the speed of the machine drifts by 10-30% from one minute to the next, so
two measurements taken minutes apart (as bench/compare's long rounds are) cannot resolve a
ratio to 10%. Here each round runs `embed bench` and `bench/stacks.py limit` back to back
(order flipped every round), each measuring throughput at batch 32 over the first --limit
texts and the p50 latency of --repeat single texts (the same texts, in the same order), and
the ratio is taken inside each round. With --embed-before, a second `embed` binary (say, a
build of the previous commit) is measured in the same rounds, the three in a rotating order,
and its ratios are reported too, with after/before. Reported: the median, minimum and maximum of the
per-round ratios, swift-embed / limit (throughput: higher is better for swift-embed; latency:
lower is better). Model, corpus, threads and token budget as bench/compare's defaults.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / ".cache/models/all-MiniLM-L6-v2")
    parser.add_argument("--input", type=Path, default=ROOT / ".cache/corpus/texts.txt")
    parser.add_argument("--variant", choices=["fp32", "quantized"], default="quantized")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--limit", type=int, default=300, help="texts for the batch-32 throughput")
    parser.add_argument("--repeat", type=int, default=200, help="single texts for the latency")
    parser.add_argument("--max-batch-tokens", type=int, default=1024)
    parser.add_argument("--embed", type=Path, default=ROOT / ".build/release/embed")
    parser.add_argument("--embed-before", type=Path, help="another embed binary measured in the same rounds")
    parser.add_argument("--python", type=Path, default=ROOT / ".cache/venv/bin/python")
    parser.add_argument("--json", type=Path, help="also write the rounds and the summary here")
    return parser.parse_args()


def measure(args, stack):
    """(texts/s at batch 32, p50 single-text latency in ms) from one process."""
    common = ["--model", str(args.model), "--input", str(args.input), "--threads", str(args.threads),
              "--batch-sizes", "32", "--limit", str(args.limit), "--variant", args.variant,
              "--max-batch-tokens", str(args.max_batch_tokens)]
    if stack in ("swift", "before"):
        command = [str(args.embed if stack == "swift" else args.embed_before), "bench", "--warmup", "2", "--sets", "all", "--latency-runs", str(args.repeat),
                   "--format", "json"] + common
    else:
        command = [str(args.python), str(ROOT / "bench/stacks.py"), "limit", "--repeat", str(args.repeat)] + common
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{stack} failed (exit {done.returncode}): {done.stderr.strip()[-400:]}")
    report = json.loads(done.stdout[done.stdout.index("{"):])
    if stack in ("swift", "before"):
        return report["throughput"][0]["sentencesPerSecond"], report["latency"]["p50"]
    return report["throughput"][0]["texts_per_second"], report["latency"]["p50_ms"]


def main():
    args = parse_args()
    for path in (args.model, args.input, args.embed, args.python) + ((args.embed_before,) if args.embed_before else ()):
        if not path.exists():
            sys.exit(f"error: {path} does not exist (run `make setup corpus release` first)")
    rounds = []
    for number in range(args.rounds):
        stacks = ["swift", "limit"] + (["before"] if args.embed_before else [])
        order = stacks[number % len(stacks):] + stacks[:number % len(stacks)]
        if number % 2 == 1:
            order.reverse()
        result = {stack: measure(args, stack) for stack in order}
        rounds.append(result)
        print(f"round {number + 1}: " + "; ".join(
            f"{stack} {result[stack][0]:.1f} texts/s, p50 {result[stack][1]:.2f} ms" for stack in stacks), file=sys.stderr)
    throughput = [r["swift"][0] / r["limit"][0] for r in rounds]
    latency = [r["swift"][1] / r["limit"][1] for r in rounds]
    summary = {
        "variant": args.variant, "rounds": args.rounds, "threads": args.threads, "limit": args.limit,
        "repeat": args.repeat, "max_batch_tokens": args.max_batch_tokens,
        "throughput_batch32_ratio": {"median": statistics.median(throughput), "min": min(throughput), "max": max(throughput)},
        "latency_p50_ratio": {"median": statistics.median(latency), "min": min(latency), "max": max(latency)},
        "swift": {"texts_per_second": statistics.median(r["swift"][0] for r in rounds),
                  "p50_ms": statistics.median(r["swift"][1] for r in rounds)},
        "limit": {"texts_per_second": statistics.median(r["limit"][0] for r in rounds),
                  "p50_ms": statistics.median(r["limit"][1] for r in rounds)},
    }
    print(f"{args.variant}, {args.rounds} rounds: batch-32 throughput swift/limit median "
          f"{summary['throughput_batch32_ratio']['median']:.3f} (min {min(throughput):.3f}, max {max(throughput):.3f}); "
          f"p50 latency swift/limit median {summary['latency_p50_ratio']['median']:.3f} "
          f"(min {min(latency):.3f}, max {max(latency):.3f})")
    if args.embed_before:
        before_throughput = [r["before"][0] / r["limit"][0] for r in rounds]
        before_latency = [r["before"][1] / r["limit"][1] for r in rounds]
        after_before = [r["swift"][0] / r["before"][0] for r in rounds]
        after_before_latency = [r["swift"][1] / r["before"][1] for r in rounds]
        summary["before"] = {
            "throughput_batch32_ratio": {"median": statistics.median(before_throughput)},
            "latency_p50_ratio": {"median": statistics.median(before_latency)},
            "after_over_before_throughput": {"median": statistics.median(after_before), "min": min(after_before), "max": max(after_before)},
            "after_over_before_latency": {"median": statistics.median(after_before_latency), "min": min(after_before_latency), "max": max(after_before_latency)},
        }
        print(f"before: batch-32 throughput before/limit median {statistics.median(before_throughput):.3f}, "
              f"p50 before/limit median {statistics.median(before_latency):.3f}; after/before: throughput median "
              f"{statistics.median(after_before):.3f} (min {min(after_before):.3f}, max {max(after_before):.3f}), p50 median "
              f"{statistics.median(after_before_latency):.3f} (min {min(after_before_latency):.3f}, max {max(after_before_latency):.3f})")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"summary": summary, "rounds": rounds}, indent=2) + "\n")


if __name__ == "__main__":
    main()
