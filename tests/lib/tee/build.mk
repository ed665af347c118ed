# lib/tee tests: the development backend's keys against values computed
# outside our code, quotes and every verification failure, policies, the
# measurement log, sealing, and the TDX/SNP layouts. All freestanding-clean,
# so they also run inside NexaCore (libtests).
NC_TEE_TEST_SRCS := tests/lib/tee/tee_test.c tests/lib/tee/quote_test.c tests/lib/tee/log_test.c \
	tests/lib/tee/seal_test.c tests/lib/tee/layouts_test.c tests/lib/tee/tee_test_util.c
$(call nc_host_test,tee_test,$(NC_TEE_TEST_SRCS),tee wire crypto blake3_nc,$(NC_CRYPTO_LDLIBS))
