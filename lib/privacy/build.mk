# lib/privacy: format-preserving encryption (FF1, FF3-1), session tokens, the
# Noise Protocol Framework, tokenization policies and compliance assertions
# (docs/privacy.md). Flavours: host, rel, user and kernel (the kernel applies
# a process's policy where its data leaves for a model: kernel/privacy.c).
#
# Third-party code, compiled here like lib/crypto's (docs/crypto.md), from the
# Debian source packages of scripts/deps.d/privacy.pkgs, into
# build/<fl>/lib/libprivacy_tp.a:
#   BearSSL 0.6  the constant-time bitsliced AES (aes_ct64: key schedule,
#                encryption, CBC for the FF1 PRF and the FF3-1 block, CTR) and
#                GCM with the constant-time GHASH (ghash_ctmul64) for Noise's
#                AESGCM; x86 AES-NI, SSE2 and POWER8 code switched off, so the
#                same portable constant-time code runs in every flavour.
#   libb2 0.98.1 the BLAKE2s reference code (blake2s-ref.c) for Noise's
#                BLAKE2s (libsodium has only BLAKE2b).
# They get the flags of lib/crypto's third-party code (nc_tp_cflags: no
# warnings, the stand-in libc headers in the freestanding flavour).
NC_BEARSSL_ROOT := $(B)/src/bearssl/bearssl-0.6+dfsg.1
NC_LIBB2_ROOT := $(B)/src/libb2/libb2-0.98.1/src
NC_PRIVACY_TP_FLAVOURS := host rel user kernel

NC_BEARSSL_FILES := src/symcipher/aes_ct64.c src/symcipher/aes_ct64_enc.c \
	src/symcipher/aes_ct64_cbcenc.c src/symcipher/aes_ct64_ctr.c src/aead/gcm.c \
	src/hash/ghash_ctmul64.c src/codec/dec32le.c src/codec/enc32le.c
NC_BEARSSL_DEFS := -D BR_AES_X86NI=0 -D BR_SSE2=0 -D BR_POWER8=0
NC_LIBB2_FILES := blake2s-ref.c
# blake2-impl.h includes configure's "config.h": ours (third_party/libb2) is
# empty; the configuration is these flags. An empty SUFFIX gives the public
# names (blake2s_init, ...).
NC_LIBB2_DEFS := -D NATIVE_LITTLE_ENDIAN=1 -D SUFFIX= -Ilib/privacy/third_party/libb2

# One scripts/deps run fetches every missing source package; after
# libsodium's (lib/crypto/build.mk), so that two never run at once.
$(B)/src/bearssl/.fetched $(B)/src/libb2/.fetched &: | $(B)/src/libsodium/.fetched
	scripts/deps
$(addprefix $(NC_BEARSSL_ROOT)/,$(NC_BEARSSL_FILES)): $(B)/src/bearssl/.fetched
$(addprefix $(NC_LIBB2_ROOT)/,$(NC_LIBB2_FILES)): $(B)/src/libb2/.fetched

NC_PRIVACY_TP_OBJS = $(patsubst %.c,$(B)/$(1)/third_party/bearssl/%.o,$(NC_BEARSSL_FILES)) \
	$(patsubst %.c,$(B)/$(1)/third_party/libb2/%.o,$(NC_LIBB2_FILES))

# $(1) flavour
define nc_privacy_tp_flavour
$(B)/$(1)/third_party/bearssl/%.o: $(NC_BEARSSL_ROOT)/%.c
	@mkdir -p $$(dir $$@)
	$$(if $$(V),,@echo "  CC  $$@")
	$$(Q)$$(HOST_CC) $$(call nc_tp_cflags,$(1)) $$(NC_BEARSSL_DEFS) -I$$(NC_BEARSSL_ROOT)/inc \
		-I$$(NC_BEARSSL_ROOT)/src -MMD -MP -c $$< -o $$@
$(B)/$(1)/third_party/libb2/%.o: $(NC_LIBB2_ROOT)/%.c
	@mkdir -p $$(dir $$@)
	$$(if $$(V),,@echo "  CC  $$@")
	$$(Q)$$(HOST_CC) $$(call nc_tp_cflags,$(1)) $$(NC_LIBB2_DEFS) -MMD -MP -c $$< -o $$@
$(B)/$(1)/lib/libprivacy_tp.a: $(call NC_PRIVACY_TP_OBJS,$(1))
	@mkdir -p $$(dir $$@)
	$$(Q)rm -f $$@ && $$(AR) rcs $$@ $$^
NC_ALL += $(B)/$(1)/lib/libprivacy_tp.a
-include $(patsubst %.o,%.d,$(call NC_PRIVACY_TP_OBJS,$(1)))
$(B)/$(1)/lib/privacy/%.o: CFLAGS_$(1) += -I$(NC_BEARSSL_ROOT)/inc -I$(NC_LIBB2_ROOT) \
	$(if $(filter user kernel,$(1)),-I$(NC_CRYPTO_TP_INC) -I$(NC_SODIUM_ROOT)/include)
endef
$(foreach f,$(NC_PRIVACY_TP_FLAVOURS),$(eval $(call nc_privacy_tp_flavour,$(f))))

NC_PRIVACY_SRC := lib/privacy/aes.c lib/privacy/fpe.c lib/privacy/fpe_num.c lib/privacy/ff1.c \
	lib/privacy/ff3_1.c lib/privacy/noise_crypto.c lib/privacy/noise_cipher.c lib/privacy/noise_pattern.c \
	lib/privacy/noise_handshake.c lib/privacy/token_detect.c lib/privacy/token_numbers.c lib/privacy/token_net.c \
	lib/privacy/token_date.c lib/privacy/token_session.c lib/privacy/token_forms.c lib/privacy/token_text.c \
	lib/privacy/policy.c lib/privacy/boundary.c lib/privacy/assertion.c
$(call nc_lib,privacy,$(NC_PRIVACY_SRC),$(NC_PRIVACY_TP_FLAVOURS),crypto tee wire)
# Our objects include the packages' headers: fetch them first. (Explicit
# targets: an order-only prerequisite on a pattern rule without a recipe
# would be ignored once the compile pattern rule is chosen.)
$(foreach f,$(NC_PRIVACY_TP_FLAVOURS),$(call nc_objs,$(NC_PRIVACY_SRC),$(f))): | $(B)/src/bearssl/.fetched \
	$(B)/src/libb2/.fetched $(B)/src/libsodium/.fetched
# A program using lib/privacy links, in this order:
#   LIBS privacy privacy_tp wire crypto blake3_nc   LDLIBS $(NC_CRYPTO_LDLIBS)
