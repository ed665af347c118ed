#!/usr/bin/env bash
# Kernel micro-benchmarks (method: docs/kernel.md, "Benchmarks"). Boots the
# bench image (plain kernel, init runs kbench) on one CPU twice:
#   cycles       plain TCG: rdtsc ticks at the guest's TSC rate
#   instructions -icount shift=0: one guest instruction per rdtsc tick
# and prints kbench's lines with the unit. Reported, never asserted.
set -uo pipefail
cd "$(dirname "$0")/../.."
make -s build/esp-bench.img >/dev/null || exit 1
run() { # unit, extra QEMU args
	local unit=$1 log=build/test-logs/kbench-$1.serial
	NC_QEMU_SMP=1 NC_QEMU_EXTRA="$2" scripts/qemu-test "kbench-$unit" build/esp-bench.img 300 >/dev/null
	if ! grep -aq 'bench kernel.context_switch' "$log"; then
		echo "kernel_bench: no results under $unit (see $log)"
		return 1
	fi
	tr -d '\r' < "$log" | grep -a '^bench ' | sed "s/ per op/ $unit per op/"
}
run cycles ""
run instructions "-icount shift=0"
