#!/usr/bin/python3
"""Train the speech-to-text model and write tools/models/tiny-asr-f16.gguf with its
PyTorch reference transcriptions (tiny-asr-f16.ref).

    nice -n 19 /usr/bin/python3 tools/models/train_speech.py [--steps N] [--export-only]

Data (tools/models/speech_data.py): sentences of Vim's documentation spoken by
espeak-ng with several voices, speeds and pitches, noise and reverb by sox, rendered
into build/speech/. Model (speech_model.py): log-mel, convolutional subsampling, a
4-layer transformer encoder, character CTC. Training is bounded by a step count
(default 4000 steps of about 4000 input frames), every random choice is seeded,
and the run resumes from its last checkpoint in build/speech/ (the script can be
stopped and started again). One thread (more are slower on a shared machine).

The GGUF also carries the decoder's lexicon: the words of the training text (all
training sentences, never the held-out ones) with their unigram log priors, the beam
width and the prior weight (tools/models/ctc_lexicon.py).

The .ref file: per held-out utterance (seen voices, then the unseen voice variant)
its name, the SHA-256 of its WAV, the true text, the text of the lexicon beam search
(ctc_lexicon.py, the default decoding) over the logits PyTorch computes from the
weights as stored in the GGUF (F16 matrices dequantized), the rendering parameters
and the greedy CTC text; then the word error rates of both decodings.
"""
import argparse
import hashlib
import math
import os
import random
import sys
import time
import wave

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gguf_reader  # noqa: E402
import gguf_writer as gw  # noqa: E402
import speech_data as sd  # noqa: E402
import speech_model as sm  # noqa: E402
import ctc_lexicon as cl  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
WORK = os.path.join(ROOT, "build", "speech")
OUT = os.path.join(HERE, "tiny-asr-f16")
SEED = 18
MAX_TRAIN = 3000
FRAMES_PER_BATCH = 4000
CKPT_EVERY_S = 300


def read_wav(path):
    with wave.open(path, "rb") as w:
        assert w.getnchannels() == 1 and w.getsampwidth() == 2 and w.getframerate() == sm.SAMPLE_RATE
        return np.frombuffer(w.readframes(w.getnframes()), dtype=np.int16)


def encode_text(text, vocab):
    """text as token ids of vocab (characters, merged into vocab's word pieces)."""
    index = {s: i for i, s in enumerate(vocab)}
    return [index[p] for p in sd.split_pieces(text, vocab[len(sd.ALPHABET) + 1:])]


def decode_ids(ids, vocab):
    return "".join(vocab[i] for i in ids)


def features(split_dir, log):
    """(log-mel as float16, text) per utterance of the split, cached in
    feats.pt (a cache of the first rows of the index is extended)."""
    cache = os.path.join(split_dir, "feats.pt")
    out = torch.load(cache) if os.path.exists(cache) else []
    window, filters = sm.hann(sm.WIN), sm.mel_filters()
    rows = sd.read_index(split_dir)
    if len(out) == len(rows):
        return out
    for i in range(len(out), len(rows)):
        name, text, _ = rows[i]
        f = sm.log_mel(read_wav(os.path.join(split_dir, name + ".wav")), window, filters)
        out.append((f.half(), text))
        if i % 2000 == 0:
            log("features %s: %d/%d" % (split_dir, i, len(rows)))
    torch.save(out, cache)
    return out


def batches(data, rng):
    """Lists of indices with similar lengths, about FRAMES_PER_BATCH frames each."""
    order = sorted(range(len(data)), key=lambda i: (data[i][0].shape[0], rng.random()))
    out, cur, longest = [], [], 0
    for i in order:
        n = data[i][0].shape[0]
        if cur and max(longest, n) * (len(cur) + 1) > FRAMES_PER_BATCH:
            out.append(cur)
            cur, longest = [], 0
        cur.append(i)
        longest = max(longest, n)
    if cur:
        out.append(cur)
    rng.shuffle(out)
    return out


def spec_augment(x, rng):
    """Two frequency masks (<= 8 bins) and two time masks (<= 15 frames) per utterance;
    masked values become the utterance's mean (x is un-normalised log-mel)."""
    for b in range(x.shape[0]):
        fill = x[b].mean()
        for _ in range(2):
            w = rng.randint(0, 8)
            f0 = rng.randint(0, sm.N_MELS - w)
            x[b, :, f0:f0 + w] = fill
            w = rng.randint(0, 15)
            t0 = rng.randint(0, max(0, x.shape[1] - w))
            x[b, t0:t0 + w, :] = fill
    return x


def collate(data, idx, rng=None):
    T = max(data[i][0].shape[0] for i in idx)
    x = torch.zeros(len(idx), T, sm.N_MELS)
    n = torch.zeros(len(idx), dtype=torch.long)
    for j, i in enumerate(idx):
        f = data[i][0].float()
        x[j, :f.shape[0]] = f
        x[j, f.shape[0]:] = f.mean()
        n[j] = f.shape[0]
    if rng is not None:
        x = spec_augment(x, rng)
    y = torch.cat([data[i][1] for i in idx])
    ylen = torch.tensor([len(data[i][1]) for i in idx])
    return x, n, y, ylen


def lr_at(step, a):
    """Linear warm-up over a.warmup steps to a.peak_lr, then cosine decay to 5% of it at a.steps."""
    if step < a.warmup:
        return a.peak_lr * (step + 1) / a.warmup
    return a.peak_lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * (step - a.warmup) / (a.steps - a.warmup))))


def init_weights(model, path):
    """model's weights (and log-mel normalisation) from the GGUF file at path. When
    the file's vocabulary is shorter (a character model), each further token's
    output row and bias are the mean of its characters'."""
    w = gguf_reader.read_tensors(path)
    vocab = model.cfg.vocab
    have = w["output.weight"].shape[0]
    if have < len(vocab):
        index = {s: i for i, s in enumerate(vocab[:have])}
        for k in ("output.weight", "output.bias"):
            rows = [w[k][[index[ch] for ch in tok]].mean(0) for tok in vocab[have:]]
            w[k] = np.concatenate([w[k], np.stack(rows)])
    sm.load_weights(model, w)


def train(cfg, data, a, dirs, log):
    ckpt = a.ckpt
    torch.manual_seed(a.seed)
    model = sm.SpeechModel(cfg)
    if a.init:
        init_weights(model, a.init)
        log("initial weights (and log-mel normalisation) from %s" % a.init)
    else:
        feats = torch.cat([f.float() for f, _ in data[:3000]])
        model.mean.copy_(feats.mean(0))
        model.istd.copy_(1.0 / feats.std(0))
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, betas=(0.9, 0.98), weight_decay=0.01)
    step, epoch, pos = 0, 0, 0
    if os.path.exists(ckpt):
        st = torch.load(ckpt)
        model.load_state_dict(st["model"])
        opt.load_state_dict(st["opt"])
        step, epoch, pos = st["step"], st["epoch"], st["pos"]
        torch.set_rng_state(st["torch_rng"])
        log("resumed at step %d (epoch %d)" % (step, epoch))
    t0 = last_ckpt = time.time()
    avg = None
    steps = a.steps
    while step < steps:
        rng = random.Random(a.seed * 1000 + epoch)
        plan = batches(data, rng)
        aug = random.Random(a.seed * 7919 + epoch)
        while pos < len(plan) and step < steps:
            for g in opt.param_groups:
                g["lr"] = lr_at(step, a)
            x, n, y, ylen = collate(data, plan[pos], aug)
            logits, n_out = model(x, n)
            logp = F.log_softmax(logits, dim=-1).transpose(0, 1)
            loss = F.ctc_loss(logp, y, n_out, ylen, blank=0, zero_infinity=True)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            avg = loss.item() if avg is None else 0.98 * avg + 0.02 * loss.item()
            step += 1
            pos += 1
            if step % 100 == 0:
                log("step %d epoch %d  %.0fs  lr %.2e  loss %.3f" % (step, epoch, time.time() - t0,
                                                                    lr_at(step, a), avg))
            if a.eval_every and step % a.eval_every == 0:
                model.eval()
                e, n, _ = evaluate(model, dirs["test_seen"], a.eval_files)
                model.train()
                log("step %d  WER test_seen[:%d] %.2f%% (monitoring only)" % (step, a.eval_files, 100.0 * e / n))
            if time.time() - last_ckpt > CKPT_EVERY_S or step == steps:
                torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step,
                            "epoch": epoch, "pos": pos, "torch_rng": torch.get_rng_state()}, ckpt + ".tmp")
                os.replace(ckpt + ".tmp", ckpt)
                last_ckpt = time.time()
        if pos >= len(plan):
            epoch, pos = epoch + 1, 0
    return model


def lexicon_keys(words, log_prior, beam_width=cl.BEAM_WIDTH, weight=cl.PRIOR_WEIGHT):
    """The decoder's GGUF metadata: [(key, type, value, is_array)]."""
    a = sm.ARCH
    return [(a + ".lexicon", gw.T_STRING, list(words), True),
            (a + ".lexicon.log_prior", gw.T_FLOAT32, [float(p) for p in log_prior], True),
            (a + ".decoder.beam_width", gw.T_UINT32, beam_width, False),
            (a + ".decoder.prior_weight", gw.T_FLOAT32, weight, False)]


def write_gguf(cfg, model, path, keys=()):
    """keys: more metadata, e.g. lexicon_keys(...). Returns the weights as stored
    (dequantized float32)."""
    w = gw.GGUFWriter()
    a = sm.ARCH
    w.add("general.architecture", gw.T_STRING, a)
    w.add("general.name", gw.T_STRING, "nexacore-tiny-asr")
    w.add("general.file_type", gw.T_UINT32, 1)
    u32 = [("sample_rate", sm.SAMPLE_RATE), ("frontend.n_fft", sm.N_FFT), ("frontend.window_length", sm.WIN),
           ("frontend.hop_length", sm.HOP), ("frontend.n_mels", sm.N_MELS), ("context_length", cfg.ctx),
           ("embedding_length", cfg.dim), ("block_count", cfg.n_layer), ("feed_forward_length", cfg.ffn),
           ("attention.head_count", cfg.n_head), ("conv_kernel", cfg.kernel)]
    for key, v in u32:
        w.add(a + "." + key, gw.T_UINT32, v)
    w.add(a + ".frontend.log_offset", gw.T_FLOAT32, sm.LOG_OFFSET)
    w.add(a + ".attention.layer_norm_epsilon", gw.T_FLOAT32, cfg.eps)
    w.add_array(a + ".vocabulary", gw.T_STRING, cfg.vocab)
    for key, t, v, is_array in keys:
        if is_array:
            w.add_array(key, t, v)
        else:
            w.add(key, t, v)
    weights = {"frontend.window": sm.hann(sm.WIN), "frontend.mel_filters": sm.mel_filters()}
    weights.update(sm.named_weights(model))
    deq = {}
    for name, arr in weights.items():
        t = gw.GGML_F16 if arr.ndim >= 2 and not name.startswith("frontend.") else gw.GGML_F32
        raw, back = gw.encode_tensor(arr, t)
        w.add_tensor(name, list(reversed(arr.shape)), t, raw)
        deq[name] = back.reshape(arr.shape)
    w.write(path)
    return deq


def logits_of(model, samples):
    f = sm.log_mel(samples, sm.hann(sm.WIN), sm.mel_filters())
    with torch.no_grad():
        logits, _ = model(f[None])
    return logits[0].numpy()


def transcribe(model, samples):
    return decode_ids(sm.ctc_greedy(logits_of(model, samples).argmax(-1).tolist()), model.cfg.vocab)


def word_errors(ref, hyp):
    r, h = ref.split(), hyp.split()
    d = list(range(len(h) + 1))
    for i in range(1, len(r) + 1):
        prev, d[0] = d[0], i
        for j in range(1, len(h) + 1):
            cur = min(d[j] + 1, d[j - 1] + 1, prev + (r[i - 1] != h[j - 1]))
            prev, d[j] = d[j], cur
    return d[len(h)], len(r)


def evaluate(model, split_dir, limit=None):
    """(word errors, words, [(name, text, params, transcription)]) over the split's
    first limit utterances (all when None)."""
    errs = words = 0
    out = []
    for name, text, params in sd.read_index(split_dir)[:limit]:
        hyp = transcribe(model, read_wav(os.path.join(split_dir, name + ".wav")))
        e, n = word_errors(text, hyp)
        errs, words = errs + e, words + n
        out.append((name, text, params, hyp))
    return errs, words, out


def export(cfg, model, dirs, out, lexicon, log):
    deq = write_gguf(cfg, model, out + ".gguf", lexicon_keys(*lexicon))
    ref = sm.SpeechModel(cfg)
    sm.load_weights(ref, deq)
    ref.eval()
    lines = ["# PyTorch reference transcriptions (tools/models/train_speech.py) of %s.gguf" %
             os.path.basename(out),
             "# utt NAME SHA256 TRUE_TEXT_HEX LEXICON_BEAM_TEXT_HEX PARAMS GREEDY_TEXT_HEX",
             "# wer SPLIT ERRORS WORDS RATE (lexicon beam search), wer_greedy SPLIT ERRORS WORDS RATE"]
    for split in ("test_seen", "test_unseen"):
        errs = {"beam": 0, "greedy": 0}
        words = 0
        for name, text, params in sd.read_index(dirs[split]):
            path = os.path.join(dirs[split], name + ".wav")
            logits = logits_of(ref, read_wav(path))
            hyp = {"greedy": decode_ids(sm.ctc_greedy(logits.argmax(-1).tolist()), cfg.vocab),
                   "beam": cl.decode(logits, cfg.vocab, lexicon[0], lexicon[1], cl.BEAM_WIDTH, cl.PRIOR_WEIGHT)}
            for k in errs:
                errs[k] += word_errors(text, hyp[k])[0]
            words += len(text.split())
            with open(path, "rb") as fh:
                digest = hashlib.sha256(fh.read()).hexdigest()
            lines.append("utt %s %s %s %s %s %s" % (name, digest, text.encode().hex(), hyp["beam"].encode().hex(),
                                                    params.replace(" ", ","), hyp["greedy"].encode().hex()))
        lines.append("wer %s %d %d %.4f" % (split, errs["beam"], words, errs["beam"] / words))
        lines.append("wer_greedy %s %d %d %.4f" % (split, errs["greedy"], words, errs["greedy"] / words))
        for k in ("beam", "greedy"):
            log("WER %s (%s): %d/%d = %.2f%%" % (split, k, errs[k], words, 100.0 * errs[k] / words))
    lines.append("end")
    with open(out + ".ref", "w") as f:
        f.write("\n".join(lines) + "\n")
    log("wrote %s.gguf (%d bytes) and .ref" % (out, os.path.getsize(out + ".gguf")))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=4000)
    ap.add_argument("--renders", type=int, default=1)
    ap.add_argument("--max-train", type=int, default=MAX_TRAIN)
    ap.add_argument("--init", metavar="GGUF", help="start from this model's weights (e.g. a committed one)")
    ap.add_argument("--peak-lr", type=float, default=2e-3)
    ap.add_argument("--warmup", type=int, default=300)
    ap.add_argument("--eval-every", type=int, default=0, help="log the WER of test_seen's first files")
    ap.add_argument("--eval-files", type=int, default=50)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=SEED, help="of the initialisation, batch order and masking")
    ap.add_argument("--pieces", type=int, default=0,
                    help="word pieces learned from the training text as output tokens (0: characters only)")
    ap.add_argument("--ckpt", default=os.path.join(WORK, "ckpt.pt"), help="the run's checkpoint (resumed when present)")
    ap.add_argument("--out", default=OUT, help="writes OUT.gguf and OUT.ref")
    ap.add_argument("--export-only", action="store_true",
                    help="write OUT from the --init GGUF's weights, else from the --ckpt checkpoint")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)

    def log(s):
        print(time.strftime("%H:%M:%S ") + s, flush=True)
    os.makedirs(WORK, exist_ok=True)
    dirs = sd.make_sets(WORK, SEED, a.renders, a.max_train, 4, log)
    texts = [text for _, text, _ in sd.read_index(dirs["train"])]
    cfg = sm.Config(vocab=sm.vocabulary(sd.learn_pieces(texts, a.pieces)))
    log("vocabulary: %d tokens" % len(cfg.vocab))
    if a.export_only:
        model = sm.SpeechModel(cfg)
        if a.init:
            init_weights(model, a.init)
        else:
            model.load_state_dict(torch.load(a.ckpt)["model"])
    else:
        data = [(f, torch.tensor(encode_text(text, cfg.vocab))) for f, text in features(dirs["train"], log)]
        log("train: %d utterances, %.1f hours" % (len(data), sum(f.shape[0] for f, _ in data) / 360000))
        model = train(cfg, data, a, dirs, log)
    model.eval()
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    lexicon = cl.lexicon_from_text(sd.split_sentences(sd.load_sentences(), SEED)[0])
    log("lexicon: %d words of the training text" % len(lexicon[0]))
    export(cfg, model, dirs, a.out, lexicon, log)


if __name__ == "__main__":
    main()
