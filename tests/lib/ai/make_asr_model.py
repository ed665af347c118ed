#!/usr/bin/python3
"""A speech model (ncasr) with random weights and a PyTorch reference for it, for
asr_host_test.c: OUT/asr-rand.gguf (tools/models/train_speech.py's writer, F16
matrices; characters and five word pieces), OUT/asr-vocab-{long,empty,control}.gguf
(its last token 33 bytes, empty, with a tab) and OUT/asr-rand.ref with, for a synthetic 1.3 s WAV (OUT/asr-rand.wav:
chirps and seeded noise), the normalised log-mel features, the logits of every
encoder frame and the greedy CTC text (characters and word pieces), computed by tools/models/speech_model.py from
the weights as stored. The same model with a small lexicon (LEXICON, beam 8,
prior weight 0.5): OUT/asr-lex.gguf, whose lexicon beam text over PyTorch's
logits (tools/models/ctc_lexicon.py) is the .ref's "beam" line; with prior weight
0: asr-lex-flat.gguf; with beam width 1: asr-lex-beam1.gguf; lexicons lib/ai must refuse (TOKENIZER):
asr-lex-BAD.gguf (BAD_LEXICONS).

    asr_host_test's make rule: /usr/bin/python3 tests/lib/ai/make_asr_model.py OUT
"""
import os
import sys
import wave

import numpy as np
import torch

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(ROOT, "tools", "models"))
import ctc_lexicon as cl  # noqa: E402
import gguf_writer as gw  # noqa: E402
import speech_model as sm  # noqa: E402
import train_speech  # noqa: E402

# words and counts (the hand-made cases of asr_host_test.c use them too)
LEXICON = {"cat": 1, "cut": 9, "vim": 5, "is": 5, "in": 3, "all": 2, "al": 1, "the": 8, "then": 2, "i": 2,
           "it": 2, "e'": 1}


def lexicon():
    words = sorted(LEXICON)
    total = sum(LEXICON.values())
    return words, np.array([np.log(LEXICON[w] / total) for w in words], dtype=np.float32)


def bad_lexicons():
    """name -> metadata keys lib/ai must refuse."""
    words, lp = lexicon()
    many = ["w%05d" % i for i in range(16385)]
    k = train_speech.lexicon_keys
    out = {
        "empty": k([], []),
        "oversized": k(many, [-1.0] * len(many)),
        "long": k(words[:-1] + ["x" * 33], lp),
        "space": k(words[:-1] + ["a b"], lp),
        "control": k(words[:-1] + ["a\x7f"], lp),
        "twice": k(words[:-1] + [words[0]], lp),
        "priors": k(words, lp[:-1]),
        "positive": k(words, list(lp[:-1]) + [0.5]),
        "nan": k(words, list(lp[:-1]) + [float("nan")]),
        "beam0": k(words, lp, beam_width=0),
        "beam65": k(words, lp, beam_width=65),
        "weight": k(words, lp, weight=-1.0),
        "nobeam": k(words, lp)[:2] + k(words, lp)[3:],
        "wordtype": [(sm.ARCH + ".lexicon", gw.T_UINT32, [1, 2], True)] + k(words, lp)[1:],
    }
    return out


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(5)
    cfg = sm.Config(dim=64, n_layer=2, n_head=4, ffn=96, kernel=5, vocab=sm.vocabulary(["th", "the", "vim", "ing", "e'"]), ctx=200)
    model = sm.SpeechModel(cfg)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape) * (0.5 / max(1, p.shape[-1]) ** 0.5) + (0.1 if p.ndim == 1 else 0))
        model.output.bias[29:] += 0.15   # so that the word pieces are chosen too
        model.mean.copy_(torch.linspace(-9, -4, sm.N_MELS))
        model.istd.copy_(torch.linspace(0.3, 0.6, sm.N_MELS))
    deq = train_speech.write_gguf(cfg, model, os.path.join(out, "asr-rand.gguf"))
    # the same model with a vocabulary lib/ai must refuse (TOKENIZER)
    for name, bad in (("long", "x" * 33), ("empty", ""), ("control", "a\tb")):
        cfg_bad = sm.Config(dim=64, n_layer=2, n_head=4, ffn=96, kernel=5, vocab=cfg.vocab[:-1] + [bad], ctx=200)
        train_speech.write_gguf(cfg_bad, model, os.path.join(out, "asr-vocab-%s.gguf" % name))
    words, lp = lexicon()
    train_speech.write_gguf(cfg, model, os.path.join(out, "asr-lex.gguf"), train_speech.lexicon_keys(words, lp, 8, 0.5))
    train_speech.write_gguf(cfg, model, os.path.join(out, "asr-lex-flat.gguf"),
                            train_speech.lexicon_keys(words, lp, 8, 0.0))
    train_speech.write_gguf(cfg, model, os.path.join(out, "asr-lex-beam1.gguf"),
                            train_speech.lexicon_keys(words, lp, 1, 0.5))
    for name, keys in bad_lexicons().items():
        train_speech.write_gguf(cfg, model, os.path.join(out, "asr-lex-%s.gguf" % name), keys)
    # a vocabulary without the space token cannot separate the lexicon's words
    cfg_nospace = sm.Config(dim=64, n_layer=2, n_head=4, ffn=96, kernel=5, vocab=[""] + ["_"] + cfg.vocab[2:], ctx=200)
    train_speech.write_gguf(cfg_nospace, model, os.path.join(out, "asr-lex-nospace.gguf"),
                            train_speech.lexicon_keys(words, lp, 8, 0.5))
    ref = sm.SpeechModel(cfg)
    sm.load_weights(ref, deq)
    t = np.arange(int(1.3 * sm.SAMPLE_RATE)) / sm.SAMPLE_RATE
    sig = 0.3 * np.sin(2 * np.pi * (200 + 900 * t) * t) + 0.2 * np.sin(2 * np.pi * 1800 * t * t)
    sig += 0.05 * np.random.default_rng(7).standard_normal(t.size)
    pcm = np.clip(np.round(sig * 32767), -32768, 32767).astype(np.int16)
    with wave.open(os.path.join(out, "asr-rand.wav"), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sm.SAMPLE_RATE)
        w.writeframes(pcm.tobytes())
    feats = sm.log_mel(pcm, sm.hann(sm.WIN), sm.mel_filters())
    with torch.no_grad():
        logits, _ = ref(feats[None])
    norm = (feats - ref.mean) * ref.istd
    ids = sm.ctc_greedy(logits[0].argmax(-1).tolist())
    assert any(i >= 29 for i in ids), "the reference text uses no word piece"
    text = train_speech.decode_ids(ids, cfg.vocab)
    with open(os.path.join(out, "asr-rand.ref"), "w") as f:
        f.write("feats %d %d\n" % tuple(norm.shape))
        for row in norm.tolist():
            f.write(" ".join("%.8g" % v for v in row) + "\n")
        f.write("logits %d %d\n" % tuple(logits[0].shape))
        for row in logits[0].tolist():
            f.write(" ".join("%.8g" % v for v in row) + "\n")
        f.write("text %d %s\n" % (len(text), text.encode().hex()))
        beam = cl.decode(logits[0].numpy(), cfg.vocab, words, lp, 8, 0.5)
        assert beam, "the lexicon beam text is empty"
        f.write("beam %d %s\n" % (len(beam), beam.encode().hex()))


if __name__ == "__main__":
    main()
