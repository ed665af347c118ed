# tests/user/libtests: the freestanding-clean lib/ unit tests as a NexaCore user
# program. The test files are the host unit tests' own sources, compiled again
# in the user flavour: every tests/lib/*/*_test.c except the host-only ones
# (*_host_test.c by convention, and fmt_oracle_test.c, which checks nc_fmt
# against libc's snprintf), with the helpers they share. A new freestanding-clean
# test file is picked up here without an edit; one that needs a library not in
# LIBTESTS_LIBS fails the link until it is added. user/build.mk (included after
# this file) builds the program with nc_user_prog from these lists; init runs it
# in the test image after usertests (tests/kernel/initrd/init.manifest).
LIBTESTS_HOST_ONLY := %_host_test.c tests/lib/base/fmt_oracle_test.c
LIBTESTS_SRCS := tests/user/libtests/main.c $(NC_TEST_USER_SRCS) tests/harness/nc_test_screen.c \
	tests/lib/cap/cap_test_util.c tests/lib/ncs/ncs_test_support.c tests/lib/tee/tee_test_util.c \
	tests/lib/crypto/json.c tests/lib/crypto/vectors.c tests/user/libtests/vectors_nexacore.c \
	$(sort $(filter-out $(LIBTESTS_HOST_ONLY),$(wildcard tests/lib/*/*_test.c)))
LIBTESTS_LIBS := gfx font keymap input term ncs http ai elf args lineedit drvpkg inet cap envelope hpke privacy privacy_tp tee crypto sodium_nc blake3_nc scope wire
# The vector files the crypto vector tests read (wycheproof_test.c,
# blake3_test.c through vectors.h), from ../shared/vectors into the test
# initrd's root, where vectors_nexacore.c opens them by name.
LIBTESTS_VECTORS := $(addprefix ../shared/vectors/wycheproof/,$(addsuffix _test.json, \
	ed25519 x25519 chacha20_poly1305 xchacha20_poly1305 hkdf_sha256 hmac_sha256 hmac_sha512)) \
	../shared/vectors/blake3/test_vectors.json ../shared/vectors/hpke/rfc9180-x25519-vectors.txt
NC_TEST_INITRD_FILES += $(LIBTESTS_VECTORS)
