/* SHA-2 and HMAC from libsodium; HKDF-SHA256 (RFC 5869) composed here from
 * libsodium's HMAC-SHA256, since libsodium 1.0.18 predates its crypto_kdf_hkdf. */
#include <nc/crypto.h>
#include <sodium/crypto_auth_hmacsha256.h>
#include <sodium/crypto_auth_hmacsha512.h>
#include <sodium/crypto_hash_sha256.h>
#include <sodium/crypto_hash_sha512.h>

/* libsodium declares its pointers nonnull even for zero lengths; an empty input
 * may come to us as NULL. */
static const uint8_t empty_input[1];
static const uint8_t *or_empty(const void *p) { return p ? p : empty_input; }

void nc_crypto_sha256(uint8_t out[NC_CRYPTO_SHA256_BYTES], const void *msg, size_t len_bytes)
{
	crypto_hash_sha256(out, or_empty(msg), len_bytes);
}

void nc_crypto_sha512(uint8_t out[NC_CRYPTO_SHA512_BYTES], const void *msg, size_t len_bytes)
{
	crypto_hash_sha512(out, or_empty(msg), len_bytes);
}

void nc_crypto_hmac_sha256(uint8_t out[NC_CRYPTO_SHA256_BYTES], const void *key, size_t key_len,
			   const void *msg, size_t len_bytes)
{
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, or_empty(key), key_len);
	crypto_auth_hmacsha256_update(&st, or_empty(msg), len_bytes);
	crypto_auth_hmacsha256_final(&st, out);
	nc_crypto_wipe(&st, sizeof st);
}

void nc_crypto_hmac_sha512(uint8_t out[NC_CRYPTO_SHA512_BYTES], const void *key, size_t key_len,
			   const void *msg, size_t len_bytes)
{
	crypto_auth_hmacsha512_state st;
	crypto_auth_hmacsha512_init(&st, or_empty(key), key_len);
	crypto_auth_hmacsha512_update(&st, or_empty(msg), len_bytes);
	crypto_auth_hmacsha512_final(&st, out);
	nc_crypto_wipe(&st, sizeof st);
}

void nc_crypto_hkdf_sha256_extract(uint8_t prk[NC_CRYPTO_SHA256_BYTES], const void *salt,
				   size_t salt_len, const void *ikm, size_t ikm_len)
{
	/* RFC 5869 2.2: no salt means HashLen zeros; HMAC pads a short key with
	 * zeros, so the empty key gives the same result. */
	nc_crypto_hmac_sha256(prk, salt, salt_len, ikm, ikm_len);
}

nc_crypto_err_t nc_crypto_hkdf_sha256_expand(uint8_t *out, size_t out_len,
					     const uint8_t prk[NC_CRYPTO_SHA256_BYTES],
					     const void *info, size_t info_len)
{
	if (out_len > NC_CRYPTO_HKDF_SHA256_MAX_BYTES)
		return NC_CRYPTO_ERR_BAD_LENGTH;
	/* RFC 5869 2.3: T(i) = HMAC(PRK, T(i-1) || info || i), i = 1..N. */
	uint8_t t[NC_CRYPTO_SHA256_BYTES];
	size_t t_len = 0;
	for (uint8_t i = 1; out_len > 0; i++) {
		crypto_auth_hmacsha256_state st;
		crypto_auth_hmacsha256_init(&st, prk, NC_CRYPTO_SHA256_BYTES);
		crypto_auth_hmacsha256_update(&st, t, t_len);
		crypto_auth_hmacsha256_update(&st, or_empty(info), info_len);
		crypto_auth_hmacsha256_update(&st, &i, 1);
		crypto_auth_hmacsha256_final(&st, t);
		nc_crypto_wipe(&st, sizeof st);
		t_len = sizeof t;
		size_t n = out_len < t_len ? out_len : t_len;
		for (size_t k = 0; k < n; k++)
			out[k] = t[k];
		out += n;
		out_len -= n;
	}
	nc_crypto_wipe(t, sizeof t);
	return NC_CRYPTO_OK;
}

nc_crypto_err_t nc_crypto_hkdf_sha256(uint8_t *out, size_t out_len, const void *salt,
				      size_t salt_len, const void *ikm, size_t ikm_len,
				      const void *info, size_t info_len)
{
	if (out_len > NC_CRYPTO_HKDF_SHA256_MAX_BYTES)
		return NC_CRYPTO_ERR_BAD_LENGTH;
	uint8_t prk[NC_CRYPTO_SHA256_BYTES];
	nc_crypto_hkdf_sha256_extract(prk, salt, salt_len, ikm, ikm_len);
	nc_crypto_err_t err = nc_crypto_hkdf_sha256_expand(out, out_len, prk, info, info_len);
	nc_crypto_wipe(prk, sizeof prk);
	return err;
}
