"""End-to-end test of `embed serve` with the official `openai` Python client.

Starts the server (the built `embed` binary) on a free loopback port with an API key,
waits for /health, then calls `client.embeddings.create(...)` with a string, a list,
`dimensions`, the client's default format (base64) and `encoding_format="float"`, and
checks every vector against sentence-transformers on PyTorch for the same model folder
(cosine >= 0.9999 per vector). Finally sends SIGTERM and expects a clean exit (status 0).

Run by `make test`:
    .cache/venv/bin/python scripts/test_openai_client.py --embed .build/debug/embed \
        --model .cache/models/all-MiniLM-L6-v2
"""

import argparse
import base64
import json
import math
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

API_KEY = "test-key-for-the-openai-client"
TOLERANCE = 0.9999
SENTENCES = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "The girl is carrying a baby.",
    "Un homme mange du pain.",
    "",
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_health(port: int, process: subprocess.Popen, limit_s: float = 120.0) -> None:
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server exited early with status {process.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not become healthy within {limit_s} s")


def cosine(a, b) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


class Checker:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, condition: bool, what: str) -> None:
        if condition:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL: {what}", file=sys.stderr)

    def vectors(self, actual, expected, what: str, dimension: int) -> None:
        self.check(len(actual) == len(expected), f"{what}: {len(actual)} vectors, expected {len(expected)}")
        for index, (a, e) in enumerate(zip(actual, expected)):
            self.check(len(a) == dimension, f"{what}[{index}]: {len(a)} values, expected {dimension}")
            value = cosine(a, e)
            self.check(value >= TOLERANCE, f"{what}[{index}]: cosine {value:.6f} < {TOLERANCE}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embed", required=True, help="the embed executable")
    parser.add_argument("--model", required=True, help="the model folder")
    args = parser.parse_args()

    import numpy as np
    import openai
    from sentence_transformers import SentenceTransformer

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    reference = SentenceTransformer(args.model, device="cpu").encode(SENTENCES, normalize_embeddings=True).tolist()
    dimension = len(reference[0])

    port = free_port()
    process = subprocess.Popen(
        [args.embed, "serve", "--model", args.model, "--port", str(port), "--api-key", API_KEY, "--log-level", "notice"],
        stdout=subprocess.DEVNULL,
    )
    checker = Checker()
    try:
        wait_for_health(port, process)
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key=API_KEY, max_retries=0)
        model = client.models.list().data[0].id
        checker.check(model == os.path.basename(os.path.normpath(args.model)), f"served model id {model}")

        one = client.embeddings.create(model=model, input=SENTENCES[0])
        checker.vectors([d.embedding for d in one.data], reference[:1], "string, default (base64) format", dimension)
        checker.check(one.usage.prompt_tokens > 2, f"usage counts tokens: {one.usage}")

        many = client.embeddings.create(model=model, input=SENTENCES)
        checker.vectors([d.embedding for d in many.data], reference, "list, default (base64) format", dimension)
        checker.check([d.index for d in many.data] == list(range(len(SENTENCES))), "indices in order")

        floats = client.embeddings.create(model=model, input=SENTENCES, encoding_format="float")
        checker.vectors([d.embedding for d in floats.data], reference, "list, float format", dimension)
        for index, (a, b) in enumerate(zip(floats.data, many.data)):
            checker.check(
                np.array_equal(np.float32(a.embedding), np.float32(b.embedding)),
                f"float and base64 give the same float32 values [{index}]",
            )

        truncated = [(np.array(r[:128]) / np.linalg.norm(r[:128])).tolist() for r in reference[:3]]
        cut = client.embeddings.create(model=model, input=SENTENCES[:3], dimensions=128)
        checker.vectors([d.embedding for d in cut.data], truncated, "dimensions=128, default (base64) format", 128)
        cut = client.embeddings.create(model=model, input=SENTENCES[:3], dimensions=128, encoding_format="float")
        checker.vectors([d.embedding for d in cut.data], truncated, "dimensions=128, float format", 128)
        # Asked for explicitly, base64 comes back undecoded: little-endian float32 bytes.
        raw = client.embeddings.create(model=model, input=SENTENCES[:3], dimensions=128, encoding_format="base64")
        decoded = [np.frombuffer(base64.b64decode(d.embedding), dtype="<f4").tolist() for d in raw.data]
        checker.vectors(decoded, truncated, "dimensions=128, explicit base64 decoded here", 128)

        try:
            client.embeddings.create(model=model, input=SENTENCES[0], dimensions=dimension + 1)
            checker.check(False, "dimensions larger than the model's must fail")
        except openai.BadRequestError as error:
            checker.check("dimensions" in str(error), f"a 400 that names dimensions: {error}")

        bad_key = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="wrong", max_retries=0)
        try:
            bad_key.embeddings.create(model=model, input="x")
            checker.check(False, "a wrong API key must fail")
        except openai.AuthenticationError:
            checker.check(True, "a wrong API key is a 401")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            status = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            status = "killed after 30 s"
    checker.check(status == 0, f"the server exits 0 on SIGTERM (got {status})")
    print(json.dumps({"openai": openai.__version__, "passed": checker.passed, "failed": checker.failed}))
    print(f"openai-client: {checker.passed} passed, {checker.failed} failed")
    return 0 if checker.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
