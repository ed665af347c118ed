#!/usr/bin/python3
"""Write a tiny llama GGUF (random weights, 1 layer, n_embd 32, 300-token
byte-level vocabulary; F32 norms, Q8_0 / Q4_0 / F16 matrices) as a seed for
the GGUF fuzzer, plus a 2-expert MoE one. NumPy only; output under build/.
    /usr/bin/python3 tools/models/make_fuzz_seed.py OUT_DIR"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import gguf_writer as gw  # noqa: E402


def seed(path, moe):
    rng = np.random.default_rng(1)
    d, ff, v, e = 32, 64, 300, 2
    # the MoE seed is a version 2 file with 64-byte alignment
    w = gw.GGUFWriter(alignment=64, version=2) if moe else gw.GGUFWriter()
    w.add("general.architecture", gw.T_STRING, "llama")
    for k, val in [("context_length", 16), ("embedding_length", d), ("block_count", 1),
                   ("feed_forward_length", ff), ("attention.head_count", 2),
                   ("attention.head_count_kv", 1)]:
        w.add("llama." + k, gw.T_UINT32, val)
    if moe:
        w.add("llama.expert_count", gw.T_UINT32, e)
        w.add("llama.expert_used_count", gw.T_UINT32, 1)
    merges = [(b"a", b"b"), (b"ab", b"c")] + [(bytes([97 + i]), b" ") for i in range(40)]
    toks = [bytes([i]) for i in range(256)] + [a + b for a, b in merges]
    texts = [bpe.tok_text(t) for t in toks] + ["<s>"] * (v - len(toks))
    texts = texts[:v - 2] + ["<s>", "</s>"]
    w.add("tokenizer.ggml.model", gw.T_STRING, "gpt2")
    w.add("tokenizer.ggml.pre", gw.T_STRING, "gpt-2")
    w.add_array("tokenizer.ggml.tokens", gw.T_STRING, texts)
    w.add_array("tokenizer.ggml.merges", gw.T_STRING,
                ["%s %s" % (bpe.tok_text(a), bpe.tok_text(b)) for a, b in merges])
    w.add("tokenizer.ggml.bos_token_id", gw.T_UINT32, v - 2)
    # one key of every other value type, for the GGUF reader oracle test
    for key, t, val in [("x.u8", gw.T_UINT8, 250), ("x.i8", gw.T_INT8, -7), ("x.u16", gw.T_UINT16, 65000),
                        ("x.i16", gw.T_INT16, -300), ("x.i32", gw.T_INT32, -70000),
                        ("x.f32", gw.T_FLOAT32, 0.1), ("x.bool", gw.T_BOOL, True),
                        ("x.u64", gw.T_UINT64, 2 ** 63 + 5), ("x.i64", gw.T_INT64, -(2 ** 40)),
                        ("x.f64", gw.T_FLOAT64, 2.718281828459045)]:
        w.add(key, t, val)
    w.add_array("x.f32s", gw.T_FLOAT32, [1.5, -0.25, 3e-8])
    w.add_array("x.bools", gw.T_BOOL, [True, False])

    def t(name, shape, typ):
        arr = rng.standard_normal(shape).astype(np.float32)
        raw, _ = gw.encode_tensor(arr, typ if len(shape) > 1 else gw.GGML_F32)
        w.add_tensor(name, list(reversed(shape)), typ if len(shape) > 1 else gw.GGML_F32, raw)
    t("token_embd.weight", (v, d), gw.GGML_Q8_0)
    t("blk.0.attn_norm.weight", (d,), 0)
    t("blk.0.attn_q.weight", (d, d), gw.GGML_Q4_0)
    t("blk.0.attn_k.weight", (16, d), gw.GGML_F16)
    t("blk.0.attn_v.weight", (16, d), gw.GGML_F32)
    t("blk.0.attn_output.weight", (d, d), gw.GGML_Q8_0)
    t("blk.0.ffn_norm.weight", (d,), 0)
    if moe:
        t("blk.0.ffn_gate_inp.weight", (e, d), gw.GGML_F32)
        t("blk.0.ffn_gate_exps.weight", (e, ff, d), gw.GGML_Q8_0)
        t("blk.0.ffn_up_exps.weight", (e, ff, d), gw.GGML_Q8_0)
        t("blk.0.ffn_down_exps.weight", (e, d, ff), gw.GGML_Q8_0)
    else:
        t("blk.0.ffn_gate.weight", (ff, d), gw.GGML_Q8_0)
        t("blk.0.ffn_up.weight", (ff, d), gw.GGML_Q4_0)
        t("blk.0.ffn_down.weight", (d, ff), gw.GGML_F16)
    t("output_norm.weight", (d,), 0)
    w.write(path)


os.makedirs(sys.argv[1], exist_ok=True)
seed(os.path.join(sys.argv[1], "seed-dense.gguf"), False)
seed(os.path.join(sys.argv[1], "seed-moe.gguf"), True)
