$(call nc_bench,cap_bench,bench/lib/cap/cap_bench.c,cap tee crypto blake3_nc wire scope,-l:libsodium.a)
