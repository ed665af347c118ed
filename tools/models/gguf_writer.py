"""A small GGUF v3 writer and the llama.cpp block quantizers (Q8_0, Q4_0).

Written from the GGUF specification (ggml docs/gguf.md): little-endian header
"GGUF", version, tensor count, metadata count; metadata key/value pairs; tensor
infos (name, n_dims, dims innermost first, type, offset); padding to
general.alignment; tensor data, each tensor aligned. Used only by
tools/models/train.py to write the committed test models.
"""
import struct

import numpy as np

# gguf_type (metadata value types)
T_UINT8, T_INT8, T_UINT16, T_INT16, T_UINT32, T_INT32, T_FLOAT32, T_BOOL, \
    T_STRING, T_ARRAY, T_UINT64, T_INT64, T_FLOAT64 = range(13)

# ggml_type (tensor types) used here
GGML_F32, GGML_F16, GGML_Q4_0, GGML_Q8_0, GGML_BF16 = 0, 1, 2, 8, 30

QK = 32  # block size of Q8_0 and Q4_0

_SCALAR = {T_UINT8: "<B", T_INT8: "<b", T_UINT16: "<H", T_INT16: "<h",
           T_UINT32: "<I", T_INT32: "<i", T_FLOAT32: "<f", T_BOOL: "<?",
           T_UINT64: "<Q", T_INT64: "<q", T_FLOAT64: "<d"}


def _str(s):
    b = s.encode("utf-8")
    return struct.pack("<Q", len(b)) + b


def _value(t, v):
    if t == T_STRING:
        return _str(v)
    return struct.pack(_SCALAR[t], v)


def quantize_q8_0(x):
    """x: float32 array whose size is a multiple of 32 -> bytes (ggml block_q8_0)."""
    b = x.astype(np.float32).reshape(-1, QK)
    amax = np.abs(b).max(axis=1)
    d = amax / 127.0
    inv = np.where(d != 0, 1.0 / np.where(d != 0, d, 1), 0).astype(np.float32)
    # round half away from zero, like C roundf
    q = (np.sign(b * inv[:, None]) * np.floor(np.abs(b * inv[:, None]) + 0.5)).astype(np.int8)
    out = np.zeros((b.shape[0], 34), dtype=np.uint8)
    out[:, 0:2] = d.astype(np.float16).view(np.uint8).reshape(-1, 2)
    out[:, 2:] = q.view(np.uint8)
    return out.tobytes()


def dequantize_q8_0(raw, n):
    a = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 34)
    d = a[:, 0:2].copy().view(np.float16).astype(np.float32)
    q = a[:, 2:].copy().view(np.int8).astype(np.float32)
    return (q * d).reshape(-1)[:n]


def quantize_q4_0(x):
    """ggml quantize_row_q4_0_ref: d = max / -8 where max is the signed value of
    largest magnitude; q = min(15, (int)(x/d + 8.5)); two nibbles per byte,
    element j in the low nibble and j+16 in the high nibble."""
    b = x.astype(np.float32).reshape(-1, QK)
    idx = np.abs(b).argmax(axis=1)
    mx = b[np.arange(b.shape[0]), idx]
    d = (mx / -8.0).astype(np.float32)
    inv = np.where(d != 0, 1.0 / np.where(d != 0, d, 1), 0).astype(np.float32)
    q = np.minimum(15, np.trunc(b * inv[:, None] + 8.5)).astype(np.uint8)
    out = np.zeros((b.shape[0], 18), dtype=np.uint8)
    out[:, 0:2] = d.astype(np.float16).view(np.uint8).reshape(-1, 2)
    out[:, 2:] = q[:, :16] | (q[:, 16:] << 4)
    return out.tobytes()


def dequantize_q4_0(raw, n):
    a = np.frombuffer(raw, dtype=np.uint8).reshape(-1, 18)
    d = a[:, 0:2].copy().view(np.float16).astype(np.float32)
    lo = (a[:, 2:] & 15).astype(np.float32) - 8
    hi = (a[:, 2:] >> 4).astype(np.float32) - 8
    return (np.concatenate([lo, hi], axis=1) * d).reshape(-1)[:n]


def encode_tensor(arr, ggml_type):
    """Returns (bytes, dequantized float32 copy) of arr in ggml_type."""
    flat = np.ascontiguousarray(arr, dtype=np.float32).reshape(-1)
    if ggml_type == GGML_F32:
        return flat.tobytes(), flat.copy()
    if ggml_type == GGML_F16:
        h = flat.astype(np.float16)
        return h.tobytes(), h.astype(np.float32)
    if ggml_type == GGML_BF16:
        u = flat.view(np.uint32).astype(np.uint64)
        b = ((u + 0x7FFF + ((u >> 16) & 1)) >> 16).astype(np.uint16)  # round to nearest even
        return b.tobytes(), (b.astype(np.uint32) << 16).view(np.float32)
    if ggml_type == GGML_Q8_0:
        raw = quantize_q8_0(flat)
        return raw, dequantize_q8_0(raw, flat.size)
    if ggml_type == GGML_Q4_0:
        raw = quantize_q4_0(flat)
        return raw, dequantize_q4_0(raw, flat.size)
    raise ValueError("unsupported type %d" % ggml_type)


class GGUFWriter:
    def __init__(self, alignment=32, version=3):
        self.version = version  # 2 and 3 differ only in byte-order support
        self.kv = []        # (key, bytes)
        self.tensors = []   # (name, dims innermost first, type, bytes)
        self.alignment = alignment
        if alignment != 32:
            self.add("general.alignment", T_UINT32, alignment)

    def add(self, key, t, v):
        self.kv.append((key, struct.pack("<I", t) + _value(t, v)))

    def add_array(self, key, t, values):
        body = b"".join(_value(t, v) for v in values)
        self.kv.append((key, struct.pack("<IIQ", T_ARRAY, t, len(values)) + body))

    def add_tensor(self, name, dims, ggml_type, raw):
        self.tensors.append((name, list(dims), ggml_type, raw))

    def write(self, path):
        al = self.alignment
        out = bytearray()
        out += b"GGUF" + struct.pack("<IQQ", self.version, len(self.tensors), len(self.kv))
        for key, body in self.kv:
            out += _str(key) + body
        offset = 0
        offsets = []
        for name, dims, t, raw in self.tensors:
            offsets.append(offset)
            offset += (len(raw) + al - 1) // al * al
        for (name, dims, t, raw), off in zip(self.tensors, offsets):
            out += _str(name) + struct.pack("<I", len(dims))
            out += b"".join(struct.pack("<Q", d) for d in dims)
            out += struct.pack("<IQ", t, off)
        out += b"\0" * ((-len(out)) % al)
        for name, dims, t, raw in self.tensors:
            out += raw
            out += b"\0" * ((-len(raw)) % al)
        with open(path, "wb") as f:
            f.write(out)
