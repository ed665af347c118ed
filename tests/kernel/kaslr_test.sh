#!/usr/bin/env bash
# KASLR: three boots of the plain image each get another direct-map base and
# kernel-stack area from the loader and the kernel (the "kaslr:" boot line),
# and each boot goes on to start the shell at that layout.
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
	layouts+=("$(echo "$line" | sed -E 's/^kaslr: direct map at (0x[0-9a-f]+), kernel stacks at (0x[0-9a-f]+).*/\1 \2/')")
done
maps=$(printf '%s\n' "${layouts[@]}" | cut -d' ' -f1 | sort -u | wc -l)
stacks=$(printf '%s\n' "${layouts[@]}" | cut -d' ' -f2 | sort -u | wc -l)
if [ "$maps" = 3 ] && [ "$stacks" = 3 ]; then
	echo "PASS kaslr.layouts_differ_between_boots"
else
	echo "FAIL kaslr.layouts_differ_between_boots: ${layouts[*]}"
fi
