/* AES block operations for FF1 and FF3-1 over BearSSL's aes_ct64: the
 * bitsliced, constant-time implementation (no table look-ups indexed by
 * secret data), with AES-NI switched off at build time so every flavour runs
 * the same code (lib/privacy/build.mk, docs/privacy.md "Why BearSSL").
 * The state is a br_aes_ct64_cbcenc_keys: CBC encryption with a zero IV over
 * one block is the bare block cipher. */
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
