# Shared QEMU settings for scripts/qemu-run and scripts/qemu-test (sourced).
# q35 + OVMF (4M code with a private copy of the 4M vars; never mix 2M and 4M).
# CPU model "max" (NC_QEMU_CPU): TCG then offers SMEP, SMAP, XSAVE and AVX, which
# the kernel enables and its tests exercise.
OVMF_CODE=/usr/share/OVMF/OVMF_CODE_4M.fd
OVMF_VARS_SRC=/usr/share/OVMF/OVMF_VARS_4M.fd

# qemu_base_args IMAGE VARS_COPY : the machine every NexaCore boot uses.
qemu_base_args() {
	cp "$OVMF_VARS_SRC" "$2"
	QEMU_ARGS=(-machine q35 -cpu "${NC_QEMU_CPU:-max}" -m "${NC_QEMU_MEM:-256M}" -smp "${NC_QEMU_SMP:-4}"
		-drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE"
		-drive "if=pflash,format=raw,file=$2"
		-drive "format=raw,snapshot=on,file=$1"
		-device isa-debug-exit,iobase=0xf4,iosize=0x04
		-nic none -no-reboot)
}

# qemu_image_with_manifest ROOT ESP MANIFEST WORK : WORK/esp.img, a private copy
# of the image ESP whose initrd is the tree ROOT (an initrd root under build/)
# with init.manifest replaced by the line MANIFEST.
qemu_image_with_manifest() {
	rm -rf "$4/root" && cp -r "$1" "$4/root"
	echo "$3" > "$4/root/init.manifest"
	tar --format=ustar --owner=0 --group=0 -cf "$4/initrd" -C "$4/root" .
	cp "$2" "$4/esp.img"
	MTOOLS_SKIP_CHECK=1 mcopy -o -i "$4/esp.img" "$4/initrd" ::/nexacore/initrd
}

# qemu_net_args PORT [e1000e] : a virtio-net NIC (or an e1000e), behind the
# IOMMU qemu_disk_args adds, on QEMU user networking restricted to this
# machine: the guest reaches nothing outside QEMU; the host's 127.0.0.1:PORT
# reaches the guest's port 80.
qemu_net_args() {
	local nic=virtio-net-pci,netdev=net0,disable-legacy=on,iommu_platform=on
	[ "${2:-}" = e1000e ] && nic=e1000e,netdev=net0
	QEMU_ARGS+=(-netdev "user,id=net0,restrict=on,hostfwd=tcp:127.0.0.1:$1-:80" -device "$nic")
}

# qemu_disk_args FILE : an IOMMU (VT-d, so drivers get DMA isolation) and an
# NVMe controller backed by the raw file FILE, appended to QEMU_ARGS.
qemu_disk_args() {
	QEMU_ARGS+=(-device intel-iommu -drive "if=none,id=disk0,format=raw,file=$1"
		-device "nvme,serial=nexacore0,drive=disk0")
}

# qemu_disk_test NAME MANIFEST DISK WORK TIMEOUT_S : boot the test image with
# init running the line MANIFEST (command line "test no-ktests": the in-kernel
# tests ran in the main boot) on the drivers' machine: 2 CPUs, intel-iommu and
# an NVMe disk backed by the raw file DISK. The image is build/esp-NAME.img;
# prints scripts/qemu-test's PASS/FAIL lines and returns its status.
qemu_disk_test() {
	qemu_image_with_manifest build/initrd-test-root build/esp-test.img "$2" "$4"
	cp "$4/esp.img" "build/esp-$1.img"
	printf 'test no-ktests\n' > "$4/cmdline.txt"
	MTOOLS_SKIP_CHECK=1 mcopy -o -i "build/esp-$1.img" "$4/cmdline.txt" ::/nexacore/cmdline.txt
	NC_QEMU_SMP=2 NC_QEMU_EXTRA="-device intel-iommu -drive if=none,id=nvm,format=raw,file=$3 -device nvme,serial=nc-test,drive=nvm" \
		scripts/qemu-test "$1" "build/esp-$1.img" "$5"
}
