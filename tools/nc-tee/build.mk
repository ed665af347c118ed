# tools/nc-tee: the TEE layer on the host (optimised build): the build's
# vendor root and device provisioning, measurements, policies, quotes, logs,
# envelopes (docs/attestation.md).
$(call nc_host_prog,nc-tee,tools/nc-tee/main.c tools/nc-tee/io.c,envelope hpke tee wire crypto blake3_nc base,rel,-l:libsodium.a)

# The development vendor root and the development device, made once per build
# tree under build/tee/ (never committed; `make clean` makes new ones). nc-tee
# is an order-only prerequisite, so rebuilding the tool keeps the keys.
#   vendor-root.key / .pub  32 raw bytes each: the root's seed (secret) and
#                           public key; the kernel and verifiers trust the latter
#   device.secret           32 raw bytes: the device's secret, copied to every
#                           ESP image as \nexacore\device.secret
#   device.cert             the vendor's certificate for it (\nexacore\device.cert)
NC_TEE_TOOL := $(B)/rel/bin/nc-tee
NC_TEE_ROOT_KEY := $(B)/tee/vendor-root.key
NC_TEE_ROOT_PUB := $(B)/tee/vendor-root.pub
NC_TEE_DEVICE := $(B)/tee/device.secret $(B)/tee/device.cert
$(NC_TEE_ROOT_PUB): | $(NC_TEE_TOOL)
	@mkdir -p $(dir $@)
	$(if $(V),,@echo "  TEE $@")
	$(Q)$(NC_TEE_TOOL) root-gen --key $(NC_TEE_ROOT_KEY) --pub $@
$(B)/tee/device.secret $(B)/tee/device.cert &: $(NC_TEE_ROOT_PUB) | $(NC_TEE_TOOL)
	$(if $(V),,@echo "  TEE $(B)/tee/device.cert")
	$(Q)$(NC_TEE_TOOL) provision --root-key @$(NC_TEE_ROOT_KEY) --secret $(B)/tee/device.secret --new \
		--cert $(B)/tee/device.cert
NC_ALL += $(NC_TEE_DEVICE)
