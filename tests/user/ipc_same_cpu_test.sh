#!/usr/bin/env bash
# IPC ping-pong pinned to one CPU: boots a private copy of the test image on a
# single CPU with a manifest that runs only the IPC user tests (ipc.* and
# ipc_short.*), so the call/reply exchanges of *.call_reply_* all happen on
# the same CPU (the normal 4-CPU test run spreads them over CPUs), where the
# hand-off fast paths run. Prints the tests' PASS/FAIL lines with an
# "ipc_same_cpu." prefix.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/qemu-common.sh
work=$(mktemp -d /tmp/nc-ipc1.XXXXXX)
trap 'rm -rf "$work"' EXIT
qemu_image_with_manifest build/initrd-test-root build/esp-test.img "usertests only:ipc" "$work"
# The verdict here is the IPC tests' own (the in-kernel tests of this boot
# are judged by the main test run, tests/boot).
out=$(NC_QEMU_SMP=1 scripts/qemu-test ipc-same-cpu "$work/esp.img" 180)
echo "$out" | grep -E '^(PASS|FAIL) usertests\.ipc(_short)?\.' | sed -e 's/usertests\.ipc\./ipc_same_cpu./' -e 's/usertests\.ipc_short\./ipc_same_cpu.short_/'
log=build/test-logs/ipc-same-cpu.serial
if tr -d '\r' < "$log" | grep -aq 'client CPUs 0x1, server CPUs 0x1' &&
	tr -d '\r' < "$log" | grep -aq 'ipc_short.call_reply_threads: client CPUs 0x1$' &&
	tr -d '\r' < "$log" | grep -aEq '^init: usertests \(pid [0-9]+\) ended with status 0$'; then
	echo "PASS ipc_same_cpu.run_on_one_cpu"
else
	echo "FAIL ipc_same_cpu.run_on_one_cpu: $(echo "$out" | tail -n 1) (see $log)"
fi
