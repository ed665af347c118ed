# lib/privacy tests. fpe_test.c reads the Wycheproof FF1 files through
# tests/lib/crypto's vector helpers; the *_host_test.c files run an npm
# oracle from tests/lib/privacy/oracle (installed by scripts/deps).
NC_PRIVACY_TEST_LIBS := privacy privacy_tp wire crypto blake3_nc
$(call nc_host_test,privacy_test,tests/lib/privacy/fpe_test.c tests/lib/privacy/ff3_oracle_host_test.c \
	$(NC_CRYPTO_VECTOR_SRCS),$(NC_PRIVACY_TEST_LIBS),$(NC_CRYPTO_LDLIBS))
$(B)/host/tests/lib/privacy/%.o: CFLAGS_host += -I$(NC_BEARSSL_ROOT)/inc -I$(NC_LIBB2_ROOT) -Itests/lib/crypto
