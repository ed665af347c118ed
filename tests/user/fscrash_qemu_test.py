"""Power cuts while NexaCore writes files (issue 16's crash-safety test). One disk (ext3 made by
mke2fs) goes through CUTS boots (one CPU: the fastest boot) of the test image running `devmgr fsd fscrash`
(tests/user/fscrash.c: new file versions by write + FsSync + rename + FsSync, appends + FsSync,
each printed once done); the host kills QEMU (SIGKILL: the power cut) at a random moment after
the workload has started (fixed seed). After each cut, on a copy of the disk, e2fsprogs replay the
journal (e2fsck -fy) and e2fsck -fn must then find nothing; every file must hold its last synced
version or one written after it, the log its synced prefix followed by a prefix of what was
appended. The next boot's fsd replays the journal itself (lib/fs); fscrash prints what it reads,
which must equal what e2fsprogs' replay gave. A last boot (`fscrash state`) ends with fsd's clean
unmount; e2fsck -fn on the disk itself must then be clean and the file system marked clean."""
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../scripts"))
from qemu_driver import Checks, Machine, ExpectTimeout  # noqa: E402

CUTS = 20
SEED = 16
CUT_AFTER_MAX_S = 2.0
ENV = {**os.environ, "PATH": os.environ.get("PATH", "") + ":/sbin:/usr/sbin", "MTOOLS_SKIP_CHECK": "1"}
check = Checks("fscrash")


def sh(*args, **kw):
    return subprocess.run(args, capture_output=True, text=True, env=ENV, **kw)


def make_esp(work, manifest, name):
    """build/esp-NAME.img: the test image with init running manifest, in-kernel tests skipped."""
    sh("bash", "-c", '. scripts/qemu-common.sh && qemu_image_with_manifest "$1" "$2" "$3" "$4"', "-",
       "build/initrd-test-root", "build/esp-test.img", manifest, work, check=True)
    esp = f"build/esp-{name}.img"
    shutil.copy(os.path.join(work, "esp.img"), esp)
    with open(os.path.join(work, "cmdline.txt"), "w") as f:
        f.write("test no-ktests\n")
    sh("mcopy", "-o", "-i", esp, os.path.join(work, "cmdline.txt"), "::/nexacore/cmdline.txt", check=True)
    return esp


def b3(data):
    """BLAKE3 of data by Debian's b3sum."""
    return subprocess.run(["b3sum", "--no-names"], input=data, capture_output=True, check=True).stdout.split()[0].decode()


def drain(m):
    """Read what the guest printed before the cut and is still in the serial socket."""
    while True:
        before = len(m.buf)
        m._pump(0.2)
        if len(m.buf) == before:
            return


def replayed_state(disk, work):
    """e2fsprogs' replay of a copy of disk: (fsck_ok, detail, {name: bytes} of /c)."""
    copy = os.path.join(work, "copy.img")
    shutil.copy(disk, copy)
    fix = sh("e2fsck", "-fy", copy)
    clean = sh("e2fsck", "-fn", copy)
    out = os.path.join(work, "c")
    shutil.rmtree(out, ignore_errors=True)
    sh("debugfs", "-R", f"rdump /c {work}", copy)
    files = {}
    if os.path.isdir(out):
        for name in os.listdir(out):
            with open(os.path.join(out, name), "rb") as f:
                files[name] = f.read()
    ok = fix.returncode in (0, 1) and clean.returncode == 0
    return ok, (fix.stdout + clean.stdout)[-600:], files


def lines_of(m):
    """The complete lines the boot printed (a line cut by the power is dropped)."""
    text = m.buf.decode("utf-8", "replace").replace("\r", "")
    return text.split("\n")[:-1]


def state_of(m, timeout=120):
    m.expect(r"STATE-END\r?\n", timeout=timeout)
    st = {}
    for line in lines_of(m):
        f = line.split()
        if len(f) == 4 and f[0] == "STATE":
            st[f[1]] = (int(f[2]), f[3])
    return st


class Model:
    """What each file may hold: the last synced version and every one written after it; the log's
    synced size and hash, and the text appended since (at the offsets printed)."""

    def __init__(self):
        self.allowed = {}
        self.log = b""          # the log as the last check found it, plus what was appended since
        self.log_synced = (0, b3(b""))

    def feed(self, lines):
        started = False
        for line in lines:
            if line.startswith("FSCRASH-BOOT"):
                started = True
            if not started:
                continue
            f = line.split(" ", 3)
            if f[0] == "APPEND" and len(f) >= 3:
                off, text = line.split(" ", 2)[1:]
                self.log = self.log[:int(off)] + text.encode() + b"\n"
            elif f[0] == "WRITING" and len(f) == 3:
                # a file never synced may also be absent (None) after the cut
                self.allowed.setdefault(f[1], {None}).add(f[2])
            elif f[0] == "SYNCED" and len(f) == 3:
                self.allowed[f[1]] = {f[2]}
            elif f[0] == "SYNCED" and len(f) == 4 and f[1] == "log":
                self.log_synced = (int(f[2]), f[3])

    def judge(self, files):
        """Problems of the replayed /c against the model (empty: none)."""
        bad = []
        for name, hashes in self.allowed.items():
            got = b3(files[name]) if name in files else None
            if got not in hashes:
                bad.append(f"{name}: {got} not in {sorted(hashes, key=str)}")
        log = files.get("log", b"")
        size, h = self.log_synced
        if len(log) < size or b3(log[:size]) != h:
            bad.append(f"log: {len(log)} bytes, synced prefix of {size} not there")
        elif not self.log.startswith(log):
            bad.append(f"log: {len(log)} bytes are not a prefix of what was appended ({len(self.log)})")
        self.log = log  # the next boot appends at the end it finds
        return bad


def main():
    work = tempfile.mkdtemp(prefix="nc-fscrash-")
    try:
        run(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work):
    disk = os.path.join(work, "disk.img")
    with open(disk, "wb") as f:
        f.truncate(64 << 20)
    sh("mke2fs", "-q", "-F", "-t", "ext3", "-b", "1024", disk, check=True)
    esp_run = make_esp(work, "devmgr fsd fscrash", "fscrash")
    esp_state = make_esp(work, "devmgr fsd fscrash state", "fscrash-state")
    disk_args = ("-device", "intel-iommu", "-drive", f"if=none,id=nvm,format=raw,file={disk}",
                 "-device", "nvme,serial=nc-test,drive=nvm")
    rnd = random.Random(SEED)
    model = Model()
    expected = None
    for cut in range(CUTS):
        log = f"build/test-logs/fscrash-{cut:02d}.serial"
        t0 = time.monotonic()
        m = Machine(esp_run, log=log, smp=1, extra=disk_args)
        try:
            st = state_of(m)
            t_state = time.monotonic() - t0
            if expected is not None:
                check(f"replay_{cut:02d}_equals_e2fsprogs", st == expected, f"lib/fs {st} e2fsprogs {expected}")
            m.expect(r"\nSYNCED ", timeout=120)
            delay = rnd.uniform(0, CUT_AFTER_MAX_S)
            try:
                m.expect(r"FSCRASH-ERROR", timeout=delay)
                check(f"cut_{cut:02d}_workload", False, lines_of(m)[-1])
            except ExpectTimeout:
                pass
            m.proc.kill()  # the power cut
            m.proc.wait()
            drain(m)
        except ExpectTimeout as e:
            check(f"cut_{cut:02d}_boot", False, f"{e} (see {log})")
            m.close()
            return
        lines = lines_of(m)
        m.close()
        model.feed(lines)
        ok, detail, files = replayed_state(disk, work)
        check(f"cut_{cut:02d}_e2fsck_clean", ok, detail)
        bad = model.judge(files)
        n = sum(1 for line in lines if line.startswith("SYNCED "))
        check(f"cut_{cut:02d}_synced_files_intact", not bad, "; ".join(bad)[:600])
        print(f"# cut {cut:02d}: {n} syncs before the cut; boot to state {t_state:.1f} s, cut and checks {time.monotonic() - t0 - t_state:.1f} s")
        expected = {name: (len(data), b3(data)) for name, data in files.items()}
    m = Machine(esp_state, log="build/test-logs/fscrash-last.serial", smp=1, extra=disk_args)
    try:
        st = state_of(m)
        check("replay_last_equals_e2fsprogs", st == expected, f"lib/fs {st} e2fsprogs {expected}")
        m.expect(r"init: 1 programs run, 0 failed", timeout=120)
        m.proc.wait(60)
    except (ExpectTimeout, subprocess.TimeoutExpired) as e:
        check("last_boot_ends", False, str(e))
    finally:
        m.close()
    fsck = sh("e2fsck", "-fn", disk)
    check("final_e2fsck_clean", fsck.returncode == 0, fsck.stdout[-600:])
    head = sh("dumpe2fs", "-h", disk).stdout
    check("final_marked_clean", re.search(r"Filesystem state:\s+clean\n", head) is not None and
          "needs_recovery" not in head, head[-300:])


main()
sys.exit(1 if check.failures else 0)
