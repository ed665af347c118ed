#!/usr/bin/env bash
# File-system benchmark (docs/filesystem.md): the same measurements on the same emulated disk
# (QEMU q35, TCG, one CPU, an NVMe controller on a fresh 64 MiB file holding an empty ext3 file
# system with 1 KiB blocks, made by mke2fs), once inside NexaCore (fsbench through the file
# calls, fsd, lib/fs, the block service and the user-space NVMe driver) and once by the Linux
# guest of bench/linux (linux_fsbench on ext3 mounted by Linux's ext4 driver). Prints both and
# the NexaCore/Linux ratio of each figure as Linux's time over ours (higher is better for
# NexaCore; the goal is >= 1.0). Reported, never asserted.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/qemu-common.sh
. bench/linux/disk-bench.sh
B=build
make -s $B/esp-bench.img $B/user/bin/fsbench >/dev/null || exit 1
W=$(mktemp -d /tmp/nc-fsbench.XXXXXX)
trap 'rm -rf "$W"' EXIT
export PATH=$PATH:/sbin:/usr/sbin
mkdisk() { truncate -s 64M "$1" && mke2fs -q -F -t ext3 -b 1024 "$1"; }

# ---- NexaCore ---------------------------------------------------------------
mkdisk "$W/nexacore.img" || exit 1
NC_QEMU_SMP=1 bench_nexacore fsbench "devmgr fsd fsbench" "$W/nexacore.img" "$W"

# ---- Linux ------------------------------------------------------------------
gcc -O2 -static -o "$W/linux_fsbench" bench/fs/linux_fsbench.c || exit 1
mkdisk "$W/linux.img" || exit 1
cat > "$W/guest.sh" <<'EOF'
#!/bin/sh
mount -t ext3 /dev/nvme0n1 /mnt || exit 1
/linux_fsbench
status=$?
umount /mnt
exit $status
EOF
# shellcheck disable=SC2046
NC_GUEST_SMP=1 NC_GUEST_FILES="$W/linux_fsbench" bench/linux/run-guest.sh "$W/guest.sh" 900 $(bench_disk_args "$W/linux.img") |
	grep -a '^BENCH linux' > "$W/linux.txt"
fsck=$(e2fsck -fn "$W/nexacore.img" >/dev/null 2>&1 && echo clean || echo "NOT clean")

# ---- the report ---------------------------------------------------------------
bench_table "$W" lower 14 12 nexacore linux create_1000 read_1000 write_32m read_32m write_32m_1m read_32m_1m
echo "(ratio: linux time / nexacore time; NexaCore's disk afterwards: e2fsck -fn $fsck)"
