/* AMD SEV-SNP attestation report layout (nc/tee_snp.h). */
#include "tee_internal.h"
#include <nc/mem.h>
#include <nc/tee_snp.h>

enum {
	SIG_OFFSET = 0x2a0, SIG_COMPONENT_BYTES = 72, SIG_AREA_BYTES = 512,
	POLICY_RESERVED_ONE = 1u << 17, SIGNING_KEY_SHIFT = 2, SIGNING_KEY_MASK = 7,
	V5_RESERVED_FROM = 0x208, /* after LAUNCH_MIT_VECTOR and CURRENT_MIT_VECTOR */
};

static bool zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static void read_fields(const uint8_t *r, nc_tee_snp_report_t *o)
{
	o->guest_svn = (uint32_t)tee_le(r + 0x04, 4);
	o->policy = tee_le(r + 0x08, 8);
	nc_mem_copy(o->family_id, r + 0x10, 16);
	nc_mem_copy(o->image_id, r + 0x20, 16);
	o->vmpl = (uint32_t)tee_le(r + 0x30, 4);
	o->signature_algo = (uint32_t)tee_le(r + 0x34, 4);
	o->current_tcb = tee_le(r + 0x38, 8);
	o->platform_info = tee_le(r + 0x40, 8);
	uint32_t key_info = (uint32_t)tee_le(r + 0x48, 4);
	o->author_key_en = key_info & 1;
	o->mask_chip_key = (key_info >> 1) & 1;
	o->signing_key = (key_info >> SIGNING_KEY_SHIFT) & SIGNING_KEY_MASK;
	nc_mem_copy(o->report_data, r + 0x50, 64);
	nc_mem_copy(o->measurement, r + 0x90, 48);
	nc_mem_copy(o->host_data, r + 0xc0, 32);
	nc_mem_copy(o->id_key_digest, r + 0xe0, 48);
	nc_mem_copy(o->author_key_digest, r + 0x110, 48);
	nc_mem_copy(o->report_id, r + 0x140, 32);
	nc_mem_copy(o->report_id_ma, r + 0x160, 32);
	o->reported_tcb = tee_le(r + 0x180, 8);
	nc_mem_copy(o->chip_id, r + 0x1a0, 64);
	o->committed_tcb = tee_le(r + 0x1e0, 8);
	o->current_build = r[0x1e8], o->current_minor = r[0x1e9], o->current_major = r[0x1ea];
	o->committed_build = r[0x1ec], o->committed_minor = r[0x1ed], o->committed_major = r[0x1ee];
	o->launch_tcb = tee_le(r + 0x1f0, 8);
	nc_mem_copy(o->sig_r, r + SIG_OFFSET, SIG_COMPONENT_BYTES);
	nc_mem_copy(o->sig_s, r + SIG_OFFSET + SIG_COMPONENT_BYTES, SIG_COMPONENT_BYTES);
}

nc_tee_err_t nc_tee_snp_parse(const uint8_t *report, size_t len, nc_tee_snp_report_t *out)
{
	nc_mem_set(out, 0, sizeof *out);
	if (len != NC_TEE_SNP_REPORT_BYTES)
		return NC_TEE_ERR_FORMAT;
	out->version = (uint32_t)tee_le(report, 4);
	if (out->version < NC_TEE_SNP_MIN_VERSION || out->version > NC_TEE_SNP_MAX_VERSION)
		return NC_TEE_ERR_VERSION;
	read_fields(report, out);
	size_t reserved_from = out->version >= 5 ? V5_RESERVED_FROM : 0x1f8;
	if (out->signature_algo != NC_TEE_SNP_SIG_ECDSA_P384_SHA384 || out->vmpl > 3 ||
	    !(out->policy & POLICY_RESERVED_ONE) ||
	    (out->signing_key != NC_TEE_SNP_SIGNING_KEY_VCEK && out->signing_key != NC_TEE_SNP_SIGNING_KEY_VLEK) ||
	    !zero(report + 0x4c, 4) || !zero(report + reserved_from, SIG_OFFSET - reserved_from) ||
	    !zero(report + SIG_OFFSET + 2 * SIG_COMPONENT_BYTES, SIG_AREA_BYTES - 2 * SIG_COMPONENT_BYTES))
		return NC_TEE_ERR_FORMAT;
	return NC_TEE_OK;
}

static nc_tee_err_t snp_verify(const uint8_t *evidence, size_t len, const nc_tee_roots_t *roots,
			       nc_tee_claims_t *claims)
{
	nc_wire_reader_t r;
	uint8_t report[NC_TEE_SNP_REPORT_BYTES];
	const uint8_t *certs;
	size_t certs_len;
	nc_tee_snp_report_t rep;
	nc_wire_reader_init(&r, evidence, len);
	nc_wire_decode_raw(&r, report, sizeof report);
	nc_wire_decode_bytes(&r, NC_TEE_QUOTE_MAX_BYTES, &certs, &certs_len);
	if (nc_wire_reader_finish(&r))
		return NC_TEE_ERR_FORMAT;
	nc_tee_err_t err = nc_tee_snp_parse(report, sizeof report, &rep);
	return err ? err : NC_TEE_ERR_UNSUPPORTED;
}

const nc_tee_verifier_ops_t nc_tee_snp_verifier = { NC_TEE_BACKEND_SNP, snp_verify };
