/* NexaCore envelopes (nc/envelope.h): attestation-checked HPKE sessions. */
#include <nc/crypto.h>
#include <nc/envelope.h>
#include <nc/mem.h>
#include <nc/wire.h>

enum { VERSION = 1, INFO_BYTES = 20 + 32 };
static const char info_label[] = "NexaCore envelope v1";

const char *nc_envelope_err_name(nc_envelope_err_t err)
{
	switch (err) {
	case NC_ENVELOPE_OK: return "NC_ENVELOPE_OK";
	case NC_ENVELOPE_ERR_FORMAT: return "NC_ENVELOPE_ERR_FORMAT";
	case NC_ENVELOPE_ERR_VERSION: return "NC_ENVELOPE_ERR_VERSION";
	case NC_ENVELOPE_ERR_ATTESTATION: return "NC_ENVELOPE_ERR_ATTESTATION";
	case NC_ENVELOPE_ERR_MEASUREMENT: return "NC_ENVELOPE_ERR_MEASUREMENT";
	case NC_ENVELOPE_ERR_STALE: return "NC_ENVELOPE_ERR_STALE";
	case NC_ENVELOPE_ERR_POLICY: return "NC_ENVELOPE_ERR_POLICY";
	case NC_ENVELOPE_ERR_TAMPERED: return "NC_ENVELOPE_ERR_TAMPERED";
	case NC_ENVELOPE_ERR_REPLAY: return "NC_ENVELOPE_ERR_REPLAY";
	case NC_ENVELOPE_ERR_SESSION: return "NC_ENVELOPE_ERR_SESSION";
	case NC_ENVELOPE_ERR_TOO_LONG: return "NC_ENVELOPE_ERR_TOO_LONG";
	case NC_ENVELOPE_ERR_TOO_SMALL: return "NC_ENVELOPE_ERR_TOO_SMALL";
	case NC_ENVELOPE_ERR_NO_RANDOM: return "NC_ENVELOPE_ERR_NO_RANDOM";
	case NC_ENVELOPE_ERR_KEY: return "NC_ENVELOPE_ERR_KEY";
	}
	return "NC_ENVELOPE_ERR_UNKNOWN";
}

void nc_envelope_report_data(uint8_t rd[NC_TEE_REPORT_DATA_BYTES], const uint8_t pub[NC_HPKE_PUBLIC_BYTES],
			     const uint8_t nonce[NC_TEE_NONCE_BYTES])
{
	nc_mem_copy(rd, pub, NC_HPKE_PUBLIC_BYTES);
	nc_mem_copy(rd + NC_TEE_NONCE_OFFSET, nonce, NC_TEE_NONCE_BYTES);
}

static size_t varint_bytes(uint64_t v)
{
	size_t n = 1;
	for (; v >= 0x80; v >>= 7)
		n++;
	return n;
}

size_t nc_envelope_size(uint64_t seq, size_t payload_len)
{
	size_t ct = payload_len + NC_HPKE_TAG_BYTES;
	return 4 + 1 + NC_ENVELOPE_SESSION_BYTES + varint_bytes(seq) + 1 + (seq ? 0 : NC_HPKE_ENC_BYTES) +
	       varint_bytes(ct) + ct;
}

nc_envelope_err_t nc_envelope_parse(const uint8_t *env, size_t len, nc_envelope_view_t *out)
{
	nc_wire_reader_t r;
	uint8_t magic[4], version;
	nc_mem_set(out, 0, sizeof *out);
	nc_wire_reader_init(&r, env, len);
	nc_wire_decode_raw(&r, magic, sizeof magic);
	nc_wire_decode_u8(&r, &version);
	if (r.err || nc_mem_compare(magic, "NCEV", 4) != 0)
		return NC_ENVELOPE_ERR_FORMAT;
	if (version != VERSION)
		return NC_ENVELOPE_ERR_VERSION;
	nc_wire_decode_raw(&r, out->session, NC_ENVELOPE_SESSION_BYTES);
	nc_wire_decode_u64(&r, &out->seq);
	nc_wire_decode_option(&r, &out->has_enc);
	if (out->has_enc)
		nc_wire_decode_raw(&r, out->enc, NC_HPKE_ENC_BYTES);
	out->aad_len = r.pos;
	nc_wire_decode_bytes(&r, NC_ENVELOPE_MAX_PAYLOAD + NC_HPKE_TAG_BYTES, &out->ciphertext,
			     &out->ciphertext_len);
	if (nc_wire_reader_finish(&r) || out->has_enc != (out->seq == 0) ||
	    out->ciphertext_len < NC_HPKE_TAG_BYTES)
		return NC_ENVELOPE_ERR_FORMAT;
	return NC_ENVELOPE_OK;
}

/* HPKE setup parameters of a session on the quote hashed in quote_hash. */
static nc_hpke_setup_t session_setup(uint8_t info[INFO_BYTES], const uint8_t quote_hash[32])
{
	nc_mem_copy(info, info_label, sizeof info_label - 1);
	nc_mem_copy(info + sizeof info_label - 1, quote_hash, 32);
	nc_hpke_setup_t s = { NC_HPKE_MODE_BASE, NC_HPKE_AEAD_CHACHA20POLY1305, info, INFO_BYTES, NULL, 0,
			      NULL, 0, NULL, NULL, NULL, 0 };
	return s;
}

static nc_envelope_err_t from_tee(nc_tee_err_t err)
{
	switch (err) {
	case NC_TEE_OK: return NC_ENVELOPE_OK;
	case NC_TEE_ERR_MEASUREMENT:
	case NC_TEE_ERR_TCB: return NC_ENVELOPE_ERR_MEASUREMENT;
	case NC_TEE_ERR_STALE: return NC_ENVELOPE_ERR_STALE;
	default: return NC_ENVELOPE_ERR_ATTESTATION;
	}
}

nc_envelope_err_t nc_envelope_sender_open(nc_envelope_sender_t *s, const uint8_t *quote, size_t quote_len,
					  const nc_tee_roots_t *roots, const nc_tee_policy_t *policy,
					  nc_tee_err_t *tee_err)
{
	uint8_t info[INFO_BYTES], hash[32];
	nc_mem_set(s, 0, sizeof *s);
	if (tee_err)
		*tee_err = NC_TEE_OK;
	if (!policy->has_nonce)
		return NC_ENVELOPE_ERR_POLICY;
	nc_tee_err_t te = nc_tee_verify_quote(quote, quote_len, roots, policy, &s->recipient);
	if (tee_err)
		*tee_err = te;
	if (te)
		return from_tee(te);
	if (nc_crypto_random(s->session, sizeof s->session))
		return NC_ENVELOPE_ERR_NO_RANDOM;
	nc_crypto_blake3(hash, sizeof hash, quote, quote_len);
	nc_hpke_setup_t setup = session_setup(info, hash);
	nc_hpke_err_t he = nc_hpke_setup_sender(&s->hpke, &setup, s->recipient.report_data, s->enc);
	if (he)
		return he == NC_HPKE_ERR_NO_RANDOM ? NC_ENVELOPE_ERR_NO_RANDOM : NC_ENVELOPE_ERR_KEY;
	return NC_ENVELOPE_OK;
}

nc_envelope_err_t nc_envelope_seal(nc_envelope_sender_t *s, const uint8_t *payload, size_t len, uint8_t *out,
				   size_t cap, size_t *len_out)
{
	nc_wire_writer_t w;
	if (len > NC_ENVELOPE_MAX_PAYLOAD)
		return NC_ENVELOPE_ERR_TOO_LONG;
	if (nc_envelope_size(s->next_seq, len) > cap)
		return NC_ENVELOPE_ERR_TOO_SMALL;
	nc_wire_writer_init(&w, out, cap);
	nc_wire_encode_raw(&w, (const uint8_t *)"NCEV", 4);
	nc_wire_encode_u8(&w, VERSION);
	nc_wire_encode_raw(&w, s->session, sizeof s->session);
	nc_wire_encode_u64(&w, s->next_seq);
	nc_wire_encode_option(&w, s->next_seq == 0);
	if (s->next_seq == 0)
		nc_wire_encode_raw(&w, s->enc, sizeof s->enc);
	size_t aad_len = w.len_bytes;
	nc_wire_encode_len(&w, len + NC_HPKE_TAG_BYTES);
	/* the size check above leaves room for the ciphertext after the header */
	if (nc_hpke_seal(&s->hpke, out + w.len_bytes, out, aad_len, payload, len) != NC_HPKE_OK)
		return NC_ENVELOPE_ERR_TOO_LONG; /* only the sequence can run out: 2^64 envelopes */
	*len_out = w.len_bytes + len + NC_HPKE_TAG_BYTES;
	s->next_seq++;
	return NC_ENVELOPE_OK;
}

void nc_envelope_sender_close(nc_envelope_sender_t *s) { nc_crypto_wipe(s, sizeof *s); }

void nc_envelope_recipient_init(nc_envelope_recipient_t *r, const uint8_t secret[NC_HPKE_SECRET_BYTES],
				const uint8_t *quote, size_t quote_len)
{
	nc_mem_set(r, 0, sizeof *r);
	nc_mem_copy(r->secret, secret, NC_HPKE_SECRET_BYTES);
	nc_crypto_blake3(r->quote_hash, sizeof r->quote_hash, quote, quote_len);
}

/* The context the envelope v must be opened with: a copy of the session's,
 * or, for the first envelope, a new one from its enc. */
static nc_envelope_err_t session_for(const nc_envelope_recipient_t *r, const nc_envelope_view_t *v,
				     nc_hpke_context_t *ctx)
{
	if (r->in_session) {
		if (nc_mem_compare(v->session, r->session, NC_ENVELOPE_SESSION_BYTES) != 0)
			return NC_ENVELOPE_ERR_SESSION;
		if (v->seq < r->next_seq)
			return NC_ENVELOPE_ERR_REPLAY;
		if (v->seq > r->next_seq)
			return NC_ENVELOPE_ERR_SESSION;
		*ctx = r->hpke;
		return NC_ENVELOPE_OK;
	}
	if (v->seq != 0)
		return NC_ENVELOPE_ERR_SESSION;
	uint8_t info[INFO_BYTES];
	nc_hpke_setup_t setup = session_setup(info, r->quote_hash);
	return nc_hpke_setup_recipient(ctx, &setup, v->enc, r->secret) ? NC_ENVELOPE_ERR_KEY : NC_ENVELOPE_OK;
}

nc_envelope_err_t nc_envelope_open(nc_envelope_recipient_t *r, const uint8_t *env, size_t len, uint8_t *out,
				   size_t cap, size_t *len_out)
{
	nc_envelope_view_t v;
	nc_hpke_context_t ctx;
	nc_envelope_err_t err = nc_envelope_parse(env, len, &v);
	if (!err)
		err = session_for(r, &v, &ctx);
	if (err)
		return err;
	if (v.ciphertext_len - NC_HPKE_TAG_BYTES > cap)
		err = NC_ENVELOPE_ERR_TOO_SMALL;
	else if (nc_hpke_open(&ctx, out, env, v.aad_len, v.ciphertext, v.ciphertext_len) != NC_HPKE_OK)
		err = NC_ENVELOPE_ERR_TAMPERED;
	if (!err) {
		*len_out = v.ciphertext_len - NC_HPKE_TAG_BYTES;
		nc_mem_copy(r->session, v.session, sizeof r->session);
		r->hpke = ctx;
		r->next_seq = v.seq + 1;
		r->in_session = true;
	}
	nc_hpke_context_wipe(&ctx);
	return err;
}

void nc_envelope_recipient_close(nc_envelope_recipient_t *r) { nc_crypto_wipe(r, sizeof *r); }
