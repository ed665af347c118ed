#!/usr/bin/env python3
"""The network on a real NIC (issue 17): NexaCore's test image boots with a
NIC behind VT-d on QEMU user networking restricted to this machine
(restrict=on); the device manager runs netsvc and the NIC's driver and then
"usertests only:netq." (tests/user/netqemu_tests.c). Two boots: virtio-net
with every test, then e1000e with DHCP, ping (IPv4 and IPv6), the 16 MiB fetch, the
8 parallel downloads from the guest (its TCP segmentation offload: large frames the
device cuts) and the driver killed during a download. The host side, reached only through
127.0.0.1 forwards:

  - an HTTP server (Python's http.server, host_peer.py) on 127.0.0.1 with
    /big (16 MiB of random bytes) and /small, reached by the guest as
    10.0.2.100:80 (guestfwd, through relay.py); the guest prints the BLAKE3 of
    what it got, compared here with b3sum's;
  - 8 parallel curl downloads from the guest's port 8080 (hostfwd), each
    compared with the bytes the guest's test server makes;
  - 10 UDP datagrams to the guest's port 7 (hostfwd udp), checked by the
    guest (a restricted QEMU drops the guest's UDP replies);
  - /zeros/N (a 96 MiB stream the guest reads) and a 4 MiB download from the
    guest's port 8081 (hostfwd) after it, compared here.

A third boot (virtio-net, "usertests only:netns.") puts the NIC on a tap
device inside a network namespace this script creates (netns_peer.py):
dnsmasq gives DHCP with a router and a DNS server with fixed answers, a UDP
echo server and the HTTP server answer by name, all inside the namespace;
dnsmasq also advertises fd77::/64 (router advertisements, SLAAC) and the
echo and HTTP servers listen on [fd77::1] too (ping, UDP and TCP over IPv6);
its advertisements ask for stateless DHCPv6, whose answer names a second
DNS server on [fd77::53] (netns.dhcp6_*), and names with only an AAAA record
connect over IPv6 (netns.names_to_ipv6). Then the product image (esp.img)
boots in the same namespace and its shell's `ip` must list eth0's DNS
servers with where they came from.
The namespace's peer records the guest's TCP SYNs: the initial sequence
numbers of successive connections must not be close to each other (netsvc's
RFC 6528 ISNs; lwIP's own counter gives values a few thousand apart).

Prints PASS/FAIL lines (the guest's and this script's); exit 0 when all pass."""
import os
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time

from host_peer import Peer, b3sum, free_port
from netns_peer import Netns

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
B = os.path.join(ROOT, "build")
# The NICs sit behind the IOMMU (VT-d), as drivers do (docs/drivers.md).
VIRTIO = "virtio-net-pci,disable-legacy=on,iommu_platform=on"
# (name, NIC, the guest's tests, the files whose hashes the guest must print)
BOOTS = [("virtio", VIRTIO, "netq.", ("big", "small")),
         ("e1000e", "e1000e", "netq.dhcp,netq.ping,netq.fetch,netq.serve,netq.driver", ("big", "small"))]
NETNS_BOOT = ("netns", VIRTIO, "netns.", ("ns-small", "ns6-small", "ns-web6-small"))
TIMEOUT_S = 420
results = []


def check(name, ok, why=""):
    results.append((name, ok))
    print(f"PASS {name}" if ok else f"FAIL {name}: {why}", flush=True)


def served_byte_block(n):
    """The bytes the guest's test server sends (served_byte in netqemu_tests.c)."""
    return bytes((((i * 2654435761) & 0xffffffffffffffff) >> 13 ^ i >> 8) & 0xff for i in range(n))


def make_image(work, only):
    root = os.path.join(work, "root")
    subprocess.run(["cp", "-r", os.path.join(B, "initrd-test-root"), root], check=True)
    with open(os.path.join(root, "init.manifest"), "w") as f:
        f.write(f"devmgr --service netsvc=net --control usertests only:{only}\n")
    initrd = os.path.join(work, "initrd")
    subprocess.run(["tar", "--format=ustar", "--owner=0", "--group=0", "-cf", initrd, "-C", root, "."], check=True)
    esp = os.path.join(work, "esp.img")
    subprocess.run(["cp", os.path.join(B, "esp-test.img"), esp], check=True)
    cmdline = os.path.join(work, "cmdline.txt")
    with open(cmdline, "w") as f:
        f.write("test no-ktests\n")
    env = dict(os.environ, MTOOLS_SKIP_CHECK="1")
    for src, dst in ((initrd, "::/nexacore/initrd"), (cmdline, "::/nexacore/cmdline.txt")):
        subprocess.run(["mcopy", "-o", "-i", esp, src, dst], check=True, env=env)
    return esp


def qemu_args(esp, work):
    vars_copy = os.path.join(work, "vars.fd")
    out = subprocess.run(["bash", "-c", '. scripts/qemu-common.sh; qemu_base_args "$1" "$2"; '
                          'printf "%s\\0" "${QEMU_ARGS[@]}"', "-", esp, vars_copy],
                         cwd=ROOT, check=True, capture_output=True, env=dict(os.environ, NC_QEMU_SMP="2"))
    return [a for a in out.stdout.decode().split("\0") if a]


def curl_parallel(port, expect):
    got = [None] * 8

    def one(i):
        r = subprocess.run(["curl", "-s", "--max-time", "120", f"http://127.0.0.1:{port}/f{i}"],
                           capture_output=True)
        got[i] = r.stdout if r.returncode == 0 else None

    ts = [threading.Thread(target=one, args=(i,)) for i in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    bad = [i for i in range(8) if got[i] != expect]
    check("netq.host_curl_8_parallel", not bad, f"downloads {bad} differ or failed")


def curl_after_long_receive(port, expect):
    """The guest's send after its 96 MiB receive (netq.long_receive_then_send):
    LONG_SEND_BYTES (4 MiB) of what the guest serves, SERVE_BYTES over and over."""
    r = subprocess.run(["curl", "-s", "--max-time", "120", f"http://127.0.0.1:{port}/"], capture_output=True)
    ok = r.returncode == 0 and r.stdout == expect * 4
    check("netq.host_curl_after_long_receive", ok,
          f"curl exit {r.returncode}, {len(r.stdout)} bytes" + (", contents differ" if r.returncode == 0 else ""))


def udp_send(port):
    """10 datagrams, then "end" (the guest checks them: netq.udp_from_host).
    A restricted QEMU drops the guest's UDP but DHCP, so nothing comes back."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    for i in range(10):
        s.sendto(f"datagram {i} ".encode() * (i + 1), ("127.0.0.1", port))
        time.sleep(0.05)
    s.sendto(b"end", ("127.0.0.1", port))
    check("netq.host_udp_sent", True)


def boot(peer, name, nic, only, hashed, ns=None):
    """One boot with NIC nic running the guest tests of only: on restricted
    user networking with peer's forwards, or on the tap device of network
    namespace ns (netns_peer.py; QEMU runs inside it)."""
    work = tempfile.mkdtemp(prefix="nc-net-test.")
    b3 = dict(peer.b3, **{k: peer.b3["small"] for k in ("ns-small", "ns6-small", "ns-web6-small")})
    tcp_port, send_port = free_port(socket.SOCK_STREAM), free_port(socket.SOCK_STREAM)
    udp_port = free_port(socket.SOCK_DGRAM)
    netdev = ns.netdev() if ns else peer.netdev(hostfwd_tcp=[(tcp_port, 8080), (send_port, 8081)],
                                                hostfwd_udp=[(udp_port, 7)])
    esp = make_image(work, only)
    log = os.path.join(B, "test-logs", f"net-{name}.serial")
    os.makedirs(os.path.dirname(log), exist_ok=True)
    if os.path.exists(log):
        os.remove(log)
    args = qemu_args(esp, work) + ["-device", "intel-iommu", "-netdev", netdev, "-device", f"{nic},netdev=n0",
                                    "-display", "none", "-serial", f"file:{log}"]
    cmd = ["qemu-system-x86_64"] + args
    # QEMU's own messages (an assertion of an emulated device) go to a file
    # kept beside the serial log and printed when the boot fails
    qemu_err = os.path.join(B, "test-logs", f"net-{name}.qemu-stderr")
    with open(qemu_err, "wb") as err:
        q = subprocess.Popen(ns.wrap(cmd) if ns else cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=err)
    expect = served_byte_block(1 << 20)
    acted = {}
    start = time.time()
    text = ""
    while q.poll() is None and time.time() - start < TIMEOUT_S:
        time.sleep(0.2)
        try:
            with open(log, "rb") as f:
                text = f.read().decode(errors="replace")
        except FileNotFoundError:
            continue
        for marker, key, fn, arg in (("netq-serving", "serve", curl_parallel, (tcp_port, expect)),
                                     ("netq-udp-ready", "udp", udp_send, (udp_port,)),
                                     ("netq-sending", "send", curl_after_long_receive, (send_port, expect))):
            if marker in text and key not in acted:
                acted[key] = threading.Thread(target=fn, args=arg, daemon=True)
                acted[key].start()
        if "PANIC" in text:
            break
    timed_out = q.poll() is None
    if timed_out:
        q.kill()
    rc = q.wait()
    with open(log, "rb") as f:
        text = f.read().decode(errors="replace").replace("\r", "")
    for line in text.splitlines():
        if line.startswith("PASS ") or line.startswith("FAIL "):
            line = line.replace("usertests.netq.", f"usertests.netq.{name}.", 1)
            print(line, flush=True)
            results.append((line, line.startswith("PASS")))
        elif line.startswith("netq-rate ") or line.startswith("netq-frames "):
            print("# " + line, flush=True)
    hashes = dict((w[1], w[2]) for w in (l.split() for l in text.splitlines() if l.startswith("netq-hash "))
                  if len(w) >= 4)
    for f in hashed:
        check(f"netq.{name}.fetched_{f}_b3sum_matches_host", hashes.get(f) == b3[f],
              f"guest {hashes.get(f)}, host {b3[f]}")
    # the download the killed driver cut short: what arrived is the file's first bytes, none lost
    killed = [w for w in (l.split() for l in text.splitlines() if l.startswith("netq-hash killed ")) if len(w) >= 4]
    if any(f"netq.{name}.driver_killed_during_transfer" in line for line, _ in results):
        n = int(killed[0][3]) if killed else 0
        want = b3sum(peer.big[:n]) if killed else None
        check(f"netq.{name}.killed_download_is_a_prefix", bool(killed) and 0 < n < len(peer.big) and killed[0][2] == want,
              f"guest {killed[0][2:4] if killed else 'no hash line'}, host {want} for the first {n} bytes")
    for key, check_name in (("serve", "host_curl_8_parallel"), ("udp", "host_udp_sent"),
                            ("send", "host_curl_after_long_receive")):
        t = acted.get(key)
        if t:
            t.join(60)
        if (not t and only == "netq.") or (t and t.is_alive()):
            check(f"netq.{name}.{check_name}", False, "the guest never asked for it" if not t else "did not finish")
    if timed_out or rc != 33:
        with open(qemu_err, "rb") as f:
            err_text = f.read().decode(errors="replace")
        for line in err_text.splitlines()[-40:]:
            print(f"# qemu {name} stderr: {line}", flush=True)
        check(f"qemu.net_{name}", False, ("timeout" if timed_out else f"QEMU exit status {rc}") +
              f" (see {log}; QEMU's stderr above and in {qemu_err})")
    subprocess.run(["rm", "-rf", work])


def check_isns(path):
    """The guest's connections (their first SYN each, in order) in the netns
    boot: at least two, and no two successive initial sequence numbers within
    2^14 of each other modulo 2^32 (random ones are, per pair, with
    probability 2^-17)."""
    first = {}
    if os.path.exists(path):
        with open(path) as f:
            for line in f:
                source, port, seq = line.split()
                first.setdefault((source, port), int(seq))
    seqs = list(first.values())
    near = [(a, b) for a, b in zip(seqs, seqs[1:]) if min((a - b) % (1 << 32), (b - a) % (1 << 32)) < 1 << 14]
    check("netq.netns.tcp_isn_not_a_counter", len(seqs) >= 2 and not near,
          f"{len(seqs)} connections seen; successive ISNs close together: {near}")


def shell_ip(ns):
    """The product image (esp.img, its shell on the serial console) booted in
    namespace ns: `ip` typed every 2 s until eth0 lists its DNS servers,
    from DHCP and from DHCPv6 (stateless; docs/network.md), or 90 s pass."""
    work = tempfile.mkdtemp(prefix="nc-net-shell.")
    esp = os.path.join(work, "esp.img")
    subprocess.run(["cp", os.path.join(B, "esp.img"), esp], check=True)
    qemu_err = os.path.join(B, "test-logs", "net-shell-ip.qemu-stderr")
    with open(qemu_err, "wb") as err:
        q = subprocess.Popen(ns.wrap(["qemu-system-x86_64"] + qemu_args(esp, work) +
                                     ["-device", "intel-iommu", "-netdev", ns.netdev(), "-device", f"{VIRTIO},netdev=n0",
                                      "-display", "none", "-serial", "stdio"]),
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=err)
    out, start, typed, eth0 = b"", time.time(), 0.0, ""
    while time.time() - start < 90 and q.poll() is None:
        ready, _, _ = select.select([q.stdout], [], [], 0.2)
        if ready:
            out += os.read(q.stdout.fileno(), 65536)
        text = out.decode(errors="replace").replace("\r", "")
        # each eth0 section of an answer, up to the prompt after it
        sections = [part.split("nexacore> ")[0] for part in text.split("\neth0:")[1:]]
        eth0 = next((e for e in sections if "dns fd77::53 (dhcpv6)" in e), sections[-1] if sections else "")
        if "dns fd77::53 (dhcpv6)" in eth0:
            break
        if "nexacore> " in text and time.time() - typed > 2:
            q.stdin.write(b"ip\r")
            q.stdin.flush()
            typed = time.time()
    q.kill()
    q.wait()
    subprocess.run(["rm", "-rf", work])
    lines = [l.strip() for l in eth0.splitlines()]
    check("netq.netns.shell_ip_shows_dns_servers",
          "dns 10.77.0.1 (dhcp)" in lines and "dns fd77::53 (dhcpv6)" in lines,
          f"eth0 as ip showed it: {lines} (QEMU's stderr in {qemu_err})")


def main():
    peer = Peer()
    for name, nic, only, hashed in BOOTS:
        boot(peer, name, nic, only, hashed)
    work = tempfile.mkdtemp(prefix="nc-netns.")
    ns = Netns(work)
    try:
        boot(peer, *NETNS_BOOT, ns=ns)
        check_isns(ns.syns)
        shell_ip(ns)
    finally:
        ns.close()
        subprocess.run(["rm", "-rf", work])
    peer.close()
    return 0 if all(ok for _, ok in results) else 1


if __name__ == "__main__":
    sys.exit(main())
