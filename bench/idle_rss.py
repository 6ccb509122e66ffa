"""Resident memory of `embed serve`: fresh, right after a burst, and idle 10 s later.

    python bench/idle_rss.py --embed .build/release/embed --model .cache/models/all-MiniLM-L6-v2 \
        -- --runtime onnxruntime

Starts the server on a free loopback port, waits for /health, reads VmRSS (MB = kB / 1024),
sends --requests requests of 16 texts of 5-200 words from 16 threads, reads VmRSS, waits
10 s, reads it again, and prints one JSON line. Arguments after `--` go to `embed serve`.
"""
import argparse, concurrent.futures, json, random, socket, subprocess, time
import requests


def rss(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--embed", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("serve_args", nargs="*")
    args = parser.parse_args()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [args.embed, "serve", "--model", args.model, "--port", str(port), "--log-level", "warning", *args.serve_args],
        stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if requests.get(base + "/health", timeout=1).status_code == 200:
                    break
            except requests.RequestException:
                pass
            time.sleep(0.1)
        time.sleep(2)
        fresh = rss(server.pid)
        words = open("README.md").read().split()
        random.seed(0)

        def call(_: int) -> int:
            batch = [" ".join(random.choice(words) for _ in range(random.randint(5, 200))) for _ in range(16)]
            return requests.post(base + "/v1/embeddings", json={"input": batch, "model": "m"}, timeout=120).status_code

        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            codes = list(pool.map(call, range(args.requests)))
        burst = rss(server.pid)
        time.sleep(10)
        idle = rss(server.pid)
        print(json.dumps({"serve_args": args.serve_args, "fresh_mb": round(fresh), "after_burst_mb": round(burst),
                          "idle_10s_mb": round(idle), "ok": codes.count(200), "requests": len(codes)}))
    finally:
        server.terminate()
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
