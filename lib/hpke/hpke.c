/* HPKE key schedule and contexts (RFC 9180 5): mode checks, KeySchedule,
 * Seal/Open with the sequence-number nonce, Export. The KEM and the labeled
 * HKDF are in kem.c. */
#include "hpke_internal.h"
#include <nc/crypto.h>
#include <nc/mem.h>

enum { NONCE_BYTES = 12, KS_CONTEXT_BYTES = 1 + 2 * HPKE_NH };

const char *nc_hpke_err_name(nc_hpke_err_t err)
{
	switch (err) {
	case NC_HPKE_OK: return "NC_HPKE_OK";
	case NC_HPKE_ERR_MODE: return "NC_HPKE_ERR_MODE";
	case NC_HPKE_ERR_PSK: return "NC_HPKE_ERR_PSK";
	case NC_HPKE_ERR_TOO_LONG: return "NC_HPKE_ERR_TOO_LONG";
	case NC_HPKE_ERR_AEAD: return "NC_HPKE_ERR_AEAD";
	case NC_HPKE_ERR_WEAK_KEY: return "NC_HPKE_ERR_WEAK_KEY";
	case NC_HPKE_ERR_AUTH: return "NC_HPKE_ERR_AUTH";
	case NC_HPKE_ERR_EXPORT_ONLY: return "NC_HPKE_ERR_EXPORT_ONLY";
	case NC_HPKE_ERR_ROLE: return "NC_HPKE_ERR_ROLE";
	case NC_HPKE_ERR_SEQUENCE: return "NC_HPKE_ERR_SEQUENCE";
	case NC_HPKE_ERR_LENGTH: return "NC_HPKE_ERR_LENGTH";
	case NC_HPKE_ERR_NO_RANDOM: return "NC_HPKE_ERR_NO_RANDOM";
	}
	return "NC_HPKE_ERR_UNKNOWN";
}

static bool psk_mode(nc_hpke_mode_t m) { return m == NC_HPKE_MODE_PSK || m == NC_HPKE_MODE_AUTH_PSK; }
static bool auth_mode(nc_hpke_mode_t m) { return m == NC_HPKE_MODE_AUTH || m == NC_HPKE_MODE_AUTH_PSK; }

/* VerifyPSKInputs (RFC 9180 5.1) plus our bounds; sender_key is the auth
 * key this side must have (the secret on the sender, the public key on the
 * recipient). */
static nc_hpke_err_t check_setup(const nc_hpke_setup_t *s, const uint8_t *sender_key)
{
	if (s->mode > NC_HPKE_MODE_AUTH_PSK)
		return NC_HPKE_ERR_MODE;
	if (s->aead != NC_HPKE_AEAD_CHACHA20POLY1305 && s->aead != NC_HPKE_AEAD_EXPORT_ONLY)
		return NC_HPKE_ERR_AEAD;
	if (s->info_len > NC_HPKE_INFO_MAX_BYTES || s->psk_len > NC_HPKE_PSK_MAX_BYTES ||
	    s->psk_id_len > NC_HPKE_PSK_ID_MAX_BYTES || s->ikm_e_len > NC_HPKE_IKM_MAX_BYTES)
		return NC_HPKE_ERR_TOO_LONG;
	bool got_psk = s->psk_len != 0, got_psk_id = s->psk_id_len != 0;
	if (got_psk != got_psk_id)
		return NC_HPKE_ERR_PSK;
	if (got_psk != psk_mode(s->mode) || (sender_key != NULL) != auth_mode(s->mode))
		return NC_HPKE_ERR_MODE;
	if (got_psk && s->psk_len < NC_HPKE_PSK_MIN_BYTES)
		return NC_HPKE_ERR_PSK;
	return NC_HPKE_OK;
}

/* KeySchedule (RFC 9180 5.1) from the KEM's shared secret; wipes it. */
static void key_schedule(nc_hpke_context_t *ctx, const nc_hpke_setup_t *s, uint8_t shared[HPKE_NH],
			 bool sender)
{
	hpke_suite_t suite;
	uint8_t ks[KS_CONTEXT_BYTES], secret[HPKE_NH];
	hpke_suite_hpke(&suite, s->aead);
	ks[0] = (uint8_t)s->mode;
	hpke_labeled_extract(ks + 1, &suite, NULL, 0, "psk_id_hash", s->psk_id, s->psk_id_len);
	hpke_labeled_extract(ks + 1 + HPKE_NH, &suite, NULL, 0, "info_hash", s->info, s->info_len);
	hpke_labeled_extract(secret, &suite, shared, HPKE_NH, "secret", s->psk, s->psk_len);
	nc_crypto_wipe(shared, HPKE_NH);
	nc_mem_set(ctx, 0, sizeof *ctx);
	ctx->aead = s->aead;
	ctx->sender = sender;
	if (s->aead != NC_HPKE_AEAD_EXPORT_ONLY) {
		hpke_labeled_expand(ctx->key, sizeof ctx->key, secret, &suite, "key", ks, sizeof ks);
		hpke_labeled_expand(ctx->base_nonce, sizeof ctx->base_nonce, secret, &suite, "base_nonce",
				    ks, sizeof ks);
	}
	hpke_labeled_expand(ctx->exporter_secret, HPKE_NH, secret, &suite, "exp", ks, sizeof ks);
	nc_crypto_wipe(secret, sizeof secret);
}

nc_hpke_err_t nc_hpke_setup_sender(nc_hpke_context_t *ctx, const nc_hpke_setup_t *s,
				   const uint8_t recipient_public[NC_HPKE_PUBLIC_BYTES],
				   uint8_t enc[NC_HPKE_ENC_BYTES])
{
	uint8_t eph[NC_HPKE_SECRET_BYTES], shared[HPKE_NH];
	nc_hpke_context_wipe(ctx);
	nc_hpke_err_t err = check_setup(s, s->sender_secret);
	if (err)
		return err;
	err = s->ikm_e ? nc_hpke_derive_keypair(eph, enc, s->ikm_e, s->ikm_e_len)
		       : nc_hpke_generate_keypair(eph, enc);
	if (!err)
		err = hpke_encap(shared, eph, enc, recipient_public, s->sender_secret);
	nc_crypto_wipe(eph, sizeof eph);
	if (!err)
		key_schedule(ctx, s, shared, true);
	return err;
}

nc_hpke_err_t nc_hpke_setup_recipient(nc_hpke_context_t *ctx, const nc_hpke_setup_t *s,
				      const uint8_t enc[NC_HPKE_ENC_BYTES],
				      const uint8_t recipient_secret[NC_HPKE_SECRET_BYTES])
{
	uint8_t shared[HPKE_NH];
	nc_hpke_context_wipe(ctx);
	nc_hpke_err_t err = check_setup(s, s->sender_public);
	if (!err)
		err = hpke_decap(shared, enc, recipient_secret, s->sender_public);
	if (!err)
		key_schedule(ctx, s, shared, false);
	return err;
}

/* ComputeNonce(seq): base_nonce XOR I2OSP(seq, Nn). */
static void compute_nonce(const nc_hpke_context_t *ctx, uint8_t nonce[NONCE_BYTES])
{
	nc_mem_copy(nonce, ctx->base_nonce, NONCE_BYTES);
	for (int i = 0; i < 8; i++)
		nonce[NONCE_BYTES - 1 - i] ^= (uint8_t)(ctx->seq >> (8 * i));
}

/* The checks Seal and Open share. */
static nc_hpke_err_t check_message(const nc_hpke_context_t *ctx, bool sealing)
{
	if (ctx->sender != sealing)
		return NC_HPKE_ERR_ROLE;
	if (ctx->aead == NC_HPKE_AEAD_EXPORT_ONLY)
		return NC_HPKE_ERR_EXPORT_ONLY;
	if (ctx->seq == UINT64_MAX)
		return NC_HPKE_ERR_SEQUENCE;
	return NC_HPKE_OK;
}

/* Seal (sealing) or Open in with aad into out; the sequence advances on success. */
static nc_hpke_err_t crypt(nc_hpke_context_t *ctx, bool sealing, uint8_t *out, const uint8_t *aad,
			   size_t aad_len, const uint8_t *in, size_t in_len)
{
	uint8_t nonce[NONCE_BYTES];
	nc_hpke_err_t err = check_message(ctx, sealing);
	if (err)
		return err;
	if (!sealing && in_len < NC_HPKE_TAG_BYTES)
		return NC_HPKE_ERR_LENGTH;
	compute_nonce(ctx, nonce);
	nc_crypto_err_t ce = sealing ? nc_crypto_aead_encrypt(NC_CRYPTO_AEAD_CHACHA20_POLY1305, out, in, in_len, aad,
							      aad_len, nonce, sizeof nonce, ctx->key)
				     : nc_crypto_aead_decrypt(NC_CRYPTO_AEAD_CHACHA20_POLY1305, out, in, in_len, aad,
							      aad_len, nonce, sizeof nonce, ctx->key);
	if (ce)
		return sealing ? NC_HPKE_ERR_LENGTH : NC_HPKE_ERR_AUTH;
	ctx->seq++;
	return NC_HPKE_OK;
}

nc_hpke_err_t nc_hpke_seal(nc_hpke_context_t *ctx, uint8_t *ct, const uint8_t *aad, size_t aad_len,
			   const uint8_t *pt, size_t pt_len)
{
	return crypt(ctx, true, ct, aad, aad_len, pt, pt_len);
}

nc_hpke_err_t nc_hpke_open(nc_hpke_context_t *ctx, uint8_t *pt, const uint8_t *aad, size_t aad_len,
			   const uint8_t *ct, size_t ct_len)
{
	return crypt(ctx, false, pt, aad, aad_len, ct, ct_len);
}

nc_hpke_err_t nc_hpke_export(const nc_hpke_context_t *ctx, uint8_t *out, size_t out_len,
			     const uint8_t *exporter_context, size_t context_len)
{
	hpke_suite_t suite;
	if (context_len > NC_HPKE_EXPORT_CONTEXT_MAX_BYTES)
		return NC_HPKE_ERR_TOO_LONG;
	if (out_len > NC_HPKE_EXPORT_MAX_BYTES)
		return NC_HPKE_ERR_LENGTH;
	hpke_suite_hpke(&suite, ctx->aead);
	hpke_labeled_expand(out, out_len, ctx->exporter_secret, &suite, "sec", exporter_context,
			    context_len);
	return NC_HPKE_OK;
}

void nc_hpke_context_wipe(nc_hpke_context_t *ctx)
{
	nc_crypto_wipe(ctx, sizeof *ctx);
}
