# lib/hpke tests: the RFC 9180 vectors (through tests/lib/crypto/vectors.h, so
# they also run in libtests) and the API's round trips and errors.
$(call nc_host_test,hpke_test,tests/lib/hpke/hpke_vectors_test.c tests/lib/hpke/hpke_test.c \
	tests/lib/tee/tee_test_util.c $(NC_CRYPTO_VECTOR_SRCS),hpke tee wire crypto blake3_nc,$(NC_CRYPTO_LDLIBS))
