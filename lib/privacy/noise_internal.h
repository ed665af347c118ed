/* Shared inside lib/privacy's Noise code: the hash functions with their HMAC
 * and HKDF (spec 4.3), the AEAD ciphers (4.2) and DH (4.1) of noise_crypto.c,
 * and the pattern table and name parser of noise_pattern.c. */
#ifndef NC_NOISE_INTERNAL_H
#define NC_NOISE_INTERNAL_H

#include <nc/noise.h>

typedef enum { NOISE_SHA256 = 1, NOISE_SHA512, NOISE_BLAKE2S, NOISE_BLAKE2B } noise_hash_t;
typedef enum { NOISE_CHACHAPOLY = 1, NOISE_AESGCM } noise_cipher_t;
typedef enum { TOK_E = 1, TOK_S, TOK_EE, TOK_ES, TOK_SE, TOK_SS, TOK_PSK } noise_token_t;

/* HASHLEN and BLOCKLEN (spec 4.3). */
size_t noise_hash_len(noise_hash_t h);
/* out[0..HASHLEN) = HASH(a || b); either part may be empty. */
void noise_hash2(noise_hash_t h, uint8_t *out, const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len);
/* HKDF(ck, ikm, n) of spec 4.3 for n = 2 or 3: o1, o2 (and o3 when not
 * NULL), HASHLEN bytes each. */
void noise_hkdf(noise_hash_t h, const uint8_t *ck, const uint8_t *ikm, size_t ikm_len, uint8_t *o1, uint8_t *o2,
		uint8_t *o3);

/* ENCRYPT(k, n, ad, pt) into out (len + 16 bytes; out may equal pt) and
 * DECRYPT (false when not authentic, out zeroed) of spec 4.2, with the
 * cipher's nonce encoding (ChaChaPoly little-endian, AESGCM big-endian). */
void noise_aead_encrypt(noise_cipher_t c, const uint8_t k[32], uint64_t n, const uint8_t *ad, size_t ad_len,
			const uint8_t *pt, size_t len, uint8_t *out);
bool noise_aead_decrypt(noise_cipher_t c, const uint8_t k[32], uint64_t n, const uint8_t *ad, size_t ad_len,
			const uint8_t *ct, size_t len, uint8_t *out);

/* A parsed protocol name. */
typedef struct {
	uint8_t tokens[NC_NOISE_MAX_MESSAGES][NC_NOISE_MAX_TOKENS]; /* 0-terminated rows */
	uint8_t n_messages;
	uint8_t pre_initiator, pre_responder; /* pre-message token (TOK_S or TOK_E), 0 for none */
	uint8_t n_psks;
	bool one_way;
	noise_hash_t hash;
	noise_cipher_t cipher;
} noise_protocol_t;

/* Parse "Noise_PATTERN_25519_CIPHER_HASH". Errors: NC_NOISE_ERR_NAME. */
nc_noise_err_t noise_parse_name(const char *name, noise_protocol_t *p);

#endif
