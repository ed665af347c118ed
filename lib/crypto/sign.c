/* Ed25519 and X25519 through libsodium (RFC 8032, RFC 7748). */
#include <nc/crypto.h>
#include <sodium/crypto_scalarmult_curve25519.h>
#include <sodium/crypto_sign_ed25519.h>

void nc_crypto_ed25519_keypair(uint8_t pk[NC_CRYPTO_ED25519_PUBLIC_BYTES],
			       uint8_t sk[NC_CRYPTO_ED25519_SECRET_BYTES],
			       const uint8_t seed[NC_CRYPTO_ED25519_SEED_BYTES])
{
	crypto_sign_ed25519_seed_keypair(pk, sk, seed);
}

void nc_crypto_ed25519_sign(uint8_t sig[NC_CRYPTO_ED25519_SIG_BYTES], const void *msg,
			    size_t len_bytes, const uint8_t sk[NC_CRYPTO_ED25519_SECRET_BYTES])
{
	crypto_sign_ed25519_detached(sig, NULL, msg, len_bytes, sk);
}

nc_crypto_err_t nc_crypto_ed25519_verify(const uint8_t sig[NC_CRYPTO_ED25519_SIG_BYTES],
					 const void *msg, size_t len_bytes,
					 const uint8_t pk[NC_CRYPTO_ED25519_PUBLIC_BYTES])
{
	if (crypto_sign_ed25519_verify_detached(sig, msg, len_bytes, pk) != 0)
		return NC_CRYPTO_ERR_BAD_SIGNATURE;
	return NC_CRYPTO_OK;
}

void nc_crypto_x25519_public(uint8_t pk[NC_CRYPTO_X25519_BYTES], const uint8_t sk[NC_CRYPTO_X25519_BYTES])
{
	crypto_scalarmult_curve25519_base(pk, sk);
}

nc_crypto_err_t nc_crypto_x25519(uint8_t out[NC_CRYPTO_X25519_BYTES],
				 const uint8_t sk[NC_CRYPTO_X25519_BYTES],
				 const uint8_t their_pk[NC_CRYPTO_X25519_BYTES])
{
	/* libsodium fails exactly when the shared point is all zero, having
	 * computed it in constant time. */
	if (crypto_scalarmult_curve25519(out, sk, their_pk) != 0) {
		nc_crypto_wipe(out, NC_CRYPTO_X25519_BYTES);
		return NC_CRYPTO_ERR_WEAK_KEY;
	}
	return NC_CRYPTO_OK;
}
