# lib/crypto tests. blake3_b3sum_host_test.c runs b3sum (host only); the others
# stay freestanding-clean. The vector tests (wycheproof_test.c, blake3_test.c)
# read ../shared/vectors through vectors.h: here with the host hook
# (vectors_host.c), in libtests with NexaCore's (tests/user/libtests).
NC_CRYPTO_TEST_LIBS := crypto blake3_nc
NC_CRYPTO_VECTOR_SRCS := tests/lib/crypto/json.c tests/lib/crypto/vectors.c tests/lib/crypto/vectors_host.c
$(call nc_host_test,crypto_test,tests/lib/crypto/crypto_test.c tests/lib/crypto/wycheproof_test.c tests/lib/crypto/blake3_test.c tests/lib/crypto/blake3_b3sum_host_test.c $(NC_CRYPTO_VECTOR_SRCS),$(NC_CRYPTO_TEST_LIBS),$(NC_CRYPTO_LDLIBS))

# The same tests against the freestanding user-flavour build (libsodium and BLAKE3
# compiled from source by lib/crypto/build.mk, nc_crypto_* with no libc): its
# objects are static non-PIC x86-64 code, so a -no-pie host program can run them.
# crypto_test.c is compiled as user code (it then expects the freestanding
# answers: no default randomness, Argon2id unsupported); the host-only vector
# tests are the host objects, calling the user-flavour library.
NC_CRYPTO_USER_TEST_OBJS := $(B)/user/tests/lib/crypto/crypto_test.o \
	$(call nc_objs,tests/lib/crypto/wycheproof_test.c tests/lib/crypto/blake3_test.c \
		tests/lib/crypto/blake3_b3sum_host_test.c $(NC_CRYPTO_VECTOR_SRCS) \
		$(NC_TEST_SRCS) tests/harness/host_main.c,host)
# The glue defines libc names (malloc, free, abort, errno, strlen, ...) that in
# a host program would replace the C library's for the test harness too, so the
# test links copies of the archives with those symbols renamed, references and
# definitions alike; the code is otherwise the user flavour's, byte for byte.
NC_CRYPTO_GLUE_SYMS := malloc free abort errno strlen strncmp strchr
NC_CRYPTO_USER_TEST_LIBS := $(B)/user/lib/libcrypto.a $(B)/host/crypto_user_test/libsodium_nc.a \
	$(B)/host/crypto_user_test/libblake3_nc.a $(B)/user/lib/libbase.a
$(B)/host/crypto_user_test/%.a: $(B)/user/lib/%.a
	@mkdir -p $(dir $@)
	$(Q)objcopy $(foreach s,$(NC_CRYPTO_GLUE_SYMS),--redefine-sym $(s)=nc_user_test_$(s)) $< $@
$(B)/host/bin/crypto_user_test: $(NC_CRYPTO_USER_TEST_OBJS) $(NC_CRYPTO_USER_TEST_LIBS)
	@mkdir -p $(dir $@)
	$(if $(V),,@echo "  LD  $@")
	$(Q)$(HOST_CC) $(LDFLAGS_host) -no-pie -o $@ $^
NC_ALL += $(B)/host/bin/crypto_user_test
NC_HOST_TESTS += $(B)/host/bin/crypto_user_test
-include $(B)/user/tests/lib/crypto/crypto_test.d

# BLAKE3 vectors and b3sum against the portable-only build the kernel uses.
$(call nc_host_test,crypto_blake3_portable_test,tests/lib/crypto/blake3_test.c tests/lib/crypto/blake3_b3sum_host_test.c $(NC_CRYPTO_VECTOR_SRCS),crypto blake3_portable_nc,$(NC_CRYPTO_LDLIBS))
