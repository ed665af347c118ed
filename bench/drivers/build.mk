# bench/drivers: the block service against a Linux guest (blk_bench.sh, `make bench`).
# blkbench joins the bench image's initrd with devmgr and the NVMe driver's package;
# user/build.mk builds it from this list.
BLKBENCH_SRCS := bench/drivers/blkbench.c $(NC_TEST_RANDOM_SRCS)
NC_BENCH_SCRIPTS += bench/drivers/blk_bench.sh
