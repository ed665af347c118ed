#!/usr/bin/env python3
"""TCP over a NIC (docs/network.md), NexaCore against the Linux guest of
bench/linux on the same QEMU machine (q35, TCG, 2 CPUs, 1 GiB, VT-d, the same
NIC: virtio-net, then e1000e) on user networking restricted to this machine
(restrict=on; the host is reached only through 127.0.0.1 forwards). Reported,
never asserted.

Each boot measures, in this order:
  recv   64 MiB host -> guest: the guest GETs /zeros/N from the host's HTTP
         server (tests/user/net/host_peer.py, as 10.0.2.100:80 through
         guestfwd) and times it with its own clock. NexaCore: netbench
         (bench/net/netbench.c, through netsvc and the user-space driver);
         Linux: busybox wget -O /dev/null.
  send   64 MiB guest -> host: the host's curl GETs it through a hostfwd port
         and is timed on the host. NexaCore: netbench answers with zeros from
         memory; Linux: busybox httpd serves a 64 MiB file from its RAM disk.
  conn   the connection rate of the guest's HTTP server: wrk on the host,
         "Connection: close" so every request is a new TCP connection to a
         2590-byte file: 1 connection for 5 s (median latency) and 4
         connections for 5 s (requests per second). NexaCore: httpd
         (user/net/httpd.c); Linux: busybox httpd.

The boots alternate NexaCore, Linux, NexaCore, ... (NC_NETBENCH_ROUNDS rounds
per NIC, default 3; NC_NETBENCH_NICS, default "virtio-net e1000e";
NC_NETBENCH_IO="7680 1048576": a NexaCore boot per value in each round, netbench
moving that many bytes per NetSend/NetRecv, to compare per-call costs;
NC_NETBENCH_ALT_ESP=IMAGE: every NexaCore boot again with another build's
esp-bench.img, to compare two builds in one interleaved run) and the
report gives the median of each figure, the ratio NexaCore/Linux (for
throughput and rate higher is better, for latency lower is better) and the
host's load average around the runs: the machine is shared, so only the
same-run ratios mean something."""
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "user", "net"))
from host_peer import SMALL, Peer, free_port  # noqa: E402

B = os.path.join(ROOT, "build")
BYTES = 64 << 20
ROUNDS = int(os.environ.get("NC_NETBENCH_ROUNDS", "3"))
NIC_DEVICES = {"virtio-net": "virtio-net-pci,disable-legacy=on,iommu_platform=on", "e1000e": "e1000e"}
NICS = os.environ.get("NC_NETBENCH_NICS", "virtio-net e1000e").split()
IO_VARIANTS = os.environ.get("NC_NETBENCH_IO", "").split()
ALT_ESP = os.environ.get("NC_NETBENCH_ALT_ESP")  # another build's esp-bench.img, booted too
WRK_S = 5
BOOT_TIMEOUT_S = 600
SEND_PORT, HTTPD_PORT = 8080, 8081  # the guest's ports
LINUX_SCRIPT = f"""#!/bin/sh
ip link set lo up
ip link set eth0 up
ip addr add 10.0.2.15/24 dev eth0
sleep 1
a=$(cut -d' ' -f1 /proc/uptime)
wget -q -O /dev/null http://10.0.2.100/zeros/{BYTES} || echo "BENCH linux wget failed"
b=$(cut -d' ' -f1 /proc/uptime)
echo "BENCH linux recv $a $b"
dd if=/dev/zero of=/zeros bs=1048576 count={BYTES >> 20} 2>/dev/null
httpd -p {SEND_PORT} -h /
httpd -p {HTTPD_PORT} -h /
echo netbench-send-ready
sleep {BOOT_TIMEOUT_S}
"""


def curl_seconds(port):
    """Seconds for the host to download the guest's 64 MiB, None when short."""
    t = time.monotonic()
    r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{size_download}", "--max-time", "300",
                        f"http://127.0.0.1:{port}/zeros"], capture_output=True, text=True)
    secs = time.monotonic() - t
    return secs if r.stdout.strip() == str(BYTES) else None


def wait_httpd(port, deadline):
    """Wait until the guest's HTTP server answers /small.txt with the file."""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/small.txt", timeout=10) as r:
                if r.read() == SMALL:
                    return True
        except OSError:
            pass
        time.sleep(0.5)
    return False


def wrk(port, connections):
    """wrk against /small.txt: (requests per second, median latency in ms, errors)."""
    out = subprocess.run(["wrk", "-t1", f"-c{connections}", f"-d{WRK_S}s", "--latency", "-H", "Connection: close",
                          f"http://127.0.0.1:{port}/small.txt"], capture_output=True, text=True).stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\b", out, re.M)
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    errors += int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
    ms = float(p50[1]) * {"us": 1e-3, "ms": 1.0, "s": 1e3}[p50[2]] if p50 else None
    return (float(rps[1]) if rps else None), ms, errors


def run(cmd, log_path, ports, env=None):
    """Start cmd (a QEMU machine), and once the guest says netbench-send-ready
    time the 64 MiB download from it, then wrk its HTTP server. Returns (the
    guest's output, figures measured on the host)."""
    # the guest writes through its own open file: a seek on a shared one moved
    # QEMU's write offset too, and a line written in between landed at the
    # start of the log (a lost "BENCH nexacore recv" figure)
    with open(log_path, "wb") as out:
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=ROOT,
                             start_new_session=True)
    log = open(log_path, "rb")
    got = {}
    deadline = time.monotonic() + BOOT_TIMEOUT_S
    while time.monotonic() < deadline and p.poll() is None:
        time.sleep(0.2)
        log.seek(0)
        if b"netbench-send-ready" in log.read():
            secs = curl_seconds(ports[SEND_PORT])
            got["send"] = BYTES / (1 << 20) / secs if secs else None
            if wait_httpd(ports[HTTPD_PORT], time.monotonic() + 120):
                _, got["latency"], e1 = wrk(ports[HTTPD_PORT], 1)
                got["rate"], _, e4 = wrk(ports[HTTPD_PORT], 4)
                got["errors"] = e1 + e4
            break
    # QEMU too (run-guest.sh starts it under timeout); SIGTERM lets run-guest.sh remove its files
    os.killpg(p.pid, signal.SIGTERM)
    try:
        p.wait(30)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
    log.seek(0)
    text = log.read().decode(errors="replace").replace("\r", "")
    log.close()
    return text, got


def netdev(peer):
    ports = {SEND_PORT: free_port(), HTTPD_PORT: free_port()}
    return peer.netdev(hostfwd_tcp=[(h, g) for g, h in ports.items()]), ports


def nexacore(peer, nic, work, io=None, esp_image=None):
    nd, ports = netdev(peer)
    root = os.path.join(work, "root")
    subprocess.run(["rm", "-rf", root], check=True)
    subprocess.run(["cp", "-r", os.path.join(B, "initrd-bench-root"), root], check=True)
    with open(os.path.join(root, "init.manifest"), "w") as f:
        f.write(f"devmgr --service netsvc=net netbench http://10.0.2.100:80/zeros/{BYTES} {SEND_PORT} {BYTES}"
                f"{' ' + io if io else ''}\n")
    with open(os.path.join(root, "small.txt"), "wb") as f:
        f.write(SMALL)
    initrd, esp = os.path.join(work, "initrd"), os.path.join(work, "esp.img")
    subprocess.run(["tar", "--format=ustar", "--owner=0", "--group=0", "-cf", initrd, "-C", root, "."], check=True)
    subprocess.run(["cp", esp_image or os.path.join(B, "esp-bench.img"), esp], check=True)
    subprocess.run(["mcopy", "-o", "-i", esp, initrd, "::/nexacore/initrd"], check=True,
                   env=dict(os.environ, MTOOLS_SKIP_CHECK="1"))
    out = subprocess.run(["bash", "-c", '. scripts/qemu-common.sh; qemu_base_args "$1" "$2"; '
                          'printf "%s\\0" "${QEMU_ARGS[@]}"', "-", esp, os.path.join(work, "vars.fd")],
                         cwd=ROOT, check=True, capture_output=True,
                         env=dict(os.environ, NC_QEMU_SMP="2", NC_QEMU_MEM="1G")).stdout
    args = [a for a in out.decode().split("\0") if a]
    cmd = ["qemu-system-x86_64", *args, "-device", "intel-iommu", "-netdev", nd,
           "-device", f"{NIC_DEVICES[nic]},netdev=n0", "-display", "none", "-serial", "stdio"]
    text, got = run(cmd, os.path.join(B, "test-logs", "netbench.serial"), ports)
    for line in text.splitlines():
        w = line.split()
        if line.startswith("BENCH nexacore recv") and len(w) == 5 and int(w[3]) == BYTES:
            got["recv"] = BYTES / (1 << 20) / (int(w[4]) / 1e9)
    return got


def linux(peer, nic, work):
    nd, ports = netdev(peer)
    script = os.path.join(work, "guest.sh")
    with open(script, "w") as f:
        f.write(LINUX_SCRIPT)
    small = os.path.join(work, "small.txt")
    with open(small, "wb") as f:
        f.write(SMALL)
    # the same IOMMU and NIC as NexaCore's, with Linux's IOMMU on (as bench/drivers does)
    cmd = ["bench/linux/run-guest.sh", script, str(BOOT_TIMEOUT_S), "-device", "intel-iommu", "-netdev", nd,
           "-device", f"{NIC_DEVICES[nic]},netdev=n0"]
    env = dict(os.environ, NC_GUEST_SMP="2", NC_GUEST_FILES=small, NC_GUEST_APPEND="intel_iommu=on no_timer_check")
    text, got = run(cmd, os.path.join(B, "test-logs", "netbench-linux.serial"), ports, env=env)
    for line in text.splitlines():
        w = line.split()
        if line.startswith("BENCH linux recv") and len(w) == 5 and "BENCH linux wget failed" not in text:
            got["recv"] = BYTES / (1 << 20) / (float(w[4]) - float(w[3]))
    return got


FIGURES = [("recv", "host->guest MiB/s", True), ("send", "guest->host MiB/s", True),
           ("rate", "connections/s (4)", True), ("latency", "latency ms (1)", False)]


def median(runs, key):
    v = [r[key] for r in runs if r.get(key)]
    return (statistics.median(v), len(v)) if v else (None, 0)


def load():
    return open("/proc/loadavg").read().split()[0]


def main():
    subprocess.run(["make", "-s", os.path.join("build", "esp-bench.img")], cwd=ROOT, check=True)
    subprocess.run(["bench/linux/mkguest.sh"], cwd=ROOT, check=True)
    os.makedirs(os.path.join(B, "test-logs"), exist_ok=True)
    peer = Peer()
    work = tempfile.mkdtemp(prefix="nc-netbench.")
    loads = [load()]
    results = {}
    # NC_NETBENCH_IO="7680 1048576": one NexaCore boot per value in each round, netbench moving
    # that many bytes per NetSend/NetRecv (an A/B of the per-call cost in one interleaved run);
    # NC_NETBENCH_ALT_ESP=IMAGE: each NexaCore boot again with another build's esp-bench.img
    images = [("", None)] + ([(" alt", ALT_ESP)] if ALT_ESP else [])
    systems = [(f"nexacore{'' if io is None else ' io=' + io}{label}",
                lambda p, n, w, io=io, img=img: nexacore(p, n, w, io, img))
               for label, img in images for io in IO_VARIANTS or [None]]
    systems += [("linux", linux)]
    for nic in NICS:
        for name, _ in systems:
            results[nic, name] = []
        for r in range(ROUNDS):
            for name, fn in systems:
                got = fn(peer, nic, work)
                loads.append(load())
                results[nic, name].append(got)
                shown = " ".join(f"{k}={v:.2f}" if isinstance(v, float) else f"{k}={v}" for k, v in sorted(got.items()))
                print(f"# {nic} round {r + 1} {name}: {shown} (load {loads[-1]})", flush=True)
    print(f"{'NIC':11} {'figure':20} {'NexaCore':>10} {'Linux':>10} {'NexaCore/Linux':>15}  (medians)")
    for nic in NICS:
        for name, _ in systems[:-1]:
            if len(systems) > 2:
                print(f"# {name}")
            for key, label, higher in FIGURES:
                (a, na), (b, nb) = median(results[nic, name], key), median(results[nic, "linux"], key)
                ratio = f"{a / b:.2f}" if a and b else "-"
                goal = ">= 1" if higher else "<= 1"
                show = lambda v, n: f"{v:.2f}" + ("" if n == ROUNDS else f"[{n}]") if v else "-"  # noqa: E731
                print(f"{nic:11} {label:20} {show(a, na):>10} {show(b, nb):>10} {ratio:>9} (goal {goal})")
    errors = sum(r.get("errors", 0) for runs in results.values() for r in runs)
    print(f"(rounds: {ROUNDS} per NIC, interleaved; wrk socket errors/non-2xx: {errors}; "
          f"[n]: only n rounds gave the figure; host load average: {' '.join(loads)})")
    peer.close()
    subprocess.run(["rm", "-rf", work])
    return 0


if __name__ == "__main__":
    sys.exit(main())
