"""Load test of `embed serve`: single-text requests from N concurrent keep-alive connections.

Loopback only, bounded in time and in requests, standard library only (asyncio). For each
concurrency level it sends `POST /v1/embeddings` with one text of the input per request
(the texts taken in turn), for --duration seconds or --requests requests, whichever comes
first, after a short warm-up, and reports requests/s, p50/p99 latency, errors, and the
server's resident memory (from /proc) before and after.

With --embed and --model it starts the server itself (free port, cache off so every
request runs the model, --log-level warning) and stops it with SIGTERM at the end; with
--url it uses a running server (pass --server-pid to read its memory).

    .cache/venv/bin/python bench/load_test.py --embed .build/release/embed \
        --model .cache/models/all-MiniLM-L6-v2 --input .cache/corpus/texts.txt \
        --concurrency 1,8,64 --duration 30

Each level also reports the server's cache figures from /metrics when it has any: the
in-process cache's hit rate, and with a shared Redis cache (cache.redis.url) its hit rate
and errors.

--offline also runs `embed bench --batch-sizes 32` on the same texts (same --limit) and
prints each level's throughput as a fraction of that offline batch-32 throughput.
"""

import argparse
import asyncio
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(fraction * (len(sorted_values) - 1))))
    return sorted_values[index]


def rss_mb(pid):
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid):
    """User + system CPU time of a process, from /proc (None when unreadable)."""
    if pid is None:
        return None
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


async def sample_rss(pid, samples, every):
    while True:
        value = rss_mb(pid)
        if value is not None:
            samples.append(value)
        await asyncio.sleep(every)


class Connection:
    """One HTTP/1.1 keep-alive connection."""

    def __init__(self, host, port, path, headers):
        self.host, self.port, self.path, self.headers = host, port, path, headers
        self.reader = self.writer = None

    async def open(self):
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(self, body: bytes) -> int:
        if self.writer is None:
            await self.open()
        head = (
            f"POST {self.path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n{self.headers}\r\n"
        )
        self.writer.write(head.encode() + body)
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise ConnectionError("the server closed the connection")
        status = int(status_line.split()[1])
        length, close = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value.strip())
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        await self.reader.readexactly(length)
        if close:
            self.close()
        return status

    def close(self):
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def cache_counts(host, port, api_key):
    """(in-process hits, in-process lookups, Redis hits, Redis lookups, Redis errors) from /metrics;
    zeros when the metrics cannot be read."""
    request = urllib.request.Request(f"http://{host}:{port}/metrics",
                                     headers={"Authorization": f"Bearer {api_key}"} if api_key else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
    except (urllib.error.URLError, OSError):
        return (0.0,) * 5
    values = [0.0] * 5
    for line in text.splitlines():
        if line.startswith("#") or " " not in line:
            continue
        name, value = line.rsplit(" ", 1)
        number = float(value)
        if name.startswith("swift_embed_cache_hits_total"):
            values[0] += number
            values[1] += number
        elif name.startswith("swift_embed_cache_misses_total"):
            values[1] += number
        elif name.startswith("swift_embed_redis_hits_total"):
            values[2] += number
            values[3] += number if 'tier="hot"' in name else 0
        elif name.startswith("swift_embed_redis_misses_total") and 'tier="hot"' in name:
            values[3] += number
        elif name.startswith("swift_embed_redis_errors_total"):
            values[4] += number
    return tuple(values)


async def run_level(args, host, port, texts, concurrency, server_pid):
    headers = f"Authorization: Bearer {args.api_key}\r\n" if args.api_key else ""
    bodies = [json.dumps({"input": text, "model": "m", "encoding_format": "float"}).encode() for text in texts]
    latencies, errors, statuses = [], 0, {}
    next_text = 0
    sent = 0
    warmup_end = time.monotonic() + args.warmup
    deadline = warmup_end + args.duration
    started = None

    async def worker():
        nonlocal next_text, sent, errors, started
        connection = Connection(host, port, "/v1/embeddings", headers)
        try:
            while True:
                now = time.monotonic()
                if now >= deadline or sent >= args.requests:
                    return
                measuring = now >= warmup_end
                if measuring and started is None:
                    started = now
                body = bodies[next_text % len(bodies)]
                next_text += 1
                if measuring:
                    sent += 1
                begin = time.perf_counter()
                try:
                    status = await connection.post(body)
                except (OSError, ConnectionError, asyncio.IncompleteReadError, ValueError):
                    connection.close()
                    status = -1
                if measuring:
                    latencies.append(time.perf_counter() - begin)
                    statuses[status] = statuses.get(status, 0) + 1
                    if status != 200:
                        errors += 1
        finally:
            connection.close()

    rss_before = rss_mb(server_pid)
    samples = []
    sampler = asyncio.create_task(sample_rss(server_pid, samples, args.rss_every))
    cpu_before = None

    async def mark_cpu():
        nonlocal cpu_before
        await asyncio.sleep(max(0.0, warmup_end - time.monotonic()))
        cpu_before = cpu_seconds(server_pid)

    await asyncio.gather(mark_cpu(), *(worker() for _ in range(concurrency)))
    elapsed = time.monotonic() - (started or time.monotonic())
    cpu_after = cpu_seconds(server_pid)
    sampler.cancel()
    latencies.sort()
    half = samples[len(samples) // 2:]
    return {
        "concurrency": concurrency,
        "requests": len(latencies),
        "seconds": round(elapsed, 2),
        "requests_per_s": round(len(latencies) / elapsed, 1) if elapsed > 0 else 0.0,
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "errors": errors,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "server_rss_mb_before": rss_before and round(rss_before, 1),
        "server_rss_mb_after": (lambda v: v and round(v, 1))(rss_mb(server_pid)),
        "server_rss_mb_max": round(max(samples), 1) if samples else None,
        "server_rss_mb_second_half_min_max": [round(min(half), 1), round(max(half), 1)] if half else None,
        "server_cpu_ms_per_request": (
            round(1000 * (cpu_after - cpu_before) / len(latencies), 1)
            if cpu_before is not None and cpu_after is not None and latencies else None),
        "load_average": os.getloadavg()[0],
        "server_rss_mb_samples": [round(v) for v in samples],
    }


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(args):
    port = free_port()
    command = [
        args.embed, "serve", "--model", args.model, "--port", str(port), "--log-level", "warning",
        "--cache-entries", "0", *args.server_arg,
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
                if response.status == 200:
                    return process, port
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not become healthy within 120 s")


def offline_batch32(args):
    output = subprocess.run(
        [args.embed, "bench", "--model", args.model, "--input", args.input, "--limit", str(args.limit),
         "--batch-sizes", "32", "--repeat", "1", "--format", "json"],
        check=True, capture_output=True, text=True).stdout
    match = re.search(r'"sentencesPerSecond"\s*:\s*([0-9.]+)', output)
    if not match:
        raise SystemExit(f"could not read sentencesPerSecond from embed bench: {output[:500]}")
    return float(match.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running server, e.g. http://127.0.0.1:8080 (loopback only)")
    parser.add_argument("--server-pid", type=int, help="the running server's pid, to read its memory")
    parser.add_argument("--embed", help="the embed executable: start the server for the test")
    parser.add_argument("--model", help="the model folder (with --embed)")
    parser.add_argument("--server-arg", action="append", default=[], help="extra `embed serve` argument (repeatable)")
    parser.add_argument("--input", required=True, help="texts, one per line")
    parser.add_argument("--limit", type=int, default=1000, help="how many lines of the input to use")
    parser.add_argument("--concurrency", default="1,8,64", help="comma-separated connection counts")
    parser.add_argument("--duration", type=float, default=30, help="seconds measured per level (the bound)")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per level, not measured")
    parser.add_argument("--requests", type=int, default=1_000_000, help="at most this many measured requests per level")
    parser.add_argument("--api-key", help="send Authorization: Bearer <key>")
    parser.add_argument("--rss-every", type=float, default=5, help="seconds between memory samples")
    parser.add_argument("--offline", action="store_true", help="compare with `embed bench` batch 32 on the same texts")
    parser.add_argument("--json", help="write the results to this file")
    args = parser.parse_args()

    with open(args.input, encoding="utf-8") as file:
        texts = [line.rstrip("\n") for line in file if line.strip()][: args.limit]
    process = None
    if args.embed:
        if not args.model:
            parser.error("--embed needs --model")
        process, port = start_server(args)
        host, server_pid = "127.0.0.1", process.pid
    else:
        if not args.url:
            parser.error("give --url or --embed and --model")
        parsed = urlparse(args.url)
        host, port, server_pid = parsed.hostname, parsed.port or 80, args.server_pid
        if host not in ("127.0.0.1", "localhost", "::1"):
            parser.error("loopback addresses only")
    results = {"texts": len(texts), "levels": []}
    try:
        for level in [int(c) for c in args.concurrency.split(",")]:
            before = cache_counts(host, port, args.api_key)
            result = asyncio.run(run_level(args, host, port, texts, level, server_pid))
            after = cache_counts(host, port, args.api_key)
            hits, lookups, redis_hits, redis_lookups, redis_errors = (a - b for a, b in zip(after, before))
            result["cache_hit_rate"] = round(hits / lookups, 4) if lookups else None
            result["redis_hit_rate"] = round(redis_hits / redis_lookups, 4) if redis_lookups else None
            result["redis_errors"] = int(redis_errors)
            results["levels"].append(result)
            print(json.dumps(result), flush=True)
    finally:
        if process is not None:
            process.send_signal(signal.SIGTERM)
            try:
                results["server_exit_status"] = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                results["server_exit_status"] = "killed"
    if args.offline and args.embed:
        results["offline_batch32_texts_per_s"] = offline_batch32(args)
    print()
    print("| connections | requests | req/s | p50 ms | p99 ms | errors | server CPU ms/request "
          "| server RSS MB (before → after, max) | load avg |"
          + (" vs offline batch 32 |" if "offline_batch32_texts_per_s" in results else ""))
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---:|" if "offline_batch32_texts_per_s" in results else ""))
    for r in results["levels"]:
        line = (f"| {r['concurrency']} | {r['requests']} | {r['requests_per_s']} | {r['p50_ms']} | {r['p99_ms']} | "
                f"{r['errors']} | {r['server_cpu_ms_per_request']} | {r['server_rss_mb_before']} → "
                f"{r['server_rss_mb_after']}, {r['server_rss_mb_max']} | {r['load_average']:.1f} |")
        if "offline_batch32_texts_per_s" in results:
            line += f" {100 * r['requests_per_s'] / results['offline_batch32_texts_per_s']:.0f}% |"
        print(line)
    if "offline_batch32_texts_per_s" in results:
        print(f"\noffline `embed bench` batch 32: {results['offline_batch32_texts_per_s']} texts/s")
    for r in results["levels"]:
        if r["cache_hit_rate"] is not None or r["redis_hit_rate"] is not None:
            parts = [f"in-process cache hit rate {r['cache_hit_rate']:.1%}" if r["cache_hit_rate"] is not None else None,
                     f"Redis hit rate {r['redis_hit_rate']:.1%} ({r['redis_errors']} Redis errors)"
                     if r["redis_hit_rate"] is not None else None]
            print(f"{r['concurrency']} connections: " + ", ".join(p for p in parts if p))
    if args.json:
        with open(args.json, "w") as file:
            json.dump(results, file, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
