#!/usr/bin/env bash
# The drivers boot: the test image (command line "test no-ktests": the
# in-kernel tests run in the main boot) on q35 with -device intel-iommu and an NVMe
# controller backed by a fresh 64 MiB raw file, init running
# "devmgr --control usertests only:drivers.,blk." (usertests takes a comma
# list of prefixes as "skip:" does). The device manager starts the NVMe
# driver from its signed package and hands usertests its control channel;
# usertests prints the PASS/FAIL lines (drivers.*, blk.*, and dmatest.* from
# the test driver). Checked here as well: the kernel reported both DMA faults
# dmatest provokes, naming the device; blk.timeout_and_reset's lost
# completions and blk.failed_reset_restarts_driver's failed reset went
# through the driver's watchdog (its log lines), and what the first wrote
# around them is in the disk image, as the host reads it.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/qemu-common.sh
B=build
W=$(mktemp -d /tmp/nc-drivers-test.XXXXXX)
trap 'rm -rf "$W"' EXIT
truncate -s 64M "$W/disk.img"
qemu_disk_test drivers "devmgr --control usertests only:drivers.,blk." "$W/disk.img" "$W" 300
rc=$?
log=$B/test-logs/drivers.serial
faults=$(grep -a -c 'iommu: DMA fault: device 00:02.0 write to' "$log")
if [ "$faults" -ge 2 ]; then
	echo "PASS drivers.kernel_reports_dma_faults"
else
	echo "FAIL drivers.kernel_reports_dma_faults: $faults DMA fault reports in $log, expected 2"
	rc=1
fi
# blk.timeout_and_reset and blk.failed_reset_restarts_driver
# (tests/user/blk_timeout_tests.c): 5 lost completions, 5 timeouts resetting
# the controller, one command failing after 2, one reset failing and the
# driver exiting after it
lost=$(grep -a -c 'nvme: fault injection: the completion of command' "$log")
resets=$(grep -a -c 'nvme: a command is overdue: resetting the controller' "$log")
failed=$(grep -a -c 'timed out 2 times: it fails' "$log")
dead=$(grep -a -c 'nvme: fault injection: the controller is left disabled' "$log")
exits=$(grep -a -c 'nvme: the controller did not come back from a reset: the driver exits' "$log")
if [ "$lost" -eq 5 ] && [ "$resets" -ge 5 ] && [ "$failed" -eq 1 ] && [ "$dead" -eq 1 ] && [ "$exits" -eq 1 ]; then
	echo "PASS drivers.nvme_watchdog_log"
else
	echo "FAIL drivers.nvme_watchdog_log: $lost lost completions (5), $resets overdue resets (>= 5), $failed failed commands (1), $dead failed resets (1), $exits exits after one (1) in $log"
	rc=1
fi
# the blocks it wrote, read from the image: rounds 1, 2 and 3 of its pattern
if python3 - "$W/disk.img" <<'EOF'
import sys
def pattern(lba, i, r):
    return (lba * 13 + i * 5 + r * 71 + (i >> 7)) & 0xff
with open(sys.argv[1], 'rb') as f:
    for first, n, r in ((4096, 64, 1), (4160, 32, 2), (4192, 32, 3)):
        f.seek(first * 512)
        got = f.read(n * 512)
        want = bytes(pattern(first + k // 512, k % 512, r) for k in range(n * 512))
        if got != want:
            sys.exit('blocks %d..%d differ from round %d' % (first, first + n - 1, r))
EOF
then
	echo "PASS drivers.disk_image_after_timeouts"
else
	echo "FAIL drivers.disk_image_after_timeouts"
	rc=1
fi
exit $rc
