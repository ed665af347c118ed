#!/usr/bin/env bash
# Block service benchmark (docs/block.md): the same measurements on the same
# QEMU machine (q35, TCG, 4 CPUs, 256 MiB, -device intel-iommu, an NVMe
# controller on a fresh 64 MiB file), once by NexaCore (blkbench through the
# block service and the user-space NVMe driver) and once by the benchmarks'
# Linux guest (bench/linux/run-guest.sh: Debian's linux-image-amd64 and
# busybox-static, 1 GiB) running randread.c, and dd with O_DIRECT for the
# sequential runs. Prints both and the NexaCore/Linux ratio of each figure
# (higher is better for NexaCore; the goal is >= 1.0). Reported, never
# asserted.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/qemu-common.sh
. bench/linux/disk-bench.sh
B=build
mkdir -p $B/test-logs
make -s $B/esp-bench.img $B/user/bin/blkbench >/dev/null || exit 1
W=$(mktemp -d /tmp/nc-blkbench.XXXXXX)
trap 'rm -rf "$W"' EXIT

# ---- NexaCore ---------------------------------------------------------------
truncate -s 64M "$W/nexacore.img"
bench_nexacore blkbench "devmgr blkbench" "$W/nexacore.img" "$W"

# ---- Linux ------------------------------------------------------------------
# The benchmarks' Linux guest (bench/linux/run-guest.sh) with the same devices.
gcc -O2 -static -pthread -o "$W/randread" bench/drivers/randread.c || exit 1
cat > "$W/guest.sh" <<'GUEST'
#!/bin/sh
i=0
while [ ! -b /dev/nvme0n1 ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
# busybox's dd prints no rate: time each run with /proc/uptime (10 ms steps)
timed() {
	a=$(cut -d' ' -f1 /proc/uptime)
	"$@" 2>/dev/null
	echo "DD $a $(cut -d' ' -f1 /proc/uptime)"
}
echo "seq_write $(timed dd if=/dev/zero of=/dev/nvme0n1 bs=128k count=512 oflag=direct)"
echo "seq_read $(timed dd if=/dev/nvme0n1 of=/dev/null bs=128k count=512 iflag=direct)"
/randread /dev/nvme0n1 1 2000
/randread /dev/nvme0n1 32 8000
GUEST
truncate -s 64M "$W/linux.img"
# shellcheck disable=SC2046
NC_GUEST_SMP=4 NC_GUEST_FILES="$W/randread" NC_GUEST_APPEND="intel_iommu=on no_timer_check" \
	bench/linux/run-guest.sh "$W/guest.sh" 900 $(bench_disk_args "$W/linux.img") > $B/test-logs/blkbench-linux.serial
grep -a '^BENCH linux rand' $B/test-logs/blkbench-linux.serial > "$W/linux.txt"
# "seq_write DD START END": 64 MiB between two /proc/uptime readings
awk '$2 == "DD" && $4 > $3 { printf "BENCH linux %s %.2f MiB/s\n", $1, 64 / ($4 - $3) }' \
	$B/test-logs/blkbench-linux.serial >> "$W/linux.txt"

# ---- the report ---------------------------------------------------------------
bench_table "$W" higher 20 14 nexacore linux seq_write seq_read rand_read_4k_qd1 rand_read_4k_qd32
echo "single requests (min, median, 90th percentile, max; Linux: QD1 only):"
bench_table "$W" lower 28 10 nexacore linux $(awk '$3 ~ /_req_/ { print $3 }' "$W/nexacore.txt")
echo "host load: $(cut -d' ' -f1-3 /proc/loadavg); NexaCore's $(tr -d '\r' < $B/test-logs/blkbench.serial | grep -a -m1 '^time: tsc')"
