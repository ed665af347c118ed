# lib/privacy tests. fpe_test.c, noise_test.c and token_test.c are freestanding-clean (also
# in libtests, inside NexaCore); the *_host_test.c files read the big vector
# files through tests/lib/crypto's helpers or run an npm oracle from
# tests/lib/privacy/oracle (installed by scripts/deps).
NC_PRIVACY_TEST_LIBS := privacy privacy_tp wire crypto blake3_nc
$(call nc_host_test,privacy_test,tests/lib/privacy/fpe_test.c tests/lib/privacy/noise_test.c tests/lib/privacy/token_test.c \
	tests/lib/privacy/fpe_wycheproof_host_test.c \
	tests/lib/privacy/ff3_oracle_host_test.c tests/lib/privacy/noise_cacophony_host_test.c \
	tests/lib/privacy/token_detect_host_test.c $(NC_CRYPTO_VECTOR_SRCS),$(NC_PRIVACY_TEST_LIBS),$(NC_CRYPTO_LDLIBS))
$(B)/host/tests/lib/privacy/%.o: CFLAGS_host += -Itests/lib/crypto
