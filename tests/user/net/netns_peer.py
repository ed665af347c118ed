#!/usr/bin/env python3
"""A private network for a guest (net_qemu_test.py's netns boot): a network
namespace that the test creates and deletes again, holding

  tap0      10.77.0.1/24 and fd77::1/64, the guest's side: QEMU runs inside
            the namespace with -netdev tap on it
  dnsmasq   (Debian's dnsmasq-base, scripts/deps.d/net.pkgs) on 10.77.0.1
            and fd77::1 with DHCP 10.77.0.50-99, router and DNS server
            10.77.0.1, and DNS with fixed answers only (--no-resolv,
            --no-hosts, --local=/test/): peer.test is 10.77.0.1 and fd77::1
            (AAAA), other.test 10.77.0.2, six.test fd77::66 (AAAA only),
            web4.test 10.77.0.1 (A only), web6.test fd77::1 (AAAA only),
            every other name under test. does not exist (NXDOMAIN); IPv6
            router advertisements of fd77::/64 with the O flag
            (--enable-ra, ra-stateless: SLAAC, and stateless DHCPv6 whose
            answer names the DNS server fd77::53)
  dnsmasq   a second one, DNS only, on fd77::53 (added to tap0 once the first
            has bound tap0's other addresses): dns6.test
            is 10.77.0.1 and fd77::1, nothing else exists; the guest can
            learn this server only from DHCPv6
  this file run as `netns_peer.py serve SYNS` inside it: a UDP echo server on
            10.77.0.1:7 and [fd77::1]:7, host_peer.py's HTTP server on
            10.77.0.1:80 and [fd77::1]:80, and a listener on tap0 that
            appends every TCP SYN the guest sends (IPv4 or IPv6, no ACK) to
            the file SYNS as a line "SOURCE PORT SEQUENCE" (Netns.syns)

The namespace has no link and no route out of its own subnet: nothing in it
reaches this machine's network or beyond, and the machine's resolver is never
asked. Needs root (ip netns) and /dev/net/tun."""
import os
import socket
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ADDRESS = "10.77.0.1"
ADDRESS6 = "fd77::1"
# host records: A, and AAAA for peer.test (the peer itself) and six.test (AAAA only)
NAMES = {"peer.test": f"{ADDRESS},{ADDRESS6}", "other.test": "10.77.0.2", "six.test": "fd77::66",
         "web4.test": ADDRESS, "web6.test": ADDRESS6}
# the second DNS server, named only by the DHCPv6 answer, and its one name
DNS6 = "fd77::53"
NAMES6 = {"dns6.test": f"{ADDRESS},{ADDRESS6}"}


class Netns:
    def __init__(self, work):
        self.name = f"nc-net-test-{os.getpid()}"
        self.procs = []
        subprocess.run(["ip", "netns", "add", self.name], check=True)
        try:
            for cmd in (["ip", "link", "set", "lo", "up"], ["ip", "tuntap", "add", "dev", "tap0", "mode", "tap"],
                        ["ip", "addr", "add", f"{ADDRESS}/24", "dev", "tap0"],
                        ["ip", "-6", "addr", "add", f"{ADDRESS6}/64", "dev", "tap0", "nodad"],
                        ["ip", "link", "set", "tap0", "up"]):
                subprocess.run(self.wrap(cmd), check=True)
            common = ["dnsmasq", "--keep-in-foreground", "--conf-file=/dev/null", "--no-resolv", "--no-hosts",
                      "--no-poll", "--user=root", "--group=root", "--bind-interfaces", "--local=/test/", "--pid-file="]
            log = os.path.join(work, "dnsmasq.log")
            self.start([*common, "--interface=tap0",
                        *(f"--host-record={n},{a}" for n, a in NAMES.items()), "--dhcp-authoritative",
                        f"--dhcp-range=10.77.0.50,10.77.0.99,255.255.255.0,10m",
                        f"--dhcp-option=option:router,{ADDRESS}", f"--dhcp-option=option:dns-server,{ADDRESS}",
                        "--enable-ra", "--dhcp-range=fd77::,ra-stateless,64",
                        f"--dhcp-option=option6:dns-server,[{DNS6}]",
                        f"--dhcp-leasefile={os.path.join(work, 'leases')}", f"--log-facility={log}"])
            # the first binds tap0's addresses when it starts (before it logs
            # "started"), the second fd77::53, added to tap0 after that
            for _ in range(100):
                if os.path.exists(log) and "started" in open(log).read():
                    break
                time.sleep(0.1)
            else:
                raise RuntimeError("dnsmasq did not start")
            subprocess.run(self.wrap(["ip", "-6", "addr", "add", f"{DNS6}/128", "dev", "tap0", "nodad"]), check=True)
            self.start([*common, f"--listen-address={DNS6}", *(f"--host-record={n},{a}" for n, a in NAMES6.items()),
                        f"--log-facility={os.path.join(work, 'dnsmasq6.log')}"])
            self.syns = os.path.join(work, "syns")
            serve = self.start([sys.executable, os.path.abspath(__file__), "serve", self.syns],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            if serve.stdout.readline().strip() != b"ready":
                raise RuntimeError("the namespace's peer did not start")
        except BaseException:
            self.close()
            raise

    def wrap(self, cmd):
        """cmd run inside the namespace."""
        return ["ip", "netns", "exec", self.name, *cmd]

    def start(self, cmd, **kw):
        p = subprocess.Popen(self.wrap(cmd), **kw)
        self.procs.append(p)
        return p

    def netdev(self):
        """The -netdev value for a QEMU run inside the namespace (wrap)."""
        return "tap,id=n0,ifname=tap0,script=no,downscript=no"

    def close(self):
        for p in self.procs:
            p.kill()
            p.wait()
        subprocess.run(["ip", "netns", "del", self.name])


def udp_echo(s):
    while True:
        data, peer = s.recvfrom(65536)
        s.sendto(data, peer)


def tcp_syn(frame):
    """(source, port, sequence) of an Ethernet frame holding a TCP SYN without
    ACK from the guest (IPv4, or IPv6 with TCP as the first next header), else None."""
    ethertype = int.from_bytes(frame[12:14], "big")
    ip = frame[14:]
    if ethertype == 0x0800 and len(ip) >= 20 and ip[9] == 6:
        source, tcp = socket.inet_ntop(socket.AF_INET, ip[12:16]), ip[(ip[0] & 15) * 4:]
    elif ethertype == 0x86DD and len(ip) >= 40 and ip[6] == 6:
        source, tcp = socket.inet_ntop(socket.AF_INET6, ip[8:24]), ip[40:]
    else:
        return None
    if len(tcp) < 20 or source in (ADDRESS, ADDRESS6) or tcp[13] & 0x12 != 0x02:
        return None
    return source, int.from_bytes(tcp[0:2], "big"), int.from_bytes(tcp[4:8], "big")


def record_syns(s, path):
    with open(path, "a") as out:
        while True:
            syn = tcp_syn(s.recv(65536))
            if syn:
                out.write("%s %d %d\n" % syn)
                out.flush()


def serve(syns):
    """Inside the namespace: the UDP echo, the HTTP server and the SYN
    listener, until killed."""
    sys.path.insert(0, HERE)
    from host_peer import Peer
    Peer((ADDRESS, 80))
    Peer((ADDRESS6, 80))
    for family, address in ((socket.AF_INET, ADDRESS), (socket.AF_INET6, ADDRESS6)):
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.bind((address, 7))
        threading.Thread(target=udp_echo, args=(s,), daemon=True).start()
    tap = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))  # ETH_P_ALL
    tap.bind(("tap0", 0))
    threading.Thread(target=record_syns, args=(tap, syns), daemon=True).start()
    print("ready", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__" and sys.argv[1:2] == ["serve"] and len(sys.argv) == 3:
    serve(sys.argv[2])
