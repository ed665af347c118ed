$(call nc_host_test,kreloc_host_test,tests/lib/kreloc/kreloc_host_test.c,kreloc)
