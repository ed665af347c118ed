# bench/lib/ncs: ncScript vs lua5.4 (scripts/deps.d/ncs.pkgs), ratios printed, never asserted.
$(call nc_bench,ncs_bench,bench/lib/ncs/ncs_bench.c bench/lib/cpu_time.c,ncs http inet scope)
