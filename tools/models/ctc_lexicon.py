"""Lexicon-constrained CTC prefix beam search: the reference lib/ai's decoder
(lib/ai/asr_beam.c) follows step by step, so both give the same text.

The lexicon is the words of the training text only, each with a unigram log
prior log(count / total count) stored as float32 (`ncasr.lexicon`,
`ncasr.lexicon.log_prior`); the decoder's beam width and prior weight travel in
the GGUF too (`ncasr.decoder.beam_width`, `ncasr.decoder.prior_weight`).

A hypothesis is a token sequence (a CTC prefix) whose text is lexicon words
separated by single spaces, the last word possibly still partial (a prefix of
a lexicon word). Per hypothesis: pb, pnb (log probabilities, float64, of the
frames so far ending in a blank / in the last token), lm (the prior weight
times the log priors of its completed words), its trie position. Per frame,
with lp = log_softmax(logits[t]) in float64, in beam rank order, hypothesis i
gives first its own continuation (slot i: pb' = lse(pb, pnb) + lp[blank];
pnb' = pnb + lp[last token], when it has one), then its extensions by each
token id c = 1.. in order: a space only after a complete word (adds the
word's weighted prior), another token only when its characters continue the
partial word in the trie; pnb' = (pb if c is the last token else lse(pb, pnb))
+ lp[c]. An extension equal to a hypothesis j of the beam (j's prefix is i's
plus c) adds into j's slot (pnb'), otherwise it gets a new slot after the
continuations, in generation order. The next beam: the beam_width slots of
highest score lse(pb, pnb) + lm that are finite; equal scores keep slot order
(a stable sort). lse(a, b) = max + log(1 + exp(min - max)) (b = -inf: a).
At the end, a hypothesis whose partial word is a complete word adds that
word's weighted prior; one whose partial word is not a word is not a valid
end. The text: the best valid hypothesis (score, then rank), its trailing
space dropped; when none is valid, the beam's first hypothesis's complete
words."""
import math

import numpy as np

BEAM_WIDTH = 16
PRIOR_WEIGHT = 0.5
NEG_INF = float("-inf")


def lexicon_from_text(sentences):
    """(words sorted, float32 log priors) from training sentences."""
    count = {}
    for s in sentences:
        for w in s.split():
            count[w] = count.get(w, 0) + 1
    words = sorted(count)
    total = sum(count.values())
    return words, np.array([math.log(count[w] / total) for w in words], dtype=np.float32)


def lse(a, b):
    if a < b:
        a, b = b, a
    if b == NEG_INF:
        return a
    return a + math.log(1.0 + math.exp(b - a))


class Trie:
    def __init__(self, words):
        self.child = [{}]
        self.word = [-1]
        for k, w in enumerate(words):
            n = 0
            for ch in w:
                if ch not in self.child[n]:
                    self.child[n][ch] = len(self.child)
                    self.child.append({})
                    self.word.append(-1)
                n = self.child[n][ch]
            self.word[n] = k

    def walk(self, n, s):
        for ch in s:
            n = self.child[n].get(ch)
            if n is None:
                return None
        return n


def log_softmax(row):
    r = row.astype(np.float64)
    m = r.max()
    return r - (m + math.log(np.exp(r - m).sum()))


def decode(logits, vocab, words, log_prior, beam_width=BEAM_WIDTH, weight=PRIOR_WEIGHT):
    """logits: (frames, len(vocab)) float32 -> text."""
    trie = Trie(words)
    prior = [float(np.float32(weight)) * float(p) for p in log_prior]
    # hypothesis: [tokens tuple, pb, pnb, lm, trie node, tokens at the partial word's start]
    beam = [[(), 0.0, NEG_INF, 0.0, 0, 0]]
    for row in logits:
        lp = log_softmax(np.asarray(row))
        slots = []
        index = {}
        for h in beam:
            toks, pb, pnb, lm, tn, ws = h
            last = toks[-1] if toks else 0
            index[toks] = len(slots)
            slots.append([toks, lse(pb, pnb) + lp[0], pnb + lp[last] if last else NEG_INF, lm, tn, ws])
        for h in beam:
            toks, pb, pnb, lm, tn, ws = h
            last = toks[-1] if toks else 0
            for c in range(1, len(vocab)):
                s = vocab[c]
                if s == " ":
                    if trie.word[tn] < 0:
                        continue
                    ntn, nlm, nws = 0, lm + prior[trie.word[tn]], len(toks) + 1
                else:
                    ntn = None if " " in s else trie.walk(tn, s)
                    if ntn is None:
                        continue
                    nlm, nws = lm, ws
                p = (pb if c == last else lse(pb, pnb)) + lp[c]
                key = toks + (c,)
                if key in index:
                    slot = slots[index[key]]
                    slot[2] = lse(slot[2], p)
                else:
                    index[key] = len(slots)
                    slots.append([key, NEG_INF, p, nlm, ntn, nws])
        score = [lse(s[1], s[2]) + s[3] for s in slots]
        order = sorted((k for k in range(len(slots)) if score[k] > NEG_INF), key=lambda k: -score[k])
        beam = [slots[k] for k in order[:beam_width]]
    if not beam:
        return ""
    best, best_score = None, NEG_INF
    for toks, pb, pnb, lm, tn, ws in beam:
        if tn and trie.word[tn] < 0:
            continue
        s = lse(pb, pnb) + lm + (prior[trie.word[tn]] if tn else 0.0)
        if best is None or s > best_score:
            best, best_score = toks, s
    if best is None:
        best = beam[0][0][:beam[0][5]]
    return "".join(vocab[c] for c in best).rstrip(" ")
