"""The shared Redis cache's effect on `embed serve`, on a repeated-text workload.

    .cache/venv/bin/python bench/redis_cache.py --embed .build/release/embed \
        --model .cache/models/all-MiniLM-L6-v2 --input .cache/corpus/texts.txt

Starts a redis-server (no persistence) on a free loopback port, then, in alternation
(--rounds times each, a fresh server every run, so host drift hits both alike):
  - no cache: `embed serve --cache-entries 0` (every request runs the model);
  - Redis:    `--cache-entries 0` plus `cache.redis.url` (the in-process cache off, so
    every repeat is a Redis lookup: what a fleet of replicas gets from a shared cache).
The workload: single-text requests from --concurrency keep-alive connections, each text
drawn (seeded) from --distinct texts of the input, so most requests repeat an earlier
text; Redis is flushed before each Redis run, so its first sight of each text is a miss.
Prints requests/s, p50/p99 and the Redis hit rate (from the server's /metrics) per run,
and the ratio of the medians. Loopback only, bounded by --duration per run.
"""
import argparse
import asyncio
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import load_test  # noqa: E402


def redis_hit_rate(port):
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        text = response.read().decode()
    hits = lookups = 0.0
    for line in text.splitlines():
        value = float(line.rsplit(" ", 1)[-1]) if line and not line.startswith("#") else 0
        if line.startswith("swift_embed_redis_hits_total{"):
            hits += value
            lookups += value if 'tier="hot"' in line else 0
        elif line.startswith("swift_embed_redis_misses_total{") and 'tier="hot"' in line:
            lookups += value
    return hits / lookups if lookups else float("nan")


def redis_command(port, *words):
    payload = f"*{len(words)}\r\n" + "".join(f"${len(w)}\r\n{w}\r\n" for w in words)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(payload.encode())
        return s.recv(64)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--input", required=True, help="texts, one per line")
    parser.add_argument("--distinct", type=int, default=200, help="distinct texts the requests draw from")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20, help="seconds measured per run")
    parser.add_argument("--warmup", type=float, default=0, help="seconds of warm-up per run (0: the first sight of each text is measured)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--server-arg", action="append", default=[])
    args = parser.parse_args()
    args.requests, args.api_key, args.rss_every, args.url = 1_000_000, None, 5, None

    with open(args.input, encoding="utf-8") as file:
        pool = [line.rstrip("\n") for line in file if line.strip()][: args.distinct]
    rng = random.Random(11)
    texts = [rng.choice(pool) for _ in range(200_000)]
    prefix = Path(tempfile.mkdtemp(prefix="embed-redis-bench-"))
    redis_port = load_test.free_port()
    redis = subprocess.Popen(
        [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(redis_port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--dir", str(prefix)], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    runs = {"no cache": [], "Redis": []}
    base_args = list(args.server_arg) + ["--runtime", "onnxruntime"]
    try:
        for round_ in range(args.rounds):
            for name in ("no cache", "Redis"):
                if name == "Redis":
                    redis_command(redis_port, "FLUSHALL")
                    os.environ["EMBED_CACHE_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
                else:
                    os.environ.pop("EMBED_CACHE_REDIS_URL", None)
                args.server_arg = base_args
                process, port = load_test.start_server(args)
                try:
                    result = asyncio.run(load_test.run_level(args, "127.0.0.1", port, texts, args.concurrency, process.pid))
                    result["hit_rate"] = redis_hit_rate(port) if name == "Redis" else float("nan")
                finally:
                    process.send_signal(signal.SIGTERM)
                    process.wait(timeout=60)
                runs[name].append(result)
                print(f"round {round_ + 1} {name:8}: {result['requests_per_s']} req/s, p50 {result['p50_ms']} ms, "
                      f"p99 {result['p99_ms']} ms, errors {result['errors']}"
                      + (f", Redis hit rate {result['hit_rate']:.1%}" if name == "Redis" else ""), flush=True)
    finally:
        redis.kill()
        redis.wait()
        shutil.rmtree(prefix, ignore_errors=True)
        os.environ.pop("EMBED_CACHE_REDIS_URL", None)
    median = {name: statistics.median(r["requests_per_s"] for r in rs) for name, rs in runs.items()}
    print()
    print(f"| server | req/s (median of {args.rounds}) | p50 ms | p99 ms | Redis hit rate |")
    print("|---|---:|---:|---:|---:|")
    for name, rs in runs.items():
        rates = [r["hit_rate"] for r in rs if r["hit_rate"] == r["hit_rate"]]
        print(f"| {name} | {median[name]:.1f} | {statistics.median(r['p50_ms'] for r in rs):.1f} | "
              f"{statistics.median(r['p99_ms'] for r in rs):.1f} | {f'{statistics.median(rates):.1%}' if rates else '–'} |")
    print(f"\nRedis / no cache: {median['Redis'] / median['no cache']:.2f}× requests/s "
          f"({args.distinct} distinct texts, {args.concurrency} connections, {args.duration:g} s per run)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
