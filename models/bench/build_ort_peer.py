#!/usr/bin/env python3
"""Build the ONNX Runtime peer of minyi from `minyi models export` (or the `export_folder`
example): the same weights as an ONNX graph of ORT's fused BERT operators, in f32 and int8.

The issue asks for torch.onnx.export + ORT's BERT fusion; PyTorch's PyPI wheel brings several GB
of CUDA libraries, too slow to install on the 2-core benchmark machine. So this writes the graph
that fusion produces directly, from the folder's safetensors: `EmbedLayerNormalization`, per layer
`Attention` (QKV in one weight, the padding mask as key lengths), `MatMul` +
`SkipLayerNormalization` (bias, residual, LayerNorm), `MatMul` + `BiasGelu` (exact erf GELU),
`MatMul` + `SkipLayerNormalization`. The int8 model is `quantize_dynamic` of that graph,
per-channel QInt8 weights (`Attention` → `QAttention`, `MatMul` → `MatMulInteger`).

Usage: build_ort_peer.py MODEL_DIR OUT_DIR   (writes OUT_DIR/e5-fp32.onnx and e5-int8.onnx)
Needs: pip install onnxruntime onnx numpy safetensors
"""

import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from onnxruntime.quantization import QuantType, quantize_dynamic
from safetensors.numpy import load_file

MS = "com.microsoft"


def build(model_dir, path):
    config = json.load(open(os.path.join(model_dir, "config.json")))
    w = load_file(os.path.join(model_dir, "model.safetensors"))
    hidden, heads, eps = config["hidden_size"], config["num_attention_heads"], config["layer_norm_eps"]
    inits, nodes = [], []

    def init(name, array):
        inits.append(numpy_helper.from_array(np.ascontiguousarray(array, dtype=np.float32), name))
        return name

    e = "embeddings."
    nodes.append(
        helper.make_node(
            "EmbedLayerNormalization",
            ["input_ids", "", init("word", w[e + "word_embeddings.weight"]),
             init("pos", w[e + "position_embeddings.weight"]), "",
             init("emb_ln_w", w[e + "LayerNorm.weight"]), init("emb_ln_b", w[e + "LayerNorm.bias"]),
             "attention_mask"],
            ["x0", "mask_index"], domain=MS, epsilon=eps,
        )
    )
    # EmbedLayerNormalization has no token-type input without segment ids: e5's type 0 vector
    # is added to the position table instead (identical sums).
    pos = next(t for t in inits if t.name == "pos")
    pos_array = numpy_helper.to_array(pos) + w[e + "token_type_embeddings.weight"][0]
    inits[inits.index(pos)] = numpy_helper.from_array(pos_array.astype(np.float32), "pos")
    x = "x0"
    for l in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{l}."
        a = p + "attention."
        qkv_w = np.concatenate([w[a + f"self.{n}.weight"] for n in ("query", "key", "value")]).T
        qkv_b = np.concatenate([w[a + f"self.{n}.bias"] for n in ("query", "key", "value")])
        nodes.append(helper.make_node(
            "Attention", [x, init(f"l{l}_qkv_w", qkv_w), init(f"l{l}_qkv_b", qkv_b), "mask_index"],
            [f"l{l}_ctx"], domain=MS, num_heads=heads))

        def dense_skip_norm(inp, dense, norm, residual, out):
            nodes.append(helper.make_node(
                "MatMul", [inp, init(f"{out}_w", w[dense + ".weight"].T)], [f"{out}_mm"]))
            nodes.append(helper.make_node(
                "SkipLayerNormalization",
                [f"{out}_mm", residual, init(f"{out}_g", w[norm + ".weight"]),
                 init(f"{out}_beta", w[norm + ".bias"]), init(f"{out}_b", w[dense + ".bias"])],
                [out], domain=MS, epsilon=eps))

        dense_skip_norm(f"l{l}_ctx", a + "output.dense", a + "output.LayerNorm", x, f"l{l}_attn")
        nodes.append(helper.make_node(
            "MatMul", [f"l{l}_attn", init(f"l{l}_fi_w", w[p + "intermediate.dense.weight"].T)],
            [f"l{l}_fi"]))
        nodes.append(helper.make_node(
            "BiasGelu", [f"l{l}_fi", init(f"l{l}_fi_b", w[p + "intermediate.dense.bias"])],
            [f"l{l}_gelu"], domain=MS))
        dense_skip_norm(f"l{l}_gelu", p + "output.dense", p + "output.LayerNorm", f"l{l}_attn",
                        f"l{l}_out")
        x = f"l{l}_out"
    graph = helper.make_graph(
        nodes, "e5-small",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT32, ["batch", "seq"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.INT32, ["batch", "seq"])],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, ["batch", "seq", hidden])],
        inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17),
                                                     helper.make_opsetid(MS, 1)])
    onnx.save(model, path)


def main():
    model_dir, out = sys.argv[1], sys.argv[2]
    os.makedirs(out, exist_ok=True)
    fp32, int8 = os.path.join(out, "e5-fp32.onnx"), os.path.join(out, "e5-int8.onnx")
    build(model_dir, fp32)
    # ONNX's shape inference does not know the contrib operators: say their outputs are float.
    # The matrix products only (`QAttention`, `MatMulInteger`): they are the time; the
    # embedding table stays f32 as in minyi's comparison (its lookup costs nothing).
    quantize_dynamic(fp32, int8, per_channel=True, weight_type=QuantType.QInt8,
                     op_types_to_quantize=["MatMul", "Attention"],
                     extra_options={"DefaultTensorType": TensorProto.FLOAT})
    print(f"wrote {fp32} and {int8}")


if __name__ == "__main__":
    main()
