/* Development mock of the root of trust: an Ed25519 key derived from a device
 * secret with HKDF-SHA256 (RFC 5869), kept in caller memory. Stands in for the
 * TDX / SEV-SNP backends, which will keep the key inside the TEE. */
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/tee.h>

static nc_tee_err_t mock_public_key(void *state, uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES])
{
	const nc_tee_mock_t *m = state;
	nc_mem_copy(pk, m->pk, NC_TEE_PUBLIC_KEY_BYTES);
	return NC_TEE_OK;
}

static nc_tee_err_t mock_sign(void *state, uint8_t sig[NC_TEE_SIG_BYTES], const uint8_t *msg, size_t len_bytes)
{
	const nc_tee_mock_t *m = state;
	nc_crypto_ed25519_sign(sig, msg, len_bytes, m->sk);
	return NC_TEE_OK;
}

static void mock_close(void *state)
{
	nc_crypto_wipe(state, sizeof(nc_tee_mock_t));
}

static const nc_tee_ops_t mock_ops = { "mock", mock_public_key, mock_sign, mock_close };

nc_tee_err_t nc_tee_mock_open(nc_tee_t *tee, nc_tee_mock_t *m, const uint8_t *device_secret,
			      size_t secret_len)
{
	static const char salt[] = "NexaCore tee mock v1";
	static const char info[] = "root signing key";
	uint8_t seed[NC_CRYPTO_ED25519_SEED_BYTES];
	tee->ops = NULL;
	tee->state = NULL;
	if (secret_len < NC_TEE_MOCK_MIN_SECRET_BYTES)
		return NC_TEE_ERR_SECRET_TOO_SHORT;
	/* 32 bytes is far below the HKDF limit, so this cannot fail. */
	nc_crypto_hkdf_sha256(seed, sizeof seed, salt, sizeof salt - 1, device_secret, secret_len, info,
			      sizeof info - 1);
	nc_crypto_ed25519_keypair(m->pk, m->sk, seed);
	nc_crypto_wipe(seed, sizeof seed);
	tee->ops = &mock_ops;
	tee->state = m;
	return NC_TEE_OK;
}
