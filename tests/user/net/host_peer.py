"""The host side of the network tests (net_qemu_test.py, the shell's QEMU
test): an HTTP server (Python's http.server) on 127.0.0.1 (or the address
given, IPv4 or IPv6: netns_peer.py runs two inside its namespace) serving

  /big            16 MiB of seeded random bytes
  /small          a short text
  /chunked        /small with Transfer-Encoding: chunked, in uneven chunks
  /redirect       302 to the path /small
  /redirect-abs   301 to http://10.0.2.100/small
  /zeros/N        N zero bytes (a long stream without a file behind it)
  /text           512 KiB of seeded random UTF-8 text (letters, "é", "日本語", emoji)
  /text-chunked   /text chunked in uneven pieces that split characters
  /redirect-out   302 to http://10.0.2.2:8080/small (outside a 10.0.2.100:80 scope)
  /bad/NAME       hostile answers, each ending with the server's close:
                  truncated-head, no-head (not HTTP), huge-length (Content-Length
                  99999999999, then 5 bytes), truncated-body (100 of 1000 bytes),
                  chunk-size ("zz"), chunk-overrun (7 bytes in a 3-byte chunk),
                  binary (a body that is not UTF-8)

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


def make_text(size):
    """size bytes (or a few less: whole characters) of seeded random UTF-8 text."""
    rnd = random.Random(23)
    words = ["net", "fetch", "naïve", "café", "日本語", "Grüße", "😀", "λx", "\n", "line", "Ω", "—"]
    out, n = [], 0
    while True:
        w = (rnd.choice(words) + " ").encode()
        if n + len(w) > size:
            return b"".join(out)
        out.append(w)
        n += len(w)


TEXT = make_text(512 << 10)
BAD = {
    "truncated-head": b"HTTP/1.1 200 OK\r\nContent-Le",
    "no-head": b"SSH-2.0-OpenSSH_9.2\r\n\r\n",
    "huge-length": b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\nhello",
    "truncated-body": b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 100,
    "chunk-size": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\nab\r\n0\r\n\r\n",
    "chunk-overrun": b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nhello, \r\n0\r\n\r\n",
    "binary": b"HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n\xff\xfe\x00\x80",
}


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
        self.b3 = {"big": b3sum(self.big), "small": b3sum(SMALL), "text": b3sum(TEXT)}
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

            def send_chunked(self, body):
                self.send_response(200)
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("Connection", "close")
                self.end_headers()
                at, size = 0, 1
                while at < len(body):
                    piece = body[at:at + size]
                    self.wfile.write(b"%x;ext=1\r\n" % len(piece) + piece + b"\r\n")
                    at, size = at + len(piece), size * 3 + 1
                self.wfile.write(b"0\r\nX-Trailer: yes\r\n\r\n")

            def do_GET(self):
                if self.path.startswith("/bad/") and self.path[5:] in BAD:
                    self.wfile.write(BAD[self.path[5:]])
                    self.close_connection = True
                elif self.path == "/text":
                    self.send_body(TEXT, [("Content-Type", "text/plain; charset=utf-8")])
                elif self.path == "/text-chunked":
                    self.send_chunked(TEXT)
                elif self.path == "/redirect-out":
                    self.send_response(302)
                    self.send_header("Location", "http://10.0.2.2:8080/small")
                    self.send_header("Content-Length", "0")
                    self.send_header("Connection", "close")
                    self.end_headers()
                elif self.path == "/big":
                    self.send_body(peer.big)
                elif self.path == "/small":
                    self.send_body(SMALL, [("Content-Type", "text/plain")])
                elif self.path == "/chunked":
                    self.send_chunked(SMALL)
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

            def echo(self):
                """/echo answers with the request as the server saw it:
                the method, each X- header, the body's bytes."""
                if self.path != "/echo":
                    self.send_error(404)
                    return
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                xs = "".join(f"{k}={v}\n" for k, v in self.headers.items() if k.lower().startswith("x-"))
                self.send_body(f"{self.command}\n{xs}".encode() + body, [("Content-Type", "text/plain")])

            do_POST = do_PUT = do_PATCH = do_DELETE = echo

            def do_HEAD(self):
                if self.path == "/small":
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(SMALL)))
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
