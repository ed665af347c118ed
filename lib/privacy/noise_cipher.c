/* Noise CipherState (spec 5.1) and the error names: nonce handling, the
 * 65535-byte message limit, rekey (spec 4.2 REKEY, 11.3). The AEADs
 * themselves are noise_crypto.c's. A cipher state whose cipher is 0 was never
 * set up (or belongs to the unused direction of a one-way pattern) and
 * refuses everything. */
#include <nc/mem.h>
#include "noise_internal.h"

#define MAX_NONCE UINT64_MAX /* reserved for rekey, never used for a message */

const char *nc_noise_err_name(nc_noise_err_t err)
{
	switch (err) {
	case NC_NOISE_OK: return "NC_NOISE_OK";
	case NC_NOISE_ERR_NAME: return "NC_NOISE_ERR_NAME";
	case NC_NOISE_ERR_MISSING_KEY: return "NC_NOISE_ERR_MISSING_KEY";
	case NC_NOISE_ERR_STATE: return "NC_NOISE_ERR_STATE";
	case NC_NOISE_ERR_TOO_LONG: return "NC_NOISE_ERR_TOO_LONG";
	case NC_NOISE_ERR_SHORT: return "NC_NOISE_ERR_SHORT";
	case NC_NOISE_ERR_AUTH: return "NC_NOISE_ERR_AUTH";
	case NC_NOISE_ERR_NONCE: return "NC_NOISE_ERR_NONCE";
	case NC_NOISE_ERR_DH: return "NC_NOISE_ERR_DH";
	case NC_NOISE_ERR_RANDOM: return "NC_NOISE_ERR_RANDOM";
	}
	return "NC_NOISE_ERR_UNKNOWN";
}

nc_noise_err_t nc_noise_encrypt(nc_noise_cipher_t *c, const uint8_t *ad, size_t ad_len, const uint8_t *pt,
				size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	*out_len = 0;
	if (!c->cipher)
		return NC_NOISE_ERR_STATE;
	size_t total = len + (c->has_key ? NC_NOISE_TAG_BYTES : 0);
	if (len > NC_NOISE_MAX_MESSAGE || total > NC_NOISE_MAX_MESSAGE || total > cap)
		return NC_NOISE_ERR_TOO_LONG;
	if (!c->has_key) {
		nc_mem_move(out, pt, len);
	} else {
		if (c->n == MAX_NONCE)
			return NC_NOISE_ERR_NONCE;
		noise_aead_encrypt(c->cipher, c->k, c->n, ad, ad_len, pt, len, out);
		c->n++;
	}
	*out_len = total;
	return NC_NOISE_OK;
}

nc_noise_err_t nc_noise_decrypt(nc_noise_cipher_t *c, const uint8_t *ad, size_t ad_len, const uint8_t *ct,
				size_t len, uint8_t *out, size_t cap, size_t *out_len)
{
	*out_len = 0;
	if (!c->cipher)
		return NC_NOISE_ERR_STATE;
	if (len > NC_NOISE_MAX_MESSAGE)
		return NC_NOISE_ERR_TOO_LONG;
	if (!c->has_key) {
		if (len > cap)
			return NC_NOISE_ERR_TOO_LONG;
		nc_mem_move(out, ct, len);
		*out_len = len;
		return NC_NOISE_OK;
	}
	if (len < NC_NOISE_TAG_BYTES)
		return NC_NOISE_ERR_SHORT;
	if (len - NC_NOISE_TAG_BYTES > cap)
		return NC_NOISE_ERR_TOO_LONG;
	if (c->n == MAX_NONCE)
		return NC_NOISE_ERR_NONCE;
	if (!noise_aead_decrypt(c->cipher, c->k, c->n, ad, ad_len, ct, len, out))
		return NC_NOISE_ERR_AUTH;
	c->n++;
	*out_len = len - NC_NOISE_TAG_BYTES;
	return NC_NOISE_OK;
}

void nc_noise_rekey(nc_noise_cipher_t *c)
{
	if (!c->cipher || !c->has_key)
		return;
	uint8_t zeros[32] = { 0 }, out[32 + NC_NOISE_TAG_BYTES];
	noise_aead_encrypt(c->cipher, c->k, MAX_NONCE, NULL, 0, zeros, sizeof zeros, out);
	nc_mem_copy(c->k, out, sizeof c->k);
	nc_mem_wipe(out, sizeof out);
}

void nc_noise_set_nonce(nc_noise_cipher_t *c, uint64_t n)
{
	c->n = n;
}

void nc_noise_cipher_fini(nc_noise_cipher_t *c)
{
	nc_mem_wipe(c, sizeof *c);
}
