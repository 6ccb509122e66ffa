#!/usr/bin/env python3
"""Single-thread tokenization throughput of Hugging Face `tokenizers`, the reference for
`bench/TokenizerBench.swift` (run both with `bench/tokenize_bench.sh`).

    tokenize_bench.py --tokenizer tokenizer.json --input texts.txt [--limit N] [--rounds R]

Each round encodes every text once, with special tokens, no truncation and no padding
(as the Swift side does). Two ways are timed: `encode` called once per text (includes
Python's per-call overhead, about a microsecond) and `encode_batch` over all texts with
Rayon limited to one thread. Prints texts/s and tokens/s of the best round, and the total
number of tokens (the Swift side must report the same).
"""
import argparse
import os
import time

os.environ.setdefault("RAYON_NUM_THREADS", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from tokenizers import Tokenizer  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokenizer", required=True)
    parser.add_argument("--input", required=True)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    tokenizer = Tokenizer.from_file(args.tokenizer)
    tokenizer.no_truncation()
    tokenizer.no_padding()
    with open(args.input, encoding="utf-8") as handle:
        texts = [line.rstrip("\n") for line in handle][: args.limit]
    tokens = sum(len(e.ids) for e in tokenizer.encode_batch(texts))
    for name, run in (("encode", lambda: [tokenizer.encode(t) for t in texts]),
                      ("encode_batch", lambda: tokenizer.encode_batch(texts))):
        best = float("inf")
        for _ in range(args.rounds):
            start = time.perf_counter()
            run()
            best = min(best, time.perf_counter() - start)
        print(f"python {name:<12} {len(texts) / best:10.0f} texts/s {tokens / best / 1e6:7.2f} M tokens/s "
              f"({len(texts)} texts, {tokens} tokens, best of {args.rounds})")


if __name__ == "__main__":
    main()
