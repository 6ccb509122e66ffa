"""Three real `embed serve` replicas behind nginx (deploy/nginx/embed.conf), sharing one
real redis-server as their vector cache.

    .cache/venv/bin/python scripts/test-replicas-redis.py \
        [--embed .build/debug/embed] [--model .cache/models/all-MiniLM-L6-v2]

1. Starts redis-server (no persistence) and three replicas on free loopback ports, each
   with `cache.redis.url` pointing at it, its in-process cache off (`--cache-entries 0`, so
   that every repeated text is a Redis lookup) and `--runtime onnxruntime` (one engine: the
   cache's keys include it), and nginx in front of them.
2. Sharing: texts embedded directly on replica A are Redis hits on replica B, with the
   same vectors bit for bit.
3. Redis restarted under load: a repeated-text workload through nginx with the `openai`
   client; Redis is SIGKILLed a third of the way in and started again (empty) at two
   thirds. Every request must succeed with the right vector; the replicas count Redis
   errors while it is down; after the restart a further phase must reach a hit rate of at
   least 50 %.
4. SIGTERM to replica C under load: it drains and exits 0; every request succeeds (nginx
   re-sends what C refuses to A or B).
Prints the figures of each phase (requests, errors, hit rate, p50/p99). Loopback only,
bounded by --time-limit (150 s). Exit status 0 when every check passed.
"""
import argparse
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("lb", ROOT / "scripts/test-load-balancer.py")
lb = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lb)
API_KEY = lb.API_KEY


def redis_counts(port):
    """(hits, hot lookups, errors) summed over the tiers from a replica's /metrics."""
    _, text = lb.get(f"http://127.0.0.1:{port}/metrics", key=API_KEY)
    hits = lookups = errors = 0.0
    for line in text.splitlines():
        value = line.rsplit(" ", 1)[-1]
        if line.startswith("swift_embed_redis_hits_total{"):
            hits += float(value)
            if 'tier="hot"' in line:
                lookups += float(value)
        elif line.startswith("swift_embed_redis_misses_total{") and 'tier="hot"' in line:
            lookups += float(value)
        elif line.startswith("swift_embed_redis_errors_total{"):
            errors += float(value)
    return hits, lookups, errors


def fleet_counts(ports):
    totals = [redis_counts(p) for p in ports]
    return tuple(sum(t[i] for t in totals) for i in range(3))


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def summary(name, results, before, after):
    latencies = [r[1] - r[0] for r in results]
    errors = [r[2] for r in results if r[2]]
    hits, lookups, redis_errors = (a - b for a, b in zip(after, before))
    rate = hits / lookups if lookups else float("nan")
    print(f"{name}: {len(results)} requests, {len(errors)} client error(s), Redis hit rate {rate:.1%} "
          f"({int(hits)} of {int(lookups)} lookups answered), {int(redis_errors)} Redis error(s), "
          f"p50 {percentile(latencies, 0.5) * 1000:.0f} ms, p99 {percentile(latencies, 0.99) * 1000:.0f} ms", flush=True)
    return errors, rate, redis_errors


def start_redis(prefix, port):
    return subprocess.Popen(
        [shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port), "--bind", "127.0.0.1",
         "--save", "", "--appendonly", "no", "--dir", str(prefix), "--logfile", str(prefix / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def wait_redis(port, limit_s=10):
    import socket
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"redis-server :{port} not ready within {limit_s} s")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed", default=str(ROOT / ".build/debug/embed"))
    parser.add_argument("--model", default=str(ROOT / ".cache/models/all-MiniLM-L6-v2"))
    parser.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    parser.add_argument("--config", default=str(ROOT / "deploy/nginx/embed.conf"))
    parser.add_argument("--requests", type=int, default=240, help="requests per phase (default 240)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--time-limit", type=int, default=150)
    args = parser.parse_args()

    import openai

    def alarm(*_):
        raise TimeoutError(f"time limit of {args.time_limit} s reached")

    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(args.time_limit)
    check = lb.Checks()
    began = time.monotonic()
    prefix = Path(tempfile.mkdtemp(prefix="embed-fleet-test-"))
    replicas, nginx, redis, logs = [], None, None, []
    try:
        redis_port, lb_port = lb.free_port(), lb.free_port()
        ports = [lb.free_port() for _ in range(3)]
        redis = start_redis(prefix, redis_port)
        wait_redis(redis_port)
        for name, port in zip("ABC", ports):
            log = open(prefix / f"replica-{name}.log", "wb")
            logs.append(log)
            env = dict(os.environ, EMBED_ONNX_OPTIMIZED_CACHE_DIR=str(prefix / "optimized"),
                       EMBED_CACHE_REDIS_URL=f"redis://127.0.0.1:{redis_port}/0", EMBED_CACHE_REDIS_TIMEOUT="0.1")
            replicas.append(subprocess.Popen(
                [args.embed, "serve", "--model", args.model, "--threads", "1", "--host", "127.0.0.1",
                 "--port", str(port), "--api-key", API_KEY, "--cache-entries", "0", "--runtime", "onnxruntime"],
                stdout=log, stderr=subprocess.STDOUT, env=env))
        for port, process in zip(ports, replicas):
            lb.wait_healthy(f"http://127.0.0.1:{port}/health", process, 90)
        nginx = lb.start_nginx(args.nginx, prefix, args.config, lb_port, ports)
        print(f"redis :{redis_port}, replicas :{ports[0]} :{ports[1]} :{ports[2]}, nginx :{lb_port}; "
              f"up after {time.monotonic() - began:.1f} s", flush=True)

        def direct(port):
            return openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key=API_KEY, max_retries=0, timeout=30)

        a, b = direct(ports[0]), direct(ports[1])
        model = a.models.list().data[0].id
        pool = lb.texts()
        shared = pool[:20]
        from_a = [d.embedding for d in a.embeddings.create(model=model, input=shared).data]
        time.sleep(1.0)  # the writes are asynchronous
        before_b = redis_counts(ports[1])
        from_b = [d.embedding for d in b.embeddings.create(model=model, input=shared).data]
        hits_b = redis_counts(ports[1])[0] - before_b[0]
        check(hits_b == len(shared), f"sharing: {len(shared)} texts embedded on A are Redis hits on B ({int(hits_b)} hits)")
        check(from_a == from_b, "sharing: B's vectors from Redis equal A's bit for bit")

        reference = []
        for i in range(0, len(pool), 16):
            reference += [d.embedding for d in a.embeddings.create(model=model, input=pool[i:i + 16]).data]
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{lb_port}/v1", api_key=API_KEY, max_retries=0, timeout=30)

        # Redis killed a third of the way in, started again (empty) at two thirds.
        done, lock, marks = [0], threading.Lock(), {}

        def on_done():
            with lock:
                done[0] += 1
                if done[0] == args.requests // 3:
                    redis.send_signal(signal.SIGKILL)
                    marks["killed"] = time.monotonic()
                elif done[0] == 2 * args.requests // 3:
                    marks["restart"] = start_redis(prefix, redis_port)

        start = fleet_counts(ports)
        results = lb.run_requests(client, model, pool, reference, args.requests, args.concurrency, seed=3, on_done=on_done)
        redis.wait(timeout=5)
        redis = marks["restart"]
        wait_redis(redis_port)
        errors, _, redis_errors = summary("phase restart (Redis killed at 1/3, restarted empty at 2/3)", results, start, fleet_counts(ports))
        worst = min((r[3] for r in results if r[3] is not None), default=float("nan"))
        check(not errors, f"restart: every request succeeded ({len(errors)} error(s){': ' + errors[0] if errors else ''})")
        check(worst >= lb.MIN_COSINE, f"restart: every vector matches the direct call (min cosine {worst:.8f})")
        check(redis_errors > 0, f"restart: the replicas saw the outage ({int(redis_errors)} Redis errors counted)")

        time.sleep(1.5)  # the breakers' cool-down (1 s) has passed
        start = fleet_counts(ports)
        results = lb.run_requests(client, model, pool, reference, args.requests, args.concurrency, seed=4)
        errors, rate, _ = summary("phase after the restart", results, start, fleet_counts(ports))
        check(not errors, f"after the restart: every request succeeded ({len(errors)} error(s))")
        check(rate >= 0.5, f"after the restart: the hit rate recovered ({rate:.1%} >= 50 %)")

        done[0] = 0
        stopped = {}

        def on_done_term():
            with lock:
                done[0] += 1
                if done[0] == args.requests // 4:
                    replicas[2].send_signal(signal.SIGTERM)
                    stopped["at"] = time.monotonic()

        start = fleet_counts(ports[:2])
        results = lb.run_requests(client, model, pool, reference, args.requests, args.concurrency, seed=5, on_done=on_done_term)
        errors, _, _ = summary("phase SIGTERM to replica C", results, start, fleet_counts(ports[:2]))
        status = lb.stop(replicas[2], signal.SIGTERM, 40)
        check(not errors, f"SIGTERM: every request succeeded while C drained ({len(errors)} error(s){': ' + errors[0] if errors else ''})")
        check(status == 0, f"SIGTERM: replica C exited 0 (got {status})")
    except Exception as error:
        check(False, f"the run: {type(error).__name__}: {error}")
    finally:
        signal.alarm(0)
        lb.stop(nginx, signal.SIGQUIT, 10)
        for process in replicas:
            lb.stop(process, signal.SIGTERM, 20)
        lb.stop(redis, signal.SIGKILL, 5)
        for log in logs:
            log.close()
        if check.failed:
            lb.print_tails(prefix, ("replica-A.log", "replica-B.log", "replica-C.log", "logs/error.log", "redis.log"))
        shutil.rmtree(prefix, ignore_errors=True)
    print(f"total {time.monotonic() - began:.1f} s")
    print(f"test-replicas-redis: {check.passed} passed, {check.failed} failed")
    return 0 if check.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
