#!/usr/bin/env bash
# Build the benchmarks' Linux guest under build/linux/: Debian's kernel
# (linux-image-amd64) and an initramfs of Debian's busybox-static, the device
# modules the benchmarks compare against (NVMe, virtio-net, e1000e, ext4) and
# bench/linux/init. Both packages are only unpacked under build/debs
# (`scripts/deps get`), never installed. Idempotent; prints nothing when up to date.
#   mkguest.sh            -> build/linux/vmlinuz, build/linux/base.cpio
set -euo pipefail
cd "$(dirname "$0")/../.."
B=${B:-build}
out=$B/linux
scripts/deps get
kdir=$B/debs/linux-image-amd64
vmlinuz=$(ls "$kdir"/boot/vmlinuz-*)
ver=${vmlinuz##*/vmlinuz-}
[ -f "$out/base.cpio" ] && [ "$out/base.cpio" -nt bench/linux/init ] && [ "$out/base.cpio" -nt "$vmlinuz" ] && exit 0
rm -rf "$out" && mkdir -p "$out/root"/{bin,dev,proc,sys,tmp,mnt,lib/modules}
cp "$vmlinuz" "$out/vmlinuz"
cp "$B/debs/busybox-static/bin/busybox" "$out/root/bin/busybox"
cp bench/linux/init "$out/root/init"
chmod +x "$out/root/init"
# modules.dep for the unpacked tree, then each wanted module with what it needs, in load order
depmod -b "$kdir" "$ver"
: > "$out/root/modules.order"
for m in nvme virtio_pci virtio_net e1000e ext4; do
	modprobe -d "$kdir" -S "$ver" --show-depends "$m" | awk '$1 == "insmod" { print $2 }' |
	while read -r path; do
		rel=${path#"$kdir/lib/modules/$ver/"}
		name=${rel##*/}
		grep -qx "$name" "$out/root/modules.order" && continue
		cp "$path" "$out/root/lib/modules/$name"
		echo "$name" >> "$out/root/modules.order"
	done
done
(cd "$out/root" && find . | cpio -o -H newc --quiet) > "$out/base.cpio"
