#!/usr/bin/env python3
"""Makes the tiny ONNX graphs and the tiny model folder used by the Swift tests.

Everything written here is small and committed under Tests/Fixtures; rerun this script
after changing it. The graphs are built node by node with `onnx.helper` so that their
outputs can be computed by hand in the tests:

* tiny_scale.onnx      y = float(x) * 0.5 + [1, 2, 3]         (int64 in, float out)
* tiny_bert.onnx       a BERT-shaped encoder:
                       last_hidden_state[b, s, :] = E[input_ids[b, s]]
                                                    + T[token_type_ids[b, s]]
                                                    + attention_mask[b, s] * M
                       with E[i][j] = i + j / 10, T[t][j] = 100 * t, M = [0.5, 0, 0, 0]
* tiny_bert_no_types   the same without the token_type_ids input
* tiny_pooled.onnx     sentence_embedding[b, :] = mean over s of E[input_ids[b, s]]
* tiny_bad_output      an output of rank 1 (not an embedding)
* tiny_bad_input       an input named pixel_values (not a text model)
* tiny_external.onnx   tiny_bert with its initializers in tiny_external.onnx_data (external data)
* tiny_unknown_op.onnx a valid graph whose only node is an operator of a custom domain
                       (com.example.quant:Int4PackedGather), as a quantizer with its own scheme
                       might write: ONNX Runtime cannot load it

tiny-model/ is a folder in the sentence-transformers layout around tiny_bert.onnx, with a
WordPiece tokenizer.json over a ten-token vocabulary.
"""
import json
import shutil
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "Tests" / "Fixtures"
ONNX_DIR = OUT / "onnx"

OPSET = [helper.make_opsetid("", 17)]
IR_VERSION = 8  # readable by every ONNX Runtime since 1.10

VOCAB = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "hello", "world", "foo", "bar", "##s", "the"]
DIM = 4
E = np.array([[i + j / 10 for j in range(DIM)] for i in range(len(VOCAB))], dtype=np.float32)
T = np.array([[100.0 * t] * DIM for t in range(2)], dtype=np.float32)
M = np.array([0.5, 0, 0, 0], dtype=np.float32)


def save(graph, name, metadata=None):
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="swift-embed-tests")
    model.ir_version = IR_VERSION
    for key, value in (metadata or {}).items():
        entry = model.metadata_props.add()
        entry.key, entry.value = key, value
    onnx.checker.check_model(model)
    ONNX_DIR.mkdir(parents=True, exist_ok=True)
    onnx.save(model, ONNX_DIR / name)


def save_external(graph, name):
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="swift-embed-tests")
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    data_file = name + "_data"
    (ONNX_DIR / data_file).unlink(missing_ok=True)
    onnx.save(model, ONNX_DIR / name, save_as_external_data=True, all_tensors_to_one_file=True,
              location=data_file, size_threshold=0)


def ids_input(name):
    return helper.make_tensor_value_info(name, TensorProto.INT64, ["batch", "sequence"])


def tiny_scale():
    x = helper.make_tensor_value_info("x", TensorProto.INT64, ["batch", 3])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", 3])
    nodes = [
        helper.make_node("Cast", ["x"], ["xf"], to=TensorProto.FLOAT),
        helper.make_node("Mul", ["xf", "half"], ["scaled"]),
        helper.make_node("Add", ["scaled", "bias"], ["y"]),
    ]
    inits = [
        numpy_helper.from_array(np.array(0.5, dtype=np.float32), "half"),
        numpy_helper.from_array(np.array([1, 2, 3], dtype=np.float32), "bias"),
    ]
    graph = helper.make_graph(nodes, "tiny_scale", [x], [y], inits)
    save(graph, "tiny_scale.onnx", {"purpose": "swift-embed binding test", "scale": "0.5"})


def encoder(with_types):
    inputs = [ids_input("input_ids"), ids_input("attention_mask")]
    nodes = [
        helper.make_node("Gather", ["E", "input_ids"], ["word"]),
        helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_f", "last_axis"], ["mask_3d"]),
        helper.make_node("Mul", ["mask_3d", "M"], ["mask_term"]),
    ]
    inits = [
        numpy_helper.from_array(E, "E"),
        numpy_helper.from_array(M, "M"),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "last_axis"),
    ]
    if with_types:
        inputs.append(ids_input("token_type_ids"))
        nodes += [
            helper.make_node("Gather", ["T", "token_type_ids"], ["types"]),
            helper.make_node("Add", ["word", "types"], ["embedded"]),
        ]
        inits.append(numpy_helper.from_array(T, "T"))
    else:
        nodes.append(helper.make_node("Identity", ["word"], ["embedded"]))
    nodes.append(helper.make_node("Add", ["embedded", "mask_term"], ["last_hidden_state"]))
    output = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", DIM])
    return helper.make_graph(nodes, "tiny_bert", inputs, [output], inits)


def tiny_pooled():
    nodes = [
        helper.make_node("Gather", ["E", "input_ids"], ["word"]),
        helper.make_node("ReduceMean", ["word"], ["sentence_embedding"], axes=[1], keepdims=0),
    ]
    inits = [numpy_helper.from_array(E, "E")]
    output = helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", DIM])
    graph = helper.make_graph(nodes, "tiny_pooled", [ids_input("input_ids"), ids_input("attention_mask")], [output], inits)
    save(graph, "tiny_pooled.onnx")


def tiny_bad_output():
    nodes = [
        helper.make_node("Cast", ["input_ids"], ["ids_f"], to=TensorProto.FLOAT),
        helper.make_node("ReduceSum", ["ids_f", "axis"], ["logits"], keepdims=0),
    ]
    inits = [numpy_helper.from_array(np.array([1], dtype=np.int64), "axis")]
    output = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch"])
    graph = helper.make_graph(nodes, "tiny_bad_output", [ids_input("input_ids")], [output], inits)
    save(graph, "tiny_bad_output.onnx")


def tiny_bad_input():
    pixels = helper.make_tensor_value_info("pixel_values", TensorProto.FLOAT, ["batch", 3])
    output = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", 3])
    graph = helper.make_graph(
        [helper.make_node("Identity", ["pixel_values"], ["last_hidden_state"])], "tiny_bad_input", [pixels], [output])
    save(graph, "tiny_bad_input.onnx")


def tiny_unknown_op():
    packed = numpy_helper.from_array(np.zeros((len(VOCAB), DIM // 2), dtype=np.int8), "packed")
    node = helper.make_node("Int4PackedGather", ["packed", "input_ids"], ["last_hidden_state"], domain="com.example.quant", bits=4)
    output = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", DIM])
    graph = helper.make_graph(
        [node], "tiny_unknown_op", [ids_input("input_ids"), ids_input("attention_mask"), ids_input("token_type_ids")],
        [output], [packed])
    model = helper.make_model(
        graph, opset_imports=OPSET + [helper.make_opsetid("com.example.quant", 1)], producer_name="swift-embed-tests")
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    onnx.save(model, ONNX_DIR / "tiny_unknown_op.onnx")


def tiny_tokenizer(path):
    from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import WordPiece

    tokenizer = Tokenizer(WordPiece({token: i for i, token in enumerate(VOCAB)}, unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=True)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tokenizer.add_special_tokens(["[PAD]", "[UNK]", "[CLS]", "[SEP]"])
    tokenizer.save(str(path))


def tiny_model_folder():
    folder = OUT / "tiny-model"
    if folder.exists():
        shutil.rmtree(folder)
    (folder / "onnx").mkdir(parents=True)
    (folder / "1_Pooling").mkdir()
    shutil.copy(ONNX_DIR / "tiny_bert.onnx", folder / "onnx" / "model.onnx")
    tiny_tokenizer(folder / "tokenizer.json")
    write_json(folder / "config.json", {
        "architectures": ["BertModel"], "model_type": "bert", "hidden_size": DIM,
        "max_position_embeddings": 16, "vocab_size": len(VOCAB)})
    write_json(folder / "tokenizer_config.json", {"model_max_length": 12, "do_lower_case": True})
    write_json(folder / "special_tokens_map.json", {"unk_token": "[UNK]", "sep_token": "[SEP]", "pad_token": "[PAD]",
                                                    "cls_token": "[CLS]"})
    write_json(folder / "sentence_bert_config.json", {"max_seq_length": 8, "do_lower_case": False})
    write_json(folder / "modules.json", [
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ])
    write_json(folder / "1_Pooling" / "config.json", {
        "word_embedding_dimension": DIM, "pooling_mode_cls_token": False, "pooling_mode_mean_tokens": True,
        "pooling_mode_max_tokens": False, "pooling_mode_mean_sqrt_len_tokens": False})


def write_json(path, value):
    path.write_text(json.dumps(value, indent=2) + "\n")


def main():
    tiny_scale()
    save(encoder(with_types=True), "tiny_bert.onnx", {"model_type": "tiny-bert"})
    save(encoder(with_types=False), "tiny_bert_no_types.onnx")
    save_external(encoder(with_types=True), "tiny_external.onnx")
    tiny_pooled()
    tiny_bad_output()
    tiny_bad_input()
    tiny_unknown_op()
    tiny_model_folder()
    print(f"wrote test models to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
