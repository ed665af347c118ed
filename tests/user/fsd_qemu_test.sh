#!/usr/bin/env bash
# The file-system service boot: the test image on the drivers' machine (q35, intel-iommu, an NVMe
# disk) whose disk is an ext3 image made here by mke2fs -d (1 KiB blocks, 64 MiB, /seed/hello.txt);
# init runs "devmgr --control fsd usertests only:disk.": devmgr starts the NVMe driver, fsd mounts
# the disk with lib/fs and serves it at /disk, usertests runs the disk.* tests
# (tests/user/disk_tests.c) through the ordinary file calls (disk.driver_restart asks devmgr, over
# the control channel fsd passes on, to kill the driver mid-write). fsd unmounts when usertests ends. Then, on the host, e2fsprogs
# judge the disk: e2fsck -fn finds no problem, the file system is marked clean with an empty
# journal, and debugfs reads what the tests wrote (big.bin, restart.bin, and bulk.bin written by
# FdWriteBulk, against the same generator in Python,
# log.txt), so the result does not rest on lib/fs reading its own writes.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/qemu-common.sh
W=$(mktemp -d /tmp/nc-fsd-test.XXXXXX)
trap 'rm -rf "$W"' EXIT
export PATH=$PATH:/sbin:/usr/sbin
mkdir -p "$W/tree/seed"
printf 'hello from mke2fs\n' > "$W/tree/seed/hello.txt"
truncate -s 64M "$W/disk.img"
mke2fs -q -F -t ext3 -b 1024 -d "$W/tree" "$W/disk.img" || { echo "FAIL fsd.mke2fs"; exit 1; }
qemu_disk_test fsd "devmgr --control fsd usertests only:disk." "$W/disk.img" "$W" 300
rc=$?
check() { # NAME CONDITION-OUTPUT: PASS when the command succeeds
	local name=$1
	shift
	if out=$("$@" 2>&1); then
		echo "PASS fsd.$name"
	else
		echo "FAIL fsd.$name: $(echo "$out" | tail -n 5 | tr '\n' ' ')"
		rc=1
	fi
}
check e2fsck_clean e2fsck -fn "$W/disk.img"
clean() { dumpe2fs -h "$1" 2>/dev/null | grep -q '^Filesystem state: *clean$' &&
	! dumpe2fs -h "$1" 2>/dev/null | grep -q 'needs_recovery'; }
check unmounted_clean clean "$W/disk.img"
generated() { # FILE LENGTH FIRST: the file on the disk holds disk_tests.c's pattern(FIRST..)
	debugfs -R "dump /out/$1 $W/$1" "$W/disk.img" >/dev/null 2>&1
	python3 - "$W/$1" "$2" "$3" <<'PY'
import sys
n, first = int(sys.argv[2]), int(sys.argv[3])
want = bytes(((i * 131 + (i >> 9) * 7 + 1) & 0xff) for i in range(first, first + n))
got = open(sys.argv[1], "rb").read()
sys.exit(0 if got == want else f"{sys.argv[1]}: {len(got)} bytes, differs from the generator")
PY
}
check host_reads_big generated big.bin 300000 0
check host_reads_restart generated restart.bin 600000 7777
check host_reads_bulk generated bulk.bin 1063865 31337
log() { [ "$(debugfs -R 'cat /out/log.txt' "$W/disk.img" 2>/dev/null)" = "$(printf 'one\ntwo')" ]; }
check host_reads_log log
exit $rc
