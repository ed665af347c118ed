/* The development backend's evidence (nc/tee_dev.h): encoding the signed
 * body, certificates, parsing, and the verifier: certificate up to a trusted
 * vendor root, then the body under the certified device key. */
#include "dev_internal.h"
#include "tee_internal.h"
#include <nc/crypto.h>
#include <nc/mem.h>

enum { CERT_VERSION = 1, CERT_BODY_BYTES = 4 + 1 + 1 + NC_TEE_PUBLIC_KEY_BYTES + NC_TEE_KEY_ID_BYTES };
_Static_assert(CERT_BODY_BYTES + NC_TEE_SIG_BYTES == NC_TEE_DEV_CERT_BYTES, "certificate size");

size_t dev_encode_body(const nc_tee_report_t *report, uint8_t out[DEV_BODY_BYTES])
{
	nc_wire_writer_t w;
	nc_tee_claims_t c = { .tcb_svn = report->tcb_svn, .log_entries = report->log_entries };
	nc_mem_copy(c.measurement, report->measurement, NC_TEE_MEASUREMENT_BYTES);
	nc_mem_copy(c.log_digest, report->log_digest, NC_TEE_MEASUREMENT_BYTES);
	nc_mem_copy(c.report_data, report->report_data, NC_TEE_REPORT_DATA_BYTES);
	nc_wire_writer_init(&w, out, DEV_BODY_BYTES);
	nc_wire_encode_raw(&w, (const uint8_t *)"NCQB", 4);
	nc_wire_encode_u8(&w, NC_TEE_BACKEND_DEV);
	tee_write_measured(&w, &c);
	return w.len_bytes; /* DEV_BODY_BYTES holds the longest body */
}

void nc_tee_dev_root_keypair(const uint8_t seed[32], uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES],
			     uint8_t sk[NC_TEE_SECRET_KEY_BYTES])
{
	nc_crypto_ed25519_keypair(pk, sk, seed);
}

void nc_tee_dev_certify(uint8_t cert[NC_TEE_DEV_CERT_BYTES], const uint8_t root_sk[NC_TEE_SECRET_KEY_BYTES],
			const uint8_t device_pk[NC_TEE_PUBLIC_KEY_BYTES])
{
	uint8_t root_id[NC_TEE_KEY_ID_BYTES];
	nc_wire_writer_t w;
	/* libsodium's secret key ends with the public key */
	nc_tee_key_id(root_id, root_sk + NC_TEE_SECRET_KEY_BYTES - NC_TEE_PUBLIC_KEY_BYTES);
	nc_wire_writer_init(&w, cert, NC_TEE_DEV_CERT_BYTES);
	tee_write_header(&w, "NCDC", CERT_VERSION);
	nc_wire_encode_u8(&w, NC_TEE_BACKEND_DEV);
	nc_wire_encode_raw(&w, device_pk, NC_TEE_PUBLIC_KEY_BYTES);
	nc_wire_encode_raw(&w, root_id, sizeof root_id);
	nc_crypto_ed25519_sign(cert + CERT_BODY_BYTES, cert, CERT_BODY_BYTES, root_sk);
}

static nc_tee_err_t read_cert(nc_wire_reader_t *r, nc_tee_dev_cert_t *out)
{
	uint8_t backend;
	out->signed_part = r->buf + r->pos;
	nc_tee_err_t err = tee_read_header(r, "NCDC", CERT_VERSION);
	if (err)
		return err;
	nc_wire_decode_u8(r, &backend);
	nc_wire_decode_raw(r, out->device_key, NC_TEE_PUBLIC_KEY_BYTES);
	nc_wire_decode_raw(r, out->root_id, NC_TEE_KEY_ID_BYTES);
	out->signed_len = (size_t)(r->buf + r->pos - out->signed_part);
	nc_wire_decode_raw(r, out->signature, NC_TEE_SIG_BYTES);
	return r->err || backend != NC_TEE_BACKEND_DEV ? NC_TEE_ERR_FORMAT : NC_TEE_OK;
}

nc_tee_err_t nc_tee_dev_parse_cert(const uint8_t *in, size_t len, nc_tee_dev_cert_t *out)
{
	nc_wire_reader_t r;
	nc_wire_reader_init(&r, in, len);
	nc_tee_err_t err = read_cert(&r, out);
	return err ? err : nc_wire_reader_finish(&r) ? NC_TEE_ERR_FORMAT : NC_TEE_OK;
}

nc_tee_err_t nc_tee_dev_parse_evidence(const uint8_t *in, size_t len, nc_tee_dev_evidence_t *out)
{
	nc_wire_reader_t r;
	uint8_t magic[4], backend;
	nc_tee_claims_t *c = &out->claims;
	nc_mem_set(out, 0, sizeof *out);
	nc_wire_reader_init(&r, in, len);
	nc_wire_decode_raw(&r, magic, sizeof magic);
	nc_wire_decode_u8(&r, &backend);
	tee_read_measured(&r, c);
	out->signed_part = in;
	out->signed_len = r.pos;
	nc_wire_decode_raw(&r, out->signature, NC_TEE_SIG_BYTES);
	if (r.err || nc_mem_compare(magic, "NCQB", 4) != 0 || backend != NC_TEE_BACKEND_DEV)
		return NC_TEE_ERR_FORMAT;
	c->backend = backend;
	nc_tee_err_t err = read_cert(&r, &out->cert);
	if (err)
		return err;
	nc_tee_key_id(c->device_id, out->cert.device_key);
	return nc_wire_reader_finish(&r) ? NC_TEE_ERR_FORMAT : NC_TEE_OK;
}

static const uint8_t *find_root(const nc_tee_roots_t *roots, const uint8_t root_id[NC_TEE_KEY_ID_BYTES])
{
	for (size_t i = 0; roots && i < roots->n_keys; i++) {
		uint8_t id[NC_TEE_KEY_ID_BYTES];
		nc_tee_key_id(id, roots->keys[i]);
		if (nc_mem_compare(id, root_id, sizeof id) == 0)
			return roots->keys[i];
	}
	return NULL;
}

static nc_tee_err_t dev_verify(const uint8_t *evidence, size_t len, const nc_tee_roots_t *roots,
			       nc_tee_claims_t *claims)
{
	nc_tee_dev_evidence_t e;
	nc_tee_err_t err = nc_tee_dev_parse_evidence(evidence, len, &e);
	if (err)
		return err;
	const uint8_t *root = find_root(roots, e.cert.root_id);
	if (!root)
		return NC_TEE_ERR_UNTRUSTED;
	if (nc_crypto_ed25519_verify(e.cert.signature, e.cert.signed_part, e.cert.signed_len, root) ||
	    nc_crypto_ed25519_verify(e.signature, e.signed_part, e.signed_len, e.cert.device_key))
		return NC_TEE_ERR_BAD_SIGNATURE;
	*claims = e.claims;
	return NC_TEE_OK;
}

const nc_tee_verifier_ops_t nc_tee_dev_verifier = { NC_TEE_BACKEND_DEV, dev_verify };
