/* The quote envelope (nc/tee.h) and verification: unwrap, pick the
 * backend's verifier, check the chain, then the policy. */
#include "tee_internal.h"
#include <nc/tee_dev.h>
#include <nc/tee_snp.h>
#include <nc/tee_tdx.h>

nc_tee_err_t nc_tee_quote_wrap(nc_tee_backend_t backend, const uint8_t *evidence, size_t evidence_len,
			       uint8_t *out, size_t cap, size_t *len_out)
{
	nc_wire_writer_t w;
	nc_wire_writer_init(&w, out, cap < NC_TEE_QUOTE_MAX_BYTES ? cap : NC_TEE_QUOTE_MAX_BYTES);
	tee_write_header(&w, "NCQT", NC_TEE_QUOTE_VERSION);
	nc_wire_encode_u8(&w, (uint8_t)backend);
	nc_wire_encode_bytes(&w, evidence, evidence_len);
	if (w.err)
		return cap < NC_TEE_QUOTE_MAX_BYTES ? NC_TEE_ERR_TOO_SMALL : NC_TEE_ERR_TOO_LONG;
	*len_out = w.len_bytes;
	return NC_TEE_OK;
}

nc_tee_err_t nc_tee_quote_unwrap(const uint8_t *quote, size_t len, uint32_t *backend,
				 const uint8_t **evidence, size_t *evidence_len)
{
	nc_wire_reader_t r;
	uint8_t b;
	if (len > NC_TEE_QUOTE_MAX_BYTES)
		return NC_TEE_ERR_TOO_LONG;
	nc_wire_reader_init(&r, quote, len);
	nc_tee_err_t err = tee_read_header(&r, "NCQT", NC_TEE_QUOTE_VERSION);
	if (err)
		return err;
	nc_wire_decode_u8(&r, &b);
	nc_wire_decode_bytes(&r, NC_TEE_QUOTE_MAX_BYTES, evidence, evidence_len);
	if (nc_wire_reader_finish(&r))
		return NC_TEE_ERR_FORMAT;
	*backend = b;
	return NC_TEE_OK;
}

const nc_tee_verifier_ops_t *nc_tee_verifier(uint32_t backend)
{
	static const nc_tee_verifier_ops_t *const all[] = { &nc_tee_dev_verifier, &nc_tee_tdx_verifier,
							    &nc_tee_snp_verifier };
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		if (all[i]->id == backend)
			return all[i];
	return NULL;
}

nc_tee_err_t nc_tee_verify_quote(const uint8_t *quote, size_t len, const nc_tee_roots_t *roots,
				 const nc_tee_policy_t *policy, nc_tee_claims_t *claims)
{
	uint32_t backend;
	const uint8_t *evidence;
	size_t evidence_len;
	nc_tee_claims_t c;
	nc_tee_err_t err = nc_tee_quote_unwrap(quote, len, &backend, &evidence, &evidence_len);
	if (err)
		return err;
	const nc_tee_verifier_ops_t *v = nc_tee_verifier(backend);
	if (!v)
		return NC_TEE_ERR_BACKEND;
	err = v->verify(evidence, evidence_len, roots, &c);
	if (!err && policy)
		err = nc_tee_policy_check(policy, &c);
	if (!err && claims)
		*claims = c;
	return err;
}
