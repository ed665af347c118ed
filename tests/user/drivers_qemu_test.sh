#!/usr/bin/env bash
# The drivers boot: the test image (command line "test no-ktests": the
# in-kernel tests run in the main boot) on q35 with -device intel-iommu and an NVMe
# controller backed by a fresh 64 MiB raw file, init running
# "devmgr --control usertests only:drivers.,blk." (usertests takes a comma
# list of prefixes as "skip:" does). The device manager starts the NVMe
# driver from its signed package and hands usertests its control channel;
# usertests prints the PASS/FAIL lines (drivers.*, blk.*, and dmatest.* from
# the test driver). Checked here as well: the kernel reported both DMA faults
# dmatest provokes, naming the device.
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
exit $rc
