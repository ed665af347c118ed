# lib/tee tests: the development backend's keys against values computed
# outside our code, quotes and every verification failure, policies, the
# measurement log, sealing, and the TDX/SNP layouts. All freestanding-clean,
# so they also run inside NexaCore (libtests).
NC_TEE_TEST_SRCS := tests/lib/tee/tee_test.c tests/lib/tee/quote_test.c tests/lib/tee/log_test.c \
	tests/lib/tee/seal_test.c tests/lib/tee/layouts_test.c tests/lib/tee/tee_test_util.c
$(call nc_host_test,tee_test,$(NC_TEE_TEST_SRCS),tee wire crypto blake3_nc,$(NC_CRYPTO_LDLIBS))
# Fuzzer over every lib/tee decoder and verifier (our code compiled with
# coverage; crypto as the rel archives and Debian's libsodium.a, as for
# cap_verify_fuzz). Seeds from nc-tee before `make fuzz`.
NC_TEE_FUZZ_LIBS := $(wildcard lib/wire/*.c) lib/base/mem.c lib/base/fmt.c \
	$(B)/rel/lib/libcrypto.a $(B)/rel/lib/libblake3_nc.a /usr/lib/x86_64-linux-gnu/libsodium.a
$(call nc_fuzz,tee_quote_fuzz,tests/lib/tee/quote_fuzz.c $(NC_TEE_SRC) $(NC_TEE_FUZZ_LIBS))
$(B)/fuzz/tee_quote_fuzz.seeded: $(B)/rel/bin/nc-tee tests/lib/tee/fuzz_seeds.sh
	bash tests/lib/tee/fuzz_seeds.sh $(B)/rel/bin/nc-tee $(B)/fuzz/corpus/tee_quote_fuzz && touch $@
fuzz: $(B)/fuzz/tee_quote_fuzz.seeded
