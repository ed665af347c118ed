# lib/envelope tests (freestanding-clean: they also run in libtests).
$(call nc_host_test,envelope_test,tests/lib/envelope/envelope_test.c tests/lib/tee/tee_test_util.c,envelope hpke tee wire crypto blake3_nc,$(NC_CRYPTO_LDLIBS))
# Fuzzer: envelope parsing, and tampering/ordering of a real session (no seeds needed).
$(call nc_fuzz,envelope_fuzz,tests/lib/envelope/envelope_fuzz.c lib/envelope/envelope.c lib/hpke/kem.c \
	lib/hpke/hpke.c $(NC_TEE_SRC) $(wildcard lib/wire/*.c) lib/base/mem.c lib/base/fmt.c \
	$(B)/rel/lib/libcrypto.a $(B)/rel/lib/libblake3_nc.a /usr/lib/x86_64-linux-gnu/libsodium.a)
