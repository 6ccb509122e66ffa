"""schemathesis against a live `embed serve`, with the document the server itself serves.

Starts the server (the built `embed` binary) on a free loopback port with an API key,
on the real model (`--model`) or on the hashing engine (no `--model`), waits for /health,
then runs schemathesis on http://127.0.0.1:<port>/openapi.json with a bounded number of
examples per operation (`--max-examples`, default 25) and a fixed seed, checking:

* not_a_server_error: no 5xx, ever;
* status_code_conformance: every status is one the operation documents;
* response_schema_conformance: every body matches the documented schema;
* content_type_conformance: every Content-Type is a documented one;
* response_headers_conformance: documented headers are there (WWW-Authenticate on a 401);
* unsupported_method: another method on a documented path is a 405 with Allow;
* ignored_auth: the operations that need the key refuse requests without it.

Any finding fails the run (exit status 1). Finally sends SIGTERM and expects exit 0.
schemathesis is installed into the running Python environment when missing (the version
pinned below).

Run by `make test`:
    .cache/venv/bin/python scripts/test_openapi_schemathesis.py --embed .build/debug/embed \
        --model .cache/models/all-MiniLM-L6-v2
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

SCHEMATHESIS = "4.32.5"
API_KEY = "test-key-for-schemathesis"
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "response_schema_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "unsupported_method",
    "ignored_auth",
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


def schemathesis_command() -> list:
    """The schemathesis CLI of this Python environment, installed (pinned) when missing."""
    try:
        import schemathesis  # noqa: F401
        from importlib.metadata import version

        installed = version("schemathesis")
    except ImportError:
        installed = None
    if installed != SCHEMATHESIS:
        print(f"==> installing schemathesis=={SCHEMATHESIS} (found {installed})", flush=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "--disable-pip-version-check", "--quiet",
             f"schemathesis=={SCHEMATHESIS}"],
            check=True)
    cli = os.path.join(os.path.dirname(sys.executable), "schemathesis")
    return [cli] if os.path.exists(cli) else [sys.executable, "-m", "schemathesis.cli"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embed", required=True, help="the embed executable")
    parser.add_argument("--model", help="the model folder (default: the hashing engine, no model)")
    parser.add_argument("--max-examples", type=int, default=25, help="test cases per operation (default 25)")
    parser.add_argument("--seed", type=int, default=20261203, help="schemathesis' random seed")
    args = parser.parse_args()

    command = schemathesis_command()
    port = free_port()
    serve = [os.path.abspath(args.embed), "serve", "--port", str(port), "--api-key", API_KEY, "--log-level", "warning"]
    serve += ["--model", os.path.abspath(args.model)] if args.model else ["--engine", "hashing"]
    # Its own folder: schemathesis writes nothing into the checkout.
    workdir = tempfile.mkdtemp(prefix="swift-embed-schemathesis-")
    process = subprocess.Popen(serve, stdin=subprocess.DEVNULL)
    status = 1
    try:
        wait_for_health(port, process)
        base = f"http://127.0.0.1:{port}"
        run = command + [
            "run", f"{base}/openapi.json", "--url", base,
            "--header", f"Authorization: Bearer {API_KEY}",
            "--checks", ",".join(CHECKS),
            "--max-examples", str(args.max_examples), "--seed", str(args.seed),
            "--generation-database", "none", "--request-timeout", "30", "--workers", "2",
            "--no-color",
        ]
        print("==> " + " ".join(run).replace(API_KEY, "<key>"), flush=True)
        started = time.monotonic()
        status = subprocess.run(run, cwd=workdir).returncode
        print(f"==> schemathesis exited with {status} after {time.monotonic() - started:.0f} s", flush=True)
        if process.poll() is not None:
            print(f"FAIL: the server exited during the run (status {process.returncode})", file=sys.stderr)
            status = 1
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                code = process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                code = None
            if code != 0:
                print(f"FAIL: the server exited with {code} after SIGTERM", file=sys.stderr)
                status = 1
        shutil.rmtree(workdir, ignore_errors=True)
    print("schemathesis: " + ("passed" if status == 0 else "FAILED"))
    return 0 if status == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
