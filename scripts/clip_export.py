"""Shared helpers that export a CLIP model (transformers CLIPModel) to ONNX in the layouts
found in the wild and check each export against PyTorch. Used by make_clip_models.py; not a
program of its own.

Layouts (names as optimum and transformers.js export them):

  joint   onnx/model.onnx: CLIPModel.forward.
          inputs  input_ids, attention_mask [text_batch_size, sequence_length] int64,
                  pixel_values [image_batch_size, 3, H, W] float
          outputs logits_per_image [image_batch_size, text_batch_size],
                  logits_per_text [text_batch_size, image_batch_size],
                  text_embeds [text_batch_size, projection_dim],
                  image_embeds [image_batch_size, projection_dim]
          text_embeds and image_embeds are L2-NORMALISED here (CLIPModel.forward divides by the
          norm before the logits), unlike the split towers. Both towers always run: a text-only
          caller still has to feed an image.
  text    onnx/text_model.onnx: CLIPTextModelWithProjection.
          inputs  input_ids, attention_mask [batch_size, sequence_length] int64
          outputs text_embeds [batch_size, projection_dim] (projected, not normalised: what
                  get_text_features gives), last_hidden_state [batch_size, sequence_length, hidden]
  vision  onnx/vision_model.onnx: CLIPVisionModelWithProjection.
          inputs  pixel_values [batch_size, 3, H, W] float
          outputs image_embeds [batch_size, projection_dim] (projected, not normalised: what
                  get_image_features gives), last_hidden_state [batch_size, patches + 1, hidden]

H and W are fixed (the vision config's image_size): the position embeddings have one entry per
patch, so another size cannot run. Batch axes (and the text sequence axis) are dynamic.

The export is the project's (scripts/onnx_export.py): torch.onnx.export with the TorchScript
exporter (dynamo=False), opset 17, one self-contained file, eager attention for tracing (plain
MatMul/Softmax; the causal mask and attention_mask are built inside the graph). The text
example batch has padding and a text batch size different from the image batch size, so that
neither a "no padding" shortcut nor one shared batch axis can be traced in.

Text pooling: CLIP's text tower pools the hidden state at the end-of-text token. transformers
picks the position by one of two rules, fixed at export time by the text config's eos_token_id:
  eos_token_id == 2 (every OpenAI checkpoint's config.json; kept for compatibility):
      position = argmax(input_ids) per row, the first occurrence of the largest id. Right for
      OpenAI's vocabulary, whose <|endoftext|> (49407) is its largest id.
  any other eos_token_id: position = argmax(input_ids == eos_token_id), the first EOS.
The graph holds whichever rule was traced; `pooling_rule` reads it back from the graph.
"""
import os
import shutil
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import onnx_export  # noqa: E402
import quantize_onnx  # noqa: E402

OPSET = onnx_export.OPSET
MIN_COSINE = 0.9999
MIN_QUANTIZED_COSINE = 0.95  # a broken int8 graph gives ~0; per-channel int8 gives >0.99 on these models

LAYOUTS = {
    "joint": {
        "inputs": ["input_ids", "pixel_values", "attention_mask"],
        "outputs": ["logits_per_image", "logits_per_text", "text_embeds", "image_embeds"],
        "axes": {
            "input_ids": {0: "text_batch_size", 1: "sequence_length"},
            "attention_mask": {0: "text_batch_size", 1: "sequence_length"},
            "pixel_values": {0: "image_batch_size"},
            "logits_per_image": {0: "image_batch_size", 1: "text_batch_size"},
            "logits_per_text": {0: "text_batch_size", 1: "image_batch_size"},
            "text_embeds": {0: "text_batch_size"},
            "image_embeds": {0: "image_batch_size"},
        },
    },
    "text": {
        "inputs": ["input_ids", "attention_mask"],
        "outputs": ["text_embeds", "last_hidden_state"],
        "axes": {
            "input_ids": {0: "batch_size", 1: "sequence_length"},
            "attention_mask": {0: "batch_size", 1: "sequence_length"},
            "text_embeds": {0: "batch_size"},
            "last_hidden_state": {0: "batch_size", 1: "sequence_length"},
        },
    },
    "vision": {
        "inputs": ["pixel_values"],
        "outputs": ["image_embeds", "last_hidden_state"],
        "axes": {
            "pixel_values": {0: "batch_size"},
            "image_embeds": {0: "batch_size"},
            "last_hidden_state": {0: "batch_size"},
        },
    },
}


def _quiet_transformers():
    import transformers

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()


def load(folder, kind="clip", attn_implementation=None):
    """The model in `folder` (eval mode): kind "clip" (CLIPModel), "text"
    (CLIPTextModelWithProjection) or "vision" (CLIPVisionModelWithProjection); the towers are
    read from the same CLIPModel checkpoint (their weights share CLIPModel's names)."""
    import transformers

    _quiet_transformers()
    cls = {"clip": transformers.CLIPModel, "text": transformers.CLIPTextModelWithProjection,
           "vision": transformers.CLIPVisionModelWithProjection}[kind]
    kwargs = {"attn_implementation": attn_implementation} if attn_implementation else {}
    return cls.from_pretrained(folder, **kwargs).eval()


def pooled(output):
    """get_text_features / get_image_features return a tensor in transformers 4 and a
    BaseModelOutputWithPooling (the projected vector in pooler_output) in transformers 5."""
    import torch

    return output if isinstance(output, torch.Tensor) else output.pooler_output


def text_features(model, batch):
    """CLIPModel.get_text_features for a tokenized batch (numpy arrays), unnormalised, numpy."""
    import torch

    with torch.no_grad():
        return pooled(model.get_text_features(input_ids=torch.from_numpy(batch["input_ids"]).long(),
                                              attention_mask=torch.from_numpy(batch["attention_mask"]).long())).numpy()


def image_features(model, pixel_values):
    """CLIPModel.get_image_features for pixel values (numpy), unnormalised, numpy."""
    import torch

    with torch.no_grad():
        return pooled(model.get_image_features(pixel_values=torch.from_numpy(pixel_values).float())).numpy()


def normalized(vectors):
    import numpy as np

    return vectors / np.clip(np.linalg.norm(vectors, axis=-1, keepdims=True), 1e-12, None)


def compare(actual, expected):
    """(smallest per-row cosine, largest |difference|) of two [n, d] arrays."""
    import numpy as np

    if actual.shape != expected.shape:
        sys.exit(f"error: ONNX output shape {actual.shape} != PyTorch {expected.shape}")
    cosine = (normalized(actual) * normalized(expected)).sum(-1)
    return float(cosine.min()), float(np.abs(actual - expected).max())


def _wrap_joint(model):
    import torch

    class Joint(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, pixel_values, attention_mask):
            out = self.inner(input_ids=input_ids, pixel_values=pixel_values, attention_mask=attention_mask)
            return out.logits_per_image, out.logits_per_text, out.text_embeds, out.image_embeds

    return Joint(model)


def _wrap_text(model):
    import torch

    class Text(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, input_ids, attention_mask):
            out = self.inner(input_ids=input_ids, attention_mask=attention_mask)
            return out.text_embeds, out.last_hidden_state

    return Text(model)


def _wrap_vision(model):
    import torch

    class Vision(torch.nn.Module):
        def __init__(self, inner):
            super().__init__()
            self.inner = inner

        def forward(self, pixel_values):
            out = self.inner(pixel_values=pixel_values)
            return out.image_embeds, out.last_hidden_state

    return Vision(model)


def _export(module, example, path, layout, opset):
    """torch.onnx.export to a temporary name next to `path`, renamed when complete."""
    import torch

    spec = LAYOUTS[layout]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = onnx_export.tmp_name(path)
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")  # TracerWarnings and the legacy-exporter deprecation notice
            torch.onnx.export(module.eval(), example, str(tmp), dynamo=False, input_names=spec["inputs"],
                              output_names=spec["outputs"], dynamic_axes=spec["axes"], opset_version=opset,
                              do_constant_folding=True)
        _fix_static_output_dims(tmp, example, layout)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _fix_static_output_dims(path, example, layout):
    """The TorchScript exporter names the output axes it could not size (e.g. the vision
    last_hidden_state's patches + 1 and hidden axes) with made-up symbols; the axes not declared
    dynamic are fixed, so they get the size the example run gives."""
    import onnx

    spec = LAYOUTS[layout]
    feeds = {name: value.numpy() for name, value in zip(spec["inputs"], example)}
    shapes = dict(zip(spec["outputs"], (v.shape for v in onnx_export.session(path).run(spec["outputs"], feeds))))
    model = onnx.load(str(path))
    changed = False
    for output in model.graph.output:
        dynamic = spec["axes"].get(output.name, {})
        for axis, dim in enumerate(output.type.tensor_type.shape.dim):
            if axis not in dynamic and dim.dim_param:
                dim.dim_value = int(shapes[output.name][axis])
                changed = True
    if changed:
        onnx.save(model, str(path))


def export(folder, layout, path, text_example, pixel_example, opset=OPSET):
    """Exports layout "joint", "text" or "vision" of the CLIP checkpoint in `folder` to `path`.
    text_example: a tokenized batch (numpy, padded; unused for "vision"); pixel_example: pixel
    values (numpy; unused for "text"), with a batch size different from the text batch's."""
    import torch

    if layout in ("joint", "text"):
        ids = torch.from_numpy(text_example["input_ids"]).long()
        mask = torch.from_numpy(text_example["attention_mask"]).long()
    if layout in ("joint", "vision"):
        pixels = torch.from_numpy(pixel_example).float()
    if layout == "joint":
        if ids.shape[0] == pixels.shape[0]:
            raise ValueError("the joint export needs text and image example batches of different sizes")
        _export(_wrap_joint(load(folder, "clip", "eager")), (ids, pixels, mask), path, layout, opset)
    elif layout == "text":
        _export(_wrap_text(load(folder, "text", "eager")), (ids, mask), path, layout, opset)
    elif layout == "vision":
        _export(_wrap_vision(load(folder, "vision", "eager")), (pixels,), path, layout, opset)
    else:
        raise ValueError(f"unknown layout {layout!r}")


def signature(path):
    """{"inputs": [[name, dtype, shape]], "outputs": [...]} of an ONNX file (symbolic axes by name)."""
    import onnx

    model = onnx.load(str(path), load_external_data=False)

    def describe(values):
        return [[v.name, onnx.TensorProto.DataType.Name(v.type.tensor_type.elem_type).lower(),
                 [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]] for v in values]

    return {"inputs": describe(model.graph.input), "outputs": describe(model.graph.output)}


def check_signature(path, layout):
    """Exits unless the file is self-contained and has the layout's input and output names."""
    import onnx

    model = onnx.load(str(path), load_external_data=False)
    external = [t.name for t in model.graph.initializer if t.data_location == onnx.TensorProto.EXTERNAL]
    if external:
        sys.exit(f"error: {path} refers to external data ({len(external)} tensors)")
    spec = LAYOUTS[layout]
    found = signature(path)
    if [i[0] for i in found["inputs"]] != spec["inputs"] or [o[0] for o in found["outputs"]] != spec["outputs"]:
        sys.exit(f"error: unexpected graph signature in {path}: {found}")
    return found


def pooling_rule(path):
    """How the text graph in `path` picks the pooled position, read from the graph: its ArgMax
    takes either input_ids itself (through Cast/Reshape): "argmax(input_ids)", or an Equal of
    input_ids with a constant N: "first position where input_ids == N"."""
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(path), load_external_data=False)
    producers = {out: node for node in model.graph.node for out in node.output}
    constants = {init.name: numpy_helper.to_array(init) for init in model.graph.initializer}
    for node in model.graph.node:
        if node.op_type == "Constant":
            for attr in node.attribute:
                if attr.name == "value":
                    constants[node.output[0]] = numpy_helper.to_array(attr.t)

    def reaches_input_ids(name, depth=0):
        if name == "input_ids":
            return True
        node = producers.get(name)
        if node is None or depth > 6 or node.op_type not in ("Cast", "Reshape", "Identity", "Flatten"):
            return False
        return reaches_input_ids(node.input[0], depth + 1)

    rules = []
    for node in model.graph.node:
        if node.op_type != "ArgMax":
            continue
        source = node.input[0]
        while source in producers and producers[source].op_type in ("Cast", "Reshape", "Identity"):
            source = producers[source].input[0]
        if source == "input_ids":
            rules.append("argmax(input_ids)")
        elif source in producers and producers[source].op_type == "Equal":
            eq = producers[source]
            value = next((constants[i] for i in eq.input if i in constants), None)
            if any(reaches_input_ids(i) for i in eq.input) and value is not None:
                rules.append(f"first position where input_ids == {int(value.reshape(-1)[0])}")
    if not rules:
        return "none found"
    if len(set(rules)) != 1:
        return "; ".join(sorted(set(rules)))
    return rules[0]


def run(path, feeds, outputs, threads=0):
    sess = onnx_export.session(path, threads)
    return dict(zip(outputs, sess.run(outputs, feeds)))


def text_feeds(batch):
    import numpy as np

    return {"input_ids": np.asarray(batch["input_ids"], dtype=np.int64),
            "attention_mask": np.asarray(batch["attention_mask"], dtype=np.int64)}


def verify(path, layout, reference, text_batches, pixel_batches, min_cosine=MIN_COSINE, quiet=False):
    """Runs the ONNX file on every text batch (tokenized, numpy) and pixel batch (numpy) and
    compares with CLIPModel `reference` (its default attention): text_embeds with
    get_text_features, image_embeds with get_image_features (both normalised for the joint
    layout, whose outputs are), and for the joint layout the logits with CLIPModel.forward.
    Returns {"<output>": {"min_cosine", "max_abs_diff", "rows"}}; exits when a cosine is below
    `min_cosine`."""
    import numpy as np
    import torch

    results = {}

    def record(name, cosine, diff, rows):
        entry = results.setdefault(name, {"min_cosine": None if cosine is None else 1.0, "max_abs_diff": 0.0,
                                          "rows": 0})
        if cosine is not None:
            entry["min_cosine"] = min(entry["min_cosine"], cosine)
        entry["max_abs_diff"] = max(entry["max_abs_diff"], diff)
        entry["rows"] += rows

    sess = onnx_export.session(path)
    if layout in ("text", "joint"):
        for batch in text_batches:
            expected = text_features(reference, batch)
            if layout == "text":
                actual = sess.run(["text_embeds"], text_feeds(batch))[0]
            else:
                pixels = pixel_batches[0][:1]
                actual = sess.run(["text_embeds"], dict(text_feeds(batch), pixel_values=pixels))[0]
                expected = normalized(expected)
            record("text_embeds", *compare(actual, expected), len(expected))
    if layout in ("vision", "joint"):
        for pixels in pixel_batches:
            expected = image_features(reference, pixels)
            if layout == "vision":
                actual = sess.run(["image_embeds"], {"pixel_values": pixels})[0]
            else:
                actual = sess.run(["image_embeds"], dict(text_feeds(text_batches[0]), pixel_values=pixels))[0]
                expected = normalized(expected)
            record("image_embeds", *compare(actual, expected), len(expected))
    if layout == "joint":
        for batch, pixels in zip(text_batches, pixel_batches):
            with torch.no_grad():
                out = reference(input_ids=torch.from_numpy(batch["input_ids"]).long(),
                                attention_mask=torch.from_numpy(batch["attention_mask"]).long(),
                                pixel_values=torch.from_numpy(pixels).float())
            actual = sess.run(["logits_per_text"], dict(text_feeds(batch), pixel_values=pixels))[0]
            expected = out.logits_per_text.numpy()
            record("logits_per_text", None, float(np.abs(actual - expected).max()), len(expected))
    for name, entry in results.items():
        if not quiet:
            cosine = "" if entry["min_cosine"] is None else f"min cosine {entry['min_cosine']:.7f}, "
            print(f"    {Path(path).name} {name}: {entry['rows']} rows, {cosine}max abs diff "
                  f"{entry['max_abs_diff']:.3g}", flush=True)
        if entry["min_cosine"] is not None and entry["min_cosine"] < min_cosine:
            sys.exit(f"error: {path}: {name} cosine to PyTorch {entry['min_cosine']:.6f} < {min_cosine}")
    return results


def quantize(fp32_path, output_path, recipe=None):
    """Dynamic int8 variant of an fp32 export with the project's recipe (scripts/quantize_onnx.py
    RECOMMENDED: per-channel QInt8 weights; MatMul and Gather quantized, and Conv too unless the
    recipe's op_types say otherwise), recorded in the file's metadata; written under a
    temporary name and renamed when complete."""
    import onnx

    recipe = dict(recipe or quantize_onnx.RECOMMENDED)
    output_path = Path(output_path)
    tmp = onnx_export.tmp_name(output_path)
    try:
        quantize_onnx.quantize(fp32_path, tmp, recipe)
        model = onnx.load(str(tmp))
        entry = model.metadata_props.add()
        entry.key, entry.value = "swift-embed.quantization", quantize_onnx.describe(recipe)
        onnx.save(model, str(tmp))
        os.replace(tmp, output_path)
    finally:
        tmp.unlink(missing_ok=True)
    return recipe


def verify_quantized(path, fp32_path, layout, text_batches, pixel_batches, min_cosine=MIN_QUANTIZED_COSINE):
    """Cosine of the int8 variant's embeddings to the fp32 export's (the same inputs)."""
    output = "text_embeds" if layout == "text" else "image_embeds"
    quantized, reference = onnx_export.session(path), onnx_export.session(fp32_path)
    worst, total, rows = 1.0, 0.0, 0
    batches = text_batches if layout == "text" else pixel_batches
    for batch in batches:
        feeds = text_feeds(batch) if layout == "text" else {"pixel_values": batch}
        a, b = quantized.run([output], feeds)[0], reference.run([output], feeds)[0]
        cosine = (normalized(a) * normalized(b)).sum(-1)
        worst, total, rows = min(worst, float(cosine.min())), total + float(cosine.sum()), rows + len(cosine)
    print(f"    {Path(path).name} {output}: int8 vs fp32 ONNX over {rows} rows: mean cosine {total / rows:.4f}, "
          f"min {worst:.4f}", flush=True)
    if worst < min_cosine:
        sys.exit(f"error: {path}: int8 cosine to fp32 {worst:.4f} < {min_cosine}")
    return {"rows": rows, "mean_cosine": total / rows, "min_cosine": worst}


def copy_file(source, target):
    """Copies a file atomically (temporary name, then rename)."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = onnx_export.tmp_name(target)
    shutil.copyfile(source, tmp)
    os.replace(tmp, target)
