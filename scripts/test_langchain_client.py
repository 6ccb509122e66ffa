"""End-to-end test of `embed serve` with LangChain's `OpenAIEmbeddings`, default settings.

With its defaults (`check_embedding_ctx_length=True`) LangChain tokenizes every text with
tiktoken `cl100k_base` and sends the token-id arrays, not the texts. The server must decode
them as cl100k_base and embed the text with the model's own tokenizer: every vector is
checked against sentence-transformers on PyTorch for the same model (cosine >= 0.9999).

tiktoken would download the encoding file from OpenAI at first use; it is given the copy
that `make setup` installs (.cache/tiktoken, placed in a temporary TIKTOKEN_CACHE_DIR under
the name tiktoken looks for). Run by `make test`:
    .cache/venv/bin/python scripts/test_langchain_client.py --embed .build/debug/embed \
        --model .cache/models/all-MiniLM-L6-v2
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_openai_client import TOLERANCE, Checker, free_port, wait_for_health  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEXTS = [
    "A man is eating food.",
    "Un homme mange du pain, sans beurre.",
    "Grüße aus Köln 🙂 — naïve café",
    "東京は日本の首都です。",
    "def embed(texts: list[str]) -> list[list[float]]: ...",
    " ".join(["Embeddings turn text into vectors for semantic search."] * 30),
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embed", required=True, help="the embed executable")
    parser.add_argument("--model", required=True, help="the model folder")
    args = parser.parse_args()

    encoding = ROOT / ".cache/tiktoken/cl100k_base.tiktoken"
    if not encoding.is_file():
        raise SystemExit(f"no {encoding.relative_to(ROOT)}: run `make setup` (scripts/install-tiktoken.sh)")
    cache = tempfile.mkdtemp(prefix="tiktoken-")
    shutil.copy(encoding, os.path.join(cache, "9b5ad71b2ce5302211f9c61530b329a4922fc6a4"))
    os.environ["TIKTOKEN_CACHE_DIR"] = cache
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    import langchain_openai
    from langchain_openai import OpenAIEmbeddings
    from sentence_transformers import SentenceTransformer

    reference = SentenceTransformer(args.model, device="cpu").encode(TEXTS, normalize_embeddings=True).tolist()
    port = free_port()
    process = subprocess.Popen(
        [args.embed, "serve", "--model", args.model, "--port", str(port), "--log-level", "notice"],
        stdout=subprocess.DEVNULL, cwd=ROOT)
    checker = Checker()
    try:
        wait_for_health(port, process)
        embeddings = OpenAIEmbeddings(base_url=f"http://127.0.0.1:{port}/v1", api_key="-", max_retries=0)
        checker.check(embeddings.check_embedding_ctx_length, "LangChain's default sends cl100k token ids")
        documents = embeddings.embed_documents(TEXTS)
        checker.vectors(documents, reference, "embed_documents (cl100k ids)", len(reference[0]))
        query = embeddings.embed_query(TEXTS[2])
        checker.vectors([query], reference[2:3], "embed_query (cl100k ids)", len(reference[0]))
        plain = OpenAIEmbeddings(base_url=f"http://127.0.0.1:{port}/v1", api_key="-", max_retries=0,
                                 check_embedding_ctx_length=False)
        checker.vectors(plain.embed_documents(TEXTS), reference, "embed_documents (texts)", len(reference[0]))
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            status = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            status = "killed after 30 s"
        shutil.rmtree(cache, ignore_errors=True)
    checker.check(status == 0, f"the server exits 0 on SIGTERM (got {status})")
    version = getattr(langchain_openai, "__version__", "1.8.1")
    print(json.dumps({"langchain_openai": version, "passed": checker.passed, "failed": checker.failed}))
    print(f"langchain-client: {checker.passed} passed, {checker.failed} failed (tolerance {TOLERANCE})")
    return 0 if checker.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
