"""Shared quantization recipes (ONNX Runtime's quantization tools) for prepare_model.py,
quantize_model.py (`embed quantize`) and bench/quantize_search.py. Not a program of its own.

A recipe is a dict:
  mode            "dynamic-int8" or "fp16"
  per_channel     one weight scale per output channel instead of per matrix (dynamic-int8)
  reduce_range    7-bit weights (for CPUs without VNNI, where 8-bit can saturate)
  weight_type     "QInt8" (signed, the default) or "QUInt8"
  optimize        first fuse the graph with ONNX Runtime's transformer optimizer (Attention,
                  SkipLayerNormalization, BiasGelu, EmbedLayerNormalization), so that the
                  attention is quantized as one QAttention operator
  keep_fp32       node names kept in fp32 (the most sensitive ones)
  keep_outliers   also keep in fp32 the k weight MatMuls whose input activations have the
                  widest range for their size (max − min over RMS, on 64 calibration texts):
                  dynamic int8 quantizes each activation tensor with one scale from its range,
                  so these lose the most. Measured on all-MiniLM-L6-v2, this picks 3 of the 4
                  MatMuls that a (slow) one-at-a-time sensitivity analysis finds most sensitive.
  op_types        the operator types to quantize (None: quantize_dynamic's own default, which
                  for these encoders means MatMul and Gather)

`RECOMMENDED` is what `embed quantize --mode dynamic-int8` and prepare_model.py use; it was
chosen by measurement (bench/quantize_search.py; docs/quantization.md has the numbers).
"""
import logging
import os
from pathlib import Path

ORT_DEFAULT = {"mode": "dynamic-int8", "per_channel": False, "reduce_range": False, "weight_type": "QInt8",
               "optimize": False, "keep_fp32": [], "op_types": None}
RECOMMENDED = dict(ORT_DEFAULT, per_channel=True)
FP16 = {"mode": "fp16"}


def describe(recipe):
    if recipe["mode"] == "fp16":
        return "fp16 weights and activations (inputs and outputs kept float32)"
    parts = [recipe.get("weight_type", "QInt8"), "per channel" if recipe.get("per_channel") else "per tensor"]
    if recipe.get("reduce_range"):
        parts.append("reduced range")
    if recipe.get("optimize"):
        parts.append("graph fused first (ONNX Runtime transformer optimizer)")
    if recipe.get("keep_fp32"):
        parts.append(f"{len(recipe['keep_fp32'])} node(s) kept fp32")
    if recipe.get("keep_outliers"):
        parts.append(f"the {recipe['keep_outliers']} MatMuls with the widest activations kept fp32")
    if recipe.get("op_types"):
        parts.append("ops " + "+".join(recipe["op_types"]))
    return "dynamic int8: " + ", ".join(parts)


def weight_matmuls(model):
    """Names of the MatMul nodes one of whose inputs is a constant (an initializer)."""
    constants = {init.name for init in model.graph.initializer}
    constants |= {n.output[0] for n in model.graph.node if n.op_type == "Constant"}
    return [n.name for n in model.graph.node if n.op_type == "MatMul" and any(i in constants for i in n.input)]


def quantize(fp32_path, output_path, recipe):
    """Writes the quantized model for `recipe` to `output_path` (not atomically: callers
    write to a temporary name and rename)."""
    import onnx

    fp32_path, output_path = Path(fp32_path), Path(output_path)
    if recipe["mode"] == "fp16":
        from onnxruntime.transformers.float16 import convert_float_to_float16

        model = onnx.load(str(fp32_path))
        converted = convert_float_to_float16(model, keep_io_types=True)
        onnx.save(converted, str(output_path))
        return
    if recipe["mode"] != "dynamic-int8":
        raise ValueError(f"unknown quantization mode {recipe['mode']!r}")
    from onnxruntime.quantization import QuantType, quantize_dynamic

    exclude = list(recipe.get("keep_fp32") or [])
    if recipe.get("keep_outliers"):
        exclude += outlier_matmuls(fp32_path, recipe["keep_outliers"])
    source = fp32_path
    if recipe.get("optimize"):
        source = output_path.with_name(output_path.name + ".fused.onnx")
        fuse(fp32_path, source)
    # quantize_dynamic only logs a hint suggesting pre-processing (quant_pre_process). It is
    # not needed here, and it fails on these graphs in its symbolic shape inference.
    previous = logging.getLogger().level
    logging.getLogger().setLevel(logging.ERROR)
    try:
        quantize_dynamic(
            str(source), str(output_path),
            weight_type=QuantType[recipe.get("weight_type", "QInt8")],
            per_channel=bool(recipe.get("per_channel")),
            reduce_range=bool(recipe.get("reduce_range")),
            op_types_to_quantize=recipe.get("op_types"),
            nodes_to_exclude=sorted(set(exclude)),
            # The fused graph's contrib operators defeat ONNX's shape inference: their outputs are float.
            extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT} if recipe.get("optimize") else {},
        )
    finally:
        logging.getLogger().setLevel(previous)
        if source != fp32_path:
            source.unlink(missing_ok=True)


def fuse(fp32_path, output_path):
    """ONNX Runtime's transformer optimizer, with the head count and width of config.json
    (next to the onnx/ folder) when there is one."""
    import json
    from onnxruntime.transformers.optimizer import optimize_model

    config = Path(fp32_path).parent.parent / "config.json"
    heads, hidden = 0, 0
    if config.is_file():
        values = json.loads(config.read_text())
        heads, hidden = values.get("num_attention_heads", 0), values.get("hidden_size", 0)
    optimize_model(str(fp32_path), model_type="bert", num_heads=heads, hidden_size=hidden, opt_level=1).save_model_to_file(
        str(output_path))


def outlier_matmuls(fp32_path, count, texts=None):
    """The `count` weight MatMuls whose input activations have the widest range relative to
    their RMS, measured with ONNX Runtime on calibration texts (default: the first 64
    reference sentences), with the tokenizer of the model folder."""
    import numpy as np
    import onnx
    import onnxruntime as ort
    import tokenizers

    fp32_path = Path(fp32_path)
    folder = fp32_path.parent.parent
    if texts is None:
        corpus = Path(__file__).resolve().parent / "data" / "reference_sentences.txt"
        texts = [line for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()][:64]
    model = onnx.load(str(fp32_path))
    constants = {init.name for init in model.graph.initializer}
    constants |= {n.output[0] for n in model.graph.node if n.op_type == "Constant"}
    probes = {}
    for node in model.graph.node:
        if node.op_type != "MatMul" or not any(i in constants for i in node.input):
            continue
        activation = next((i for i in node.input if i not in constants), None)
        if activation and activation not in probes.values():
            probes[node.name] = activation
            model.graph.output.append(onnx.helper.make_tensor_value_info(activation, onnx.TensorProto.FLOAT, None))
    probe_path = fp32_path.with_name(f".{fp32_path.stem}.probe-{os.getpid()}.onnx")
    onnx.save(model, str(probe_path))
    try:
        session = ort.InferenceSession(str(probe_path), providers=["CPUExecutionProvider"])
    finally:
        probe_path.unlink(missing_ok=True)
    tokenizer = tokenizers.Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(256)
    inputs = [i.name for i in session.get_inputs()]
    spread = {name: [] for name in probes}
    for text in texts:
        ids = np.array([tokenizer.encode(text).ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids), "token_type_ids": np.zeros_like(ids)}
        values = session.run(list(probes.values()), {name: feeds[name] for name in inputs})
        for name, value in zip(probes, values):
            rms = float(np.sqrt(np.mean(np.square(value))))
            spread[name].append(float(value.max() - value.min()) / max(rms, 1e-12))
    ranking = sorted(probes, key=lambda name: -float(np.mean(spread[name])))
    return ranking[:count]


def output_name(recipe):
    """The file name the variant gets in onnx/ (what the model store and engine look for)."""
    return "model_fp16.onnx" if recipe["mode"] == "fp16" else "model_quantized.onnx"


def tmp_name(path):
    path = Path(path)
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")
