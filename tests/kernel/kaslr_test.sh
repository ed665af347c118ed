#!/usr/bin/env bash
# KASLR: three boots of the plain image each get another direct-map base,
# kernel-stack area and kernel image base from the loader and the kernel (the
# "kaslr:" boot line), and each boot goes on to start the shell at that layout.
# The image base must be page aligned inside [NC_BOOT_KERNEL_VBASE,
# + NC_BOOT_KERNEL_WINDOW) = [0xffffffff80000000, 0xffffffffffe00000), and
# the loader must have had more than a thousand places to pick it from.
# Every other QEMU test boot draws its own layout too, so the in-OS tests run
# under a fresh one each time.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/qemu-common.sh
work=$(mktemp -d /tmp/nc-kaslr.XXXXXX)
trap 'rm -rf "$work"' EXIT
layouts=()
for i in 1 2 3; do
	log=$work/boot$i.serial
	qemu_base_args build/esp.img "$work/vars"
	qemu-system-x86_64 "${QEMU_ARGS[@]}" -display none -serial "file:$log" </dev/null >/dev/null 2>&1 &
	pid=$!
	for _ in $(seq 300); do
		grep -aq 'NexaCore shell' "$log" 2>/dev/null && break
		sleep 0.2
	done
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	line=$(grep -a -m1 '^kaslr: ' "$log" | tr -d '\r')
	if [ -z "$line" ] || ! grep -aq 'NexaCore shell' "$log"; then
		echo "FAIL kaslr.layouts_differ_between_boots: boot $i: no kaslr line or the shell never started"
		exit 1
	fi
	re='^kaslr: direct map at (0x[0-9a-f]+), kernel stacks at (0x[0-9a-f]+), kernel image at (0x[0-9a-f]+) \(slide (0x[0-9a-f]+|0)\)$'
	if ! [[ $line =~ $re ]]; then
		echo "FAIL kaslr.layouts_differ_between_boots: boot $i: unexpected line: $line"
		exit 1
	fi
	layouts+=("${BASH_REMATCH[1]} ${BASH_REMATCH[2]} ${BASH_REMATCH[3]}")
	places=$(grep -a -m1 'nexacore-boot: kernel image at ' "$log" | sed -nE 's/.*one of ([0-9]+) places.*/\1/p')
done
maps=$(printf '%s\n' "${layouts[@]}" | cut -d' ' -f1 | sort -u | wc -l)
stacks=$(printf '%s\n' "${layouts[@]}" | cut -d' ' -f2 | sort -u | wc -l)
images=$(printf '%s\n' "${layouts[@]}" | cut -d' ' -f3 | sort -u | wc -l)
if [ "$maps" = 3 ] && [ "$stacks" = 3 ] && [ "$images" = 3 ]; then
	echo "PASS kaslr.layouts_differ_between_boots"
else
	echo "FAIL kaslr.layouts_differ_between_boots: ${layouts[*]}"
fi
# All three are 18 characters (0x + 16 digits), so string order is numeric order.
bad=""
for l in "${layouts[@]}"; do
	b=${l##* }
	if [ ${#b} != 18 ] || [[ $b < 0xffffffff80000000 ]] || ! [[ $b < 0xffffffffffe00000 ]] || [ "${b: -3}" != 000 ]; then
		bad="$bad $b"
	fi
done
if [ -z "$bad" ] && [ "${places:-0}" -gt 1000 ]; then
	echo "PASS kaslr.image_base_aligned_inside_its_window"
else
	echo "FAIL kaslr.image_base_aligned_inside_its_window: bases outside or unaligned:${bad:- none}; loader places: ${places:-none}"
fi
