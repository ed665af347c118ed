# user/lib/fd_bulk.c on the host, its system calls and heap stubbed by the test
$(call nc_host_test,fd_bulk_test,tests/user/lib/fd_bulk_test.c user/lib/fd_bulk.c,)
$(call nc_objs,tests/user/lib/fd_bulk_test.c user/lib/fd_bulk.c,host): NC_INC += -Iuser/lib/include
# user/lib/netdev.c's rings (large frames) on the host, the attaching calls stubbed
$(call nc_host_test,netdev_test,tests/user/lib/netdev_test.c user/lib/netdev.c,)
$(call nc_objs,tests/user/lib/netdev_test.c user/lib/netdev.c,host): NC_INC += -Iuser/lib/include
