#!/usr/bin/env bash
# Measured boot, sealing across reboots and quotes in QEMU (tests/kernel/tee_qemu_test.py).
cd "$(dirname "$0")/../.." && exec python3 tests/kernel/tee_qemu_test.py
