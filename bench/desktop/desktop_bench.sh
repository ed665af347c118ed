#!/usr/bin/env bash
# Desktop benchmarks (bench/desktop/desktop_bench.py). Reported, never asserted.
set -uo pipefail
cd "$(dirname "$0")/../.."
make -s build/esp.img build/user/bin/termbench >/dev/null || exit 1
exec python3 bench/desktop/desktop_bench.py
