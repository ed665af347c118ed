# What the disk benchmarks (bench/fs/fs_bench.sh, bench/drivers/blk_bench.sh) share: the NVMe
# disk both systems get, the NexaCore run, and the NexaCore/Linux table. Sourced (after
# scripts/qemu-common.sh, from the repository root, with B set) by those scripts; each keeps
# its own disk contents, Linux guest script (bench/linux/run-guest.sh) and measurements.

# bench_disk_args FILE : QEMU arguments for an IOMMU and an NVMe controller on the raw FILE
# (the same for the NexaCore machine and the Linux guest).
bench_disk_args() {
	echo "-device intel-iommu -drive if=none,id=nvm,format=raw,file=$1 -device nvme,serial=bench,drive=nvm"
}

# bench_nexacore NAME MANIFEST DISK WORK : boot the bench image (initrd init.manifest: MANIFEST)
# with DISK as its NVMe disk (NC_QEMU_SMP as the caller sets it; log build/test-logs/NAME.serial)
# and put its "BENCH nexacore ..." lines into WORK/nexacore.txt.
bench_nexacore() {
	qemu_image_with_manifest "$B/initrd-bench-root" "$B/esp-bench.img" "$2" "$4"
	cp "$4/esp.img" "$B/esp-$1.img"
	NC_QEMU_EXTRA="$(bench_disk_args "$3")" scripts/qemu-test "$1" "$B/esp-$1.img" 900 >/dev/null
	tr -d '\r' < "$B/test-logs/$1.serial" | grep -a '^BENCH nexacore' > "$4/nexacore.txt"
}

# bench_table WORK BETTER NAME_WIDTH VALUE_WIDTH NEXACORE_HEADING LINUX_HEADING MEASUREMENT... :
# one row per MEASUREMENT with its value (and unit) from WORK/nexacore.txt and WORK/linux.txt
# (lines "BENCH SYSTEM MEASUREMENT VALUE [UNIT]") and the ratio, above 1 when NexaCore does
# better: BETTER is "lower" (times: linux / nexacore) or "higher" (rates: nexacore / linux).
bench_table() {
	local work=$1 better=$2 nw=$3 vw=$4 m n l ratio
	printf "%-${nw}s %${vw}s %${vw}s %8s\n" measurement "$5" "$6" ratio
	shift 6
	for m in "$@"; do
		n=$(awk -v m="$m" '$3 == m { print $4 ($5 != "" ? " " $5 : "") }' "$work/nexacore.txt")
		l=$(awk -v m="$m" '$3 == m { print $4 ($5 != "" ? " " $5 : "") }' "$work/linux.txt")
		ratio=$(awk -v a="${n%% *}" -v b="${l%% *}" -v better="$better" \
			'BEGIN { if (a > 0 && b > 0) printf "%.2f", better == "lower" ? b / a : a / b; else print "-" }')
		printf "%-${nw}s %${vw}s %${vw}s %8s\n" "$m" "${n:--}" "${l:--}" "$ratio"
	done
}
