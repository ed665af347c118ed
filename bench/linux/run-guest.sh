#!/usr/bin/env bash
# Boot the benchmarks' Linux guest (mkguest.sh) on the QEMU machine the
# NexaCore benchmarks use (q35, -cpu max, TCG) with the devices given, run
# SCRIPT inside it as /guest.sh, and print the serial console.
#   run-guest.sh SCRIPT TIMEOUT_S [QEMU ARGS...]
# QEMU ARGS add the devices (e.g. -drive file=disk.img,if=none,id=d0,format=raw
# -device nvme,serial=b,drive=d0). NC_GUEST_SMP: CPUs (default 1);
# NC_GUEST_FILES: host files copied into the guest's / beside guest.sh (e.g. a
# static test program); NC_GUEST_APPEND: more kernel arguments. Exit status: 0
# when the guest ran SCRIPT and powered off within TIMEOUT_S. The console is
# printed line by line as it comes (a caller may wait for a line the script
# prints and then talk to the running guest).
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build}
script=$1 timeout_s=$2
shift 2
bench/linux/mkguest.sh
tmp=$(mktemp -d /tmp/nc-guest.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/root"
cp "$script" "$tmp/root/guest.sh"
for f in ${NC_GUEST_FILES:-}; do
	cp "$f" "$tmp/root/"
done
chmod +x "$tmp/root/guest.sh"
# a second cpio archive after the base one: the kernel unpacks both
(cd "$tmp/root" && find . | cpio -o -H newc --quiet) | cat "$B/linux/base.cpio" - > "$tmp/initrd.cpio"
# --foreground: timeout stays in the caller's process group, so a caller that
# ends the group (bench/net/net_bench.py) ends QEMU too; without it timeout
# makes a group of its own and QEMU ran on for up to TIMEOUT_S
timeout --foreground "$timeout_s" qemu-system-x86_64 -machine q35 -cpu max -m 1G -smp "${NC_GUEST_SMP:-1}" \
	-kernel "$B/linux/vmlinuz" -initrd "$tmp/initrd.cpio" \
	-append "console=ttyS0 quiet panic=-1 rdinit=/init ${NC_GUEST_APPEND:-}" -no-reboot -nic none -display none \
	-serial stdio "$@" < /dev/null | stdbuf -oL tr -d '\r' | tee "$tmp/log"
grep -q '^guest: exit 0$' "$tmp/log"
