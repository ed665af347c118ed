"""The "ncasr" speech-to-text model in PyTorch: log-mel front end, convolutional
subsampling, a transformer encoder and a character CTC head. lib/ai computes the
same function (lib/ai/asr*.c); docs/ai-service.md describes the architecture and
its GGUF keys and tensors.

Front end (16 kHz mono): samples / 32768; frame t is samples [HOP*t, HOP*t + WIN)
(no centring; n_frames = (n - WIN) // HOP + 1) times a periodic Hann window, zero-
padded to N_FFT; power spectrum |rfft|^2 (N_FFT/2+1 bins); mel = power @ filters^T
(HTK mel scale, triangles 0..8 kHz); log(mel + LOG_OFFSET); then (x - mean) * istd
per mel bin (constants measured on training data, stored in the file).

Encoder: conv1 (n_mels -> d, kernel K, padding K//2) + SiLU; conv2 (d -> d, kernel
K, stride 2, padding K//2) + SiLU; plus sinusoidal positions (pe[t, 2i] =
sin(t / 10000^(2i/d)), pe[t, 2i+1] = cos(..)); n_layer pre-norm blocks
(LayerNorm -> multi-head self-attention over all frames, with biases -> residual;
LayerNorm -> Linear -> SiLU -> Linear -> residual); LayerNorm; Linear to the
vocabulary (0 = CTC blank, then ALPHABET's characters, then word pieces: strings
of letters and apostrophes, speech_data.learn_pieces). Greedy CTC: argmax per
frame, merge repeats, drop blanks (ties: the lowest index); the text is the
concatenation of the tokens' strings.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

from speech_data import ALPHABET

SAMPLE_RATE = 16000
N_FFT = 512
WIN = 400
HOP = 160
N_MELS = 80
LOG_OFFSET = 1e-6
ARCH = "ncasr"


def hann(n):
    return (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n) / n)).astype(np.float32)


def mel_filters(n_mels=N_MELS, n_fft=N_FFT, sr=SAMPLE_RATE):
    def mel(f):
        return 2595.0 * np.log10(1.0 + f / 700.0)

    def hz(m):
        return 700.0 * (10 ** (m / 2595.0) - 1.0)
    pts = hz(np.linspace(mel(0.0), mel(sr / 2), n_mels + 2))
    freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    fb = np.zeros((n_mels, n_fft // 2 + 1), dtype=np.float64)
    for m in range(n_mels):
        lo, c, hi = pts[m], pts[m + 1], pts[m + 2]
        up = (freqs - lo) / (c - lo)
        down = (hi - freqs) / (hi - c)
        fb[m] = np.maximum(0.0, np.minimum(up, down))
    return fb.astype(np.float32)


def log_mel(samples, window, filters):
    """samples: int16 numpy array -> (frames, n_mels) float32 tensor (not normalised)."""
    x = torch.from_numpy(samples.astype(np.float32) / 32768.0)
    if x.numel() < WIN:
        return torch.zeros((0, filters.shape[0]))
    frames = x.unfold(0, WIN, HOP) * torch.from_numpy(window)
    spec = torch.fft.rfft(frames, n=N_FFT)
    power = spec.real * spec.real + spec.imag * spec.imag
    return torch.log(power @ torch.from_numpy(filters).T + LOG_OFFSET)


def positions(n, d):
    t = torch.arange(n, dtype=torch.float64)[:, None]
    inv = 10000.0 ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
    pe = torch.zeros(n, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(t * inv)
    pe[:, 1::2] = torch.cos(t * inv)
    return pe.float()


def vocabulary(pieces=()):
    """The output tokens' strings: the CTC blank, the characters, the word pieces."""
    return [""] + list(ALPHABET) + list(pieces)


def subsampled(n_frames):
    return (n_frames - 1) // 2 + 1 if n_frames > 0 else 0


class Config:
    def __init__(self, dim=128, n_layer=4, n_head=4, ffn=512, kernel=5, vocab=None, ctx=1500, eps=1e-5):
        self.dim, self.n_layer, self.n_head, self.ffn = dim, n_layer, n_head, ffn
        self.kernel, self.ctx, self.eps = kernel, ctx, eps
        self.vocab = vocab if vocab is not None else vocabulary()   # token strings


class SpeechModel(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = c = cfg
        nn = torch.nn
        self.conv1 = nn.Conv1d(N_MELS, c.dim, c.kernel, padding=c.kernel // 2)
        self.conv2 = nn.Conv1d(c.dim, c.dim, c.kernel, stride=2, padding=c.kernel // 2)
        self.blocks = nn.ModuleList()
        for _ in range(c.n_layer):
            self.blocks.append(nn.ModuleDict({
                "attn_norm": nn.LayerNorm(c.dim, eps=c.eps),
                "attn_qkv": nn.Linear(c.dim, 3 * c.dim),
                "attn_output": nn.Linear(c.dim, c.dim),
                "ffn_norm": nn.LayerNorm(c.dim, eps=c.eps),
                "ffn_up": nn.Linear(c.dim, c.ffn),
                "ffn_down": nn.Linear(c.ffn, c.dim),
            }))
        self.output_norm = nn.LayerNorm(c.dim, eps=c.eps)
        self.output = nn.Linear(c.dim, len(c.vocab))
        self.register_buffer("mean", torch.zeros(N_MELS))
        self.register_buffer("istd", torch.ones(N_MELS))

    def forward(self, feats, n_frames=None):
        """feats: (B, T, n_mels) un-normalised log-mel; n_frames: (B,) valid frames or None.
        Returns (logits (B, T2, vocab), valid output frames (B,))."""
        c = self.cfg
        B, T, _ = feats.shape
        x = (feats - self.mean) * self.istd
        x = F.silu(self.conv1(x.transpose(1, 2)))
        x = F.silu(self.conv2(x)).transpose(1, 2)
        T2 = x.shape[1]
        x = x + positions(T2, c.dim)[None]
        if n_frames is None:
            n_frames = torch.full((B,), T)
        n_out = (n_frames - 1) // 2 + 1
        pad = torch.arange(T2)[None, :] >= n_out[:, None]   # (B, T2) True = padding
        hd = c.dim // c.n_head
        for b in self.blocks:
            h = b["attn_norm"](x)
            q, k, v = b["attn_qkv"](h).split(c.dim, dim=-1)
            q = q.view(B, T2, c.n_head, hd).transpose(1, 2)
            k = k.view(B, T2, c.n_head, hd).transpose(1, 2)
            v = v.view(B, T2, c.n_head, hd).transpose(1, 2)
            s = (q @ k.transpose(-1, -2)) / math.sqrt(hd)
            s = s.masked_fill(pad[:, None, None, :], float("-inf"))
            a = torch.softmax(s, dim=-1) @ v
            x = x + b["attn_output"](a.transpose(1, 2).reshape(B, T2, c.dim))
            x = x + b["ffn_down"](F.silu(b["ffn_up"](b["ffn_norm"](x))))
        return self.output(self.output_norm(x)), n_out


def ctc_greedy(ids):
    out, prev = [], -1
    for i in ids:
        if i != prev and i != 0:
            out.append(i)
        prev = i
    return out


def named_weights(model):
    """GGUF tensor name -> float32 numpy array in torch layout."""
    c = model.cfg
    w = {"frontend.mean": model.mean, "frontend.istd": model.istd,
         "conv1.weight": model.conv1.weight, "conv1.bias": model.conv1.bias,
         "conv2.weight": model.conv2.weight, "conv2.bias": model.conv2.bias,
         "output_norm.weight": model.output_norm.weight, "output_norm.bias": model.output_norm.bias,
         "output.weight": model.output.weight, "output.bias": model.output.bias}
    for i, b in enumerate(model.blocks):
        for part in ("attn_norm", "attn_qkv", "attn_output", "ffn_norm", "ffn_up", "ffn_down"):
            w["blk.%d.%s.weight" % (i, part)] = b[part].weight
            w["blk.%d.%s.bias" % (i, part)] = b[part].bias
    assert len(w) == 10 + 12 * c.n_layer
    out = {k: v.detach().numpy().astype(np.float32) for k, v in w.items()}
    for k in ("conv1.weight", "conv2.weight"):   # (d, in, K) -> (d, in * K): row o, column c * K + k
        out[k] = out[k].reshape(out[k].shape[0], -1)
    return out


def load_weights(model, weights):
    own = named_weights(model)
    params = {"frontend.mean": model.mean, "frontend.istd": model.istd}
    for name in own:
        if name in params:
            continue
        obj = model
        parts = name.split(".")
        if parts[0] == "blk":
            obj = model.blocks[int(parts[1])][parts[2]]
        else:
            obj = getattr(model, parts[0])
        params[name] = getattr(obj, parts[-1])
    with torch.no_grad():
        for name, p in params.items():
            p.copy_(torch.from_numpy(weights[name]).reshape(p.shape))
