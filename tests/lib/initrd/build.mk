$(call nc_host_test,initrd_host_test,tests/lib/initrd/initrd_host_test.c,initrd)
