#!/usr/bin/python3
"""Train the committed test models and write them as GGUF with PyTorch reference outputs.

    nice /usr/bin/python3 tools/models/train.py [--dense-seconds S] [--moe-seconds S] [--export-only]

Corpus: the Vim documentation shipped by Debian's vim-runtime package
(/usr/share/vim/vim90/doc/*.txt, about 9.5 MB of English text). A byte-level BPE
vocabulary (768 tokens) is trained on it, then two llama-architecture models:
  tiny-llama : 4 layers, dim 128, 4 heads, 2 KV heads (GQA), SwiGLU 384
  tiny-moe   : 2 layers, dim 128, 4 heads, 2 KV heads, 8 experts (top-2) of SwiGLU 128
Each is written as GGUF (llama.cpp key and tensor names) in F32, F16 and Q8_0,
the dense one also in BF16 and Q4_0, with a .ref file of reference outputs computed by
PyTorch from the weights as stored (quantized weights dequantized):
logits of fixed prompts, greedy continuations and embeddings.
Training checkpoints go to build/models/ so --export-only can rewrite the files.
One thread (torch.set_num_threads(1)): the machine is shared.
"""
import argparse
import glob
import math
import os
import sys
import time

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bpe  # noqa: E402
import gguf_writer as gw  # noqa: E402
from llama_model import Config, Model  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
CKPT = os.path.join(ROOT, "build", "models")
CORPUS_GLOB = "/usr/share/vim/vim90/doc/*.txt"
N_VOCAB = 768
SPECIALS = ["<|bos|>", "<|eos|>"]
N_MERGES = N_VOCAB - 256 - len(SPECIALS)

DENSE = dict(vocab=N_VOCAB, dim=128, n_layer=4, n_head=4, n_head_kv=2, ffn=384, ctx=256)
MOE = dict(vocab=N_VOCAB, dim=128, n_layer=2, n_head=4, n_head_kv=2, ffn=128, ctx=256,
           n_expert=8, n_expert_used=2)

PROMPTS = [
    "The first steps in Vim",
    "To delete a word, move the cursor to",
    "When you start Vim for the first time, the",
    "Hello, world! Numbers 12345 and CAPS: ok?\n",
]
N_GREEDY = 24


def load_corpus():
    files = sorted(glob.glob(CORPUS_GLOB))
    usr = [f for f in files if os.path.basename(f).startswith("usr_")]
    rest = [f for f in files if f not in usr]
    parts = []
    for f in usr + rest:
        with open(f, "rb") as fh:
            parts.append(fh.read().decode("utf-8", errors="replace"))
    return "\n".join(parts)


def encode_corpus(tok, text):
    cache = {}
    ids = []
    for w in bpe.PRETOK.findall(text):
        e = cache.get(w)
        if e is None:
            e = cache[w] = tok.encode_word(w.encode("utf-8"))
        ids += e
    return np.array(ids, dtype=np.int64)


def train(cfg, data, seconds, seed, log):
    torch.manual_seed(seed)
    model = Model(cfg)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, betas=(0.9, 0.95), weight_decay=0.01)
    rng = np.random.default_rng(seed)
    B, T = 8, cfg.ctx
    t0 = time.time()
    step = 0
    while True:
        frac = (time.time() - t0) / seconds
        if frac >= 1:
            break
        lr = 2e-3 * min(1.0, (step + 1) / 50) * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * frac)))
        for g in opt.param_groups:
            g["lr"] = lr
        starts = rng.integers(0, len(data) - T - 1, size=B)
        x = torch.from_numpy(np.stack([data[s:s + T] for s in starts]))
        y = torch.from_numpy(np.stack([data[s + 1:s + T + 1] for s in starts]))
        logits = model(x)
        loss = torch.nn.functional.cross_entropy(logits.reshape(-1, cfg.vocab), y.reshape(-1))
        total = loss + 0.01 * model.aux
        opt.zero_grad()
        total.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        if step % 50 == 0:
            log("step %d  %.0fs  lr %.2e  loss %.3f" % (step, time.time() - t0, lr, loss.item()))
        step += 1
    return model


def gguf_for(cfg, tok, weights, ftype):
    """weights: name -> float32 numpy array (torch layout). Returns (writer, dequantized weights)."""
    w = gw.GGUFWriter()
    w.add("general.architecture", gw.T_STRING, "llama")
    w.add("general.name", gw.T_STRING, "nexacore-tiny-moe" if cfg.n_expert else "nexacore-tiny-llama")
    w.add("general.file_type", gw.T_UINT32, {gw.GGML_F32: 0, gw.GGML_F16: 1, gw.GGML_Q4_0: 2, gw.GGML_Q8_0: 7,
                                                     gw.GGML_BF16: 32}[ftype])
    w.add("llama.context_length", gw.T_UINT32, cfg.ctx)
    w.add("llama.embedding_length", gw.T_UINT32, cfg.dim)
    w.add("llama.block_count", gw.T_UINT32, cfg.n_layer)
    w.add("llama.feed_forward_length", gw.T_UINT32, cfg.ffn)
    w.add("llama.attention.head_count", gw.T_UINT32, cfg.n_head)
    w.add("llama.attention.head_count_kv", gw.T_UINT32, cfg.n_head_kv)
    w.add("llama.rope.freq_base", gw.T_FLOAT32, cfg.rope_base)
    w.add("llama.rope.dimension_count", gw.T_UINT32, cfg.head_dim)
    w.add("llama.attention.layer_norm_rms_epsilon", gw.T_FLOAT32, cfg.eps)
    w.add("llama.vocab_size", gw.T_UINT32, cfg.vocab)
    if cfg.n_expert:
        w.add("llama.expert_count", gw.T_UINT32, cfg.n_expert)
        w.add("llama.expert_used_count", gw.T_UINT32, cfg.n_expert_used)
    w.add("tokenizer.ggml.model", gw.T_STRING, "gpt2")
    w.add("tokenizer.ggml.pre", gw.T_STRING, "gpt-2")  # llama.cpp's name of the GPT-2 pattern
    toks = [bpe.tok_text(t) for t in tok.tokens] + SPECIALS
    w.add_array("tokenizer.ggml.tokens", gw.T_STRING, toks)
    w.add_array("tokenizer.ggml.token_type", gw.T_INT32, [1] * len(tok.tokens) + [3] * len(SPECIALS))
    w.add_array("tokenizer.ggml.merges", gw.T_STRING,
                ["%s %s" % (bpe.tok_text(a), bpe.tok_text(b)) for a, b in tok.merges])
    w.add("tokenizer.ggml.bos_token_id", gw.T_UINT32, len(tok.tokens))
    w.add("tokenizer.ggml.eos_token_id", gw.T_UINT32, len(tok.tokens) + 1)
    w.add("tokenizer.ggml.add_bos_token", gw.T_BOOL, False)
    deq = {}
    for name, arr in weights.items():
        t = gw.GGML_F32 if arr.ndim == 1 else ftype
        raw, back = gw.encode_tensor(arr, t)
        w.add_tensor(name, list(reversed(arr.shape)), t, raw)
        deq[name] = back.reshape(arr.shape)
    return w, deq


def write_ref(path, model, tok):
    """Reference outputs of model (whose weights are those stored in the GGUF)."""
    with open(path, "w") as f:
        f.write("# PyTorch reference outputs (tools/models/train.py); values are float32\n")
        for text in PROMPTS:
            ids = tok.encode(text)
            b = text.encode("utf-8")
            f.write("prompt %d %s\n" % (len(b), b.hex()))
            f.write("tokens %d %s\n" % (len(ids), " ".join(map(str, ids))))
            with torch.no_grad():
                logits = model(torch.tensor([ids]))[0]
                f.write("logits %d %d\n" % tuple(logits.shape))
                for row in logits:
                    f.write(" ".join("%.8g" % v for v in row.tolist()) + "\n")
                seq = list(ids)
                for _ in range(N_GREEDY):
                    nxt = int(torch.argmax(model(torch.tensor([seq]))[0, -1]))
                    seq.append(nxt)
                f.write("greedy %d %s\n" % (N_GREEDY, " ".join(map(str, seq[len(ids):]))))
                g = tok.decode(seq[len(ids):])
                f.write("greedy_text %d %s\n" % (len(g), g.hex()))
                h = model(torch.tensor([ids]), hidden=True)[0].double().mean(0)
                h = h / h.norm()
                f.write("embedding %d %s\n" % (h.numel(), " ".join("%.17g" % v for v in h.tolist())))
        f.write("end\n")


def export(name, cfg, tok, model, types, log):
    weights = {k: v.detach().numpy().astype(np.float32) for k, v in model.p.items()}
    for t, suffix in types:
        w, deq = gguf_for(cfg, tok, weights, t)
        base = os.path.join(HERE, "%s-%s" % (name, suffix))
        w.write(base + ".gguf")
        ref = Model(cfg)
        with torch.no_grad():
            for k in ref.p:
                ref.p[k].copy_(torch.from_numpy(deq[k]))
        write_ref(base + ".ref", ref, tok)
        log("wrote %s.gguf (%d bytes)" % (base, os.path.getsize(base + ".gguf")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--dense-seconds", type=float, default=540)
    ap.add_argument("--moe-seconds", type=float, default=420)
    ap.add_argument("--export-only", action="store_true")
    a = ap.parse_args()
    torch.set_num_threads(1)
    os.makedirs(CKPT, exist_ok=True)

    def log(s):
        print(s, flush=True)
    tk_path = os.path.join(CKPT, "tokenizer.pt")
    dense_cfg, moe_cfg = Config(**DENSE), Config(**MOE)
    if a.export_only:
        merges = torch.load(tk_path)
        tok = bpe.Tokenizer(merges, SPECIALS)
        dense = Model(dense_cfg)
        dense.load_state_dict(torch.load(os.path.join(CKPT, "dense.pt")))
        moe = Model(moe_cfg)
        moe.load_state_dict(torch.load(os.path.join(CKPT, "moe.pt")))
    else:
        text = load_corpus()
        log("corpus: %d characters" % len(text))
        t0 = time.time()
        merges = bpe.train(text[:3000000], N_MERGES)
        torch.save(merges, tk_path)
        tok = bpe.Tokenizer(merges, SPECIALS)
        log("bpe: %d merges in %.0fs" % (len(merges), time.time() - t0))
        data = encode_corpus(tok, text)
        log("corpus: %d tokens" % len(data))
        dense = train(dense_cfg, data, a.dense_seconds, 1, log)
        torch.save(dense.state_dict(), os.path.join(CKPT, "dense.pt"))
        moe = train(moe_cfg, data, a.moe_seconds, 2, log)
        torch.save(moe.state_dict(), os.path.join(CKPT, "moe.pt"))
    export("tiny-llama", dense_cfg, tok, dense,
           [(gw.GGML_F32, "f32"), (gw.GGML_F16, "f16"), (gw.GGML_BF16, "bf16"), (gw.GGML_Q8_0, "q8_0"),
            (gw.GGML_Q4_0, "q4_0")], log)
    export("tiny-moe", moe_cfg, tok, moe,
           [(gw.GGML_F32, "f32"), (gw.GGML_F16, "f16"), (gw.GGML_Q8_0, "q8_0")], log)
    with torch.no_grad():
        ids = tok.encode("When you start Vim")
        for _ in range(80):
            ids.append(int(torch.argmax(dense(torch.tensor([ids[-256:]]))[0, -1])))
    log("sample: " + tok.decode(ids).decode("utf-8", "replace"))


if __name__ == "__main__":
    main()
