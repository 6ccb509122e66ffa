#!/usr/bin/env python3
"""Makes the one ONNX fixture the OpenVINO binding tests need beyond those of
scripts/make_test_models.py:

* tiny_bert_int32.onnx  tiny_bert.onnx with int32 inputs (the same closed form):
                        last_hidden_state[b, s, :] = E[input_ids[b, s]]
                                                     + T[token_type_ids[b, s]]
                                                     + attention_mask[b, s] * M
                        with E[i][j] = i + j / 10, T[t][j] = 100 * t, M = [0.5, 0, 0, 0]

Run with the project's Python environment (it needs `onnx`):
    .cache/venv/bin/python scripts/make_openvino_test_models.py
"""
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = Path(__file__).resolve().parent.parent
ONNX_DIR = ROOT / "Tests" / "Fixtures" / "onnx"
OPSET = [helper.make_opsetid("", 17)]
IR_VERSION = 8

VOCAB_SIZE = 10
DIM = 4
E = np.array([[i + j / 10 for j in range(DIM)] for i in range(VOCAB_SIZE)], dtype=np.float32)
T = np.array([[100.0 * t] * DIM for t in range(2)], dtype=np.float32)
M = np.array([0.5, 0, 0, 0], dtype=np.float32)


def ids_input(name):
    return helper.make_tensor_value_info(name, TensorProto.INT32, ["batch", "sequence"])


def tiny_bert_int32():
    inputs = [ids_input("input_ids"), ids_input("attention_mask"), ids_input("token_type_ids")]
    nodes = [
        helper.make_node("Gather", ["E", "input_ids"], ["word"]),
        helper.make_node("Gather", ["T", "token_type_ids"], ["types"]),
        helper.make_node("Add", ["word", "types"], ["embedded"]),
        helper.make_node("Cast", ["attention_mask"], ["mask_f"], to=TensorProto.FLOAT),
        helper.make_node("Unsqueeze", ["mask_f", "last_axis"], ["mask_3d"]),
        helper.make_node("Mul", ["mask_3d", "M"], ["mask_term"]),
        helper.make_node("Add", ["embedded", "mask_term"], ["last_hidden_state"]),
    ]
    inits = [
        numpy_helper.from_array(E, "E"),
        numpy_helper.from_array(T, "T"),
        numpy_helper.from_array(M, "M"),
        numpy_helper.from_array(np.array([-1], dtype=np.int64), "last_axis"),
    ]
    output = helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "sequence", DIM])
    graph = helper.make_graph(nodes, "tiny_bert_int32", inputs, [output], inits)
    model = helper.make_model(graph, opset_imports=OPSET, producer_name="swift-embed-tests")
    model.ir_version = IR_VERSION
    onnx.checker.check_model(model)
    ONNX_DIR.mkdir(parents=True, exist_ok=True)
    onnx.save(model, ONNX_DIR / "tiny_bert_int32.onnx")


if __name__ == "__main__":
    tiny_bert_int32()
    print(f"wrote {(ONNX_DIR / 'tiny_bert_int32.onnx').relative_to(ROOT)}")
