/* ChaCha20-Poly1305 (RFC 8439) and XChaCha20-Poly1305
 * (draft-irtf-cfrg-xchacha-03) through libsodium's detached AEAD functions. */
#include <nc/crypto.h>
#include <sodium/crypto_aead_chacha20poly1305.h>
#include <sodium/crypto_aead_xchacha20poly1305.h>

size_t nc_crypto_aead_nonce_bytes(nc_crypto_aead_t alg)
{
	return alg == NC_CRYPTO_AEAD_XCHACHA20_POLY1305 ? NC_CRYPTO_XCHACHA_NONCE_BYTES
							 : NC_CRYPTO_CHACHA_NONCE_BYTES;
}

static size_t max_message_bytes(nc_crypto_aead_t alg)
{
	return alg == NC_CRYPTO_AEAD_XCHACHA20_POLY1305 ? crypto_aead_xchacha20poly1305_ietf_messagebytes_max()
							 : crypto_aead_chacha20poly1305_ietf_messagebytes_max();
}

static bool known_alg(nc_crypto_aead_t alg)
{
	return alg == NC_CRYPTO_AEAD_CHACHA20_POLY1305 || alg == NC_CRYPTO_AEAD_XCHACHA20_POLY1305;
}

nc_crypto_err_t nc_crypto_aead_encrypt(nc_crypto_aead_t alg, uint8_t *out, const uint8_t *msg,
				       size_t len_bytes, const void *ad, size_t ad_len,
				       const uint8_t *nonce, size_t nonce_len,
				       const uint8_t key[NC_CRYPTO_AEAD_KEY_BYTES])
{
	if (!known_alg(alg) || nonce_len != nc_crypto_aead_nonce_bytes(alg) ||
	    len_bytes > max_message_bytes(alg))
		return NC_CRYPTO_ERR_BAD_LENGTH;
	uint8_t *tag = out + len_bytes;
	if (alg == NC_CRYPTO_AEAD_XCHACHA20_POLY1305)
		crypto_aead_xchacha20poly1305_ietf_encrypt_detached(out, tag, NULL, msg, len_bytes, ad,
								    ad_len, NULL, nonce, key);
	else
		crypto_aead_chacha20poly1305_ietf_encrypt_detached(out, tag, NULL, msg, len_bytes, ad,
								   ad_len, NULL, nonce, key);
	return NC_CRYPTO_OK;
}

nc_crypto_err_t nc_crypto_aead_decrypt(nc_crypto_aead_t alg, uint8_t *out, const uint8_t *ct,
				       size_t ct_len, const void *ad, size_t ad_len,
				       const uint8_t *nonce, size_t nonce_len,
				       const uint8_t key[NC_CRYPTO_AEAD_KEY_BYTES])
{
	if (!known_alg(alg) || nonce_len != nc_crypto_aead_nonce_bytes(alg) ||
	    ct_len < NC_CRYPTO_AEAD_TAG_BYTES)
		return NC_CRYPTO_ERR_BAD_LENGTH;
	size_t len_bytes = ct_len - NC_CRYPTO_AEAD_TAG_BYTES;
	const uint8_t *tag = ct + len_bytes;
	int rc;
	/* libsodium checks the tag (constant time) before it decrypts anything. */
	if (alg == NC_CRYPTO_AEAD_XCHACHA20_POLY1305)
		rc = crypto_aead_xchacha20poly1305_ietf_decrypt_detached(out, NULL, ct, len_bytes, tag,
									 ad, ad_len, nonce, key);
	else
		rc = crypto_aead_chacha20poly1305_ietf_decrypt_detached(out, NULL, ct, len_bytes, tag,
									ad, ad_len, nonce, key);
	if (rc != 0) {
		nc_crypto_wipe(out, len_bytes);
		return NC_CRYPTO_ERR_AUTH;
	}
	return NC_CRYPTO_OK;
}
