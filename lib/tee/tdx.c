/* Intel TDX quote v4 layout (nc/tee_tdx.h): every size and nesting checked
 * before a field is read, then the QE report's binding of the attestation key. */
#include "tee_internal.h"
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/tee_tdx.h>

enum {
	SIG_BYTES = 64, KEY_BYTES = 64, SECTION_HEADER_BYTES = 6, /* type u16, size u32 */
	QE_REPORT_DATA_OFFSET = 0x140,
	QE_AUTH_MAX_BYTES = 256, /* Intel's QE sends 32; a bound keeps the hash on a small stack */
};

static void read_body(const uint8_t *b, nc_tee_tdx_quote_t *q)
{
	nc_mem_copy(q->tee_tcb_svn, b + 0x00, 16);
	nc_mem_copy(q->mr_seam, b + 0x10, 48);
	nc_mem_copy(q->mr_signer_seam, b + 0x40, 48);
	q->seam_attributes = tee_le(b + 0x70, 8);
	q->td_attributes = tee_le(b + 0x78, 8);
	q->xfam = tee_le(b + 0x80, 8);
	nc_mem_copy(q->mr_td, b + 0x88, 48);
	nc_mem_copy(q->mr_config_id, b + 0xb8, 48);
	nc_mem_copy(q->mr_owner, b + 0xe8, 48);
	nc_mem_copy(q->mr_owner_config, b + 0x118, 48);
	nc_mem_copy(q->rtmr, b + 0x148, sizeof q->rtmr);
	nc_mem_copy(q->report_data, b + 0x208, NC_TEE_REPORT_DATA_BYTES);
}

/* A (type u16, size u32, data) section at p within [p, end): its type and
 * data. False when it does not fit. */
static bool section(const uint8_t *p, const uint8_t *end, uint32_t *type, const uint8_t **data, size_t *size)
{
	if ((size_t)(end - p) < SECTION_HEADER_BYTES)
		return false;
	*type = (uint32_t)tee_le(p, 2);
	*size = (size_t)tee_le(p + 2, 4);
	*data = p + SECTION_HEADER_BYTES;
	return *size <= (size_t)(end - *data);
}

/* QE report certification data: report, signature, auth data, PCK chain. */
static nc_tee_err_t read_qe_data(const uint8_t *p, const uint8_t *end, nc_tee_tdx_quote_t *q)
{
	uint32_t type;
	if ((size_t)(end - p) < NC_TEE_TDX_QE_REPORT_BYTES + SIG_BYTES + 2)
		return NC_TEE_ERR_FORMAT;
	q->qe_report = p;
	q->qe_report_signature = p + NC_TEE_TDX_QE_REPORT_BYTES;
	p += NC_TEE_TDX_QE_REPORT_BYTES + SIG_BYTES;
	q->qe_auth_len = (size_t)tee_le(p, 2);
	q->qe_auth_data = p + 2;
	p += 2;
	if (q->qe_auth_len > (size_t)(end - p) || q->qe_auth_len > QE_AUTH_MAX_BYTES)
		return NC_TEE_ERR_FORMAT;
	p += q->qe_auth_len;
	if (!section(p, end, &type, &q->pck_chain, &q->pck_chain_len) || type != NC_TEE_TDX_CERT_PCK_CHAIN ||
	    q->pck_chain + q->pck_chain_len != end)
		return NC_TEE_ERR_FORMAT;
	return NC_TEE_OK;
}

/* The QE report's REPORTDATA must be SHA-256(attestation key || QE auth
 * data) || 32 zero bytes. */
static bool key_bound(const nc_tee_tdx_quote_t *q)
{
	static const uint8_t zero[32];
	uint8_t buf[KEY_BYTES + QE_AUTH_MAX_BYTES], want[NC_CRYPTO_SHA256_BYTES];
	nc_mem_copy(buf, q->attestation_key, KEY_BYTES);
	nc_mem_copy(buf + KEY_BYTES, q->qe_auth_data, q->qe_auth_len);
	nc_crypto_sha256(want, buf, KEY_BYTES + q->qe_auth_len);
	const uint8_t *rd = q->qe_report + QE_REPORT_DATA_OFFSET;
	return nc_mem_compare(rd, want, sizeof want) == 0 && nc_mem_compare(rd + 32, zero, 32) == 0;
}

nc_tee_err_t nc_tee_tdx_parse(const uint8_t *quote, size_t len, nc_tee_tdx_quote_t *out)
{
	nc_mem_set(out, 0, sizeof *out);
	if (len < 2)
		return NC_TEE_ERR_FORMAT;
	out->version = (uint16_t)tee_le(quote, 2);
	if (out->version != NC_TEE_TDX_VERSION)
		return NC_TEE_ERR_VERSION;
	if (len < NC_TEE_TDX_MIN_BYTES)
		return NC_TEE_ERR_FORMAT;
	out->att_key_type = (uint16_t)tee_le(quote + 2, 2);
	out->tee_type = (uint32_t)tee_le(quote + 4, 4);
	nc_mem_copy(out->qe_vendor_id, quote + 12, 16);
	if (out->att_key_type != NC_TEE_TDX_ATT_KEY_ECDSA_P256 || out->tee_type != NC_TEE_TDX_TEE_TYPE)
		return NC_TEE_ERR_FORMAT;
	read_body(quote + NC_TEE_TDX_HEADER_BYTES, out);
	const uint8_t *p = quote + NC_TEE_TDX_SIGNED_BYTES, *end = quote + len;
	size_t sig_len = (size_t)tee_le(p, 4);
	p += 4;
	if (sig_len != (size_t)(end - p) || sig_len < SIG_BYTES + KEY_BYTES)
		return NC_TEE_ERR_FORMAT;
	out->signature = p;
	out->attestation_key = p + SIG_BYTES;
	p += SIG_BYTES + KEY_BYTES;
	uint32_t type;
	const uint8_t *data;
	size_t size;
	if (!section(p, end, &type, &data, &size) || type != NC_TEE_TDX_CERT_QE_REPORT || data + size != end)
		return NC_TEE_ERR_FORMAT;
	nc_tee_err_t err = read_qe_data(data, end, out);
	if (err)
		return err;
	return key_bound(out) ? NC_TEE_OK : NC_TEE_ERR_BAD_SIGNATURE;
}

static nc_tee_err_t tdx_verify(const uint8_t *evidence, size_t len, const nc_tee_roots_t *roots,
			       nc_tee_claims_t *claims)
{
	nc_tee_tdx_quote_t q;
	nc_tee_err_t err = nc_tee_tdx_parse(evidence, len, &q);
	return err ? err : NC_TEE_ERR_UNSUPPORTED;
}

const nc_tee_verifier_ops_t nc_tee_tdx_verifier = { NC_TEE_BACKEND_TDX, tdx_verify };
