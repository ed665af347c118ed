"""The host side of the network tests (net_qemu_test.py, the shell's QEMU
test): an HTTP server (Python's http.server) on 127.0.0.1 (or the address
given, IPv4 or IPv6: netns_peer.py runs two inside its namespace) serving

  /big            16 MiB of seeded random bytes
  /small          a short text
  /chunked        /small with Transfer-Encoding: chunked, in uneven chunks
  /redirect       302 to the path /small
  /redirect-abs   301 to http://10.0.2.100/small
  /zeros/N        N zero bytes (a long stream without a file behind it)

and the QEMU options that let a guest on user networking restricted to this
machine (restrict=on) reach it as 10.0.2.100:80 (guestfwd, through relay.py)
and let the host reach the guest's TCP ports through hostfwd on 127.0.0.1.
Nothing listens beyond 127.0.0.1."""
import http.server
import os
import random
import socket
import subprocess
import tempfile
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
SMALL = "".join(f"line {i} of the small file\n" for i in range(100)).encode()


def free_port(kind=socket.SOCK_STREAM):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def b3sum(data):
    return subprocess.run(["b3sum", "--no-names"], input=data, check=True, capture_output=True,
                          text=False).stdout.decode().split()[0]


class Peer:
    def __init__(self, address=("127.0.0.1", 0)):
        self.big = random.Random(17).randbytes(16 << 20)
        self.b3 = {"big": b3sum(self.big), "small": b3sum(SMALL)}
        peer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def send_body(self, body, extra=()):
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                for k, v in extra:
                    self.send_header(k, v)
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                if self.path == "/big":
                    self.send_body(peer.big)
                elif self.path == "/small":
                    self.send_body(SMALL, [("Content-Type", "text/plain")])
                elif self.path == "/chunked":
                    self.send_response(200)
                    self.send_header("Transfer-Encoding", "chunked")
                    self.send_header("Connection", "close")
                    self.end_headers()
                    at, size = 0, 1
                    while at < len(SMALL):
                        piece = SMALL[at:at + size]
                        self.wfile.write(b"%x;ext=1\r\n" % len(piece) + piece + b"\r\n")
                        at, size = at + len(piece), size * 3 + 1
                    self.wfile.write(b"0\r\nX-Trailer: yes\r\n\r\n")
                elif self.path.startswith("/zeros/") and self.path[7:].isdigit():
                    n = int(self.path[7:])
                    self.send_response(200)
                    self.send_header("Content-Length", str(n))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = bytes(1 << 20)
                    while n:
                        self.wfile.write(chunk[:min(n, len(chunk))])
                        n -= min(n, len(chunk))
                elif self.path in ("/redirect", "/redirect-abs"):
                    self.send_response(302 if self.path == "/redirect" else 301)
                    self.send_header("Location", "/small" if self.path == "/redirect"
                                     else "http://10.0.2.100/small")
                    self.send_header("Content-Length", "0")
                    self.send_header("Connection", "close")
                    self.end_headers()
                else:
                    self.send_error(404)

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a guest connection reset on purpose (a driver killed)

        if ":" in address[0]:
            Server.address_family = socket.AF_INET6
        self.server = Server(address, Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def netdev(self, hostfwd_tcp=(), hostfwd_udp=()):
        """The -netdev value: restricted user networking with the forwards."""
        relay = os.path.join(HERE, "relay.py")
        opts = ["user,id=n0,restrict=on",
                f"guestfwd=tcp:10.0.2.100:80-cmd:python3 {relay} {self.server.server_port}"]
        opts += [f"hostfwd=tcp:127.0.0.1:{h}-:{g}" for h, g in hostfwd_tcp]
        opts += [f"hostfwd=udp:127.0.0.1:{h}-:{g}" for h, g in hostfwd_udp]
        return ",".join(opts)

    def close(self):
        self.server.shutdown()
