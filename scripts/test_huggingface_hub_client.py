"""End-to-end test of `embed serve` with huggingface_hub's `InferenceClient` (TEI's routes).

`InferenceClient(base_url=...)` posts TEI bodies to the server's root: `feature_extraction`
sends `{"inputs", "normalize", "prompt_name", "truncate", "truncation_direction"}` and
`sentence_similarity` sends `{"inputs": {"source_sentence", "sentences"}, "parameters"}`.
Starts the server (the built `embed` binary) on a free loopback port with an API key, then
checks every vector against sentence-transformers on PyTorch for the same model folder
(cosine >= 0.9999), the similarity scores against the reference cosines (within 1e-4), the
truncation options on a text longer than the model's 256 tokens (left: against the last
254 tokens decoded and embedded whole), the errors (a prompt the
model does not have, a wrong key) and a clean exit on SIGTERM.

Run by `make test`:
    .cache/venv/bin/python scripts/test_huggingface_hub_client.py --embed .build/debug/embed \
        --model .cache/models/all-MiniLM-L6-v2
"""

import argparse
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_openai_client import TOLERANCE, Checker, cosine, free_port, wait_for_health  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "test-key-for-huggingface-hub"
SCORE_TOLERANCE = 1e-4
TEXTS = [
    "A man is eating food.",
    "A man is eating a piece of bread.",
    "Grüße aus Köln 🙂 — naïve café",
    "東京は日本の首都です。",
]
# Over 256 tokens: the start and the end are about different things, so that truncating on
# the left and on the right give different vectors.
LONG = " ".join(["The cat sleeps on the warm windowsill all afternoon."] * 30
                + ["Stock markets fell sharply on Monday after the bank's report."] * 30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embed", required=True, help="the embed executable")
    parser.add_argument("--model", required=True, help="the model folder")
    args = parser.parse_args()

    # HF_HUB_OFFLINE=1 makes InferenceClient refuse every URL, loopback too (OfflineModeIsEnabled);
    # the model is a local folder, so sentence-transformers does not need it either.
    for name in ("HF_HUB_OFFLINE", "HF_TOKEN"):
        os.environ.pop(name, None)
    import huggingface_hub
    import numpy as np
    from huggingface_hub import InferenceClient
    from huggingface_hub.errors import HfHubHTTPError
    from sentence_transformers import SentenceTransformer

    st = SentenceTransformer(args.model, device="cpu")
    reference = st.encode(TEXTS + [LONG], normalize_embeddings=True).tolist()
    long_reference = reference.pop()
    # Left truncation keeps the last max_seq_length - 2 tokens ([CLS] and [SEP] around them):
    # those tokens decoded to a text that sentence-transformers embeds whole.
    ids = st.tokenizer(LONG, add_special_tokens=False)["input_ids"]
    kept = st.tokenizer.decode(ids[-(st.max_seq_length - 2):])
    left_reference = st.encode([kept], normalize_embeddings=True).tolist()[0]
    dimension = len(reference[0])

    port = free_port()
    process = subprocess.Popen(
        [args.embed, "serve", "--model", args.model, "--port", str(port), "--api-key", API_KEY,
         "--runtime", "onnxruntime", "--log-level", "notice"],
        stdout=subprocess.DEVNULL, cwd=ROOT)
    checker = Checker()
    try:
        wait_for_health(port, process)
        client = InferenceClient(base_url=f"http://127.0.0.1:{port}", api_key=API_KEY, timeout=60)

        one = client.feature_extraction(TEXTS[0])
        checker.check(isinstance(one, np.ndarray) and one.dtype == np.float32, f"a float32 array: {type(one)}")
        checker.check(one.shape == (1, dimension), f"one text: shape {one.shape}")
        checker.vectors(one.tolist(), reference[:1], "feature_extraction(str)", dimension)

        many = client.feature_extraction(TEXTS)
        checker.check(many.shape == (len(TEXTS), dimension), f"a list: shape {many.shape}")
        checker.vectors(many.tolist(), reference, "feature_extraction(list)", dimension)

        raw = client.feature_extraction(TEXTS, normalize=False)
        checker.vectors(raw.tolist(), reference, "normalize=False (direction)", dimension)
        checker.check(np.all(np.isfinite(raw)), "normalize=False: finite values")

        right = client.feature_extraction(LONG, truncate=True)
        checker.vectors(right.tolist(), [long_reference], "a long text, truncate=True (right)", dimension)
        explicit = client.feature_extraction(LONG, truncate=True, truncation_direction="right")
        checker.vectors(explicit.tolist(), [long_reference], "truncation_direction='right'", dimension)
        left = client.feature_extraction(LONG, truncate=True, truncation_direction="left")
        value = cosine(left[0].tolist(), right[0].tolist())
        checker.check(value < 0.95, f"truncation_direction='left' keeps the end: cosine {value:.4f} with 'right'")
        checker.vectors(left.tolist(), [left_reference], "truncation_direction='left' (the last tokens)", dimension)

        scores = client.sentence_similarity(TEXTS[0], other_sentences=TEXTS[1:])
        checker.check(len(scores) == len(TEXTS) - 1, f"{len(scores)} scores")
        for index, score in enumerate(scores):
            expected = cosine(reference[0], reference[index + 1])
            checker.check(abs(score - expected) <= SCORE_TOLERANCE,
                          f"sentence_similarity[{index}]: {score:.6f}, reference {expected:.6f}")

        try:
            client.feature_extraction(TEXTS[0], prompt_name="query")
            checker.check(False, "a prompt_name the model does not have must fail")
        except HfHubHTTPError as error:
            status = error.response.status_code if error.response is not None else None
            checker.check(status == 400 and "prompt" in str(error).lower(), f"a 400 naming the prompt: {status} {error}")

        wrong = InferenceClient(base_url=f"http://127.0.0.1:{port}", api_key="wrong", timeout=60)
        for what, call in [("feature_extraction", lambda: wrong.feature_extraction("x")),
                           ("sentence_similarity", lambda: wrong.sentence_similarity("x", other_sentences=["y"]))]:
            try:
                call()
                checker.check(False, f"{what} with a wrong API key must fail")
            except HfHubHTTPError as error:
                status = error.response.status_code if error.response is not None else None
                checker.check(status == 401, f"{what} with a wrong API key: {status}")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            status = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            status = "killed after 30 s"
    checker.check(status == 0, f"the server exits 0 on SIGTERM (got {status})")
    print(json.dumps({"huggingface_hub": huggingface_hub.__version__, "passed": checker.passed, "failed": checker.failed}))
    print(f"huggingface-hub-client: {checker.passed} passed, {checker.failed} failed "
          f"(cosine >= {TOLERANCE}, scores within {SCORE_TOLERANCE})")
    return 0 if checker.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
