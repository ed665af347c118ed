#!/usr/bin/env bash
# The network on a NIC: tests/user/net/net_qemu_test.py (virtio-net).
exec python3 "$(dirname "$0")/net_qemu_test.py"
