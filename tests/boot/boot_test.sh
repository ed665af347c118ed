#!/usr/bin/env bash
# QEMU boot tests (run by `make test` through scripts/run-tests):
#  - the test image: in-kernel tests, then init runs the in-OS user tests
#    (tests/user/usertests), reported line by line; the fairness test runs
#    in a boot of its own (esp-fair.img);
#  - broken ESPs: a corrupted, a truncated and a missing kernel each give the
#    loader's error line, and scripts/qemu-test reports the boot as failed;
#  - deliberate kernel faults: a panic with registers and a symbolized backtrace.
set -uo pipefail
cd "$(dirname "$0")/../.."
B=build
export MTOOLS_SKIP_CHECK=1

scripts/qemu-test kernel $B/esp-test.img 240
# Scheduler fairness in a boot of its own under single-threaded TCG: with one
# host thread per vCPU a busy host starves vCPUs unevenly, and that noise
# would swamp the scheduler's shares.
NC_QEMU_EXTRA="-accel tcg,thread=single" scripts/qemu-test fairness $B/esp-fair.img 120

pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

# broken_esp NAME EXPECTED_ERROR MUTATION: MUTATION edits kernel.elf in a copy of the test ESP.
broken_esp() {
	local name=$1 expect=$2 mutate=$3 img=$B/esp-$1.img k=$B/kernel-$1.elf
	cp $B/esp-test.img "$img"
	cp $B/kernel/nexacore-test.elf "$k"
	if [ "$mutate" = delete ]; then
		mdel -i "$img" ::/nexacore/kernel.elf
	else
		eval "$mutate"
		mcopy -o -i "$img" "$k" ::/nexacore/kernel.elf
	fi
	out=$(scripts/qemu-test "$name" "$img" 60)
	local rc=$?
	if [ $rc != 0 ] && [[ $out == *"FAIL qemu.$name: nexacore-boot: error: $expect"* ]]; then
		pass "boot.loader_rejects_$name"
	else
		fail "boot.loader_rejects_$name" "rc=$rc, runner said: $(echo "$out" | tail -n 1)"
	fi
	rm -f "$img" "$k"
}
broken_esp corrupt_magic '\nexacore\kernel.elf: bad ELF magic' \
	'printf "\x7fXLF" | dd of="$k" conv=notrunc status=none'
broken_esp truncated_kernel '\nexacore\kernel.elf: inconsistent loadable segment' \
	'truncate -s 8192 "$k"'
broken_esp wrong_machine '\nexacore\kernel.elf: not an x86-64 executable' \
	'printf "\x03\x00" | dd of="$k" bs=1 seek=18 conv=notrunc status=none'
broken_esp missing_kernel '\nexacore\kernel.elf: cannot read the kernel file' delete

# Kernel faults (test kernel, "crash-*" on the command line, after the in-kernel
# tests): a panic report with registers and a symbolized backtrace, and the run
# judged failed. kernel_crash NAME CMDLINE_WORD EXPECTED_PANIC SYMBOL_IN_BACKTRACE
kernel_crash() {
	local name=$1 word=$2 expect=$3 sym=$4 img=$B/esp-$1.img log=$B/test-logs/$1.serial
	cp $B/esp-test.img "$img"
	printf 'test %s\n' "$word" > "$img.cmdline"
	mcopy -o -i "$img" "$img.cmdline" ::/nexacore/cmdline.txt
	out=$(NC_QEMU_SMP=2 scripts/qemu-test "$name" "$img" 90)
	local rc=$?
	if [ $rc != 0 ] && [[ $out == *"FAIL qemu.$name: PANIC: $expect"* ]] &&
		grep -aq '^  rip ' "$log" && grep -aq "^    ffffffff[0-9a-f]* $sym+0x" "$log"; then
		pass "boot.kernel_fault_panics_$name"
	else
		fail "boot.kernel_fault_panics_$name" "rc=$rc, runner said: $(echo "$out" | tail -n 1) (see $log)"
	fi
	rm -f "$img" "$img.cmdline"
}
kernel_crash page_fault crash-page-fault 'kernel exception #PF page fault' ktest_crash_page_fault
kernel_crash stack_overflow crash-stack-overflow 'kernel exception #DF double fault' 'recurse[a-z.0-9]*'
