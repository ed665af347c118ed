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
B=build
make -s $B/esp-bench.img $B/user/bin/fsbench >/dev/null || exit 1
W=$(mktemp -d /tmp/nc-fsbench.XXXXXX)
trap 'rm -rf "$W"' EXIT
export PATH=$PATH:/sbin:/usr/sbin
mkdisk() { truncate -s 64M "$1" && mke2fs -q -F -t ext3 -b 1024 "$1"; }
disk_args() { echo "-device intel-iommu -drive if=none,id=nvm,format=raw,file=$1 -device nvme,serial=bench,drive=nvm"; }

# ---- NexaCore ---------------------------------------------------------------
mkdisk "$W/nexacore.img" || exit 1
qemu_image_with_manifest $B/initrd-bench-root $B/esp-bench.img "devmgr fsd fsbench" "$W"
cp "$W/esp.img" $B/esp-fsbench.img
NC_QEMU_SMP=1 NC_QEMU_EXTRA="$(disk_args "$W/nexacore.img")" scripts/qemu-test fsbench $B/esp-fsbench.img 900 >/dev/null
tr -d '\r' < $B/test-logs/fsbench.serial | grep -a '^BENCH nexacore' > "$W/nexacore.txt"

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
NC_GUEST_SMP=1 NC_GUEST_FILES="$W/linux_fsbench" bench/linux/run-guest.sh "$W/guest.sh" 900 $(disk_args "$W/linux.img") |
	grep -a '^BENCH linux' > "$W/linux.txt"
fsck=$(e2fsck -fn "$W/nexacore.img" >/dev/null 2>&1 && echo clean || echo "NOT clean")

# ---- the report ---------------------------------------------------------------
printf '%-14s %12s %12s %8s\n' measurement "nexacore s" "linux s" ratio
for m in create_1000 read_1000 write_32m read_32m; do
	n=$(awk -v m=$m '$3 == m { print $4 }' "$W/nexacore.txt")
	l=$(awk -v m=$m '$3 == m { print $4 }' "$W/linux.txt")
	ratio=$(awk -v a="$n" -v b="$l" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", b / a; else print "-" }')
	printf '%-14s %12s %12s %8s\n' "$m" "${n:--}" "${l:--}" "$ratio"
done
echo "(ratio: linux time / nexacore time; NexaCore's disk afterwards: e2fsck -fn $fsck)"
