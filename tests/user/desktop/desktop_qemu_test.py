"""The desktop in QEMU (docs/desktop.md), one boot of the plain image with
init running `desktop test`: the session takes commands on the serial line and
relays injected pointer and key events and state questions to the compositor.
The machine also has an IOMMU and virtio keyboard, tablet and mouse, driven by
the session's input drivers and fed by QEMU's own input commands (sendkey,
mouse_move and mouse_button on the monitor, input-send-event over QMP).
Every check reads the compositor's own state (window list, focus, z-order,
pointer, counters) and/or the screen (QEMU's screendump, PPM, read back at
known places). Prints one PASS/FAIL line per check."""
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../../scripts"))
from qemu_driver import ExpectTimeout, Machine, image_with_manifest  # noqa: E402

B = "build"
TITLE_H, BORDER = 24, 1
CONSOLE_FG, CONSOLE_BG = (0xd0, 0xd0, 0xd0), (0x10, 0x18, 0x20)
WINTEST = {"text": "NexaCore 0123 gy@", "px": 24, "x": 10, "baseline": 40}
# QEMU sends relative motion to the mouse, absolute positions to the tablet, keys to the keyboard
INPUT_DEVICES = ["-device", "intel-iommu"] + [a for d in ("keyboard", "tablet", "mouse")
                                             for a in ("-device", f"virtio-{d}-pci,iommu_platform=on")]
SCREEN_W, SCREEN_H, ABS_MAX = 1280, 800, 32767  # QEMU's absolute axes run 0..32767
failed = 0


def check(name, ok, detail=""):
    global failed
    if not ok:
        failed += 1
    print(f"{'PASS' if ok else 'FAIL'} desktop.{name}{'' if ok else ': ' + detail}", flush=True)
    return ok


class Desk:
    def __init__(self, m, work):
        self.m, self.work, self.n = m, work, 0

    def cmd(self, line, until=r"desk: end[^\n]*\n", timeout=120):
        self.m.send(line + "\r", delay=0.002)
        return self.m.expect(until, timeout=timeout) if until else None

    def state(self):
        self.m.send("state\r", delay=0.002)
        start = self.m.seen
        end = self.m.expect(r"desk: end windows=(\d+) frames=(\d+) pixels=\d+ pointer=(-?\d+),(-?\d+) dropped=(\d+) "
                            r"inputs=(\d+)", timeout=120)
        text = self.m.buf[start:end.start()].decode("utf-8", "replace")
        wins = []
        for w in re.finditer(r"desk: window id=(\d+) x=(-?\d+) y=(-?\d+) w=(\d+) h=(\d+) cw=(\d+) ch=(\d+) "
                             r"focused=(\d) minimised=(\d) panel=(\d) commits=(\d+) title=([^\r\n]*)", text):
            keys = ["id", "x", "y", "w", "h", "cw", "ch", "focused", "minimised", "panel", "commits"]
            d = {k: int(v) for k, v in zip(keys, w.groups()[:11])}
            d["title"] = w.group(12)
            wins.append(d)
        return wins, {"windows": int(end.group(1)), "frames": int(end.group(2)), "dropped": int(end.group(5)),
                      "pointer": (int(end.group(3)), int(end.group(4))), "inputs": int(end.group(6))}

    def since(self, start, pattern, timeout=120):
        """Wait until pattern appears in the serial text after offset start
        (whatever other expects consumed meanwhile); the match or None."""
        rx = re.compile(pattern.encode())
        deadline = time.monotonic() + timeout
        while True:
            found = rx.search(self.m.buf, start)
            if found or time.monotonic() > deadline:
                return found
            self.m._pump(0.5)

    def pointer(self, x, y, buttons=0):
        self.cmd(f"pointer {x} {y} {buttons}", until=None)

    def click(self, x, y):
        self.pointer(x, y, 0)
        self.pointer(x, y, 1)
        self.pointer(x, y, 0)
        self.cmd("sync")

    def drag(self, x0, y0, x1, y1):
        self.pointer(x0, y0, 0)
        self.pointer(x0, y0, 1)
        self.pointer((x0 + x1) // 2, (y0 + y1) // 2, 1)
        self.pointer(x1, y1, 1)
        self.pointer(x1, y1, 0)
        self.cmd("sync")

    def screen(self):
        """The screen as (width, height, bytes RGB), from a PPM screendump."""
        self.n += 1
        path = os.path.join(self.work, f"screen{self.n}.ppm")
        self.m.monitor(f"screendump {path}")
        deadline, last = time.monotonic() + 60, -1
        while time.monotonic() < deadline:
            size = os.path.getsize(path) if os.path.exists(path) else -1
            if size > 0 and size == last:
                break
            last = size
            time.sleep(0.3)
        data = open(path, "rb").read()
        parts = data.split(b"\n", 3)  # P6, "W H", 255, pixels
        w, h = (int(v) for v in parts[1].split())
        return w, h, parts[3]


def px(screen, x, y):
    w, h, data = screen
    i = (y * w + x) * 3
    return tuple(data[i:i + 3])


def by_title(wins, title):
    return [w for w in wins if w["title"] == title]


def drawn(d, titles, timeout=120):
    """Wait until a window of each title has been drawn (programs start
    asynchronously); the state then."""
    deadline = time.monotonic() + timeout
    while True:
        wins, end = d.state()
        if all(any(w["title"] == t and w["commits"] > 0 for w in wins) for t in titles) or \
                time.monotonic() > deadline:
            return wins, end
        time.sleep(0.5)


def launch(d, name, arg="", title=None):
    """Start a program; with title, wait until its window has been drawn."""
    m = d.cmd(f"launch {name} {arg}".strip(), until=r"desk: (launched \S+ pid (\d+)|launch [^\n]*)\r?\n")
    if title:
        drawn(d, [title])
    return int(m.group(2)) if m.group(2) else None


def wait_pointer(d, want, timeout=60):
    """Poll the compositor's state until the pointer is at want (input
    arrives on the drivers' channels, not in order with the commands)."""
    deadline = time.monotonic() + timeout
    while True:
        wins, end = d.state()
        if end["pointer"] == want or time.monotonic() > deadline:
            return wins, end
        time.sleep(0.3)


def sendkeys(m, text):
    """Type text on the virtio keyboard (QEMU monitor sendkey, key by key)."""
    for c in text:
        m.monitor("sendkey " + {" ": "spc", "\n": "ret"}.get(c, c))


def input_test(d):
    m = d.m
    text = m.buf.decode("utf-8", "replace")
    pids = dict(re.findall(r"desk: input (\S+) driver pid (\d+)", text))
    names = dict(re.findall(r"virtio-input: 0000:(\S+): ([^\r\n]+)", text))
    wins, end = d.state()
    check("input_driver_for_every_device", len(pids) == 3 and end["inputs"] == 3 and
          sorted(names.values()) == ["QEMU Virtio Keyboard", "QEMU Virtio Mouse", "QEMU Virtio Tablet"] and
          set(names) == set(pids), f"{pids} {names} {end}")

    # the tablet (QMP input-send-event): its range scaled onto the screen, to the nearest pixel
    vx, vy = 16384, 8192
    m.qmp("input-send-event", {"events": [{"type": "abs", "data": {"axis": "x", "value": vx}},
                                          {"type": "abs", "data": {"axis": "y", "value": vy}}]})
    want = (round(vx * (SCREEN_W - 1) / ABS_MAX), round(vy * (SCREEN_H - 1) / ABS_MAX))
    wins, end = wait_pointer(d, want)
    check("tablet_places_the_pointer", end["pointer"] == want, f"{end['pointer']} != {want}")

    # the mouse (monitor mouse_move, relative, and mouse_button): dragging the title bar moves the window
    term = by_title(wins, "Terminal")[0]
    tx, ty = term["x"] + 80, term["y"] + 10
    m.monitor(f"mouse_move {tx - want[0]} {ty - want[1]}")
    wins, end = wait_pointer(d, (tx, ty))
    moved_by_mouse = end["pointer"] == (tx, ty)
    m.monitor("mouse_button 1")
    m.monitor("mouse_move 60 40")
    wait_pointer(d, (tx + 60, ty + 40))
    m.monitor("mouse_button 0")
    time.sleep(1)
    d.cmd("sync")
    wins, end = d.state()
    t2 = by_title(wins, "Terminal")[0]
    check("mouse_drags_a_window", moved_by_mouse and (t2["x"], t2["y"]) == (term["x"] + 60, term["y"] + 40) and
          t2["focused"] == 1, f"pointer {end['pointer']}, {term} -> {t2}")

    # the keyboard (monitor sendkey) types into the focused terminal's shell
    mark = len(m.buf)
    sendkeys(m, "run spin crash\n")
    check("keyboard_types_into_the_terminal", d.since(mark, r"fault: process spin", timeout=60) is not None,
          "no fault report from spin")

    # the keyboard's driver killed: the session starts it again, and typing works again
    kbd = [where for where, name in names.items() if name == "QEMU Virtio Keyboard"]
    mark = len(m.buf)
    d.cmd(f"kill {pids[kbd[0]] if kbd else 0}", until=r"desk: kill [^\n]*\n")
    again = d.since(mark, r"desk: input \S+ driver pid \d+", timeout=60)
    d.since(mark, r"virtio-input: 0000:\S+: QEMU Virtio Keyboard", timeout=60)
    mark = len(m.buf)
    sendkeys(m, "run spin crash\n")
    check("killed_input_driver_restarted", again is not None and
          d.since(mark, r"fault: process spin", timeout=60) is not None, "no restart, or no typing after it")


def reference_colour_text(font, px_size, text, fg, bg):
    """The packaged rasteriser's rendering of text in colour fg on bg: width,
    height, ascent, rows of (r, g, b)."""
    out = subprocess.run([f"{B}/host/bin/font_ref_render", font, str(px_size), text, f"{fg:06x}", f"{bg:06x}"],
                         capture_output=True, check=True, text=True).stdout
    lines = out.split("\n")
    w, h, asc = (int(v) for v in lines[0].split())
    rows = [bytes.fromhex(l) for l in lines[1:1 + h]]
    return w, h, asc, [[tuple(r[3 * x:3 * x + 3]) for x in range(w)] for r in rows]


def files_test(d):
    """The file browser: listing, opening directories and files (the title is
    the path shown), a text file's first line drawn in the preview pane."""
    bar_h, row_h, pane_x, line1 = 26, 20, 259, 61  # files.c's layout
    fg, bg = 0xe6e6e6, 0x1e2228
    root = f"{B}/initrd-root"
    listing = sorted(os.listdir(root), key=lambda n: (not os.path.isdir(os.path.join(root, n)), n.encode()))
    launch(d, "files", title="Files: /")
    wins, _ = d.state()
    f = by_title(wins, "Files: /")
    check("file_browser_opens_at_the_root", len(f) == 1 and f[0]["focused"] == 1, f"{wins}")
    if not f:
        return
    f = f[0]
    cx, cy = f["x"] + BORDER, f["y"] + TITLE_H

    def click_row(k):
        d.click(cx + 30, cy + bar_h + k * row_h + row_h // 2)
        time.sleep(1)
        return [w["title"] for w in d.state()[0] if w["id"] == f["id"]]

    title = click_row(listing.index("fonts"))
    fonts = [".."] + sorted(os.listdir(f"{root}/fonts"), key=lambda n: n.encode())
    title2 = click_row(fonts.index("DejaVuSansMono.ttf"))
    title3 = click_row(0)
    check("file_browser_opens_directories_and_files",
          title == ["Files: /fonts"] and title2 == ["Files: /fonts/DejaVuSansMono.ttf"] and title3 == ["Files: /"],
          f"{title} {title2} {title3}")
    # motd is below the rows the window shows: select "hello" (shown) with a click, then
    # walk down to motd with the Down key, which scrolls the list
    click_row(listing.index("hello"))
    sendkeys(d.m, ["down"] * (listing.index("motd") - listing.index("hello")))
    drawn(d, ["Files: /motd"])
    time.sleep(1)
    first = open(f"{root}/motd").read().split("\n")[0]
    rw, rh, asc, ref = reference_colour_text("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 13, first, fg, bg)
    s = d.screen()
    ox, oy = cx + pane_x, cy + line1 - asc
    bad = [(x, y) for y in range(rh) for x in range(rw) if px(s, ox + x, oy + y) != ref[y][x]]
    check("file_browser_shows_a_text_file", not bad, f"{len(bad)} of {rw * rh} pixels differ, first {bad[:5]}")
    d.click(f["x"] + f["w"] - 1 - 11, f["y"] + 12)  # close it
    # started in a directory the initrd's root does not list (a service's mount point, here
    # none: this boot has no fsd): ".." shows the root with it added, and it opens again
    launch(d, "files", "/disk", title="Files: /disk")
    g = by_title(d.state()[0], "Files: /disk")
    if not g:
        check("file_browser_keeps_its_start_directory", False, "no window")
        return
    f, cx, cy = g[0], g[0]["x"] + BORDER, g[0]["y"] + TITLE_H
    up = click_row(0)
    dirs = sorted([n for n in listing if os.path.isdir(os.path.join(root, n))] + ["disk"], key=lambda n: n.encode())
    back = click_row(dirs.index("disk"))
    check("file_browser_keeps_its_start_directory", up == ["Files: /"] and back == ["Files: /disk"], f"{up} {back}")
    d.click(f["x"] + f["w"] - 1 - 11, f["y"] + 12)


def chat_test(d):
    """The AI chat window: it holds only its capabilities (the kernel's
    HandleList, through the session's caps command), a typed prompt is shown
    in the transcript (pixels against the host's rendering) and the reply's
    tokens arrive (the title counts them; the row under the prompt is drawn);
    a model the store lacks: the title says "failed", the transcript NOT_FOUND's
    name."""
    margin, line1, fg, bg = 8, 21, 0xe6e6e6, 0x1e2228  # chat.c's layout and colours
    texts = [f[:-5] for f in os.listdir(f"{B}/initrd-root/models") if f.endswith(".gguf") and "asr" not in f]
    pid = launch(d, "chat")
    wins = []
    for _ in range(60):
        wins = [w for w in d.state()[0] if w["title"].startswith("Chat: ") and w["commits"] > 0]
        if wins:
            break
        time.sleep(0.5)
    model = wins[0]["title"][6:] if wins else ""
    d.m.send(f"caps {pid}\r", delay=0.002)
    start = d.m.seen
    end = d.m.expect(r"desk: end caps (\S+)", timeout=60)
    caps = sorted(re.findall(r"desk: cap (\S+) (\S+)", d.m.buf[start:end.start()].decode("utf-8", "replace")))
    check("chat_holds_only_its_capabilities", end.group(1) == b"success" and
          caps == [("ai.invoke", "*"), ("fs.read", "/fonts")], f"{end.group(1)} {caps}")
    if not wins or model not in texts:
        check("chat_streams_a_reply", False, f"window {wins}, models {texts}")
        return
    w = wins[0]
    cx, cy = w["x"] + BORDER, w["y"] + TITLE_H
    d.click(cx + 200, cy + 200)  # focused (it is, unless a window started later took the focus)
    d.cmd("type hello")
    d.cmd("key 28 1", until=None)
    d.cmd("key 28 0", until=None)
    deadline, got = time.monotonic() + 240, None
    while time.monotonic() < deadline and not got:
        time.sleep(2)
        t = [x["title"] for x in d.state()[0] if x["id"] == w["id"]]
        got = t and re.fullmatch(rf"Chat: {re.escape(model)}, (\d+) tokens", t[0])
    rw, rh, asc, ref = reference_colour_text("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 13, "> hello",
                                             fg, bg)
    s = d.screen()
    ox, oy = cx + margin, cy + line1 - asc
    bad = [(x, y) for y in range(rh) for x in range(rw) if px(s, ox + x, oy + y) != ref[y][x]]
    # the rows under the prompt: the reply, then "(N tokens)"
    reply = sum(px(s, ox + x, oy + 18 + y) != (0x1e, 0x22, 0x28) for y in range(0, 4 * 18, 2) for x in range(300))
    check("chat_streams_a_reply", bool(got) and int(got.group(1)) > 0 and not bad and reply > 20,
          f"title {t}, {len(bad)} of {rw * rh} prompt pixels differ, {reply} reply pixels")
    d.click(w["x"] + w["w"] - 1 - 11, w["y"] + 12)  # close it
    launch(d, "chat", "no-such-model", title="Chat: no-such-model")
    e = by_title(d.state()[0], "Chat: no-such-model")
    if e:
        d.click(e[0]["x"] + 200, e[0]["y"] + 200)
    d.cmd("type hi")
    d.cmd("key 28 1", until=None)
    d.cmd("key 28 0", until=None)
    t = []
    for _ in range(60):
        t = [x for x in d.state()[0] if x["title"].startswith("Chat: no-such-model")]
        # the title goes "generating" before the error arrives: wait past it
        if t and t[0]["title"] not in ("Chat: no-such-model", "Chat: no-such-model, generating"):
            break
        time.sleep(0.5)
    # the transcript: "> hi", an empty row (no tokens), the error (NOT_FOUND's name)
    rw, rh, asc, ref = reference_colour_text("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 13,
                                             "(error: no such file, process or thread)", fg, bg)
    bad = ["no window"]
    if t:
        s = d.screen()
        ox, oy = t[0]["x"] + BORDER + margin, t[0]["y"] + TITLE_H + line1 + 2 * 18 - asc
        bad = [(x, y) for y in range(rh) for x in range(rw) if px(s, ox + x, oy + y) != ref[y][x]]
    check("chat_shows_errors", [x["title"] for x in t] == ["Chat: no-such-model, failed"] and not bad,
          f"{t}, {len(bad)} error text pixels differ")
    if t:
        d.click(t[0]["x"] + t[0]["w"] - 1 - 11, t[0]["y"] + 12)


def new_window(d, title, known, timeout=120):
    """Start a program and wait until a window of title not in known (ids) has
    been drawn; that window, or None."""
    launch(d, {"Terminal": "terminal"}[title])
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = [w for w in d.state()[0] if w["title"] == title and w["id"] not in known and w["commits"] > 0]
        if new:
            return new[0]
        time.sleep(0.5)
    return None


def clipboard_test(d):
    """Text selected in one terminal is pasted into another (the desktop's
    clipboard, kept by the compositor): the second terminal's shell runs it."""
    known = {w["id"] for w in d.state()[0]}
    a = new_window(d, "Terminal", known)
    b = new_window(d, "Terminal", known | {a["id"]}) if a else None
    if not check("clipboard_terminals_started", a is not None and b is not None, f"{a} {b}"):
        return
    time.sleep(2)  # their shells' prompts
    d.click(a["x"] + 60, a["y"] + 10)  # focus the first
    d.cmd("type run spin crash")  # typed at the prompt, not entered
    cell_w, cell_h = (a["cw"] - 4) // 80, (a["ch"] - 4) // 24
    cx, cy = a["x"] + BORDER + 2, a["y"] + TITLE_H + 2  # the terminal's first cell
    row_y = cy + 2 * cell_h + cell_h // 2  # row 2 (after a blank line and the greeting): "nexacore> run spin crash"
    d.drag(cx + 10 * cell_w, row_y, cx + 40 * cell_w, row_y)
    mark = len(d.m.buf)
    # the middle button in the second terminal's content below the first (placed 28 pixels
    # down and right of it): raises and focuses it, and pastes
    bx, by = b["x"] + 100, (a["y"] + a["h"] + b["y"] + b["h"]) // 2
    d.pointer(bx, by, 0)
    d.pointer(bx, by, 4)
    d.pointer(bx, by, 0)
    d.cmd("sync")
    time.sleep(1)
    d.cmd("key 28 1", until=None)
    d.cmd("key 28 0", until=None)
    check("selection_pasted_into_another_terminal", d.since(mark, r"fault: process spin", timeout=60) is not None,
          "the second terminal's shell did not run the pasted command")
    for w in (b, a):  # close both (b is on top)
        d.click(w["x"] + w["w"] - 1 - 11, w["y"] + 12)
    d.cmd("sync")


def reference_text():
    out = subprocess.run([f"{B}/host/bin/font_ref_render", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                          str(WINTEST["px"]), WINTEST["text"]], capture_output=True, check=True, text=True).stdout
    lines = out.split("\n")
    w, h, asc = (int(v) for v in lines[0].split())
    return w, h, asc, [bytes.fromhex(l) for l in lines[1:1 + h]]


def test(d):
    wins, end = drawn(d, ["panel", "Terminal"])
    panel, terms = [w for w in wins if w["panel"]], by_title(wins, "Terminal")
    check("session_starts_panel_and_terminal", len(panel) == 1 and len(terms) == 1 and terms[0]["focused"] == 1,
          f"{wins}")
    check("panel_spans_the_top", bool(panel) and panel[0]["x"] == 0 and panel[0]["y"] == 0 and panel[0]["cw"] == 1280,
          f"{panel}")

    # a client window with reference text: the font rendered in QEMU against the host's packaged rasteriser
    pid = launch(d, "wintest", "0x2050c0", title="wintest")
    wins, _ = d.state()
    wt = by_title(wins, "wintest")
    check("client_window_created_on_top_and_focused", len(wt) == 1 and wt[0]["focused"] == 1 and wins[-2]["title"] == "wintest",
          f"{wins}")
    if not wt:
        return
    wt = wt[0]
    s = d.screen()
    cx, cy = wt["x"] + BORDER, wt["y"] + TITLE_H
    check("client_pixels_on_screen", px(s, cx + 200, cy + 150) == (0x20, 0x50, 0xc0), f"{px(s, cx + 200, cy + 150)}")
    rw, rh, asc, ref = reference_text()
    ox, oy = cx + WINTEST["x"], cy + WINTEST["baseline"] - asc
    bad = [(x, y) for y in range(rh) for x in range(rw) if px(s, ox + x, oy + y) != (ref[y][x],) * 3]
    check("text_matches_the_packaged_rasteriser", not bad and any(any(r) for r in ref),
          f"{len(bad)} of {rw * rh} pixels differ, first {bad[:5]}")

    # move by the title bar
    d.drag(wt["x"] + 60, wt["y"] + 10, wt["x"] + 560, wt["y"] + 310)
    wins, _ = d.state()
    moved = by_title(wins, "wintest")[0]
    check("title_bar_drag_moves", (moved["x"], moved["y"]) == (wt["x"] + 500, wt["y"] + 300), f"{moved}")
    s = d.screen()
    check("moved_window_drawn_and_old_place_repainted",
          px(s, moved["x"] + 200, moved["y"] + 150) == (0x20, 0x50, 0xc0) and
          px(s, wt["x"] + 200, wt["y"] + 150) != (0x20, 0x50, 0xc0),
          f"{px(s, moved['x'] + 200, moved['y'] + 150)} {px(s, wt['x'] + 200, wt['y'] + 150)}")

    # a press in the terminal raises and focuses it
    term = by_title(wins, "Terminal")[0]
    d.click(term["x"] + 100, term["y"] + 100)
    wins, _ = d.state()
    check("click_raises_and_focuses", wins[-2]["title"] == "Terminal" and by_title(wins, "Terminal")[0]["focused"] == 1,
          f"{wins}")

    # keys typed into the terminal reach the shell inside: it runs a program that faults (the kernel reports it)
    mark = len(d.m.buf)
    d.cmd("type run spin crash")
    d.cmd("key 28 1", until=None)
    d.cmd("key 28 0", until=None)
    check("typed_keys_reach_the_shell_in_the_terminal", d.since(mark, r"fault: process spin") is not None,
          "no fault report from spin")

    # resize with the grip: the client gets the new size and redraws
    d.drag(term["x"] + term["w"] - 4, term["y"] + term["h"] - 4, term["x"] + term["w"] + 96, term["y"] + term["h"] + 46)
    time.sleep(2)
    wins, _ = d.state()
    t2 = by_title(wins, "Terminal")[0]
    check("grip_resizes", (t2["cw"], t2["ch"]) == (term["cw"] + 100, term["ch"] + 50), f"{term} -> {t2}")

    # minimise with the title bar box, bring back with the panel's task button
    d.click(t2["x"] + t2["w"] - 1 - 22 - 11, t2["y"] + 12)
    wins, _ = d.state()
    check("minimise_box_minimises", by_title(wins, "Terminal")[0]["minimised"] == 1, f"{wins}")
    time.sleep(2)  # the panel redraws its task buttons (oldest window first: the terminal)
    d.click(6 + 4 * 102 + 12 + 40, 15)  # the first task button (after the four launchers)
    wins, _ = d.state()
    t3 = by_title(wins, "Terminal")[0]
    check("panel_task_button_restores", t3["minimised"] == 0 and t3["focused"] == 1, f"{wins}")

    # close box: the client ends, its window goes
    moved = by_title(wins, "wintest")[0]
    mark = len(d.m.buf)
    d.click(moved["x"] + moved["w"] - 1 - 11, moved["y"] + 12)
    ended = d.since(mark, r"desk: wintest \(pid \d+\) ended, status 0\r?\n")
    wins, _ = d.state()
    check("close_box_ends_the_client", ended is not None and not by_title(wins, "wintest"), f"{wins}")

    # a crashing client loses its window and nothing else
    pid = launch(d, "wintest", title="wintest")
    mark = len(d.m.buf)
    d.cmd("type c")
    d.since(mark, rf"desk: wintest \(pid {pid}\) ended, status 0x3")
    d.cmd("sync")
    wins, end = d.state()
    check("crashed_client_loses_only_its_window", not by_title(wins, "wintest") and len(by_title(wins, "Terminal")) == 1
          and end["dropped"] == 0, f"{wins} {end}")

    # a client that stops answering is dropped after WP_PING_TIMEOUT_MS; one that breaks the protocol at once
    launch(d, "wintest", title="wintest")
    d.cmd("type h")
    t0 = time.monotonic()
    dropped = False
    while time.monotonic() - t0 < 90 and not dropped:
        time.sleep(2)
        wins, end = d.state()
        dropped = end["dropped"] == 1 and not by_title(wins, "wintest")
    check("hung_client_loses_its_window", dropped, f"{wins} {end}")
    launch(d, "wintest", title="wintest")
    d.cmd("type b")
    wins, end = d.state()
    check("protocol_breaker_loses_its_window", end["dropped"] == 2 and not [w for w in wins if w["title"] == "wintest"]
          and len(by_title(wins, "Terminal")) == 1, f"{wins} {end}")

    files_test(d)
    chat_test(d)
    clipboard_test(d)
    input_test(d)

    # the compositor killed: the kernel console is back on the screen
    d.cmd("kill compositor", until=r"desk: compositor ended[^\n]*\n")
    time.sleep(1)
    s = d.screen()
    w, h, data = s
    colours = {}
    for y in range(0, h, 3):
        for x in range(0, w, 3):
            c = px(s, x, y)
            colours[c] = colours.get(c, 0) + 1
    others = {c: n for c, n in colours.items() if c not in (CONSOLE_FG, CONSOLE_BG)}
    check("compositor_killed_console_back", not others and colours.get(CONSOLE_FG, 0) > 100,
          f"{len(others)} other colours, e.g. {list(others.items())[:4]}")

    # with the compositor gone the input drivers reset their devices and end: keys reach the console again
    mark = len(d.m.buf)
    d.since(mark, r"desk: input \S+: driver ended, status 0\r?\n", timeout=30)
    sendkeys(d.m, "kill 9\n")
    check("keyboard_back_to_the_console", d.since(mark, r"desk: kill 9: ", timeout=60) is not None,
          "the session did not get the typed command")


def main():
    work = tempfile.mkdtemp(prefix="nc-desktop-")
    # the AI service as the plain image starts it (for the chat window), then the session
    service = [l for l in open(f"{B}/initrd-root/init.manifest") if l.startswith("service ai-service")]
    image = image_with_manifest(f"{B}/initrd-root", f"{B}/esp.img", "".join(service) + "desktop test", work)
    start = time.monotonic()
    with Machine(image, log=f"{B}/test-logs/desktop.serial", extra=INPUT_DEVICES) as m:
        try:
            m.expect(r"desk: desktop up", timeout=240)
            test(Desk(m, work))
            m.send("quit\r")
        except ExpectTimeout as e:
            check("boot_and_commands", False, f"timed out waiting for {e}")
    subprocess.run(["rm", "-rf", work])
    print(f"# desktop boot: {time.monotonic() - start:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
