# lib/crypto: nc_crypto_* over libsodium and the official BLAKE3 C code.
#
# Third-party code is compiled here, not in lib/: docs/crypto.md explains why.
#   libsodium  host, rel:    Debian's libsodium-dev (static libsodium.a, so the
#                            private argon2_ctx that Argon2id needs links)
#              kernel, user: the primitives we use, compiled from Debian's source
#                            package (scripts/deps.d/crypto.pkgs: src libsodium)
#                            into build/<fl>/lib/libsodium_nc.a, reference C code
#                            only, with lib/crypto/sodium_glue.c in place of
#                            libsodium's OS-dependent runtime and libc_glue.c
#                            for the string functions it calls
#   BLAKE3     every flavour: build/<fl>/lib/libblake3_nc.a from Debian's
#                            librust-blake3-dev (c/ directory); host, rel and user
#                            with the SSE2/SSE4.1/AVX2/AVX-512 files and run-time
#                            dispatch, kernel portable only (no SSE there); kernel
#                            and user add blake3_glue.c (popcount) and libc_glue.c
# Third-party files get their own flags: the flavour's flags minus our warning
# set (they are not written to -Wextra -Werror), plus the stand-in libc headers of
# lib/crypto/third_party/include for the freestanding flavours. Our own files keep
# the full -Werror set.
NC_SODIUM_VERSION := 1.0.18
NC_SODIUM_ROOT := $(B)/src/libsodium/libsodium-$(NC_SODIUM_VERSION)/src/libsodium
NC_BLAKE3_DIR := /usr/share/cargo/registry/blake3-1.3.1/c
NC_CRYPTO_TP_INC := lib/crypto/third_party/include

NC_SODIUM_FILES := \
	crypto_aead/chacha20poly1305/sodium/aead_chacha20poly1305.c \
	crypto_aead/xchacha20poly1305/sodium/aead_xchacha20poly1305.c \
	crypto_auth/hmacsha256/auth_hmacsha256.c \
	crypto_auth/hmacsha512/auth_hmacsha512.c \
	crypto_core/ed25519/ref10/ed25519_ref10.c \
	crypto_core/hchacha20/core_hchacha20.c \
	crypto_hash/sha256/cp/hash_sha256_cp.c \
	crypto_hash/sha512/cp/hash_sha512_cp.c \
	crypto_generichash/blake2b/ref/blake2b-compress-ref.c \
	crypto_generichash/blake2b/ref/blake2b-ref.c \
	crypto_generichash/blake2b/ref/generichash_blake2b.c \
	crypto_onetimeauth/poly1305/donna/poly1305_donna.c \
	crypto_onetimeauth/poly1305/onetimeauth_poly1305.c \
	crypto_pwhash/argon2/argon2-core.c \
	crypto_pwhash/argon2/argon2-encoding.c \
	crypto_pwhash/argon2/argon2-fill-block-ref.c \
	crypto_pwhash/argon2/argon2.c \
	crypto_pwhash/argon2/blake2b-long.c \
	crypto_scalarmult/curve25519/ref10/x25519_ref10.c \
	crypto_scalarmult/curve25519/scalarmult_curve25519.c \
	crypto_sign/ed25519/ref10/keypair.c \
	crypto_sign/ed25519/ref10/open.c \
	crypto_sign/ed25519/ref10/sign.c \
	crypto_stream/chacha20/ref/chacha20_ref.c \
	crypto_stream/chacha20/stream_chacha20.c \
	crypto_verify/sodium/verify.c \
	sodium/codecs.c
# What Debian's configure would find on x86-64 with only reference code enabled.
NC_SODIUM_DEFS := -D CONFIGURED=1 -D NATIVE_LITTLE_ENDIAN=1 -D HAVE_TI_MODE=1 -D SODIUM_STATIC=1

NC_BLAKE3_PORTABLE := blake3.c blake3_dispatch.c blake3_portable.c
NC_BLAKE3_SIMD := blake3_sse2.c blake3_sse41.c blake3_avx2.c blake3_avx512.c
NC_BLAKE3_NO_SIMD := -D BLAKE3_NO_SSE2 -D BLAKE3_NO_SSE41 -D BLAKE3_NO_AVX2 -D BLAKE3_NO_AVX512
nc_blake3_isa_blake3_sse2 := -msse2
nc_blake3_isa_blake3_sse41 := -msse4.1
nc_blake3_isa_blake3_avx2 := -mavx2
nc_blake3_isa_blake3_avx512 := -mavx512f -mavx512vl

# Flags for third-party code in flavour $(1).
nc_tp_cflags = $(filter-out $(NC_WARN),$(CFLAGS_$(1))) -std=gnu11 -w \
	$(if $(filter kernel user efi,$(1)),-I$(NC_CRYPTO_TP_INC))

# The source package is unpacked by scripts/deps; `make clean` removes it.
$(B)/src/libsodium/.fetched:
	scripts/deps
$(addprefix $(NC_SODIUM_ROOT)/,$(NC_SODIUM_FILES)): $(B)/src/libsodium/.fetched

# $(1) flavour
define nc_sodium_nc_flavour
$(B)/$(1)/third_party/libsodium/%.o: $(NC_SODIUM_ROOT)/%.c
	@mkdir -p $$(dir $$@)
	$$(if $$(V),,@echo "  CC  $$@")
	$$(Q)$$(HOST_CC) $$(call nc_tp_cflags,$(1)) $$(NC_SODIUM_DEFS) -I$$(NC_SODIUM_ROOT)/include/sodium \
		-MMD -MP -c $$< -o $$@
$(B)/$(1)/lib/libsodium_nc.a: $(patsubst %.c,$(B)/$(1)/third_party/libsodium/%.o,$(NC_SODIUM_FILES)) \
		$(B)/$(1)/lib/crypto/sodium_glue.o $(B)/$(1)/lib/crypto/libc_glue.o
	@mkdir -p $$(dir $$@)
	$$(Q)rm -f $$@ && $$(AR) rcs $$@ $$^
NC_ALL += $(B)/$(1)/lib/libsodium_nc.a
-include $(patsubst %.c,$(B)/$(1)/third_party/libsodium/%.d,$(NC_SODIUM_FILES)) \
	$(B)/$(1)/lib/crypto/sodium_glue.d $(B)/$(1)/lib/crypto/libc_glue.d
$(B)/$(1)/lib/crypto/%.o: CFLAGS_$(1) += -I$(NC_CRYPTO_TP_INC) -I$(NC_SODIUM_ROOT)/include -I$(NC_BLAKE3_DIR) \
	-I$(NC_SODIUM_ROOT)/crypto_pwhash/argon2
$(B)/$(1)/lib/crypto/%.o: | $(B)/src/libsodium/.fetched
endef

# $(1) flavour, $(2) the C files, $(3) extra defines, $(4) library name
define nc_blake3_nc_flavour
$(B)/$(1)/third_party/$(4)/%.o: $(NC_BLAKE3_DIR)/%.c
	@mkdir -p $$(dir $$@)
	$$(if $$(V),,@echo "  CC  $$@")
	$$(Q)$$(HOST_CC) $$(call nc_tp_cflags,$(1)) $(3) $$(nc_blake3_isa_$$*) -MMD -MP -c $$< -o $$@
$(B)/$(1)/lib/lib$(4).a: $(patsubst %.c,$(B)/$(1)/third_party/$(4)/%.o,$(2)) \
		$(if $(filter kernel user efi,$(1)),$(B)/$(1)/lib/crypto/blake3_glue.o $(B)/$(1)/lib/crypto/libc_glue.o)
	@mkdir -p $$(dir $$@)
	$$(Q)rm -f $$@ && $$(AR) rcs $$@ $$^
NC_ALL += $(B)/$(1)/lib/lib$(4).a
-include $(patsubst %.c,$(B)/$(1)/third_party/$(4)/%.d,$(2)) $(B)/$(1)/lib/crypto/blake3_glue.d \
	$(B)/$(1)/lib/crypto/libc_glue.d
endef

$(foreach f,kernel user,$(eval $(call nc_sodium_nc_flavour,$(f))))
$(foreach f,host rel user,$(eval $(call nc_blake3_nc_flavour,$(f),$(NC_BLAKE3_PORTABLE) $(NC_BLAKE3_SIMD),,blake3_nc)))
$(eval $(call nc_blake3_nc_flavour,kernel,$(NC_BLAKE3_PORTABLE),$(NC_BLAKE3_NO_SIMD),blake3_nc))
# The UEFI loader measures the kernel, initrd and command line with BLAKE3
# (boot/measure.c): the portable code, position independent, and of lib/crypto
# only the BLAKE3 wrapper (the loader needs nothing else).
$(eval $(call nc_blake3_nc_flavour,efi,$(NC_BLAKE3_PORTABLE),$(NC_BLAKE3_NO_SIMD),blake3_nc))
$(B)/efi/lib/crypto/%.o: CFLAGS_efi += -I$(NC_CRYPTO_TP_INC) -I$(NC_BLAKE3_DIR)
$(call nc_lib,crypto,lib/crypto/blake3_hash.c,efi)
# The kernel's configuration (portable code only) built for the host, so that
# tests/lib/crypto can run the BLAKE3 vectors against exactly that code path.
$(eval $(call nc_blake3_nc_flavour,host,$(NC_BLAKE3_PORTABLE),$(NC_BLAKE3_NO_SIMD),blake3_portable_nc))

$(B)/host/lib/crypto/%.o: CFLAGS_host += -I$(NC_BLAKE3_DIR) -I$(NC_SODIUM_ROOT)/crypto_pwhash/argon2
$(B)/rel/lib/crypto/%.o: CFLAGS_rel += -I$(NC_BLAKE3_DIR) -I$(NC_SODIUM_ROOT)/crypto_pwhash/argon2
$(B)/host/lib/crypto/argon2id.o $(B)/rel/lib/crypto/argon2id.o: | $(B)/src/libsodium/.fetched

NC_CRYPTO_SRC := lib/crypto/crypto.c lib/crypto/hash.c lib/crypto/sign.c lib/crypto/aead.c \
	lib/crypto/blake3_hash.c lib/crypto/argon2id.c
$(call nc_lib,crypto,$(NC_CRYPTO_SRC),host rel kernel user)
# The glue linked into the third-party archives is lib/crypto's code: it sees crypto's headers.
$(foreach f,host rel kernel user efi,$(eval $(call nc_objs,lib/crypto/sodium_glue.c lib/crypto/libc_glue.c \
	lib/crypto/blake3_glue.c,$(f)): private NC_INC += $$(call nc_lib_inc,crypto)))
# Libraries and link flags a program using lib/crypto adds after `crypto`:
# LIBS ... crypto blake3_nc    LDLIBS $(NC_CRYPTO_LDLIBS)
NC_CRYPTO_LDLIBS := -l:libsodium.a
