#!/usr/bin/python3
"""lib/term against pyte (Debian's python3-pyte, an independent VT100/xterm
emulator): the same byte streams go into both, and the screens must agree:
every cell's character and background, the foreground and bold/underline/
reverse of every non-blank cell, the cursor, its visibility and the device
status replies. A fixed corpus covers each sequence lib/term implements; 400
random streams mix them (with foreground colours and attributes only: see
below). Where pyte departs from xterm, lib/term follows xterm and the
difference is left out here (term_test.c checks lib/term's side): the bright
colours 90-97/100-107 (pyte folds them into 30-37); the background of lines
that scrolling brings in (xterm fills them with the current background, pyte
with the default); the attributes of erased cells (pyte keeps bold and
reverse there, xterm only the background); CSI s/u, SU and SD (pyte ignores
them); ESC E (pyte does no carriage return); ESC 7/ESC 8 more than once (pyte
keeps a stack of saved cursors, xterm one); EL while the cursor waits to wrap (pyte
erases nothing, xterm the last column; generally any control or escape while
the cursor waits at the last column: such random streams are left out);
CUU/CUD outside a scroll region; wide
(CJK) characters.

Usage: term_pyte_test.py TERM_DUMP  (build/host/bin/term_dump)"""
import random
import subprocess
import sys

import pyte
import pyte.graphics as g

COLS, ROWS = 20, 8
NAMES = {name: i for i, name in enumerate(
    ["black", "red", "green", "brown", "blue", "magenta", "cyan", "white"])}
HEX = {}
for i, h in enumerate(g.FG_BG_256):
    HEX.setdefault(h, i)


def pyte_colour(c):
    if c == "default":
        return 256
    return NAMES[c] if c in NAMES else HEX[c]


def run_pyte(data):
    screen = pyte.Screen(COLS, ROWS)
    replies = []
    screen.write_process_input = replies.append
    stream = pyte.ByteStream(screen)
    for i in range(len(data)):
        stream.feed(data[i:i + 1])
        # pyte keeps lines sparse and its delete_lines skips lines never
        # touched (leaving stale text); touching every line avoids that bug
        for y in range(ROWS):
            screen.buffer[y]
    cells = []
    for r in range(ROWS):
        row = []
        for c in range(COLS):
            ch = screen.buffer[r][c]
            attr = (1 if ch.bold else 0) | (2 if ch.underscore else 0) | (4 if ch.reverse else 0)
            row.append((ord(ch.data) if ch.data else 32, pyte_colour(ch.fg), pyte_colour(ch.bg), attr))
        cells.append(row)
    return (screen.cursor.y, screen.cursor.x, 0 if screen.cursor.hidden else 1), cells, "".join(replies)


def run_ours(dump, data):
    out = subprocess.run([dump, str(COLS), str(ROWS)], input=data, capture_output=True, check=True).stdout
    lines = out.decode().splitlines()
    cur = tuple(int(x) for x in lines[0].split()[1:])
    cells = [[tuple(int(v) for v in cell.split(",")) for cell in line.split(" ")] for line in lines[1:1 + ROWS]]
    reply = bytes.fromhex(lines[1 + ROWS].split(" ", 1)[1] if " " in lines[1 + ROWS] else "").decode()
    return (cur, cells, reply), int(lines[2 + ROWS].split()[1])


def differences(a, b):
    (ca, cells_a, ra), (cb, cells_b, rb) = a, b
    out = []
    if ca != cb:
        out.append(f"cursor {ca} vs pyte {cb}")
    if ra != rb:
        out.append(f"reply {ra!r} vs pyte {rb!r}")
    for r in range(ROWS):
        for c in range(COLS):
            x, y = cells_a[r][c], cells_b[r][c]
            same = x[0] == y[0] and x[2] == y[2] and (x[0] == 32 or (x[1] == y[1] and x[3] == y[3]))
            if not same:
                out.append(f"cell {r},{c}: {x} vs pyte {y}")
    return out


CSI = "\x1b["
FIXED = [
    "hello\r\nworld",
    "x" * 45,                                             # autowrap over two lines, cursor waiting
    "a" * 20 + "\r\nb",
    "ab\bc\b\bX",
    "a\tb\tc\t\t\t\tz",
    "1\r\n2\r\n3\r\n4\r\n5\r\n6\r\n7\r\n8\r\n9\r\n10\r\n11",  # scrolling
    f"abcdef{CSI}3D{CSI}K|",
    f"abcdef{CSI}3D{CSI}1K|",
    f"abc\r\ndef{CSI}2K|",
    f"{CSI}5;7Hx{CSI}2;3fy{CSI}Hz",
    f"{CSI}3Bdown{CSI}2Aup{CSI}4Cright{CSI}10Gcol{CSI}5dline",
    "l1\r\nl2\r\nl3\r\nl4" + f"{CSI}2;1H{CSI}J",
    "l1\r\nl2\r\nl3\r\nl4" + f"{CSI}3;2H{CSI}1J",
    "l1\r\nl2\r\nl3" + f"{CSI}2J",
    f"abcdefgh{CSI}4G{CSI}2@XY",
    f"abcdefgh{CSI}3G{CSI}3P",
    f"abcdefgh{CSI}2G{CSI}4X",
    "a\r\nb\r\nc\r\nd" + f"{CSI}2;1H{CSI}2L",
    "a\r\nb\r\nc\r\nd" + f"{CSI}2;1H{CSI}1M",
    "top\r\n" + f"{CSI}2;5r" + "\r\n".join(str(i) for i in range(9)),
    f"{CSI}3;6r{CSI}3;1Hx{CSI}1Lnew",
    "a\r\nb\r\nc" + f"{CSI}1;1H\x1bMrev",
    "a\r\nb" + f"{CSI}3;6r{CSI}3;1H\x1bM\x1bMup",
    f"{CSI}31mred{CSI}42mongreen{CSI}0mplain",
    f"{CSI}1;4;7mbur{CSI}22;24;27mno",
    f"{CSI}38;5;123mx{CSI}48;5;200my{CSI}39;49mz",
    f"{CSI}44m{CSI}2K{CSI}K",                            # erase with the background colour
    f"abc\x1b7{CSI}5;5Hx\x1b8y",
    "\u00e9t\u00e9 \u20ac \u03a9mega",
    f"{CSI}?25lhidden",
    f"{CSI}?7l" + "n" * 30,                               # no autowrap: the last column is overwritten
    f"{CSI}6n{CSI}3;4H{CSI}6n{CSI}5n",
    f"\x1b]0;title\x07after\x1b]2;t2\x1b\\done",
    "\x1b(Bcharset\x1bDind",
    f"{CSI}99;99Hcorner",
    f"{CSI}0;0Hhome",
    "x" * 20 + "\b\by",
]

TOKENS_FINALS = "ABCDEFGHJKLMPXdm@"


def random_stream(rng):
    parts = []
    for _ in range(rng.randint(5, 40)):
        k = rng.random()
        if k < 0.35:
            parts.append("".join(rng.choice("abcdefghijklmnopqrstuvwxyz ") for _ in range(rng.randint(1, 25))))
        elif k < 0.5:
            parts.append(rng.choice(["\r", "\n", "\r\n", "\b", "\t", "\x1bD", "\x1bM"]))
        elif k < 0.6:
            parts.append(f"{CSI}{rng.choice([0, 1, 4, 7, 22, 24, 27])};{rng.randint(30, 37)}m")
        else:
            f = rng.choice(TOKENS_FINALS)
            if f == "m":
                parts.append(f"{CSI}{rng.choice(['', '0', '1', '31', '39'])}m")
            elif f == "H":
                parts.append(f"{CSI}{rng.randint(0, ROWS + 2)};{rng.randint(0, COLS + 2)}H")
            elif f in "JK":
                parts.append(f"{CSI}{rng.choice(['', '0', '1', '2'])}{f}")
            else:
                parts.append(f"{CSI}{rng.choice(['', str(rng.randint(0, 12))])}{f}")
    return "".join(parts)


def main():
    dump = sys.argv[1]
    failed = 0
    cases = [("fixed %d" % i, s) for i, s in enumerate(FIXED)]
    rng = random.Random(20261207)
    cases += [("random %d" % i, random_stream(rng)) for i in range(400)]
    skipped = 0
    for name, text in cases:
        data = text.encode()
        ours, wrap_controls = run_ours(dump, data)
        if wrap_controls and name.startswith("random"):
            skipped += 1
            continue
        diff = differences(ours, run_pyte(data))
        if diff:
            failed += 1
            print(f"FAIL term_pyte.{name}: {repr(text)[:200]}")
            for d in diff[:6]:
                print(f"  {d}")
    compared = len(cases) - skipped
    if compared < len(FIXED) + 250:
        failed += 1
        print(f"FAIL term_pyte.enough_streams: only {compared} compared")
    print(f"{'PASS' if not failed else 'FAIL'} term_pyte.screens_match ({compared - failed} of {compared} streams "
          f"agree; {skipped} random ones left out: a control came while the cursor waited to wrap)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
