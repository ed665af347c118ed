#!/usr/bin/env bash
# QEMU boot tests (run by `make test` through scripts/run-tests):
#  - the test image: in-kernel tests, then init runs the in-OS user tests
#    (tests/user/usertests), reported line by line; the fairness test runs
#    in a boot of its own (esp-fair.img);
#  - broken ESPs: a corrupted, a truncated and a missing kernel each give the
#    loader's error line, and scripts/qemu-test reports the boot as failed;
#  - a corrupted relocation table (KASLR): the loader's error line;
#  - deliberate kernel faults: a panic with registers and a backtrace whose
#    symbols, under the boot's random slide, agree with nm;
#  - APs started late: each halts without touching the kernel.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/qemu-common.sh
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
# The relocation table (KASLR): its file offset from readelf's program headers
# (type NC_KRELOC_PT_TYPE); a bad magic, and a first 64-bit place moved past
# the image, are each refused before the kernel runs.
reloc_table_offset() { echo $(( $(readelf -lW "$1" | awk '$1 == "LOOS+0xe636b72" { print $2 }') )); }
broken_esp bad_reloc_table 'kernel relocations: not a kernel relocation table (magic or version)' \
	'printf X | dd of="$k" bs=1 seek=$(reloc_table_offset "$k") conv=notrunc status=none'
broken_esp reloc_outside_image 'kernel relocations: relocation outside the image or out of order' \
	'printf "\xff\xff\xff\x7f" | dd of="$k" bs=1 seek=$(($(reloc_table_offset "$k") + 16)) conv=notrunc status=none'

# Kernel faults (test kernel, "crash-*" on the command line, after the in-kernel
# tests): a panic report with registers and a symbolized backtrace, and the run
# judged failed. The image runs slid (KASLR): the backtrace line for the symbol
# must name the right place, i.e. its address minus the slide of the kaslr:
# line (which the report repeats) is that symbol's address in `nm` (an
# independent oracle) plus the offset printed. kernel_crash NAME CMDLINE_WORD EXPECTED_PANIC SYMBOL_IN_BACKTRACE
symbol_matches_nm() {
	local line slide addr rest name off want
	line=$(grep -a -m1 "^    ffffffff[0-9a-f]* $2+0x" "$1" | tr -d '\r')
	slide=$(grep -a -m1 '^kaslr: ' "$1" | tr -d '\r' | sed -nE 's/.*\(slide (0x[0-9a-f]+|0)\)$/\1/p')
	# the panic report states the same slide
	grep -aq "^  backtrace (kernel image slide $slide):" "$1" || return 1
	addr=${line:4:16} rest=${line:21}
	name=${rest%%+*} off=${rest##*+}
	want=$(nm $B/kernel/nexacore-test.elf | awk -v n="$name" '$3 == n { print $1; exit }')
	[ -n "$slide" ] && [ -n "$want" ] && [ $((0x$addr - slide)) = $((0x$want + off)) ]
}
kernel_crash() {
	local name=$1 word=$2 expect=$3 sym=$4 img=$B/esp-$1.img log=$B/test-logs/$1.serial
	cp $B/esp-test.img "$img"
	printf 'test %s\n' "$word" > "$img.cmdline"
	mcopy -o -i "$img" "$img.cmdline" ::/nexacore/cmdline.txt
	out=$(NC_QEMU_SMP=2 scripts/qemu-test "$name" "$img" 90)
	local rc=$?
	if [ $rc != 0 ] && [[ $out == *"FAIL qemu.$name: PANIC: $expect"* ]] &&
		grep -aq '^  rip ' "$log" && symbol_matches_nm "$log" "$sym"; then
		pass "boot.kernel_fault_panics_$name"
	else
		fail "boot.kernel_fault_panics_$name" "rc=$rc, runner said: $(echo "$out" | tail -n 1) (see $log)"
	fi
	rm -f "$img" "$img.cmdline"
}
kernel_crash page_fault crash-page-fault 'kernel exception #PF page fault' ktest_crash_page_fault
kernel_crash stack_overflow crash-stack-overflow 'kernel exception #DF double fault' 'recurse[a-z.0-9]*'

# APs that start after the BSP gave up on them ("smp-give-up", test kernels:
# every AP gets its start-up IPIs but is given up on at once). Each must find
# its attempt abandoned and halt without touching the kernel (a late AP used to
# take the next AP's stack and cpu_t, or run a trampoline no longer mapped): the
# boot says all three halted, runs on one CPU, and init's tests pass.
late_aps() {
	local w img=$B/esp-late-aps.img log=$B/test-logs/late_aps.serial
	w=$(mktemp -d /tmp/nc-late-aps.XXXXXX)
	qemu_image_with_manifest $B/initrd-test-root $B/esp-test.img "usertests only:proc." "$w"
	cp "$w/esp.img" "$img"
	printf 'test no-ktests smp-give-up\n' > "$w/cmdline.txt"
	mcopy -o -i "$img" "$w/cmdline.txt" ::/nexacore/cmdline.txt
	out=$(NC_QEMU_SMP=4 scripts/qemu-test late_aps "$img" 120)
	local rc=$?
	if [ $rc = 0 ] && grep -aq '^smp: 3 of 3 late CPUs halted' "$log" && grep -aq '^smp: 1 CPUs online' "$log"; then
		pass boot.late_aps_halt
	else
		fail boot.late_aps_halt "rc=$rc, runner said: $(echo "$out" | tail -n 1) (see $log)"
	fi
	rm -rf "$w" "$img"
}
late_aps
