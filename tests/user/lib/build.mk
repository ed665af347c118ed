# user/lib/fd_bulk.c on the host, its system calls and heap stubbed by the test
$(call nc_host_test,fd_bulk_test,tests/user/lib/fd_bulk_test.c user/lib/fd_bulk.c,)
$(call nc_objs,tests/user/lib/fd_bulk_test.c user/lib/fd_bulk.c,host): NC_INC += -Iuser/lib/include
