# lib/envelope tests (freestanding-clean: they also run in libtests).
$(call nc_host_test,envelope_test,tests/lib/envelope/envelope_test.c tests/lib/tee/tee_test_util.c,envelope hpke tee wire crypto blake3_nc,$(NC_CRYPTO_LDLIBS))
