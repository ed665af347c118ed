# tests/lib/input: lib/input (host and libtests).
$(call nc_host_test,input_test,tests/lib/input/input_test.c,input)
