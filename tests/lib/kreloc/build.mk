$(call nc_host_test,kreloc_host_test,tests/lib/kreloc/kreloc_host_test.c,kreloc)
# Fuzzing (make fuzz): the loader's table application with its promises checked.
$(call nc_fuzz,kreloc_fuzz,tests/lib/kreloc/kreloc_fuzz.c lib/kreloc/kreloc.c)
