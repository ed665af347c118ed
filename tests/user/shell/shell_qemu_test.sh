#!/usr/bin/env bash
# The shell in QEMU, driven through the serial port (tests/user/shell/shell_qemu_test.py).
cd "$(dirname "$0")/../../.." && exec python3 tests/user/shell/shell_qemu_test.py
