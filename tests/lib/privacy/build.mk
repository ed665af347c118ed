# lib/privacy tests. fpe_test.c, noise_test.c, token_test.c and policy_test.c are
# freestanding-clean (also in libtests, inside NexaCore); the *_host_test.c files read the big vector
# files through tests/lib/crypto's helpers or run an npm oracle from
# tests/lib/privacy/oracle (installed by scripts/deps).
NC_PRIVACY_TEST_LIBS := privacy privacy_tp tee wire crypto blake3_nc
$(call nc_host_test,privacy_test,tests/lib/privacy/fpe_test.c tests/lib/privacy/noise_test.c tests/lib/privacy/token_test.c \
	tests/lib/privacy/policy_test.c \
	tests/lib/privacy/fpe_wycheproof_host_test.c \
	tests/lib/privacy/ff3_oracle_host_test.c tests/lib/privacy/noise_cacophony_host_test.c \
	tests/lib/privacy/token_detect_host_test.c $(NC_CRYPTO_VECTOR_SRCS),$(NC_PRIVACY_TEST_LIBS),$(NC_CRYPTO_LDLIBS))
$(B)/host/tests/lib/privacy/%.o: CFLAGS_host += -Itests/lib/crypto

# Fuzzers (make fuzz): our lib/privacy, lib/wire, lib/tee and lib/base sources
# compiled by clang with coverage; BearSSL and libb2 (libprivacy_tp), lib/crypto
# and libsodium come in uninstrumented (rel archives, Debian's libsodium.a).
# Their own rule, as nc_fuzz cannot take the third-party include paths.
NC_PRIVACY_FUZZ_SRCS := $(NC_PRIVACY_SRC) $(wildcard lib/wire/*.c) $(NC_TEE_SRC) lib/base/mem.c lib/base/fmt.c
NC_PRIVACY_FUZZ_LIBS := $(B)/rel/lib/libprivacy_tp.a $(B)/rel/lib/libcrypto.a $(B)/rel/lib/libblake3_nc.a \
	/usr/lib/x86_64-linux-gnu/libsodium.a
define nc_privacy_fuzz_body
$(B)/fuzz/$(1): tests/lib/privacy/$(2) $(NC_PRIVACY_FUZZ_SRCS) $(NC_PRIVACY_FUZZ_LIBS) | $(B)/src/bearssl/.fetched \
		$(B)/src/libb2/.fetched
	@mkdir -p $$(dir $$@)
	$(if $(V),,@echo "  FUZZ $$@")
	$(Q)$(FUZZ_CC) -std=c17 -g -O1 -fsanitize=fuzzer,address,undefined -D NC_HOSTED=1 -D NC_FUZZ=1 \
		$(NC_INC) $$(call nc_lib_inc,privacy) -Itests/harness -I$(NC_BEARSSL_ROOT)/inc -I$(NC_LIBB2_ROOT) \
		-o $$@ tests/lib/privacy/$(2) \
		$(NC_PRIVACY_FUZZ_SRCS) $(NC_PRIVACY_FUZZ_LIBS)
NC_FUZZERS += $(B)/fuzz/$(1)
endef
$(eval $(call nc_privacy_fuzz_body,privacy_token_fuzz,token_fuzz.c))
$(eval $(call nc_privacy_fuzz_body,privacy_fpe_fuzz,fpe_fuzz.c))
$(eval $(call nc_privacy_fuzz_body,privacy_noise_fuzz,noise_fuzz.c))

NC_SCRIPT_TESTS += tests/lib/privacy/noise_interop_test.sh
NC_TEST_DEPS += $(B)/rel/bin/nc-privacy
