# tools/nc-privacy: FPE, tokenization and a Noise test peer on the host (optimised build).
$(call nc_host_prog,nc-privacy,tools/nc-privacy/main.c tools/nc-privacy/opts.c tools/nc-privacy/fpe_cmd.c \
	tools/nc-privacy/token_cmd.c tools/nc-privacy/noise_peer.c,privacy privacy_tp tee crypto blake3_nc wire base,rel,$(NC_CRYPTO_LDLIBS))
