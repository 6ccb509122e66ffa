"""A black-box stress probe of `embed serve`: every class of misuse the server must survive,
replayed against a real server process on loopback, bounded in time and in count.

    .cache/venv/bin/python bench/stress.py --embed .build/debug/embed \
        --model .cache/models/all-MiniLM-L6-v2

Starts the server (free loopback port, idle and body timeouts of 2 s, drain 5 s, no API
key) and runs each class; prints per class the cases tried, the failures (a case fails when
the server does not answer as it must, or takes longer than its bound), the server's peak
RSS during the class and the longest time a case waited. Classes: idle connections,
slow headers, a stalled body, an early answer with `Connection: close` to a client that
sends its whole body first, `/tokenize` amplification (2 MiB bodies, four at once), HTTP
parser errors, strict JSON, foreign `Host` names (DNS rebinding), 2,048 inputs in one
request, and SIGTERM with a half-sent body open (the process must exit within the drain).
Exit status 0 when no case failed.
"""
import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IDLE, BODY, DRAIN = 2.0, 2.0, 5.0


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class Sampler(threading.Thread):
    """The server's RSS every 20 ms; `peak()` since the last `reset()`."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.value, self.running = pid, 0.0, True

    def run(self):
        while self.running:
            try:
                self.value = max(self.value, rss_mb(self.pid))
            except (FileNotFoundError, ProcessLookupError):
                return
            time.sleep(0.02)

    def reset(self):
        self.value = rss_mb(self.pid)

    def peak(self):
        return self.value


def until_closed(sock, limit):
    """Seconds until the server closed `sock` (reading and dropping), or None past `limit`."""
    start = time.monotonic()
    sock.settimeout(0.2)
    while time.monotonic() - start < limit:
        try:
            if not sock.recv(65536):
                return time.monotonic() - start
        except socket.timeout:
            continue
        except OSError:
            return time.monotonic() - start
    return None


def raw(port, data, limit=30):
    """Sends `data`, reads until the server closes; (status, body, seconds)."""
    start = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=limit) as s:
        s.sendall(data)
        out = b""
        s.settimeout(limit)
        try:
            while chunk := s.recv(65536):
                out += chunk
        except (socket.timeout, ConnectionResetError):
            pass
    text = out.decode(errors="replace")
    status = text[9:12] if text.startswith("HTTP/1.1 ") else "---"
    return status, text.split("\r\n\r\n", 1)[-1], time.monotonic() - start


def post(port, path, body, headers=None, limit=60):
    start = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=limit)
    try:
        conn.request("POST", path, body=body, headers={"Content-Type": "application/json", **(headers or {})})
        response = conn.getresponse()
        return response.status, response.read(), time.monotonic() - start
    finally:
        conn.close()


# Each class: a list of (ok, seconds waited, note of a failure).

def idle_connections(port):
    socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(20)]
    results = []
    for s in socks:
        t = until_closed(s, IDLE + 15)
        results.append((t is not None, t or IDLE + 15, "an idle connection stayed open"))
        s.close()
    return results


def slow_headers(port):
    results = []
    for _ in range(5):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"GET /health HTTP/1.1\r\nHost: localhost\r\n")  # never the blank line
        t = until_closed(s, IDLE + 15)
        results.append((t is not None, t or IDLE + 15, "unfinished headers kept the connection"))
        s.close()
    return results


def stalled_body(port):
    results = []
    for _ in range(5):
        s = socket.create_connection(("127.0.0.1", port))
        s.sendall(b"POST /embed HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"inp")
        t = until_closed(s, BODY + 15)
        results.append((t is not None, t or BODY + 15, "a stalled body kept the connection"))
        s.close()
    return results


def early_answer(port):
    results = []
    size = 8 << 20
    for path in ("/no-such-route", "/embed", "/v1/embeddings"):
        head = (f"POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                f"Connection: close\r\nContent-Length: {size}\r\n\r\n").encode()
        status, _, seconds = raw(port, head + b" " * size, limit=30)
        results.append((status in ("404", "413"), seconds, f"{path}: status {status}"))
    return results


def tokenize_amplification(port):
    text = ("word " * 400_000)[: (2 << 20) - 64]
    body = json.dumps({"inputs": text}).encode()
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: post(port, "/tokenize", body), range(4)))
    return [(status == 413 and len(data) < 4096, seconds, f"status {status}, {len(data)} bytes")
            for status, data, seconds in answers]


PARSER = [
    b"POST /embed HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n",
    b"POST /embed HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
    b"GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * 100_000 + b"\r\n\r\n",
    b"GET /" + b"a" * (1 << 20) + b" HTTP/1.1\r\nHost: localhost\r\n\r\n",
    b"FOO /health HTTP/1.1\r\nHost: localhost\r\n\r\n",
    b"POST /embed HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
]


def json_error(body):
    try:
        return json.loads(body)["error"]["message"]
    except (ValueError, KeyError, TypeError):
        return None


def parser_errors(port):
    results = []
    for data in PARSER:
        status, body, seconds = raw(port, data)
        results.append((status == "400" and json_error(body) is not None, seconds, f"{data[:30]!r}: {status} {body[:80]!r}"))
    return results


def strict_json(port):
    bodies = [b'{"inputs": "a",}', b'{"inputs": "a", "inputs": "b"}', b'{"inputs": ["a",]}', b'{"inputs": "a"', b"[" * 100_000]
    results = []
    for body in bodies:
        status, data, seconds = post(port, "/embed", body)
        message = json_error(data)
        results.append((status == 400 and message is not None, seconds, f"{body[:30]!r}: {status} {message}"))
    return results


def foreign_hosts(port):
    results = []
    for host in ("evil.example", f"evil.example:{port}", "localhost.evil.example", "127.0.0.1.nip.io"):
        status, _, seconds = raw(port, f"GET /health HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
        results.append((status == "403", seconds, f"Host {host}: {status}"))
    return results


def big_batch(port):
    body = json.dumps({"input": [f"text number {i}" for i in range(2048)], "model": "m"}).encode()
    status, data, seconds = post(port, "/v1/embeddings", body, limit=300)
    count = len(json.loads(data)["data"]) if status == 200 else 0
    return [(status == 200 and count == 2048, seconds, f"status {status}, {count} vectors")]


def sigterm_with_open_body(process, port):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"POST /embed HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n{\"inputs\": \"")
    start = time.monotonic()
    process.send_signal(signal.SIGTERM)
    try:
        status = process.wait(timeout=DRAIN + 20)
    except subprocess.TimeoutExpired:
        status = None
    seconds = time.monotonic() - start
    s.close()
    return [(status == 0 and seconds < DRAIN + 10, seconds, f"exit {status} after {seconds:.1f} s")]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embed", default=str(ROOT / ".build/debug/embed"))
    parser.add_argument("--model", default=str(ROOT / ".cache/models/all-MiniLM-L6-v2"))
    args = parser.parse_args()
    port = free_port()
    process = subprocess.Popen(
        [args.embed, "serve", "--model", args.model, "--port", str(port), "--runtime", "onnxruntime",
         "--log-level", "error", "--set", f"server.idle_timeout={IDLE}", "--set", f"server.body_timeout={BODY}",
         "--set", f"server.drain_timeout={DRAIN}"], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as r:
                if r.status == 200:
                    break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
    sampler = Sampler(process.pid)
    sampler.start()
    print(f"embed serve :{port}, RSS {rss_mb(process.pid):.0f} MB after load", flush=True)
    classes = [
        ("idle connections (20)", idle_connections), ("slow headers", slow_headers), ("stalled body", stalled_body),
        ("early answer + Connection: close, 8 MiB sent", early_answer),
        ("/tokenize 2 MiB x 4 at once", tokenize_amplification), ("HTTP parser errors", parser_errors),
        ("strict JSON", strict_json), ("foreign Host (DNS rebinding)", foreign_hosts),
        ("2,048 inputs in one request", big_batch),
    ]
    rows, failed = [], 0
    try:
        for name, run in classes:
            sampler.reset()
            results = run(port)
            bad = [note for ok, _, note in results if not ok]
            failed += len(bad)
            rows.append((name, len(results), len(bad), sampler.peak(), max(s for _, s, _ in results)))
            print(f"{name}: {len(results)} cases, {len(bad)} failed" + (f" — {bad[0]}" if bad else ""), flush=True)
        sampler.reset()
        results = sigterm_with_open_body(process, port)
        bad = [note for ok, _, note in results if not ok]
        failed += len(bad)
        rows.append(("SIGTERM with a half-sent body open", 1, len(bad), sampler.peak(), results[0][1]))
    finally:
        sampler.running = False
        if process.poll() is None:
            process.kill()
    print("\n| class | cases | failures | peak RSS MB | longest wait s |\n|---|---:|---:|---:|---:|")
    for name, cases, bad, peak, longest in rows:
        print(f"| {name} | {cases} | {bad} | {peak:.0f} | {longest:.2f} |")
    print(f"\nstress: {sum(r[1] for r in rows)} cases, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
