"""Reads the F32 and F16 tensors of a GGUF v2/v3 file (the layout gguf_writer.py
writes: header, metadata, tensor infos, data at general.alignment). Used by
tools/models/train_speech.py --init to start training from a committed model.
"""
import struct

import numpy as np

import gguf_writer as gw


class _Cursor:
    def __init__(self, data):
        self.data, self.pos = data, 0

    def take(self, fmt):
        v = struct.unpack_from(fmt, self.data, self.pos)
        self.pos += struct.calcsize(fmt)
        return v if len(v) > 1 else v[0]

    def string(self):
        n = self.take("<Q")
        self.pos += n
        return self.data[self.pos - n:self.pos].decode("utf-8")

    def value(self, t):
        if t == gw.T_STRING:
            return self.string()
        if t == gw.T_ARRAY:
            et, n = self.take("<IQ")
            return [self.value(et) for _ in range(n)]
        return self.take(gw._SCALAR[t])


def read_tensors(path):
    """{name: float32 numpy array with the torch-order shape (outermost first)}."""
    with open(path, "rb") as f:
        c = _Cursor(f.read())
    if c.data[:4] != b"GGUF":
        raise ValueError("%s: not a GGUF file" % path)
    c.pos = 4
    version, n_tensors, n_kv = c.take("<IQQ")
    if version not in (2, 3):
        raise ValueError("%s: GGUF version %d" % (path, version))
    meta = {}
    for _ in range(n_kv):
        key = c.string()
        meta[key] = c.value(c.take("<I"))
    infos = []
    for _ in range(n_tensors):
        name = c.string()
        dims = [c.take("<Q") for _ in range(c.take("<I"))]
        infos.append((name, dims) + c.take("<IQ"))
    al = meta.get("general.alignment", 32)
    base = (c.pos + al - 1) // al * al
    out = {}
    for name, dims, t, off in infos:
        n = int(np.prod(dims))
        dtype = {gw.GGML_F32: np.float32, gw.GGML_F16: np.float16}.get(t)
        if dtype is None:
            raise ValueError("%s: tensor %s has type %d (only F32 and F16 are read)" % (path, name, t))
        arr = np.frombuffer(c.data, dtype=dtype, count=n, offset=base + off)
        out[name] = arr.astype(np.float32).reshape(list(reversed(dims)))
    return out
