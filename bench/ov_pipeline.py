#!/usr/bin/env python3
"""The expert Python OpenVINO pipeline, as a whole program: tokenizers + openvino + numpy.

    bench/ov_pipeline.py --model DIR --input FILE --output OUT.npy [--precision f32|bf16]
        [--threads N] [--batch-size 32] [--max-tokens 1024]

The same steps as bench/stacks.py's python-sorted stack with OpenVINO instead of ONNX
Runtime: the model's tokenizer.json (batch-longest padding, truncation to max_seq_length),
texts sorted by token count and cut into batches under the same size cap and token budget
as swift-embed's offline policy, OpenVINO's CPU plugin compiling onnx/model.onnx with an
explicit INFERENCE_PRECISION_HINT, the LATENCY hint and N threads, mean pooling over the
mask and L2 normalisation in numpy; the vectors are written as float32 .npy in input order.
"""
import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))


def plan(lengths, batch_size, max_tokens):
    """swift-embed's offline policy: longest first, at most batch_size texts and max_tokens padded tokens."""
    order = sorted(range(len(lengths)), key=lambda i: (-lengths[i], i))
    batches, current, longest = [], [], 0
    for index in order:
        length = max(lengths[index], longest)
        if current and (len(current) == batch_size or (len(current) + 1) * length > max_tokens):
            batches.append(current)
            current, longest = [], 0
        current.append(index)
        longest = max(longest, lengths[index])
    if current:
        batches.append(current)
    return batches


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument("--precision", choices=["f32", "bf16"], default="f32")
    parser.add_argument("--threads", type=int, default=os.cpu_count())
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--max-tokens", type=int, default=1024)
    args = parser.parse_args()

    import openvino as ov
    import tokenizers

    config = json.loads((args.model / "sentence_bert_config.json").read_text())
    tokenizer = tokenizers.Tokenizer.from_file(str(args.model / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(max_length=config["max_seq_length"])
    core = ov.Core()
    compiled = core.compile_model(str(args.model / "onnx/model.onnx"), "CPU", {
        "INFERENCE_PRECISION_HINT": args.precision, "PERFORMANCE_HINT": "LATENCY",
        "INFERENCE_NUM_THREADS": str(args.threads)})
    request = compiled.create_infer_request()
    names = {port.any_name for port in compiled.inputs}

    texts = [t for t in args.input.read_text(encoding="utf-8").split("\n") if t]
    encodings = tokenizer.encode_batch(texts)
    vectors = None
    for batch in plan([len(e.ids) for e in encodings], args.batch_size, args.max_tokens):
        longest = max(len(encodings[i].ids) for i in batch)
        ids = np.zeros((len(batch), longest), np.int64)
        mask = np.zeros((len(batch), longest), np.int64)
        types = np.zeros((len(batch), longest), np.int64)
        for row, index in enumerate(batch):
            e = encodings[index]
            ids[row, :len(e.ids)] = e.ids
            mask[row, :len(e.ids)] = 1
            types[row, :len(e.ids)] = e.type_ids
        feeds = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in names:
            feeds["token_type_ids"] = types
        hidden = request.infer(feeds)[compiled.output("last_hidden_state")]
        weights = mask.astype(np.float32)[:, :, None]
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        pooled /= np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        if vectors is None:
            vectors = np.zeros((len(texts), pooled.shape[1]), np.float32)
        vectors[batch] = pooled
    with open(args.output, "wb") as output:
        np.save(output, vectors)


if __name__ == "__main__":
    main()
