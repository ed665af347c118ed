$(call nc_host_test,scope_test,tests/lib/scope/scope_test.c tests/lib/scope/path_test.c,scope)
