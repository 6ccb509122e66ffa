"""deploy/nginx/embed.conf in front of two real `embed serve` replicas, one killed mid-run.

    .cache/venv/bin/python scripts/test-load-balancer.py \
        [--embed .build/release/embed] [--model .cache/models/all-MiniLM-L6-v2]

1. Starts two replicas (`embed serve --threads 1 --api-key …`, vector cache off so that
   every request runs the model, `--runtime onnxruntime` so that both run the same engine:
   under `auto` each replica measures for itself and may pick another one) on free loopback ports, and nginx (as the current user,
   in a temporary prefix, `daemon off`) with the deploy config: its upstream servers
   rewritten to the two replicas, its `listen` to a free loopback port.
2. Embeds every test text once directly on replica A: the reference.
3. Sends REQUESTS embedding requests (1 to 4 texts each) through nginx with the official
   `openai` client (no client retries) from CONCURRENCY threads; every vector must have a
   cosine >= 0.999999 with the reference, and each replica's /metrics must count some.
4. Sends 3 × REQUESTS more and SIGKILLs replica B after a quarter of them: every request that
   started later than the failover window after the kill must succeed, correct, and
   replica A must have served them (the failed ones before that are counted and shown).
5. Stops nginx and replica A (SIGTERM: it must exit 0) and removes the prefix.

Loopback only, bounded (--time-limit, 110 s by default: an alarm stops the run and the
processes are cleaned up whatever happens). Exit status 0 when every check passed.
"""
import argparse
import concurrent.futures
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "lb-test-key"
MIN_COSINE = 0.999999
WORDS = ("the model embeds text into vectors that stay close when meanings are close while "
         "load balancers spread requests over replicas and retry on another one when a "
         "replica dies café naïve Zürich 東京 данные 🍕 2.4.1 CVE-2023-12345 https://example.com").split()


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url, timeout=5.0, key=None):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {key}"} if key else {})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.status, response.read().decode()


def wait_healthy(url, process, limit_s):
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited early with status {process.returncode}")
        try:
            if get(url)[0] == 200:
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} not healthy within {limit_s} s")


def served(port):
    """The replica's count of answered POST /v1/embeddings requests (any status)."""
    _, text = get(f"http://127.0.0.1:{port}/metrics", key=API_KEY)
    total = 0.0
    for line in text.splitlines():
        if line.startswith("swift_embed_http_requests_total{") and 'method="POST"' in line and "embeddings" in line:
            total += float(line.rsplit(" ", 1)[1])
    return int(total)


def rss_mb(pid):
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def texts():
    rng = random.Random(7)
    result = ["hello world", "x", "How do I reset my password?"]
    for length in (3, 8, 15, 30, 60, 120, 250):
        for _ in range(6):
            result.append(" ".join(rng.choice(WORDS) for _ in range(length)))
    return result


def cosine(a, b):
    import numpy as np

    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def nginx_config(conf, lb_port, replica_ports):
    """deploy/nginx/embed.conf with its upstream servers and listen address replaced."""
    servers = re.findall(r"^(\s*)server\s+\S+:\d+([^;]*);", conf, re.M)
    if not servers:
        raise RuntimeError("no upstream server line in the nginx config")
    indent, params = servers[0]
    lines = "\n".join(f"{indent}server 127.0.0.1:{p}{params};" for p in replica_ports)
    conf, count = re.subn(r"(^\s*server\s+\S+:\d+[^;]*;\n)+", lines + "\n", conf, count=1, flags=re.M)
    conf, listens = re.subn(r"^(\s*)listen\s+[^;]+;", rf"\1listen 127.0.0.1:{lb_port};", conf, flags=re.M)
    if count != 1 or listens != 1:
        raise RuntimeError(f"could not rewrite the nginx config ({count} upstream block(s), {listens} listen(s))")
    return conf


def start_nginx(nginx, prefix, site_conf, lb_port, replica_ports, log_format=None):
    """nginx as the current user in `prefix` (daemon off) with `site_conf` (deploy/nginx/embed.conf)
    rewritten to `replica_ports`, listening on `lb_port`; returns the process once healthy."""
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
        (prefix / sub).mkdir(exist_ok=True)
    (prefix / "embed.conf").write_text(nginx_config(Path(site_conf).read_text(), lb_port, replica_ports))
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers would otherwise drop to nobody
    logging = (f"    log_format lb '{log_format}';\n    access_log {prefix}/logs/access.log lb;\n"
               if log_format else "    access_log off;\n")
    (prefix / "nginx.conf").write_text(f"""{user}worker_processes 1;
events {{ worker_connections 512; }}
http {{
{logging}    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {prefix}/embed.conf;
}}
""")
    process = subprocess.Popen(
        [nginx, "-p", str(prefix), "-e", str(prefix / "logs/error.log"), "-c", str(prefix / "nginx.conf"),
         "-g", f"daemon off; pid {prefix}/nginx.pid; error_log {prefix}/logs/error.log warn;"])
    wait_healthy(f"http://127.0.0.1:{lb_port}/health", process, 15)
    return process


def print_tails(prefix, names, lines=5):
    """The last lines of each log in `prefix` that exists (after a failed check)."""
    for name in names:
        path = prefix / name
        if path.exists():
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            print(f"--- last lines of {name}:\n" + "\n".join(tail))


class Checks:
    def __init__(self):
        self.passed = self.failed = 0

    def __call__(self, ok, what):
        print(f"{'PASS' if ok else 'FAIL'}  {what}", flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed += 1


def run_requests(client, model, pool, reference, count, concurrency, seed, on_done=None):
    """`count` requests of 1-4 texts; returns (start, end, error or None, min cosine) each."""
    rng = random.Random(seed)
    plans = [rng.sample(range(len(pool)), 1 + i % 4) for i in range(count)]

    def one(indices):
        start = time.monotonic()
        try:
            answer = client.embeddings.create(model=model, input=[pool[i] for i in indices])
            vectors = [d.embedding for d in sorted(answer.data, key=lambda d: d.index)]
            if len(vectors) != len(indices):
                raise RuntimeError(f"{len(vectors)} vectors for {len(indices)} inputs")
            worst = min(cosine(v, reference[i]) for v, i in zip(vectors, indices))
            result = (start, time.monotonic(), None, worst)
        except Exception as error:  # the client's error is the finding: keep it
            result = (start, time.monotonic(), f"{type(error).__name__}: {error}", None)
        if on_done:
            on_done()
        return result

    executor = concurrent.futures.ThreadPoolExecutor(concurrency)
    try:
        return list(executor.map(one, plans))
    finally:  # on the time limit, do not wait for the queued requests
        executor.shutdown(wait=False, cancel_futures=True)


def stop(process, sig, wait_s):
    if process is None or process.poll() is not None:
        return process.returncode if process else None
    process.send_signal(sig)
    try:
        return process.wait(timeout=wait_s)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        return f"killed after {wait_s} s"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed", default=str(ROOT / ".build/release/embed"))
    parser.add_argument("--model", default=str(ROOT / ".cache/models/all-MiniLM-L6-v2"))
    parser.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx")
    parser.add_argument("--config", default=str(ROOT / "deploy/nginx/embed.conf"))
    parser.add_argument("--requests", type=int, default=200, help="requests per phase (default 200)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--failover-window", type=float, default=5.0,
                        help="seconds after the kill in which client errors are counted, not failed (default 5)")
    parser.add_argument("--time-limit", type=int, default=110)
    args = parser.parse_args()

    import openai

    def alarm(*_):
        raise TimeoutError(f"time limit of {args.time_limit} s reached")

    signal.signal(signal.SIGALRM, alarm)
    signal.alarm(args.time_limit)
    check = Checks()
    began = time.monotonic()
    prefix = Path(tempfile.mkdtemp(prefix="embed-lb-test-"))
    replicas, nginx, logs = [], None, []
    try:
        ports = [free_port(), free_port()]
        lb_port = free_port()
        for name, port in zip("AB", ports):
            log = open(prefix / f"replica-{name}.log", "wb")
            logs.append(log)
            env = dict(os.environ, EMBED_ONNX_OPTIMIZED_CACHE_DIR=str(prefix / f"optimized-{name}"))
            replicas.append(subprocess.Popen(
                [args.embed, "serve", "--model", args.model, "--threads", "1", "--host", "127.0.0.1",
                 "--port", str(port), "--api-key", API_KEY, "--cache-entries", "0", "--runtime", "onnxruntime"],
                stdout=log, stderr=subprocess.STDOUT, env=env))
        for port, process in zip(ports, replicas):
            wait_healthy(f"http://127.0.0.1:{port}/health", process, 60)
        idle = [rss_mb(p.pid) for p in replicas]
        print(f"replicas A :{ports[0]} and B :{ports[1]} healthy after {time.monotonic() - began:.1f} s; "
              f"idle RSS {idle[0][0]:.0f} / {idle[1][0]:.0f} MB")

        nginx = start_nginx(args.nginx, prefix, args.config, lb_port, ports,
                            log_format='$status $request_time "$upstream_addr" "$upstream_status"')
        print(f"nginx :{lb_port} in front of both ({subprocess.run([args.nginx, '-v'], capture_output=True, text=True).stderr.strip()})")

        pool = texts()
        direct = openai.OpenAI(base_url=f"http://127.0.0.1:{ports[0]}/v1", api_key=API_KEY, max_retries=0, timeout=30)
        model = direct.models.list().data[0].id
        reference = []
        for i in range(0, len(pool), 16):
            reference += [d.embedding for d in direct.embeddings.create(model=model, input=pool[i:i + 16]).data]
        # Through nginx, and no retries by the client: every retry seen is nginx's.
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{lb_port}/v1", api_key=API_KEY, max_retries=0, timeout=30)

        before = [served(p) for p in ports]
        t0 = time.monotonic()
        results = run_requests(client, model, pool, reference, args.requests, args.concurrency, seed=1)
        elapsed = time.monotonic() - t0
        after = [served(p) for p in ports]
        errors = [r[2] for r in results if r[2]]
        worst = min((r[3] for r in results if r[3] is not None), default=float("nan"))
        share = [a - b for a, b in zip(after, before)]
        print(f"phase 1: {len(results)} requests in {elapsed:.1f} s ({len(results) / elapsed:.1f} req/s), "
              f"{len(errors)} error(s), min cosine {worst:.8f}, served by A {share[0]}, B {share[1]}")
        check(not errors, f"phase 1: every request through nginx succeeded ({len(errors)} error(s){': ' + errors[0] if errors else ''})")
        check(worst >= MIN_COSINE, f"phase 1: every vector matches the direct call (min cosine {worst:.8f} >= {MIN_COSINE})")
        check(share[0] > 0 and share[1] > 0, f"phase 1: both replicas served requests (A {share[0]}, B {share[1]})")
        check(sum(share) == args.requests, f"phase 1: the replicas answered {sum(share)} = {args.requests} requests (no retry needed)")
        busy = [rss_mb(p.pid) for p in replicas]
        print(f"RSS after phase 1: A {busy[0][0]:.0f} MB (peak {busy[0][1]:.0f}), B {busy[1][0]:.0f} MB (peak {busy[1][1]:.0f})")

        done = [0]
        lock = threading.Lock()
        killed_at = [None]
        # Three times as many: requests must still start well after the failover window.
        phase2 = 3 * args.requests
        kill_after = phase2 // 4

        def on_done():
            with lock:
                done[0] += 1
                if done[0] == kill_after and killed_at[0] is None:
                    replicas[1].send_signal(signal.SIGKILL)
                    killed_at[0] = time.monotonic()

        before_a = served(ports[0])
        t0 = time.monotonic()
        results = run_requests(client, model, pool, reference, phase2, args.concurrency, seed=2, on_done=on_done)
        elapsed = time.monotonic() - t0
        kill = killed_at[0]
        replicas[1].wait(timeout=5)
        window_end = kill + args.failover_window
        early = [r for r in results if r[2] and r[0] < window_end]
        late = [r for r in results if r[0] >= window_end]
        late_errors = [r[2] for r in late if r[2]]
        worst = min((r[3] for r in results if r[3] is not None), default=float("nan"))
        after_kill = [r for r in results if r[0] >= kill and not r[2]]
        served_a = served(ports[0]) - before_a
        access = (prefix / "logs/access.log").read_text().splitlines()
        # $upstream_addr lists every replica tried: "A, B" is a request nginx re-sent.
        retried = [line for line in access if line.count('"') >= 2 and "," in line.split('"')[1]]
        print(f"phase 2: {len(results)} requests in {elapsed:.1f} s, replica B SIGKILLed after {kill_after} "
              f"({kill - t0:.1f} s in); errors: {sum(1 for r in results if r[2])} in all, {len(early)} before "
              f"{args.failover_window:g} s after the kill, {len(late_errors)} later ({len(late)} requests started later); "
              f"nginx re-sent {len(retried)} request(s) to another replica; replica A answered {served_a}")
        for r in early[:3]:
            print(f"    error {r[0] - kill:+.2f} s from the kill: {r[2]}")
        check(not late_errors, f"phase 2: no client-visible error after the failover window "
                               f"({len(late_errors)} of {len(late)}{': ' + late_errors[0] if late_errors else ''})")
        check(len(late) > 0, f"phase 2: requests were sent after the window ({len(late)})")
        check(worst >= MIN_COSINE, f"phase 2: every vector matches the direct call (min cosine {worst:.8f})")
        check(served_a >= len(after_kill), f"phase 2: replica A answered the {len(after_kill)} requests started after the kill (it counted {served_a})")
        errors_log = (prefix / "logs/error.log").read_text() if (prefix / "logs/error.log").exists() else ""
        upstream_errors = [l for l in errors_log.splitlines() if "upstream" in l]
        print(f"nginx error log: {len(upstream_errors)} upstream line(s)" + (f", first: {upstream_errors[0][:200]}" if upstream_errors else ""))
    except Exception as error:
        check(False, f"the run: {type(error).__name__}: {error}")
    finally:
        signal.alarm(0)
        stop(nginx, signal.SIGQUIT, 10)
        status = stop(replicas[0], signal.SIGTERM, 20) if replicas else None
        for process in replicas[1:]:
            stop(process, signal.SIGKILL, 5)
        for log in logs:
            log.close()
        if replicas:
            check(status == 0, f"replica A exits 0 on SIGTERM (got {status})")
        if check.failed:
            print_tails(prefix, ("replica-A.log", "replica-B.log", "logs/error.log"))
        shutil.rmtree(prefix, ignore_errors=True)
    print(f"total {time.monotonic() - began:.1f} s")
    print(f"test-load-balancer: {check.passed} passed, {check.failed} failed")
    return 0 if check.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
