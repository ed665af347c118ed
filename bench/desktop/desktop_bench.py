"""Desktop benchmarks (docs/desktop.md, "Benchmarks"): one boot of the desktop
(init runs `desktop test`) under plain TCG (TSC cycles) and one under
-icount shift=0 (TSC = guest instructions), each on one CPU:
  compose  the compositor composes the full 1280x800 screen, then a typical
           damaged region (one terminal row), each against the baseline of
           only copying the same rectangle to the framebuffer
  lines    termbench (bench/desktop/termbench.c, `cat` with a clock) writes
           2000 lines into a terminal window, then, after the compositor is
           killed, 2000 lines to the kernel's framebuffer console: the
           terminal's lines per second against the console's.
Reported, never asserted."""
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../scripts"))
from qemu_driver import Machine, image_with_manifest  # noqa: E402

LINES = 2000
ROUNDS = 15
ROW_H = 17  # a row of the terminal's cells (DejaVu Sans Mono 15 px)
TITLE_H, BORDER = 24, 1


def cmd(m, line, until, timeout=300):
    m.send(line + "\r", delay=0.002)
    return m.expect(until, timeout=timeout)


def bench(m, name, x, y, w, h):
    r = cmd(m, f"bench {x} {y} {w} {h} {ROUNDS}", r"desk: bench rounds=\d+ tsc=(\d+) copy=(\d+)")
    tsc, copy = int(r.group(1)), int(r.group(2))
    return f"bench desktop.compose_{name} ({w}x{h}): {tsc} UNIT per frame ({tsc / max(copy, 1):.2f} x copying it)"


def terminal_row(m):
    """The screen rectangle of the terminal window's first row of cells."""
    start = m.seen
    cmd(m, "state", r"desk: end[^\n]*\n")
    w = re.search(r"desk: window id=\d+ x=(-?\d+) y=(-?\d+) w=\d+ h=\d+ cw=(\d+) ch=\d+ .*title=Terminal",
                  m.text_since(start))
    return int(w.group(1)) + BORDER, int(w.group(2)) + TITLE_H, int(w.group(3)), ROW_H


def lines(m, where):
    r = m.expect(rf"bench desktop\.{where}_lines: (\d+) lines, (\d+) TSC per line, (\d+) lines/s", timeout=600)
    return int(r.group(2)), int(r.group(3))


def run(unit, extra):
    work = tempfile.mkdtemp(prefix="nc-deskbench-")
    image = image_with_manifest("build/initrd-root", "build/esp.img", "desktop test", work,
                                add=["build/user/bin/termbench"])
    out = []
    with Machine(image, log=f"build/test-logs/deskbench-{unit}.serial", smp=1, extra=extra) as m:
        m.expect(r"desk: desktop up", timeout=300)
        cmd(m, "sync", r"desk: end[^\n]*\n")
        out.append(bench(m, "full_frame", 0, 0, 1280, 800))
        out.append(bench(m, "terminal_row", *terminal_row(m)))
        cmd(m, f"type run termbench {LINES}", r"desk: end[^\n]*\n")
        m.send("key 28 1\rkey 28 0\r", delay=0.002)
        t_cost, t_rate = lines(m, "terminal")
        cmd(m, "kill compositor", r"desk: compositor ended[^\n]*\n")
        cmd(m, f"run termbench {LINES}", r"desk: run termbench[^\n]*\n")
        c_cost, c_rate = lines(m, "console")
        m.send("quit\r")
    os.system(f"rm -rf {work}")
    out.append(f"bench desktop.terminal_lines: {t_cost} UNIT per line ({c_cost / max(t_cost, 1):.2f} x the "
               f"kernel console's speed: {c_cost} UNIT per line); {t_rate} lines/s against {c_rate}")
    for line in out:
        print(line.replace("UNIT", unit), flush=True)


def main():
    os.chdir(os.path.join(os.path.dirname(__file__), "../.."))
    run("cycles", [])
    run("instructions", ["-icount", "shift=0"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
