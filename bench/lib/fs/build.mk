# bench/lib/fs: lib/fs against e2fsprogs' libext2fs (debugfs), ratios printed, never asserted.
$(call nc_bench,fs_bench,bench/lib/fs/fs_bench.c bench/lib/cpu_time.c tools/nc-fs/host_dev.c,fs)
