#!/usr/bin/env bash
# Power cuts during file-system writes (tests/user/fscrash_qemu_test.py).
cd "$(dirname "$0")/../.." && exec python3 tests/user/fscrash_qemu_test.py
