"""Byte-level BPE (GPT-2 style): training on a corpus and a reference encoder.

Pre-tokenisation approximates the GPT-2 pattern
    's|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+
with Python's re module (no \\p classes): for ASCII text it is the same split.
Merging: repeatedly merge the adjacent pair of lowest merge rank (leftmost on ties).
"""
import re
from collections import Counter

PRETOK = re.compile(
    r"""'s|'t|'re|'ve|'m|'ll|'d| ?[^\W\d_]+| ?\d+| ?(?:[^\s\w]|_)+|\s+(?!\S)|\s+""")


def byte_to_unicode():
    """The GPT-2 byte <-> printable-character mapping (encoder.py bytes_to_unicode)."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAC + 1)) + \
        list(range(0xAE, 0xFF + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return {b: chr(c) for b, c in zip(bs, cs)}


B2U = byte_to_unicode()


def tok_text(bs):
    return "".join(B2U[b] for b in bs)


def train(text, n_merges):
    """Returns merges as a list of (bytes_a, bytes_b) in rank order."""
    counts = Counter(PRETOK.findall(text))
    words = [[bytes([b]) for b in w.encode("utf-8")] for w in counts]
    freqs = list(counts.values())
    pairs = Counter()
    where = {}
    for i, w in enumerate(words):
        for p in zip(w, w[1:]):
            pairs[p] += freqs[i]
            where.setdefault(p, set()).add(i)
    merges = []
    for _ in range(n_merges):
        if not pairs:
            break
        best = max(pairs.items(), key=lambda kv: (kv[1], kv[0]))[0]
        merges.append(best)
        joined = best[0] + best[1]
        for i in list(where.get(best, ())):
            w = words[i]
            for p in zip(w, w[1:]):
                pairs[p] -= freqs[i]
                if pairs[p] <= 0:
                    del pairs[p]
            out = []
            j = 0
            while j < len(w):
                if j + 1 < len(w) and w[j] == best[0] and w[j + 1] == best[1]:
                    out.append(joined)
                    j += 2
                else:
                    out.append(w[j])
                    j += 1
            words[i] = out
            for p in zip(out, out[1:]):
                pairs[p] += freqs[i]
                where.setdefault(p, set()).add(i)
        where.pop(best, None)
    return merges


class Tokenizer:
    """ids: 0..255 single bytes, then one token per merge, then specials."""

    def __init__(self, merges, specials):
        self.tokens = [bytes([b]) for b in range(256)]
        self.rank = {}
        for r, (a, b) in enumerate(merges):
            self.rank[(a, b)] = r
            self.tokens.append(a + b)
        self.id_of = {t: i for i, t in enumerate(self.tokens)}
        self.specials = list(specials)
        self.merges = merges

    def encode_word(self, bs):
        parts = [bytes([b]) for b in bs]
        while len(parts) > 1:
            best, at = None, -1
            for k in range(len(parts) - 1):
                r = self.rank.get((parts[k], parts[k + 1]))
                if r is not None and (best is None or r < best):
                    best, at = r, k
            if best is None:
                break
            parts[at:at + 2] = [parts[at] + parts[at + 1]]
        return [self.id_of[p] for p in parts]

    def encode(self, text):
        ids = []
        for w in PRETOK.findall(text):
            ids += self.encode_word(w.encode("utf-8"))
        return ids

    def decode(self, ids):
        return b"".join(self.tokens[i] for i in ids if i < len(self.tokens))
