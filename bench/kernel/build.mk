# bench/kernel: kernel micro-benchmarks (kbench, a user program in its own boot
# image) and the script that boots that image under plain TCG and -icount.
# user/build.mk (included after this file) builds kbench from KBENCH_SRCS.
KBENCH_SRCS := bench/kernel/kbench.c bench/kernel/kbench_util.c
NC_BENCH_SCRIPTS += bench/kernel/kernel_bench.sh
