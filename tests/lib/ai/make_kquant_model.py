#!/usr/bin/python3
"""Write two tiny llama GGUFs with the same weights for kquant_forward_host_test:

  kq-mixed.gguf  weight matrices stored as random Q2_K, Q3_K, Q4_K, Q5_K and
                 Q6_K super-blocks (token_embd and output included)
  kq-f32.gguf    the same matrices as F32, dequantized HERE, in Python, from the
                 block definitions of ggml (ggml-common.h), independent of lib/ai;
  kq-f32-noisy.gguf  kq-f32.gguf with every matrix-product weight multiplied by
                 1 + u, u uniform with RMS 1% (the test's yardstick for how much
                 this network amplifies relative noise in its matrix products).
  Block layouts:

  Q4_K (144 bytes): f16 d, f16 dmin, scales[12], qs[128]
  Q5_K (176 bytes): f16 d, f16 dmin, scales[12], qh[32], qs[128]
  Q6_K (210 bytes): ql[128], qh[64], int8 scales[16], f16 d
  Q4_K/Q5_K element e: sub-block j = e // 32, x = d * sc_j * q - dmin * m_j,
     q = nibble (low for even j, high for odd j) of qs[32 * (j // 2) + e % 32],
     plus 16 * bit j of qh[e % 32] for Q5_K;
     sc_j, m_j for j < 4: s[j] & 63, s[j + 4] & 63; for j >= 4:
     (s[j + 4] & 15) | (s[j - 4] >> 6) << 4 and (s[j + 4] >> 4) | (s[j] >> 6) << 4.
  Q6_K element e: h = e // 128, k = (e % 128) // 32, l = e % 32,
     low = nibble (low if k < 2 else high) of ql[64 h + l + 32 (k % 2)],
     high = (qh[32 h + l] >> 2k) & 3, x = d * scales[e // 16] * (low + 16 high - 32).
  Q2_K (84 bytes): scales[16], qs[64], f16 d, f16 dmin; h, k, l as for Q6_K,
     q = (qs[32 h + l] >> 2k) & 3, s = scales[e // 16],
     x = d * (s & 15) * q - dmin * (s >> 4).
  Q3_K (110 bytes): hmask[32], qs[64], scales[12], f16 d; q as for Q2_K,
     x = d * (sc_i - 32) * (q - 4 + 4 * ((hmask[l] >> (e // 32)) & 1)), i = e // 16,
     sc_i = (s[i] & 15 if i < 8 else s[i - 8] >> 4) | ((s[8 + i % 4] >> 2 (i // 4)) & 3) << 4.

Every product here is exact in double and is rounded to float32 once by
struct.pack, as a float32 product of the same exact operands is, so both files
hold bit-identical weights. Plain python3; output directory in argv[1]."""
import os
import random
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "../../../tools/models"))
import bpe  # noqa: E402  (GPT-2 byte-to-unicode token texts)

Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, F32 = 10, 11, 12, 13, 14, 0
NOISE_RMS = 0.01  # relative weight noise of kq-f32-noisy.gguf (see kquant_forward_host_test.c)
BLOCK_BYTES = {Q2_K: 84, Q3_K: 110, Q4_K: 144, Q5_K: 176, Q6_K: 210}
QK_K = 256


def f16_to_float(h):
    return struct.unpack("<e", struct.pack("<H", h))[0]


def random_f16(rng, lo_exp, hi_exp):
    """A positive normal binary16 with exponent in [lo_exp, hi_exp] (unbiased)."""
    return ((rng.randint(lo_exp, hi_exp) + 15) << 10) | rng.getrandbits(10)


def pack_scales(sc, m):
    """The 12 scale bytes holding 6-bit sc[0..7] and m[0..7] (inverse of scale_min)."""
    s = [0] * 12
    for j in range(4):
        s[j] = sc[j] | (sc[j + 4] >> 4) << 6
        s[j + 4] = m[j] | (m[j + 4] >> 4) << 6
        s[j + 8] = (sc[j + 4] & 15) | (m[j + 4] & 15) << 4
    return bytes(s)


def random_block(rng, t):
    """Random quants and scales. Q4_K/Q5_K blocks get dmin = 8 d (16 d) and
    m_j = round(sc_j * 7.5 / 8) (* 15.5 / 16), so each sub-block's weights
    d * sc_j * q - dmin * m_j are centred on zero as in a trained model (all
    positive weights would make the residual stream grow without bound and
    the network chaotic); the scales still use all six bits."""
    b = bytearray(rng.getrandbits(8) for _ in range(BLOCK_BYTES[t]))
    if t == Q2_K:  # dmin = d, m = round(1.5 sc): centred (q averages 1.5)
        for i in range(16):
            sc = rng.randint(1, 10)
            b[i] = sc | round(1.5 * sc) << 4
        d = random_f16(rng, -8, -7)
        struct.pack_into("<HH", b, 80, d, d)
        return bytes(b)
    if t == Q3_K:  # q - 4 + 4 h is about centred; random 6-bit scales
        struct.pack_into("<H", b, 108, random_f16(rng, -11, -10))
        return bytes(b)
    if t == Q6_K:
        struct.pack_into("<H", b, 208, random_f16(rng, -15, -14))  # d about 5e-5
        return bytes(b)
    d = random_f16(rng, -12, -11)
    mid, shift = (7.5, 3) if t == Q4_K else (15.5, 4)
    sc = [rng.randint(1, 63) for _ in range(8)]
    m = [round(x * mid / (1 << shift)) for x in sc]
    struct.pack_into("<HH", b, 0, d, d + (shift << 10))  # dmin = d * 2^shift (exponent + shift)
    b[4:16] = pack_scales(sc, m)
    return bytes(b)


def scale_min(s, j):
    if j < 4:
        return s[j] & 63, s[j + 4] & 63
    return (s[j + 4] & 15) | (s[j - 4] >> 6) << 4, (s[j + 4] >> 4) | (s[j] >> 6) << 4


def q3_scale(s, i):
    low = s[i] & 15 if i < 8 else s[i - 8] >> 4
    return (low | ((s[8 + i % 4] >> (2 * (i // 4))) & 3) << 4) - 32


def dequant_block(b, t):
    out = []
    if t in (Q2_K, Q3_K):
        qs = b[16:80] if t == Q2_K else b[32:96]
        for e in range(QK_K):
            h, k, l, i = e // 128, (e % 128) // 32, e % 32, e // 16
            q = (qs[32 * h + l] >> (2 * k)) & 3
            if t == Q2_K:
                d, dmin = f16_to_float(b[80] | b[81] << 8), f16_to_float(b[82] | b[83] << 8)
                out.append(d * (b[i] & 15) * q - dmin * (b[i] >> 4))
            else:
                d = f16_to_float(b[108] | b[109] << 8)
                out.append(d * q3_scale(b[96:108], i) * (q - 4 + 4 * ((b[l] >> (e // 32)) & 1)))
        return out
    if t == Q6_K:
        d = f16_to_float(b[208] | b[209] << 8)
        for e in range(QK_K):
            h, k, l = e // 128, (e % 128) // 32, e % 32
            lo = b[64 * h + l + 32 * (k % 2)]
            lo = lo & 15 if k < 2 else lo >> 4
            hi = (b[128 + 32 * h + l] >> (2 * k)) & 3
            sc = struct.unpack("<b", b[192 + e // 16:193 + e // 16])[0]
            out.append(d * sc * (lo + 16 * hi - 32))
        return out
    d, dmin = f16_to_float(b[0] | b[1] << 8), f16_to_float(b[2] | b[3] << 8)
    s = b[4:16]
    qs = b[16:] if t == Q4_K else b[48:]
    for e in range(QK_K):
        j, l = e // 32, e % 32
        byte = qs[32 * (j // 2) + l]
        q = byte >> 4 if j % 2 else byte & 15
        if t == Q5_K:
            q += 16 * ((b[16 + l] >> j) & 1)
        sc, m = scale_min(s, j)
        out.append(d * sc * q - dmin * m)
    return out


def gguf_str(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def write_gguf(path, kv, tensors):
    """kv: list of (key, type tag, packed value); tensors: (name, dims, type, raw)."""
    out = bytearray(b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kv)))
    for key, tag, val in kv:
        out += gguf_str(key) + struct.pack("<I", tag) + val
    off = 0
    for name, dims, t, raw in tensors:
        out += gguf_str(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", x) for x in dims)
        out += struct.pack("<IQ", t, off)
        off += (len(raw) + 31) // 32 * 32
    out += b"\0" * (-len(out) % 32)
    for _, _, _, raw in tensors:
        out += raw + b"\0" * (-len(raw) % 32)
    with open(path, "wb") as f:
        f.write(out)


def main():
    rng = random.Random(7)
    d, ff, n_head, n_kv, n_layer = 256, 512, 4, 2, 2
    hd = d // n_head
    merges = [(b"a", b"b"), (b"ab", b"c"), (b"t", b"h"), (b"th", b"e")]
    toks = [bytes([i]) for i in range(256)] + [a + b for a, b in merges] + [b"<s>", b"</s>"]
    v = len(toks)
    u32 = lambda x: struct.pack("<I", x)  # noqa: E731
    texts = [bpe.tok_text(t) for t in toks[:-2]] + ["<s>", "</s>"]
    kv = [("general.architecture", 8, gguf_str("llama"))]
    for key, val in [("context_length", 16), ("embedding_length", d), ("block_count", n_layer),
                     ("feed_forward_length", ff), ("attention.head_count", n_head),
                     ("attention.head_count_kv", n_kv), ("rope.dimension_count", hd)]:
        kv.append(("llama." + key, 4, u32(val)))
    kv.append(("llama.attention.layer_norm_rms_epsilon", 6, struct.pack("<f", 1e-5)))
    kv.append(("tokenizer.ggml.model", 8, gguf_str("gpt2")))
    kv.append(("tokenizer.ggml.pre", 8, gguf_str("gpt-2")))
    kv.append(("tokenizer.ggml.tokens", 9, struct.pack("<IQ", 8, v) + b"".join(gguf_str(t) for t in texts)))
    kv.append(("tokenizer.ggml.merges", 9, struct.pack("<IQ", 8, len(merges)) +
               b"".join(gguf_str("%s %s" % (bpe.tok_text(a), bpe.tok_text(b))) for a, b in merges)))
    kv.append(("tokenizer.ggml.bos_token_id", 4, u32(v - 2)))
    kv.append(("tokenizer.ggml.eos_token_id", 4, u32(v - 1)))

    quant, flat, noisy = [], [], []
    noise = random.Random(11)

    def matrix(name, n_out, n_in, t):
        blocks = [random_block(rng, t) for _ in range(n_out * n_in // QK_K)]
        quant.append((name, [n_in, n_out], t, b"".join(blocks)))
        vals = [x for b in blocks for x in dequant_block(b, t)]
        flat.append((name, [n_in, n_out], F32, struct.pack("<%df" % len(vals), *vals)))
        if name != "token_embd.weight":  # a row lookup, not a matrix product
            a = NOISE_RMS * 3 ** 0.5
            vals = [x * (1 + noise.uniform(-a, a)) for x in vals]
        noisy.append((name, [n_in, n_out], F32, struct.pack("<%df" % len(vals), *vals)))

    def norm(name):
        raw = struct.pack("<%df" % d, *[1.0 + 0.1 * rng.uniform(-1, 1) for _ in range(d)])
        for out in quant, flat, noisy:
            out.append((name, [d], F32, raw))

    matrix("token_embd.weight", v, d, Q4_K)
    for i in range(n_layer):
        p = "blk.%d." % i
        norm(p + "attn_norm.weight")
        matrix(p + "attn_q.weight", d, d, Q4_K if i == 0 else Q3_K)
        matrix(p + "attn_k.weight", n_kv * hd, d, Q5_K)
        matrix(p + "attn_v.weight", n_kv * hd, d, Q6_K)
        matrix(p + "attn_output.weight", d, d, Q4_K)
        norm(p + "ffn_norm.weight")
        matrix(p + "ffn_gate.weight", ff, d, Q5_K)
        matrix(p + "ffn_up.weight", ff, d, Q4_K if i == 0 else Q2_K)
        matrix(p + "ffn_down.weight", d, ff, Q6_K)
    norm("output_norm.weight")
    matrix("output.weight", v, d, Q6_K)
    os.makedirs(sys.argv[1], exist_ok=True)
    write_gguf(os.path.join(sys.argv[1], "kq-mixed.gguf"), kv, quant)
    write_gguf(os.path.join(sys.argv[1], "kq-f32.gguf"), kv, flat)
    write_gguf(os.path.join(sys.argv[1], "kq-f32-noisy.gguf"), kv, noisy)


main()
