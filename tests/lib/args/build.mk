$(call nc_host_test,args_test,tests/lib/args/args_test.c,args)
