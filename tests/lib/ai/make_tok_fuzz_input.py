#!/usr/bin/python3
"""Inputs for the BPE tokenizer fuzzer (tok_fuzz.c): two tokenizer-only GGUFs
with a byte-level BPE trained here (bpe.py, 400 merges) on Vim's user manual,
one with the gpt2 pre-tokenizer and one with llama3's, both with control
tokens, one a prefix of another ("<|x|>" and "<|x|>y") so the longest-first
rule runs; and seed texts (manual lines, multi-script, digits, blanks).
    /usr/bin/python3 tests/lib/ai/make_tok_fuzz_input.py VOCAB_DIR CORPUS_DIR"""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../tools/models"))
import bpe  # noqa: E402
import gguf_writer as gw  # noqa: E402

SPECIALS = ["<|s|>", "<|x|>", "<|x|>y", "<|e|>"]
MANUAL = "/usr/share/vim/vim90/doc/usr_01.txt"

text = open(MANUAL, encoding="utf-8", errors="replace").read()
merges = bpe.train(text, 400)
tokens = [bytes([b]) for b in range(256)] + [a + b for a, b in merges]
vocab_dir, corpus_dir = sys.argv[1], sys.argv[2]
os.makedirs(vocab_dir, exist_ok=True)
os.makedirs(corpus_dir, exist_ok=True)
for name, pre in [("gpt2", "gpt-2"), ("llama3", "llama3")]:
    w = gw.GGUFWriter()
    w.add("tokenizer.ggml.model", gw.T_STRING, "gpt2")
    w.add("tokenizer.ggml.pre", gw.T_STRING, pre)
    w.add_array("tokenizer.ggml.tokens", gw.T_STRING, [bpe.tok_text(t) for t in tokens] + SPECIALS)
    w.add_array("tokenizer.ggml.token_type", gw.T_INT32, [1] * len(tokens) + [3] * len(SPECIALS))
    w.add_array("tokenizer.ggml.merges", gw.T_STRING,
                ["%s %s" % (bpe.tok_text(a), bpe.tok_text(b)) for a, b in merges])
    w.add("tokenizer.ggml.bos_token_id", gw.T_UINT32, len(tokens))
    w.write(os.path.join(vocab_dir, "vocab-%s.gguf" % name))
lines = [ln for ln in text.splitlines() if ln.strip()]
seeds = [
    "\n".join(lines[:12]),
    "\n".join(lines[40:52]),
    "It's 12345 o'clock, they'll've   gone\t\t\r\n  ",
    "Grüße, мир, 世界, مرحبا, नमस्ते 🙂 ½ x²",
    "<|s|>hello<|x|>y<|x|>z<|e|> <|x",
    "a\u00a0b\u2028c   \n\n 9.99 -> 1_000_000",
]
for i, s in enumerate(seeds):
    # first byte: which vocabulary and flags (tok_fuzz.c)
    with open(os.path.join(corpus_dir, "seed-%d" % i), "wb") as f:
        f.write(bytes([i]) + s.encode("utf-8"))
