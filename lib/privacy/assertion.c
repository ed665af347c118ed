/* Compliance assertions (nc/privacy.h): a postcard ComplianceStatement
 * signed by the root of trust (lib/tee) over "NCPA" || statement, and its
 * verification by the receiver. The proof is an enum so that a STARK proof
 * of the same statement (a later issue) can replace the signature without a
 * new statement format. */
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/privacy.h>
#include <nc/wire.h>

#define DOMAIN "NCPA"
#define DOMAIN_BYTES 4u
#define PROOF_ED25519 0u
#define PROOF_STARK 1u
#define STATEMENT_MAX_BYTES (NC_PRIVACY_ASSERTION_MAX_BYTES - 1u - NC_PRIVACY_SIG_BYTES)

static void encode_statement(nc_wire_writer_t *w, const nc_privacy_statement_t *st)
{
	nc_wire_encode_u32(w, NC_PRIVACY_STATEMENT_VERSION);
	nc_wire_encode_raw(w, st->payload_sha256, 32);
	nc_wire_encode_raw(w, st->policy_sha256, 32);
	nc_wire_encode_bytes(w, st->measurement, st->measurement_len);
	for (unsigned k = 0; k < NC_TOKEN_KINDS; k++)
		nc_wire_encode_u32(w, st->items[k]);
	nc_wire_encode_raw(w, st->signer, NC_PRIVACY_KEY_BYTES);
}

nc_privacy_err_t nc_privacy_assert_create(const nc_tee_t *tee, const nc_privacy_policy_t *policy,
					  const uint8_t *payload, size_t len, const uint8_t *measurement,
					  size_t measurement_len, const size_t items[NC_TOKEN_KINDS], uint8_t *out,
					  size_t cap, size_t *out_len)
{
	nc_privacy_statement_t st;
	*out_len = 0;
	nc_mem_set(&st, 0, sizeof st);
	if (measurement_len > NC_PRIVACY_MAX_MEASUREMENT_BYTES)
		return NC_PRIVACY_ERR_MALFORMED;
	nc_privacy_err_t err = nc_privacy_policy_hash(policy, st.policy_sha256);
	if (err != NC_PRIVACY_OK)
		return err;
	nc_crypto_sha256(st.payload_sha256, payload, len);
	nc_mem_copy(st.measurement, measurement, measurement_len);
	st.measurement_len = measurement_len;
	for (unsigned k = 0; k < NC_TOKEN_KINDS && items; k++)
		st.items[k] = items[k] > UINT32_MAX ? UINT32_MAX : (uint32_t)items[k];
	if (nc_tee_public_key(tee, st.signer) != NC_TEE_OK)
		return NC_PRIVACY_ERR_TEE;
	/* "NCPA" || statement is what is signed; the statement is also the
	 * assertion's first field. */
	uint8_t msg[DOMAIN_BYTES + STATEMENT_MAX_BYTES];
	nc_wire_writer_t w;
	nc_mem_copy(msg, DOMAIN, DOMAIN_BYTES);
	nc_wire_writer_init(&w, msg + DOMAIN_BYTES, STATEMENT_MAX_BYTES);
	encode_statement(&w, &st);
	uint8_t sig[NC_PRIVACY_SIG_BYTES];
	if (nc_tee_sign(tee, sig, msg, DOMAIN_BYTES + w.len_bytes) != NC_TEE_OK)
		return NC_PRIVACY_ERR_TEE;
	nc_wire_writer_t a;
	nc_wire_writer_init(&a, out, cap);
	nc_wire_encode_raw(&a, msg + DOMAIN_BYTES, w.len_bytes);
	nc_wire_encode_variant(&a, PROOF_ED25519);
	nc_wire_encode_raw(&a, sig, sizeof sig);
	if (a.err != NC_WIRE_OK)
		return NC_PRIVACY_ERR_SPACE;
	*out_len = a.len_bytes;
	return NC_PRIVACY_OK;
}

/* Decode the statement at the start of r into st; its encoded length is
 * r->pos afterwards. */
static void decode_statement(nc_wire_reader_t *r, nc_privacy_statement_t *st, uint32_t *version)
{
	const uint8_t *m = NULL;
	nc_wire_decode_u32(r, version);
	nc_wire_decode_raw(r, st->payload_sha256, 32);
	nc_wire_decode_raw(r, st->policy_sha256, 32);
	if (nc_wire_decode_bytes(r, NC_PRIVACY_MAX_MEASUREMENT_BYTES, &m, &st->measurement_len) == NC_WIRE_OK)
		nc_mem_copy(st->measurement, m, st->measurement_len);
	for (unsigned k = 0; k < NC_TOKEN_KINDS; k++)
		nc_wire_decode_u32(r, &st->items[k]);
	nc_wire_decode_raw(r, st->signer, NC_PRIVACY_KEY_BYTES);
}

nc_privacy_err_t nc_privacy_assert_verify(const uint8_t *assertion, size_t len, const uint8_t *payload,
					  size_t payload_len, const nc_privacy_expect_t *expect,
					  nc_privacy_statement_t *out)
{
	nc_privacy_statement_t st;
	nc_wire_reader_t r;
	uint32_t version = 0, proof = 0;
	uint8_t sig[NC_PRIVACY_SIG_BYTES];
	nc_mem_set(&st, 0, sizeof st);
	nc_wire_reader_init(&r, assertion, len);
	decode_statement(&r, &st, &version);
	size_t statement_len = r.pos;
	if (r.err != NC_WIRE_OK)
		return NC_PRIVACY_ERR_MALFORMED;
	if (version != NC_PRIVACY_STATEMENT_VERSION)
		return NC_PRIVACY_ERR_VERSION;
	if (nc_wire_decode_variant(&r, &proof) != NC_WIRE_OK || (proof != PROOF_ED25519 && proof != PROOF_STARK))
		return NC_PRIVACY_ERR_MALFORMED;
	if (proof == PROOF_STARK)
		return NC_PRIVACY_ERR_UNSUPPORTED;
	nc_wire_decode_raw(&r, sig, sizeof sig);
	if (nc_wire_reader_finish(&r) != NC_WIRE_OK || statement_len > STATEMENT_MAX_BYTES)
		return NC_PRIVACY_ERR_MALFORMED;
	if (!nc_crypto_equal(st.signer, expect->signer, NC_PRIVACY_KEY_BYTES))
		return NC_PRIVACY_ERR_UNTRUSTED;
	uint8_t msg[DOMAIN_BYTES + STATEMENT_MAX_BYTES];
	nc_mem_copy(msg, DOMAIN, DOMAIN_BYTES);
	nc_mem_copy(msg + DOMAIN_BYTES, assertion, statement_len);
	if (nc_crypto_ed25519_verify(sig, msg, DOMAIN_BYTES + statement_len, st.signer) != NC_CRYPTO_OK)
		return NC_PRIVACY_ERR_BAD_SIGNATURE;
	uint8_t h[32];
	nc_crypto_sha256(h, payload, payload_len);
	if (!nc_crypto_equal(h, st.payload_sha256, sizeof h))
		return NC_PRIVACY_ERR_PAYLOAD;
	nc_privacy_err_t err = nc_privacy_policy_hash(expect->policy, h);
	if (err != NC_PRIVACY_OK)
		return err;
	if (!nc_crypto_equal(h, st.policy_sha256, sizeof h))
		return NC_PRIVACY_ERR_POLICY_MISMATCH;
	if (expect->measurement && (expect->measurement_len != st.measurement_len ||
				    !nc_crypto_equal(expect->measurement, st.measurement, st.measurement_len)))
		return NC_PRIVACY_ERR_MEASUREMENT;
	if (out)
		*out = st;
	return NC_PRIVACY_OK;
}
