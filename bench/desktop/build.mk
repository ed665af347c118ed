# bench/desktop: the desktop's benchmarks (docs/desktop.md, "Benchmarks"):
# desktop_bench.sh boots the desktop image with termbench added to its initrd.
# user/build.mk (included after this file) builds termbench from TERMBENCH_SRCS.
TERMBENCH_SRCS := bench/desktop/termbench.c
NC_BENCH_SCRIPTS += bench/desktop/desktop_bench.sh
