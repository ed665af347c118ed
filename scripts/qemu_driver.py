"""Drive a NexaCore boot through its serial port, as a person at the terminal
would: wait for text, type keys, take screenshots through the QEMU monitor,
send input events through QMP.

    from qemu_driver import Machine
    with Machine("build/esp.img", log="build/test-logs/shell.serial") as m:
        m.expect(r"nexacore> ")
        m.send("ps\\r")
        m.expect(r"PID")
        m.screendump("build/screenshot.png")

The machine is the one scripts/qemu-common.sh describes (q35, -cpu max, OVMF 4M,
isa-debug-exit, no NIC, the image opened with snapshot=on unless snapshot=False, which
lets the guest write the image, as the TEE test's reboots need); the serial port, the
monitor and QMP are UNIX sockets in a temporary directory.
"""
import json
import os
import re
import select
import shutil
import socket
import subprocess
import tempfile
import time

OVMF_CODE = "/usr/share/OVMF/OVMF_CODE_4M.fd"
OVMF_VARS = "/usr/share/OVMF/OVMF_VARS_4M.fd"


def image_with_manifest(root, esp, manifest, work, add=()):
    """work/esp.img: a private copy of the image esp whose initrd is the tree
    root (an initrd root under build/) with init.manifest replaced by the line
    manifest (scripts/qemu-common.sh's qemu_image_with_manifest, in Python),
    and the files add (paths) at its root."""
    tree = os.path.join(work, "root")
    shutil.rmtree(tree, ignore_errors=True)
    shutil.copytree(root, tree)
    for path in add:
        shutil.copy(path, tree)
    with open(os.path.join(tree, "init.manifest"), "w") as f:
        f.write(manifest + "\n")
    initrd = os.path.join(work, "initrd")
    subprocess.run(["tar", "--format=ustar", "--owner=0", "--group=0", "-cf", initrd, "-C", tree, "."], check=True)
    image = os.path.join(work, "esp.img")
    shutil.copy(esp, image)
    subprocess.run(["mcopy", "-o", "-i", image, initrd, "::/nexacore/initrd"], check=True,
                   env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
    return image


class ExpectTimeout(Exception):
    """The awaited text did not appear in time."""


class Checks:
    """A test script's verdicts: check(name, ok, detail) prints "PASS PREFIX.name" or
    "FAIL PREFIX.name: detail"; failures counts the FAILs (the script's exit status)."""

    def __init__(self, prefix):
        self.prefix = prefix
        self.failures = 0

    def __call__(self, name, ok, detail=""):
        if ok:
            print(f"PASS {self.prefix}.{name}")
        else:
            self.failures += 1
            print(f"FAIL {self.prefix}.{name}: {detail}")


class Machine:
    def __init__(self, image, log, mem="256M", smp=4, cpu="max", extra=(), snapshot=True):
        self.dir = tempfile.mkdtemp(prefix="nc-qemu-")
        vars_copy = os.path.join(self.dir, "vars.fd")
        shutil.copy(OVMF_VARS, vars_copy)
        self.serial_path = os.path.join(self.dir, "serial.sock")
        self.monitor_path = os.path.join(self.dir, "monitor.sock")
        self.qmp_path = os.path.join(self.dir, "qmp.sock")
        args = [
            "qemu-system-x86_64", "-machine", "q35", "-cpu", cpu, "-m", mem, "-smp", str(smp),
            "-drive", f"if=pflash,format=raw,readonly=on,file={OVMF_CODE}",
            "-drive", f"if=pflash,format=raw,file={vars_copy}",
            "-drive", f"format=raw,snapshot={'on' if snapshot else 'off'},file={image}",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-nic", "none", "-no-reboot", "-display", "none",
            "-chardev", f"socket,id=ser,path={self.serial_path},server=on,wait=on",
            "-serial", "chardev:ser",
            "-monitor", f"unix:{self.monitor_path},server=on,wait=off",
            "-qmp", f"unix:{self.qmp_path},server=on,wait=off",
            *extra,
        ]
        os.makedirs(os.path.dirname(log) or ".", exist_ok=True)
        self.log = open(log, "wb")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT)
        self.serial = self._connect(self.serial_path)
        self.buf = b""
        self.seen = 0  # bytes of buf already matched by expect

    def _connect(self, path, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(path)
                return s
            except OSError:
                s.close()
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise
                time.sleep(0.05)

    def _pump(self, timeout):
        self.serial.settimeout(timeout)
        try:
            data = self.serial.recv(65536)
        except socket.timeout:
            return
        if data:
            self.buf += data
            self.log.write(data)
            self.log.flush()

    def drain(self, seconds=0.05):
        """Read what the guest printed meanwhile (kept in buf and the log). A
        test that works the guest from the host (HTTP, UDP) while a guest
        program logs must call it now and then: QEMU writes the serial port
        to its socket a byte at a time, so only a few hundred unread bytes
        fit, and then the guest's console, which polls the UART, stalls its
        CPU until somebody reads."""
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            self._pump(left)

    def expect(self, pattern, timeout=60):
        """Wait until pattern (a regex over the text since the last match) appears;
        return the match. Raises ExpectTimeout."""
        rx = re.compile(pattern.encode() if isinstance(pattern, str) else pattern)
        deadline = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf, self.seen)
            if m:
                self.seen = m.end()
                return m
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                raise ExpectTimeout(pattern)
            self._pump(min(left, 0.5))

    def text_since(self, start):
        return self.buf[start:].decode("utf-8", "replace")

    def send(self, keys, delay=0.01, timeout=60):
        """Type keys (str or bytes) one byte at a time, as a terminal would.
        While the guest takes no input, read what it prints: the kernel
        console polls the UART with interrupts off, so a guest printing
        while we only write would wait for us to read its output while we
        wait for it to read our input (each socket direction full). Raises
        ExpectTimeout when a byte is not taken within timeout seconds."""
        data = keys.encode() if isinstance(keys, str) else keys
        for b in data:
            deadline = time.monotonic() + timeout
            while True:
                readable, writable, _ = select.select([self.serial], [self.serial], [], 0.5)
                if readable:
                    self._pump(0.01)
                if writable:
                    self.serial.settimeout(timeout)
                    self.serial.sendall(bytes([b]))
                    break
                if time.monotonic() > deadline or self.proc.poll() is not None:
                    raise ExpectTimeout(f"the guest took no input for {timeout} s")
            time.sleep(delay)

    def monitor(self, command, timeout=10):
        s = self._connect(self.monitor_path, timeout)
        s.settimeout(timeout)
        s.sendall(command.encode() + b"\n")
        out = b""
        try:
            while out.count(b"(qemu)") < 2:  # the banner's prompt, then the one after the command
                chunk = s.recv(4096)
                if not chunk:
                    break
                out += chunk
        except socket.timeout:
            pass
        s.close()
        return out.decode("utf-8", "replace")

    def qmp(self, command, arguments=None, timeout=10):
        """Run one QMP command on a fresh connection (after the capabilities
        handshake); its reply (a dict with "return" or "error")."""
        s = self._connect(self.qmp_path, timeout)
        s.settimeout(timeout)
        f = s.makefile("rwb")
        json.loads(f.readline())  # the greeting
        reply = None
        request = {"execute": command, **({"arguments": arguments} if arguments else {})}
        for req in ({"execute": "qmp_capabilities"}, request):
            f.write(json.dumps(req).encode() + b"\n")
            f.flush()
            while True:  # events may come before the reply
                reply = json.loads(f.readline())
                if "return" in reply or "error" in reply:
                    break
        f.close()
        s.close()
        return reply

    def screendump(self, path, timeout=30):
        """Save the display as PNG at path; returns once the file is complete."""
        path = os.path.abspath(path)
        if os.path.exists(path):
            os.unlink(path)
        reply = self.monitor(f"screendump {path} -f png")
        deadline = time.monotonic() + timeout
        last = -1
        while time.monotonic() < deadline:  # QEMU may finish writing after its prompt
            size = os.path.getsize(path) if os.path.exists(path) else -1
            if size > 0 and size == last:
                return
            last = size
            time.sleep(0.2)
        raise ExpectTimeout(f"screendump {path}: {reply[-200:]!r}")

    def close(self, timeout=10):
        """Quit QEMU if still running; return its exit status."""
        if self.proc.poll() is None:
            try:
                self.monitor("quit", timeout=2)
            except OSError:
                pass
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.serial.close()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)
        return self.proc.returncode

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
