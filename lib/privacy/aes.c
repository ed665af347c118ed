/* AES block operations for FF1 and FF3-1 over BearSSL's aes_ct64: the
 * bitsliced, constant-time implementation (no table look-ups indexed by
 * secret data), with AES-NI switched off at build time so every flavour runs
 * the same code (lib/privacy/build.mk, docs/privacy.md "Why BearSSL").
 * The FPE state is a br_aes_ct64_cbcenc_keys: CBC encryption with a zero IV
 * over one block is the bare block cipher. AES-256-GCM for Noise is BearSSL's
 * br_gcm over aes_ct64 CTR and the constant-time ghash_ctmul64. */
#include <bearssl_aead.h>
#include <bearssl_block.h>
#include <nc/mem.h>
#include "privacy_internal.h"

_Static_assert(sizeof(br_aes_ct64_cbcenc_keys) <= NC_FPE_AES_STATE_BYTES,
	       "NC_FPE_AES_STATE_BYTES too small for br_aes_ct64_cbcenc_keys");
_Static_assert(_Alignof(br_aes_ct64_cbcenc_keys) <= 8, "br_aes_ct64_cbcenc_keys needs more than 8-byte alignment");

static const br_aes_ct64_cbcenc_keys *keys(const uint8_t *state)
{
	return (const br_aes_ct64_cbcenc_keys *)(const void *)state;
}

void privacy_aes_init(uint8_t state[NC_FPE_AES_STATE_BYTES], const uint8_t *key, size_t key_len)
{
	br_aes_ct64_cbcenc_init((br_aes_ct64_cbcenc_keys *)(void *)state, key, key_len);
}

void privacy_aes_block(const uint8_t state[NC_FPE_AES_STATE_BYTES], uint8_t block[PRIVACY_AES_BLOCK])
{
	uint8_t iv[PRIVACY_AES_BLOCK] = { 0 };
	br_aes_ct64_cbcenc_run(keys(state), iv, block, PRIVACY_AES_BLOCK);
}

void privacy_aes_cbc_mac(const uint8_t state[NC_FPE_AES_STATE_BYTES], uint8_t *data, size_t len,
			 uint8_t mac[PRIVACY_AES_BLOCK])
{
	nc_mem_set(mac, 0, PRIVACY_AES_BLOCK);
	br_aes_ct64_cbcenc_run(keys(state), mac, data, len);
}

static void gcm_start(br_gcm_context *gc, br_aes_ct64_ctr_keys *ctr, const uint8_t key[32], const uint8_t iv[12],
		      const uint8_t *ad, size_t ad_len)
{
	static const uint8_t none[1];
	br_aes_ct64_ctr_init(ctr, key, 32);
	br_gcm_init(gc, &ctr->vtable, br_ghash_ctmul64);
	br_gcm_reset(gc, iv, 12);
	br_gcm_aad_inject(gc, ad_len ? ad : none, ad_len); /* BearSSL memcpys even 0 bytes */
	br_gcm_flip(gc);
}

void privacy_aes_gcm_seal(const uint8_t key[32], const uint8_t iv[12], const uint8_t *ad, size_t ad_len,
			  uint8_t *data, size_t len, uint8_t tag[PRIVACY_AES_BLOCK])
{
	br_aes_ct64_ctr_keys ctr;
	br_gcm_context gc;
	gcm_start(&gc, &ctr, key, iv, ad, ad_len);
	if (len)
		br_gcm_run(&gc, 1, data, len);
	br_gcm_get_tag(&gc, tag);
	nc_mem_wipe(&ctr, sizeof ctr);
	nc_mem_wipe(&gc, sizeof gc);
}

bool privacy_aes_gcm_open(const uint8_t key[32], const uint8_t iv[12], const uint8_t *ad, size_t ad_len,
			  uint8_t *data, size_t len, const uint8_t tag[PRIVACY_AES_BLOCK])
{
	br_aes_ct64_ctr_keys ctr;
	br_gcm_context gc;
	gcm_start(&gc, &ctr, key, iv, ad, ad_len);
	if (len)
		br_gcm_run(&gc, 0, data, len);
	bool ok = br_gcm_check_tag(&gc, tag) == 1;
	if (!ok)
		nc_mem_wipe(data, len);
	nc_mem_wipe(&ctr, sizeof ctr);
	nc_mem_wipe(&gc, sizeof gc);
	return ok;
}
