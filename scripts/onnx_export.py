"""Shared helpers of the scripts that export transformer encoders to ONNX.

Used by prepare_model.py (all-MiniLM-L6-v2 for the tests), make_family_models.py (the tiny
models of each family) and convert_model.py (`embed convert`). Not a program of its own.

The export is the one swift-embed reads: torch.onnx.export with the TorchScript exporter
(dynamo=False), opset 17, one self-contained file, int64 inputs among input_ids /
attention_mask / token_type_ids ([batch_size, sequence_length], the ones the tokenizer
produces and the model's forward() takes, in that order) and one float output
last_hidden_state [batch_size, sequence_length, hidden], batch and sequence axes dynamic.
Eager attention is used for tracing (it traces to plain MatMul/Softmax, with the mask built
from attention_mask inside the graph); the example batch has padding so that no "mask is all
ones" shortcut can be traced in.
"""
import inspect
import os
import sys
import warnings
from pathlib import Path

OPSET = 17
TEXT_INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "last_hidden_state"
EXAMPLE = ["a short one", "a somewhat longer example sentence for tracing the graph"]


def tmp_name(path):
    """A temporary name next to `path` (same folder, so the final rename is atomic)."""
    path = Path(path)
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def load_model(folder, attn_implementation=None):
    """The transformers encoder in `folder` (eval mode), optionally with eager attention."""
    import transformers

    transformers.utils.logging.disable_progress_bar()
    kwargs = {"attn_implementation": attn_implementation} if attn_implementation else {}
    return transformers.AutoModel.from_pretrained(folder, **kwargs).eval()


def input_names(model, tokenizer):
    """The text inputs both the tokenizer produces and the model's forward() accepts."""
    accepted = inspect.signature(model.forward).parameters
    produced = set(tokenizer.model_input_names)
    names = [name for name in TEXT_INPUTS if name in produced and name in accepted]
    if "input_ids" not in names or "attention_mask" not in names:
        sys.exit(f"error: the model/tokenizer pair does not take input_ids and attention_mask (it takes {names})")
    return names


def export(model, tokenizer, path, names, opset=OPSET):
    """Exports `model` (its last_hidden_state) to `path`."""
    import torch

    class LastHiddenState(torch.nn.Module):
        """Calls the model with keyword arguments and returns only last_hidden_state."""

        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, *inputs):
            return self.inner(**dict(zip(names, inputs))).last_hidden_state

    example = tokenizer(EXAMPLE, padding=True, return_tensors="pt")
    dynamic_axes = {name: {0: "batch_size", 1: "sequence_length"} for name in names + [OUTPUT]}
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")  # TracerWarnings and the legacy-exporter deprecation notice
        torch.onnx.export(
            LastHiddenState(model).eval(),
            tuple(example[name] for name in names),
            str(path),
            dynamo=False,
            input_names=names,
            output_names=[OUTPUT],
            dynamic_axes=dynamic_axes,
            opset_version=opset,
            do_constant_folding=True,
        )


def check_self_contained(path, names, quiet=False):
    """Exits when the file refers to external data or does not have the expected signature."""
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    external = [t.name for t in model.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL]
    if external:
        sys.exit(f"error: {Path(path).name} refers to external data ({len(external)} tensors)")
    graph_inputs = [(i.name, [d.dim_param or d.dim_value for d in i.type.tensor_type.shape.dim]) for i in model.graph.input]
    graph_outputs = [(o.name, [d.dim_param or d.dim_value for d in o.type.tensor_type.shape.dim]) for o in model.graph.output]
    if not quiet:
        print(f"    inputs {graph_inputs}\n    outputs {graph_outputs}")
    if [name for name, _ in graph_inputs] != list(names) or [name for name, _ in graph_outputs] != [OUTPUT]:
        sys.exit(f"error: unexpected graph signature in {Path(path).name}: {graph_inputs} -> {graph_outputs}")


def session(path, threads=0):
    import onnxruntime as ort

    options = ort.SessionOptions()
    if threads:
        options.intra_op_num_threads = threads
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def run(sess, batch, names):
    import numpy as np

    return sess.run([OUTPUT], {name: np.asarray(batch[name]).astype(np.int64) for name in names})[0]


def max_abs_diff(reference, tokenizer, path, batches, names, max_length=None):
    """The largest |ONNX Runtime − PyTorch| of last_hidden_state at unmasked positions, over
    `batches` (lists of sentences, each a padded batch). `reference` runs with its default
    attention, as sentence-transformers does."""
    import numpy as np
    import torch

    sess = session(path)
    worst = 0.0
    for sentences in batches:
        batch = tokenizer(sentences, padding=True, truncation=True, max_length=max_length, return_tensors="np")
        with torch.no_grad():
            expected = reference(**{name: torch.from_numpy(batch[name]) for name in names}).last_hidden_state.numpy()
        actual = run(sess, batch, names)
        if actual.shape != expected.shape:
            sys.exit(f"error: ONNX output shape {actual.shape} != PyTorch {expected.shape}")
        mask = batch["attention_mask"].astype(bool)
        diff = float(np.abs(actual - expected)[mask].max())
        print(f"    batch {tuple(batch['input_ids'].shape)}: max abs diff {diff:.3g}")
        worst = max(worst, diff)
    return worst
