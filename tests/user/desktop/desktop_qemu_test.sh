#!/usr/bin/env bash
# The desktop in QEMU (tests/user/desktop/desktop_qemu_test.py).
cd "$(dirname "$0")/../../.." && exec python3 tests/user/desktop/desktop_qemu_test.py
