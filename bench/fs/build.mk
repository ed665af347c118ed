# bench/fs: the file system inside NexaCore (fsd) against the Linux guest on the same emulated
# disk (fs_bench.sh, `make bench`); user/build.mk builds fsbench from this list.
FSBENCH_SRCS := bench/fs/fsbench.c
NC_BENCH_SCRIPTS += bench/fs/fs_bench.sh
