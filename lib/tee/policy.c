/* Policies and claims (nc/tee.h): their encodings, and the policy check a
 * verifier runs on claims whose chain is already verified. */
#include "tee_internal.h"
#include <nc/crypto.h>
#include <nc/mem.h>

enum { POLICY_VERSION = 1, CLAIMS_VERSION = 1 };

nc_tee_err_t tee_read_header(nc_wire_reader_t *r, const char magic[4], uint8_t version)
{
	uint8_t m[4], v;
	nc_wire_decode_raw(r, m, sizeof m);
	nc_wire_decode_u8(r, &v);
	if (r->err || nc_mem_compare(m, magic, sizeof m) != 0)
		return NC_TEE_ERR_FORMAT;
	return v == version ? NC_TEE_OK : NC_TEE_ERR_VERSION;
}

void tee_write_header(nc_wire_writer_t *w, const char magic[4], uint8_t version)
{
	nc_wire_encode_raw(w, (const uint8_t *)magic, 4);
	nc_wire_encode_u8(w, version);
}

void tee_write_digests(nc_wire_writer_t *w, const uint8_t (*items)[32], uint32_t n)
{
	nc_wire_encode_len(w, n);
	for (uint32_t i = 0; i < n; i++)
		nc_wire_encode_raw(w, items[i], 32);
}

nc_tee_err_t tee_read_digests(nc_wire_reader_t *r, uint8_t (*items)[32], uint32_t min, uint32_t max,
			      uint32_t *n)
{
	size_t count;
	nc_wire_decode_len(r, max, &count);
	if (r->err || count < min)
		return NC_TEE_ERR_FORMAT;
	for (size_t i = 0; i < count; i++)
		nc_wire_decode_raw(r, items[i], 32);
	*n = (uint32_t)count;
	return r->err ? NC_TEE_ERR_FORMAT : NC_TEE_OK;
}

nc_tee_err_t nc_tee_policy_encode(const nc_tee_policy_t *p, uint8_t *out, size_t cap, size_t *len_out)
{
	nc_wire_writer_t w;
	if (p->n_measurements == 0 || p->n_measurements > NC_TEE_POLICY_MAX_MEASUREMENTS ||
	    p->n_log_digests > NC_TEE_POLICY_MAX_MEASUREMENTS || p->backend == 0 || p->backend > UINT8_MAX)
		return NC_TEE_ERR_FORMAT;
	nc_wire_writer_init(&w, out, cap);
	tee_write_header(&w, "NCTP", POLICY_VERSION);
	nc_wire_encode_u8(&w, (uint8_t)p->backend);
	nc_wire_encode_u32(&w, p->min_tcb_svn);
	tee_write_digests(&w, p->measurements, p->n_measurements);
	tee_write_digests(&w, p->log_digests, p->n_log_digests);
	nc_wire_encode_option(&w, p->has_nonce);
	if (p->has_nonce)
		nc_wire_encode_raw(&w, p->nonce, NC_TEE_NONCE_BYTES);
	if (w.err)
		return NC_TEE_ERR_TOO_SMALL;
	*len_out = w.len_bytes;
	return NC_TEE_OK;
}

nc_tee_err_t nc_tee_policy_decode(const uint8_t *in, size_t len, nc_tee_policy_t *p)
{
	nc_wire_reader_t r;
	uint8_t backend;
	nc_mem_set(p, 0, sizeof *p);
	nc_wire_reader_init(&r, in, len);
	nc_tee_err_t err = tee_read_header(&r, "NCTP", POLICY_VERSION);
	if (err)
		return err;
	nc_wire_decode_u8(&r, &backend);
	nc_wire_decode_u32(&r, &p->min_tcb_svn);
	p->backend = backend;
	err = tee_read_digests(&r, p->measurements, 1, NC_TEE_POLICY_MAX_MEASUREMENTS, &p->n_measurements);
	if (!err)
		err = tee_read_digests(&r, p->log_digests, 0, NC_TEE_POLICY_MAX_MEASUREMENTS, &p->n_log_digests);
	nc_wire_decode_option(&r, &p->has_nonce);
	if (p->has_nonce)
		nc_wire_decode_raw(&r, p->nonce, NC_TEE_NONCE_BYTES);
	if (err || nc_wire_reader_finish(&r) || backend == 0)
		return NC_TEE_ERR_FORMAT;
	return NC_TEE_OK;
}

static bool listed(const uint8_t (*list)[32], uint32_t n, const uint8_t digest[32])
{
	for (uint32_t i = 0; i < n; i++)
		if (nc_mem_compare(list[i], digest, 32) == 0)
			return true;
	return false;
}

nc_tee_err_t nc_tee_policy_check(const nc_tee_policy_t *policy, const nc_tee_claims_t *claims)
{
	if (claims->tcb_svn < policy->min_tcb_svn)
		return NC_TEE_ERR_TCB;
	/* a measurement of another backend's kind is never one the policy lists */
	if (claims->backend != policy->backend)
		return NC_TEE_ERR_MEASUREMENT;
	if (!listed(policy->measurements, policy->n_measurements, claims->measurement))
		return NC_TEE_ERR_MEASUREMENT;
	if (policy->n_log_digests && !listed(policy->log_digests, policy->n_log_digests, claims->log_digest))
		return NC_TEE_ERR_MEASUREMENT;
	if (policy->has_nonce && !nc_crypto_equal(claims->report_data + NC_TEE_NONCE_OFFSET, policy->nonce,
						  NC_TEE_NONCE_BYTES))
		return NC_TEE_ERR_STALE;
	return NC_TEE_OK;
}

void tee_write_measured(nc_wire_writer_t *w, const nc_tee_claims_t *c)
{
	nc_wire_encode_u32(w, c->tcb_svn);
	nc_wire_encode_raw(w, c->measurement, NC_TEE_MEASUREMENT_BYTES);
	nc_wire_encode_raw(w, c->log_digest, NC_TEE_MEASUREMENT_BYTES);
	nc_wire_encode_u32(w, c->log_entries);
	nc_wire_encode_raw(w, c->report_data, NC_TEE_REPORT_DATA_BYTES);
}

void tee_read_measured(nc_wire_reader_t *r, nc_tee_claims_t *c)
{
	nc_wire_decode_u32(r, &c->tcb_svn);
	nc_wire_decode_raw(r, c->measurement, NC_TEE_MEASUREMENT_BYTES);
	nc_wire_decode_raw(r, c->log_digest, NC_TEE_MEASUREMENT_BYTES);
	nc_wire_decode_u32(r, &c->log_entries);
	nc_wire_decode_raw(r, c->report_data, NC_TEE_REPORT_DATA_BYTES);
}

nc_tee_err_t nc_tee_claims_encode(const nc_tee_claims_t *c, uint8_t *out, size_t cap, size_t *len_out)
{
	nc_wire_writer_t w;
	nc_wire_writer_init(&w, out, cap);
	nc_wire_encode_u8(&w, CLAIMS_VERSION);
	nc_wire_encode_u8(&w, (uint8_t)c->backend);
	tee_write_measured(&w, c);
	nc_wire_encode_raw(&w, c->device_id, NC_TEE_KEY_ID_BYTES);
	if (w.err)
		return NC_TEE_ERR_TOO_SMALL;
	*len_out = w.len_bytes;
	return NC_TEE_OK;
}

nc_tee_err_t nc_tee_claims_decode(const uint8_t *in, size_t len, nc_tee_claims_t *c)
{
	nc_wire_reader_t r;
	uint8_t version, backend;
	nc_mem_set(c, 0, sizeof *c);
	nc_wire_reader_init(&r, in, len);
	nc_wire_decode_u8(&r, &version);
	if (!r.err && version != CLAIMS_VERSION)
		return NC_TEE_ERR_VERSION;
	nc_wire_decode_u8(&r, &backend);
	tee_read_measured(&r, c);
	nc_wire_decode_raw(&r, c->device_id, NC_TEE_KEY_ID_BYTES);
	c->backend = backend;
	return nc_wire_reader_finish(&r) ? NC_TEE_ERR_FORMAT : NC_TEE_OK;
}
