#!/usr/bin/env bash
# Block service benchmark (docs/block.md): the same measurements on the same
# QEMU machine (q35, TCG, 4 CPUs, 256 MiB, -device intel-iommu, an NVMe
# controller on a fresh 64 MiB file), once by NexaCore (blkbench through the
# block service and the user-space NVMe driver) and once by a Linux guest:
# Debian's linux-image-amd64 kernel with an initramfs made here from Debian's
# busybox-static, its NVMe modules and randread.c; dd with O_DIRECT for the
# sequential runs. Prints both and the NexaCore/Linux ratio of each figure
# (higher is better for NexaCore; the goal is >= 1.0). Reported, never
# asserted. The Debian packages are downloaded once (apt-get download) into
# build/bench/linux/.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/qemu-common.sh
B=build
L=$B/bench/linux
mkdir -p "$L" $B/test-logs
make -s $B/esp-bench.img $B/user/bin/blkbench >/dev/null || exit 1
W=$(mktemp -d /tmp/nc-blkbench.XXXXXX)
trap 'rm -rf "$W"' EXIT
disk_args() { echo "-device intel-iommu -drive if=none,id=nvm,format=raw,file=$1 -device nvme,serial=bench,drive=nvm"; }

# ---- NexaCore ---------------------------------------------------------------
truncate -s 64M "$W/nexacore.img"
qemu_image_with_manifest $B/initrd-bench-root $B/esp-bench.img "devmgr blkbench" "$W"
cp "$W/esp.img" $B/esp-blkbench.img
NC_QEMU_EXTRA="$(disk_args "$W/nexacore.img")" scripts/qemu-test blkbench $B/esp-blkbench.img 900 >/dev/null
tr -d '\r' < $B/test-logs/blkbench.serial | grep -a '^BENCH nexacore' > "$W/nexacore.txt"

# ---- Linux ------------------------------------------------------------------
if [ ! -f "$L/ready" ]; then
	echo "blk_bench: fetching Debian's kernel and busybox-static into $L"
	kpkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
	(cd "$L" && rm -f ./*.deb && apt-get download -q "$kpkg" busybox-static >/dev/null) || exit 1
	rm -rf "$L/root" && mkdir -p "$L/root"
	for d in "$L"/*.deb; do dpkg-deb -x "$d" "$L/root"; done
	touch "$L/ready"
fi
gcc -O2 -static -pthread -o "$L/randread" bench/drivers/randread.c || exit 1
kernel=$(ls "$L"/root/boot/vmlinuz-* | head -n 1)
cat > "$W/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs devtmpfs /dev
for m in $(cat /modules.order); do insmod /$m; done
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
echo "BENCH linux done"
poweroff -f
EOF
python3 - "$L/root" "$W" "$L/randread" <<'EOF'
# The initramfs: a newc cpio (the kernel's initramfs format) of /init,
# busybox, randread and the NVMe modules with what they depend on, in load order.
import lzma, os, sys
root, work, randread = sys.argv[1:]
mods = os.path.join(root, 'lib/modules', os.listdir(os.path.join(root, 'lib/modules'))[0])
paths = {}  # module name -> file (the package ships no modules.dep: read each .modinfo)
for d, _, fs in os.walk(mods):
    for f in fs:
        if f.endswith('.ko') or f.endswith('.ko.xz'):
            paths[f.split('.')[0].replace('-', '_')] = os.path.join(d, f)
def load(m):
    data = open(paths[m], 'rb').read()
    return lzma.decompress(data) if paths[m].endswith('.xz') else data
def depends(data):
    at = data.find(b'depends=')
    text = data[at + 8:data.index(b'\0', at)].decode() if at >= 0 else ''
    return [d.replace('-', '_') for d in text.split(',') if d]
order, seen = [], set()
def need(m):
    if m in seen:
        return
    seen.add(m)
    for d in depends(load(m)):
        need(d)
    order.append(m)
need('nvme')
files = [('init', open(os.path.join(work, 'init'), 'rb').read(), 0o100755),
         ('bin/busybox', open(os.path.join(root, 'bin/busybox'), 'rb').read(), 0o100755),
         ('randread', open(randread, 'rb').read(), 0o100755)]
names = []
for m in order:
    names.append(m + '.ko')
    files.append((names[-1], load(m), 0o100644))
files.append(('modules.order', ('\n'.join(names) + '\n').encode(), 0o100644))
out = bytearray()
def entry(name, data, mode):
    n = name.encode() + b'\0'
    hdr = '070701' + ''.join('%08x' % v for v in (0, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(n), 0))
    out.extend(hdr.encode() + n)
    out.extend(b'\0' * (-len(out) % 4))
    out.extend(data)
    out.extend(b'\0' * (-len(out) % 4))
for d in ('bin', 'proc', 'sys', 'dev'):
    entry(d, b'', 0o40755)
for f in files:
    entry(*f)
entry('TRAILER!!!', b'', 0)
open(os.path.join(work, 'initramfs.cpio'), 'wb').write(out)
EOF
truncate -s 64M "$W/linux.img"
vars="$W/vars.fd"
cp "$OVMF_VARS_SRC" "$vars"
# shellcheck disable=SC2046
timeout 900 qemu-system-x86_64 -machine q35 -cpu max -m 256M -smp 4 \
	-drive "if=pflash,format=raw,readonly=on,file=$OVMF_CODE" -drive "if=pflash,format=raw,file=$vars" \
	-kernel "$kernel" -initrd "$W/initramfs.cpio" -append "console=ttyS0 intel_iommu=on quiet" \
	$(disk_args "$W/linux.img") -nic none -no-reboot -display none -serial "file:$B/test-logs/blkbench-linux.serial" \
	</dev/null >/dev/null 2>&1
tr -d '\r' < $B/test-logs/blkbench-linux.serial | grep -a '^BENCH linux rand' > "$W/linux.txt"
# "seq_write DD START END": 64 MiB between two /proc/uptime readings
tr -d '\r' < $B/test-logs/blkbench-linux.serial | awk '$2 == "DD" && $4 > $3 {
	printf "BENCH linux %s %.2f MiB/s\n", $1, 64 / ($4 - $3) }' >> "$W/linux.txt"

# ---- the report ---------------------------------------------------------------
printf '%-20s %14s %14s %8s\n' measurement nexacore linux ratio
for m in seq_write seq_read rand_read_4k_qd1 rand_read_4k_qd32; do
	n=$(awk -v m=$m '$3 == m { print $4, $5 }' "$W/nexacore.txt")
	l=$(awk -v m=$m '$3 == m { print $4, $5 }' "$W/linux.txt")
	ratio=$(awk -v a="${n%% *}" -v b="${l%% *}" 'BEGIN { if (a > 0 && b > 0) printf "%.2f", a / b; else print "-" }')
	printf '%-20s %14s %14s %8s\n' "$m" "${n:--}" "${l:--}" "$ratio"
done
