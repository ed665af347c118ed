$(call nc_host_test,cap_test,tests/lib/cap/cap_test.c tests/lib/cap/mint_test.c tests/lib/cap/verify_test.c \
	tests/lib/cap/cap_test_util.c,cap tee crypto blake3_nc wire scope,$(NC_CRYPTO_LDLIBS))
