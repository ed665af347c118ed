#!/usr/bin/env python3
"""Differential test of ncScript arithmetic and control flow against Python as an
independent oracle. Generates random Int expression programs (+ - * / %, unary
minus, the bit operations & | ^ << >> and `!`, comparisons, && ||, if/else, let
bindings, compound bit assignments, a while loop, and unparenthesised operator
chains), computes the expected result with ncScript's documented semantics
(64-bit Ints, overflow and division by zero are errors, / truncates toward zero,
% takes the dividend's sign, shifts by 0..63 only, >> is arithmetic, << drops the
bits shifted out; Rust's precedence table; evaluation left to right), runs
`ncs run`, and prints PASS/FAIL lines.
Usage: ncs_oracle.py NCS_BINARY N_PROGRAMS SEED"""
import random
import subprocess
import sys
import tempfile
import os

LO, HI = -(1 << 63), (1 << 63) - 1


class Fail(Exception):
    def __init__(self, kind):
        self.kind = kind


def chk(v):
    if v < LO or v > HI:
        raise Fail("overflow")
    return v


def tdiv(a, b):
    if b == 0:
        raise Fail("divzero")
    q = abs(a) // abs(b)
    return chk(q if (a >= 0) == (b >= 0) else -q)


def wrap(v):
    v &= (1 << 64) - 1
    return v - (1 << 64) if v >> 63 else v


def bitop(op, a, b):
    if op in ("<<", ">>"):
        if b < 0 or b > 63:
            raise Fail("overflow")
        return wrap(a << b) if op == "<<" else a >> b
    return {"&": a & b, "|": a | b, "^": a ^ b}[op]


# Rust's binary precedence (higher binds tighter), all left-associative.
PREC = {"*": 9, "+": 8, "-": 8, "<<": 7, ">>": 7, "&": 6, "^": 5, "|": 4}


def tmod(a, b):
    if b == 0:
        raise Fail("divzero")
    r = abs(a) % abs(b)
    return r if a >= 0 else -r


class Gen:
    def __init__(self, rng):
        self.rng = rng
        self.vars = []

    def atom(self):
        r = self.rng.random()
        if self.vars and r < 0.4:
            name = self.rng.choice(self.vars)
            return name, ("var", name)
        if r < 0.5:
            v = self.rng.choice([0, 1, -1, 2, 7, 1 << 31, (1 << 62), HI])
        else:
            v = self.rng.randint(-1000, 1000)
        return (f"({v})" if v < 0 else str(v)), ("int", v)

    def int_expr(self, d):
        if d <= 0 or self.rng.random() < 0.2:
            return self.atom()
        k = self.rng.random()
        if k < 0.4:
            op = self.rng.choice(["+", "-", "*", "/", "%"])
            a, ea = self.int_expr(d - 1)
            b, eb = self.int_expr(d - 1)
            return f"({a} {op} {b})", ("bin", op, ea, eb)
        if k < 0.55:
            op = self.rng.choice(["&", "|", "^", "<<", ">>"])
            a, ea = self.int_expr(d - 1)
            b, eb = self.small() if op in ("<<", ">>") and self.rng.random() < 0.7 else self.int_expr(d - 1)
            return f"({a} {op} {b})", ("bin", op, ea, eb)
        if k < 0.6:
            return self.chain()
        if k < 0.7:
            a, ea = self.int_expr(d - 1)
            return f"(-{a})", ("neg", ea)
        if k < 0.75:
            a, ea = self.int_expr(d - 1)
            return f"(!{a})", ("not", ea)
        c, ec = self.bool_expr(d - 1)
        a, ea = self.int_expr(d - 1)
        b, eb = self.int_expr(d - 1)
        return f"(if {c} {{ {a} }} else {{ {b} }})", ("if", ec, ea, eb)

    def small(self):
        v = self.rng.randint(-1, 64)
        return (f"({v})" if v < 0 else str(v)), ("int", v)

    def chain(self):
        """a op b op c ... without parentheses; the tree follows PREC."""
        atoms = [self.small() if self.rng.random() < 0.5 else self.atom() for _ in range(self.rng.randint(2, 5))]
        ops = [self.rng.choice(list(PREC)) for _ in atoms[1:]]
        pos = [0]

        def climb(min_prec):
            lhs = atoms[pos[0]][1]
            while pos[0] < len(ops) and PREC[ops[pos[0]]] >= min_prec:
                op = ops[pos[0]]
                pos[0] += 1
                rhs = climb(PREC[op] + 1)
                lhs = ("bin", op, lhs, rhs)
            return lhs

        text = atoms[0][0] + "".join(f" {op} {a[0]}" for op, a in zip(ops, atoms[1:]))
        return f"({text})", climb(0)

    def bool_expr(self, d):
        k = self.rng.random()
        if d <= 0 or k < 0.6:
            op = self.rng.choice(["<", "<=", ">", ">=", "==", "!="])
            a, ea = self.int_expr(d - 1)
            b, eb = self.int_expr(d - 1)
            return f"({a} {op} {b})", ("cmp", op, ea, eb)
        op = self.rng.choice(["&&", "||"])
        a, ea = self.bool_expr(d - 1)
        b, eb = self.bool_expr(d - 1)
        return f"({a} {op} {b})", ("logic", op, ea, eb)


def ev(e, env):
    t = e[0]
    if t == "int":
        return e[1]
    if t == "var":
        return env[e[1]]
    if t == "neg":
        return chk(-ev(e[1], env))
    if t == "not":
        return ~ev(e[1], env)
    if t == "bin":
        a = ev(e[2], env)
        b = ev(e[3], env)
        op = e[1]
        if op == "+":
            return chk(a + b)
        if op == "-":
            return chk(a - b)
        if op == "*":
            return chk(a * b)
        if op == "/":
            return tdiv(a, b)
        if op == "%":
            return tmod(a, b)
        return bitop(op, a, b)
    if t == "if":
        return ev(e[2], env) if ev(e[1], env) else ev(e[3], env)
    if t == "cmp":
        a = ev(e[2], env)
        b = ev(e[3], env)
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b, "==": a == b, "!=": a != b}[e[1]]
    if t == "logic":
        a = ev(e[2], env)
        if e[1] == "&&":
            return a and ev(e[3], env)
        return a or ev(e[3], env)
    raise ValueError(t)


def program(rng):
    g = Gen(rng)
    lines, env, failure = [], {}, None
    for i in range(rng.randint(0, 3)):
        src, e = g.int_expr(3)
        name = f"v{i}"
        lines.append(f"    let {name} = {src};")
        if failure is None:
            try:
                env[name] = ev(e, env)
            except Fail as f:
                failure = f.kind
        g.vars.append(name)
    # a compound bit assignment
    a, ea = g.int_expr(2)
    op = rng.choice(["&", "|", "^", "<<", ">>"])
    b, eb = g.small() if op in ("<<", ">>") else g.int_expr(2)
    lines.append(f"    let mut bw = {a};")
    lines.append(f"    bw {op}= {b};")
    if failure is None:
        try:
            env["bw"] = bitop(op, ev(ea, env), ev(eb, env))
        except Fail as f:
            failure = f.kind
    g.vars.append("bw")
    # a counting loop folding one more expression in
    src, e = g.int_expr(2)
    n = rng.randint(0, 5)
    lines.append("    let mut acc = 0;")
    lines.append("    let mut i = 0;")
    lines.append(f"    while i < {n} {{ acc = acc + ({src}) % 1000; i += 1; }}")
    if failure is None:
        try:
            acc = 0
            for _ in range(n):
                acc = chk(acc + tmod(ev(e, env), 1000))
            env["acc"] = acc
        except Fail as f:
            failure = f.kind
    g.vars.append("acc")
    src, e = g.int_expr(4)
    lines.append(f"    {src}")
    if failure is None:
        try:
            want = ev(e, env)
        except Fail as f:
            failure = f.kind
    text = "fn main() {\n" + "\n".join(lines) + "\n}\n"
    return text, (failure if failure else want)


def main():
    ncs, count, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rng = random.Random(seed)
    kinds = {"overflow": "NC_NCS_ERR_OVERFLOW", "divzero": "NC_NCS_ERR_DIV_ZERO"}
    bad = 0
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "p.ncs")
        for i in range(count):
            text, want = program(rng)
            with open(path, "w") as f:
                f.write(text)
            r = subprocess.run([ncs, "run", path], capture_output=True, text=True)
            if isinstance(want, str):
                ok = r.returncode == 2 and kinds[want] in r.stderr
                got = f"status {r.returncode}: {r.stderr.strip()[:120]}"
            else:
                ok = r.returncode == 0 and r.stdout.strip() == f"=> {want}"
                got = f"status {r.returncode}: {r.stdout.strip()[:80]} {r.stderr.strip()[:80]}"
            if not ok:
                bad += 1
                if bad <= 5:
                    print(f"FAIL ncs_oracle.seed{seed}_program_{i}: wanted {want}, got {got}\n{text}")
    if bad == 0:
        print(f"PASS ncs_oracle.seed{seed}_{count}_programs_match_python")
    else:
        print(f"FAIL ncs_oracle.seed{seed}: {bad} of {count} programs differ")


main()
