$(call nc_host_test,scope_test,tests/lib/scope/scope_test.c tests/lib/scope/path_test.c,scope)
$(call nc_fuzz,scope_fuzz,tests/lib/scope/scope_fuzz.c lib/scope/scope.c lib/scope/path.c $(NC_BASE_SRCS))
