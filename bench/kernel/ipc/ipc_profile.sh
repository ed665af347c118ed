#!/usr/bin/env bash
# Where the instructions of a same-CPU IPC round trip go, per function.
# Boots the bench image with one CPU and single-instruction translation blocks
# (-singlestep), runs "ipcbench profile" (a warm-up, then round trips between
# two AbiVersion calls), and uses QEMU's gdb stub: at the first AbiVersion it
# turns on QEMU's execution log (one line per guest instruction), at the
# second it turns it off. ipc_profile.py then names each instruction's
# function (kernel and ipcbench symbol tables) and prints instructions per
# round trip, per function (--flow: also the path of one round trip; --short:
# profile IpcCallShort/IpcReplyReceiveShort instead of IpcCall/IpcReplyReceive).
# A diagnostic, not a benchmark: ipc_bench.sh's -icount figure is the measured one.
set -uo pipefail
cd "$(dirname "$0")/../../.."
. scripts/qemu-common.sh
mode=profile
if [ "${1:-}" = --short ]; then
	mode=profile-short
	shift
fi
make -s build/esp-bench.img >/dev/null || exit 1
work=$(mktemp -d /tmp/nc-ipcprof.XXXXXX)
qpid=
trap 'kill $qpid 2>/dev/null; [ -n "${NC_KEEP_LOG:-}" ] && cp "$work/exec.log" "$NC_KEEP_LOG"; rm -rf "$work"' EXIT
qemu_image_with_manifest build/initrd-bench-root build/esp-bench.img "ipcbench $mode" "$work"
NC_QEMU_SMP=1 qemu_base_args "$work/esp.img" "$work/vars"
port=$((20000 + RANDOM % 20000))
qemu-system-x86_64 "${QEMU_ARGS[@]}" -display none -serial "file:$work/serial" -singlestep \
	-gdb "tcp:127.0.0.1:$port" -D "$work/exec.log" </dev/null >"$work/qemu.out" 2>&1 &
qpid=$!
sleep 1
timeout 600 gdb -q -batch -nx \
	-ex "set pagination off" \
	-ex "target remote 127.0.0.1:$port" \
	-ex "hbreak *0x$(nm build/kernel/nexacore.elf | awk '$3 == "sys_abi_version" { print $1 }')" \
	-ex "continue" -ex "monitor log exec,nochain" \
	-ex "continue" -ex "monitor log none" \
	-ex "delete" -ex "continue" >"$work/gdb.out" 2>&1
if [ ! -s "$work/exec.log" ]; then
	echo "ipc_profile: no execution log (see below)"
	cat "$work/gdb.out" "$work/qemu.out"
	exit 1
fi
python3 bench/kernel/ipc/ipc_profile.py "$@" "$work/exec.log" "$work/serial" build/kernel/nexacore.elf build/user/bin/ipcbench
