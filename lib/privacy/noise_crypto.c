/* Noise's crypto functions (spec 4): HASH over libsodium (SHA-256, SHA-512,
 * BLAKE2b) and libb2 (BLAKE2s), HMAC-HASH (RFC 2104 with the hash's
 * BLOCKLEN) and HKDF built from it exactly as spec 4.3 defines them, and
 * the two AEADs: ChaChaPoly through lib/crypto, AESGCM through BearSSL
 * (aes.c). The hash states live on the stack of one call only. */
#include <blake2.h>
#include <nc/crypto.h>
#include <nc/mem.h>
#include <sodium/crypto_generichash_blake2b.h>
#include <sodium/crypto_hash_sha256.h>
#include <sodium/crypto_hash_sha512.h>
#include "noise_internal.h"
#include "privacy_internal.h"

#define BLOCK_MAX 128u

typedef struct {
	noise_hash_t alg;
	union {
		crypto_hash_sha256_state sha256;
		crypto_hash_sha512_state sha512;
		blake2s_state blake2s;
		crypto_generichash_blake2b_state blake2b;
	} u;
} hasher_t;

size_t noise_hash_len(noise_hash_t h)
{
	return h == NOISE_SHA256 || h == NOISE_BLAKE2S ? 32 : 64;
}

static size_t block_len(noise_hash_t h)
{
	return h == NOISE_SHA256 || h == NOISE_BLAKE2S ? 64 : 128;
}

static void hasher_init(hasher_t *x, noise_hash_t alg)
{
	x->alg = alg;
	switch (alg) {
	case NOISE_SHA256: crypto_hash_sha256_init(&x->u.sha256); break;
	case NOISE_SHA512: crypto_hash_sha512_init(&x->u.sha512); break;
	case NOISE_BLAKE2S: blake2s_init(&x->u.blake2s, 32); break;
	case NOISE_BLAKE2B: crypto_generichash_blake2b_init(&x->u.blake2b, NULL, 0, 64); break;
	}
}

static void hasher_update(hasher_t *x, const uint8_t *p, size_t len)
{
	if (len == 0)
		return;
	switch (x->alg) {
	case NOISE_SHA256: crypto_hash_sha256_update(&x->u.sha256, p, len); break;
	case NOISE_SHA512: crypto_hash_sha512_update(&x->u.sha512, p, len); break;
	case NOISE_BLAKE2S: blake2s_update(&x->u.blake2s, p, len); break;
	case NOISE_BLAKE2B: crypto_generichash_blake2b_update(&x->u.blake2b, p, len); break;
	}
}

static void hasher_final(hasher_t *x, uint8_t *out)
{
	switch (x->alg) {
	case NOISE_SHA256: crypto_hash_sha256_final(&x->u.sha256, out); break;
	case NOISE_SHA512: crypto_hash_sha512_final(&x->u.sha512, out); break;
	case NOISE_BLAKE2S: blake2s_final(&x->u.blake2s, out, 32); break;
	case NOISE_BLAKE2B: crypto_generichash_blake2b_final(&x->u.blake2b, out, 64); break;
	}
	nc_mem_wipe(&x->u, sizeof x->u);
}

void noise_hash2(noise_hash_t h, uint8_t *out, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len)
{
	hasher_t x;
	hasher_init(&x, h);
	hasher_update(&x, a, a_len);
	hasher_update(&x, b, b_len);
	hasher_final(&x, out);
}

/* HMAC-HASH(key, a || b) (RFC 2104); key is at most HASHLEN bytes here. */
static void hmac2(noise_hash_t h, uint8_t *out, const uint8_t *key, size_t key_len, const uint8_t *a,
		  size_t a_len, const uint8_t *b, size_t b_len)
{
	uint8_t pad[BLOCK_MAX], inner[NC_NOISE_MAX_HASH_BYTES];
	size_t bl = block_len(h);
	hasher_t x;
	nc_mem_set(pad, 0x36, bl);
	for (size_t i = 0; i < key_len; i++)
		pad[i] ^= key[i];
	hasher_init(&x, h);
	hasher_update(&x, pad, bl);
	hasher_update(&x, a, a_len);
	hasher_update(&x, b, b_len);
	hasher_final(&x, inner);
	for (size_t i = 0; i < bl; i++)
		pad[i] ^= 0x36 ^ 0x5c;
	noise_hash2(h, out, pad, bl, inner, noise_hash_len(h));
	nc_mem_wipe(pad, sizeof pad);
	nc_mem_wipe(inner, sizeof inner);
}

void noise_hkdf(noise_hash_t h, const uint8_t *ck, const uint8_t *ikm, size_t ikm_len, uint8_t *o1, uint8_t *o2,
		uint8_t *o3)
{
	size_t hl = noise_hash_len(h);
	uint8_t temp[NC_NOISE_MAX_HASH_BYTES];
	const uint8_t one = 1, two = 2, three = 3;
	hmac2(h, temp, ck, hl, ikm, ikm_len, NULL, 0);
	hmac2(h, o1, temp, hl, &one, 1, NULL, 0);
	hmac2(h, o2, temp, hl, o1, hl, &two, 1);
	if (o3)
		hmac2(h, o3, temp, hl, o2, hl, &three, 1);
	nc_mem_wipe(temp, sizeof temp);
}

/* The 12-byte nonce: 4 zero bytes, then n little-endian (ChaChaPoly) or
 * big-endian (AESGCM), spec 12.3 and 12.4. */
static void nonce_of(noise_cipher_t c, uint64_t n, uint8_t iv[12])
{
	nc_mem_set(iv, 0, 4);
	for (unsigned i = 0; i < 8; i++)
		iv[4 + (c == NOISE_AESGCM ? 7 - i : i)] = (uint8_t)(n >> (8 * i));
}

void noise_aead_encrypt(noise_cipher_t c, const uint8_t k[32], uint64_t n, const uint8_t *ad, size_t ad_len,
			const uint8_t *pt, size_t len, uint8_t *out)
{
	uint8_t iv[12];
	nonce_of(c, n, iv);
	if (c == NOISE_CHACHAPOLY) {
		nc_crypto_aead_encrypt(NC_CRYPTO_AEAD_CHACHA20_POLY1305, out, pt, len, ad, ad_len, iv, sizeof iv, k);
		return;
	}
	nc_mem_move(out, pt, len);
	privacy_aes_gcm_seal(k, iv, ad, ad_len, out, len, out + len);
}

bool noise_aead_decrypt(noise_cipher_t c, const uint8_t k[32], uint64_t n, const uint8_t *ad, size_t ad_len,
			const uint8_t *ct, size_t len, uint8_t *out)
{
	uint8_t iv[12], tag[NC_NOISE_TAG_BYTES];
	nonce_of(c, n, iv);
	if (c == NOISE_CHACHAPOLY)
		return nc_crypto_aead_decrypt(NC_CRYPTO_AEAD_CHACHA20_POLY1305, out, ct, len, ad, ad_len, iv, sizeof iv,
					      k) == NC_CRYPTO_OK;
	size_t pt_len = len - NC_NOISE_TAG_BYTES;
	nc_mem_copy(tag, ct + pt_len, sizeof tag);
	nc_mem_move(out, ct, pt_len);
	return privacy_aes_gcm_open(k, iv, ad, ad_len, out, pt_len, tag);
}
