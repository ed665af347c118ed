$(call nc_host_test,tee_test,tests/lib/tee/tee_test.c,tee crypto blake3_nc,$(NC_CRYPTO_LDLIBS))
