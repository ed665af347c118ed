$(call nc_host_test,inet_test,tests/lib/inet/inet_test.c,inet)
$(call nc_host_test,inet_host_test,tests/lib/inet/inet_host_test.c,inet)
