#!/usr/bin/env python3
"""QEMU guestfwd helper (cmd: form): QEMU runs this once per guest connection
with the connection on stdin/stdout; it relays the bytes to and from TCP
127.0.0.1:PORT (the test's HTTP server) until both sides are done."""
import os
import socket
import sys
import threading


def pump(read, write, done):
    while True:
        data = read(65536)
        if not data:
            break
        write(data)
    done()


def main():
    s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    out = os.fdopen(1, "wb", buffering=0)
    inp = os.fdopen(0, "rb", buffering=0)

    def to_server(data):
        s.sendall(data)

    t = threading.Thread(target=pump, args=(inp.read, to_server, lambda: s.shutdown(socket.SHUT_WR)))
    t.daemon = True
    t.start()
    pump(s.recv, out.write, out.close)


if __name__ == "__main__":
    main()
