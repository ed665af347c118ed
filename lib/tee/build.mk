# lib/tee: the TEE layer (docs/attestation.md): backend interface, measurement
# log, quotes, policies, sealing, the development backend, TDX/SNP layouts
# (needs crypto, wire).
NC_TEE_SRC := lib/tee/tee.c lib/tee/log.c lib/tee/policy.c lib/tee/quote.c lib/tee/seal.c \
	lib/tee/dev.c lib/tee/dev_verify.c lib/tee/tdx.c lib/tee/snp.c
$(call nc_lib,tee,$(NC_TEE_SRC),host rel kernel user,crypto wire)
