"""A llama-architecture transformer in PyTorch, computed as llama.cpp computes a
GGUF "llama" model: RMSNorm (eps inside the root), rotary embedding on adjacent
pairs (x[2i], x[2i+1]) with theta = base^(-2i/head_dim) (llama.cpp's "normal"
RoPE, the layout its converter produces by permuting q/k), grouped-query
attention (query head h reads key/value head h // (n_head / n_head_kv)), SwiGLU
feed-forward, and optional Mixture-of-Experts layers: softmax over all expert
logits, keep the top k, renormalise their weights to sum 1, add the weighted
expert outputs.

Weights are stored as llama.cpp names them; nn.Linear weights are (out, in),
which is GGUF's ne = [in, out].
"""
import math

import torch
import torch.nn.functional as F


class Config:
    def __init__(self, **kw):
        self.vocab = kw["vocab"]
        self.dim = kw["dim"]
        self.n_layer = kw["n_layer"]
        self.n_head = kw["n_head"]
        self.n_head_kv = kw["n_head_kv"]
        self.ffn = kw["ffn"]
        self.ctx = kw["ctx"]
        self.n_expert = kw.get("n_expert", 0)
        self.n_expert_used = kw.get("n_expert_used", 0)
        self.eps = kw.get("eps", 1e-5)
        self.rope_base = kw.get("rope_base", 10000.0)

    @property
    def head_dim(self):
        return self.dim // self.n_head


def rmsnorm(x, w, eps):
    return x * torch.rsqrt((x * x).mean(-1, keepdim=True) + eps) * w


def rope(x, pos0, base):
    """x: (batch, seq, heads, head_dim); rotates adjacent pairs."""
    hd = x.shape[-1]
    seq = x.shape[1]
    inv = base ** (-torch.arange(0, hd, 2, dtype=torch.float64) / hd)
    ang = torch.arange(pos0, pos0 + seq, dtype=torch.float64)[:, None] * inv[None, :]
    cos = torch.cos(ang).to(x.dtype)[None, :, None, :]
    sin = torch.sin(ang).to(x.dtype)[None, :, None, :]
    x0, x1 = x[..., 0::2], x[..., 1::2]
    out = torch.stack([x0 * cos - x1 * sin, x0 * sin + x1 * cos], dim=-1)
    return out.flatten(-2)


class Model(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        c = cfg
        P = torch.nn.Parameter
        kvd = c.n_head_kv * c.head_dim

        def lin(o, i):
            return P(torch.randn(o, i) / math.sqrt(i))
        self.p = {}  # llama.cpp tensor name -> parameter (also registered below)
        self.p["token_embd.weight"] = P(torch.randn(c.vocab, c.dim) * 0.5)
        for L in range(c.n_layer):
            b = "blk.%d." % L
            self.p[b + "attn_norm.weight"] = P(torch.ones(c.dim))
            self.p[b + "attn_q.weight"] = lin(c.dim, c.dim)
            self.p[b + "attn_k.weight"] = lin(kvd, c.dim)
            self.p[b + "attn_v.weight"] = lin(kvd, c.dim)
            self.p[b + "attn_output.weight"] = P(torch.randn(c.dim, c.dim) / math.sqrt(c.dim) / math.sqrt(2 * c.n_layer))
            self.p[b + "ffn_norm.weight"] = P(torch.ones(c.dim))
            if c.n_expert:
                E = c.n_expert
                self.p[b + "ffn_gate_inp.weight"] = lin(E, c.dim)
                self.p[b + "ffn_gate_exps.weight"] = P(torch.randn(E, c.ffn, c.dim) / math.sqrt(c.dim))
                self.p[b + "ffn_up_exps.weight"] = P(torch.randn(E, c.ffn, c.dim) / math.sqrt(c.dim))
                self.p[b + "ffn_down_exps.weight"] = P(torch.randn(E, c.dim, c.ffn) / math.sqrt(c.ffn) / math.sqrt(2 * c.n_layer))
            else:
                self.p[b + "ffn_gate.weight"] = lin(c.ffn, c.dim)
                self.p[b + "ffn_up.weight"] = lin(c.ffn, c.dim)
                self.p[b + "ffn_down.weight"] = P(torch.randn(c.dim, c.ffn) / math.sqrt(c.ffn) / math.sqrt(2 * c.n_layer))
        self.p["output_norm.weight"] = P(torch.ones(c.dim))
        self.p["output.weight"] = lin(c.vocab, c.dim)
        # nn.Module names may not contain '.': register under '/' spellings.
        self.params = torch.nn.ParameterDict({k.replace(".", "/"): v for k, v in self.p.items()})

    def moe(self, b, x):
        c = self.cfg
        p = self.p
        logits = x @ p[b + "ffn_gate_inp.weight"].t()           # (..., E)
        probs = torch.softmax(logits, dim=-1)
        topv, topi = probs.topk(c.n_expert_used, dim=-1)
        w = topv / topv.sum(-1, keepdim=True)
        sparse = torch.zeros_like(probs).scatter(-1, topi, w)   # (..., E)
        g = torch.einsum("...d,efd->...ef", x, p[b + "ffn_gate_exps.weight"])
        u = torch.einsum("...d,efd->...ef", x, p[b + "ffn_up_exps.weight"])
        h = F.silu(g) * u
        y = torch.einsum("...ef,edf->...ed", h, p[b + "ffn_down_exps.weight"])
        # Switch-style balance term: fraction routed times mean probability.
        frac = (sparse > 0).float().mean(dim=tuple(range(sparse.dim() - 1)))
        self.aux = self.aux + c.n_expert * (frac * probs.mean(dim=tuple(range(probs.dim() - 1)))).sum()
        return (y * sparse[..., None]).sum(-2)

    def forward(self, ids, hidden=False):
        """ids: (batch, seq) -> logits (batch, seq, vocab), or the output-normed
        hidden states (batch, seq, dim) when hidden is True."""
        c = self.cfg
        p = self.p
        B, T = ids.shape
        self.aux = torch.zeros(())
        x = p["token_embd.weight"][ids]
        mask = torch.full((T, T), float("-inf")).triu(1)
        rep = c.n_head // c.n_head_kv
        for L in range(c.n_layer):
            b = "blk.%d." % L
            h = rmsnorm(x, p[b + "attn_norm.weight"], c.eps)
            q = (h @ p[b + "attn_q.weight"].t()).view(B, T, c.n_head, c.head_dim)
            k = (h @ p[b + "attn_k.weight"].t()).view(B, T, c.n_head_kv, c.head_dim)
            v = (h @ p[b + "attn_v.weight"].t()).view(B, T, c.n_head_kv, c.head_dim)
            q = rope(q, 0, c.rope_base).transpose(1, 2)
            k = rope(k, 0, c.rope_base).transpose(1, 2).repeat_interleave(rep, dim=1)
            v = v.transpose(1, 2).repeat_interleave(rep, dim=1)
            att = (q @ k.transpose(-1, -2)) / math.sqrt(c.head_dim) + mask
            o = (torch.softmax(att, dim=-1) @ v).transpose(1, 2).reshape(B, T, c.dim)
            x = x + o @ p[b + "attn_output.weight"].t()
            h = rmsnorm(x, p[b + "ffn_norm.weight"], c.eps)
            if c.n_expert:
                x = x + self.moe(b, h)
            else:
                g = h @ p[b + "ffn_gate.weight"].t()
                u = h @ p[b + "ffn_up.weight"].t()
                x = x + (F.silu(g) * u) @ p[b + "ffn_down.weight"].t()
        x = rmsnorm(x, p["output_norm.weight"], c.eps)
        if hidden:
            return x
        return x @ p["output.weight"].t()
