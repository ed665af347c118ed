# bench/kernel/ipc: IPC call/reply round trips (ipcbench, a user program run
# from a private copy of the bench image). user/build.mk builds ipcbench from
# IPCBENCH_SRCS and puts it into the bench initrd.
IPCBENCH_SRCS := bench/kernel/ipc/ipcbench.c bench/kernel/kbench_util.c
NC_BENCH_SCRIPTS += bench/kernel/ipc/ipc_bench.sh
