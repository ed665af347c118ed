$(call nc_host_test,cap_test,tests/lib/cap/cap_test.c tests/lib/cap/mint_test.c tests/lib/cap/verify_test.c \
	tests/lib/cap/cap_test_util.c,cap tee crypto blake3_nc wire scope,$(NC_CRYPTO_LDLIBS))
# Token fuzzer: our parsing code (cap, wire, scope, tee, base) is compiled by the
# fuzz rule with coverage; lib/crypto and the third-party primitives come in as
# the uninstrumented rel archives and Debian's libsodium.a.
$(call nc_fuzz,cap_verify_fuzz,tests/lib/cap/verify_fuzz.c $(wildcard lib/cap/*.c) $(wildcard lib/wire/*.c) \
	$(wildcard lib/scope/*.c) $(NC_TEE_SRC) $(NC_BASE_SRCS) \
	$(B)/rel/lib/libcrypto.a $(B)/rel/lib/libblake3_nc.a /usr/lib/x86_64-linux-gnu/libsodium.a)
$(B)/fuzz/cap_verify_fuzz.seeded: $(B)/rel/bin/nc-cap tests/lib/cap/fuzz_seeds.sh
	bash tests/lib/cap/fuzz_seeds.sh $(B)/rel/bin/nc-cap $(B)/fuzz/corpus/cap_verify_fuzz && touch $@
fuzz: $(B)/fuzz/cap_verify_fuzz.seeded
