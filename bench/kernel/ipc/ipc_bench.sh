#!/usr/bin/env bash
# IPC call/reply round-trip benchmark (method: docs/ipc.md, "Benchmark").
# Boots a private copy of the bench image whose manifest runs ipcbench:
#   1 CPU  -> same-CPU round trip;  2 CPUs -> cross-CPU round trip,
# each under plain TCG (rdtsc: cycles at the guest TSC rate) and under
# -icount shift=0 (rdtsc: guest instructions); the 2-CPU TCG run also
# measures the polling cross-CPU round trip. Reported, never asserted;
# the target is a same-CPU round trip under 1000 guest instructions (met by
# the ABI v2 short calls: ipc_short_round_trip).
set -uo pipefail
cd "$(dirname "$0")/../../.."
. scripts/qemu-common.sh
make -s build/esp-bench.img >/dev/null || exit 1
work=$(mktemp -d /tmp/nc-ipcbench.XXXXXX)
trap 'rm -rf "$work"' EXIT
run() { # cpus, unit, ipcbench argument, extra QEMU args
	local log=build/test-logs/ipcbench-$1cpu-$2.serial
	qemu_image_with_manifest build/initrd-bench-root build/esp-bench.img "ipcbench $3" "$work"
	NC_QEMU_SMP=$1 NC_QEMU_EXTRA="$4" scripts/qemu-test "ipcbench-$1cpu-$2" "$work/esp.img" 900 >/dev/null
	if ! grep -aq '^ipcbench: ' "$log"; then
		echo "ipc_bench: no results with $1 CPU(s) under $2 (see $log)"
		return 1
	fi
	tr -d '\r' < "$log" | grep -a -e '^bench ' -e '^ipcbench: ' | sed "s/ per op/ $2 per op/"
}
run 1 cycles "" ""
run 1 instructions "" "-icount shift=0"
run 2 cycles polling ""
run 2 instructions "" "-icount shift=0"
