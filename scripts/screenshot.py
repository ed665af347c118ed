"""make screenshot: boot the desktop (build/esp.img with init running
`desktop test`, whose console commands arrange it), open a second terminal and
the system monitor, place the windows, run `ps` and `ls` in the terminals and
save the screen (QEMU monitor screendump, PNG) to the path given (default
build/screenshot.png). docs/desktop.md shows the result."""
import re
import sys
import tempfile
import time
from qemu_driver import Machine, image_with_manifest

out = sys.argv[1] if len(sys.argv) > 1 else "build/screenshot.png"
work = tempfile.mkdtemp(prefix="nc-screenshot-")
image = image_with_manifest("build/initrd-root", "build/esp.img", "desktop test", work)
WINDOW = re.compile(r"desk: window id=(\d+) x=(-?\d+) y=(-?\d+) w=(\d+) h=(\d+) .*?commits=(\d+) title=([^\r\n]*)")


def cmd(m, line, until=r"desk: end[^\n]*\n"):
    m.send(line + "\r", delay=0.002)
    return m.expect(until, timeout=120) if until else None


def windows(m):
    start = m.seen
    cmd(m, "state")
    return [(int(w[0]), int(w[1]), int(w[2]), int(w[5]), w[6]) for w in WINDOW.findall(m.text_since(start))]


def drag(m, x0, y0, x1, y1):
    for x, y, b in ((x0, y0, 0), (x0, y0, 1), (x1, y1, 1), (x1, y1, 0)):
        cmd(m, f"pointer {x} {y} {b}", until=None)
    cmd(m, "sync")


def type_line(m, text):
    cmd(m, "type " + text)
    cmd(m, "key 28 1", until=None)
    cmd(m, "key 28 0", until=None)


with Machine(image, log="build/test-logs/screenshot.serial") as m:
    m.expect(r"desk: desktop up", timeout=240)
    cmd(m, "launch terminal", until=r"desk: launched[^\n]*\n")
    cmd(m, "launch sysmon", until=r"desk: launched[^\n]*\n")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and sum(1 for w in windows(m) if w[3] > 0) < 4:
        time.sleep(1)
    wins = {w[0]: w for w in windows(m)}
    terms = sorted(i for i, w in wins.items() if w[4] == "Terminal")
    monitor = [i for i, w in wins.items() if w[4] == "System monitor"][0]
    places = {monitor: (700, 60), terms[1]: (40, 432), terms[0]: (10, 38)}
    for i, (x, y) in places.items():  # from the top window down, so each title bar is free
        _, wx, wy, _, _ = wins[i]
        drag(m, wx + 150, wy + 10, x + 150, y + 10)
    drag(m, 160, 48, 160, 48)  # raise the first terminal (a press on its title bar)
    type_line(m, "ps")
    drag(m, 190, 442, 190, 442)
    type_line(m, "ls")
    cmd(m, "pointer 1000 700 0", until=None)
    time.sleep(10)  # the monitor's graphs fill a little
    cmd(m, "sync")
    m.screendump(out)
print(f"screenshot: {out}")
