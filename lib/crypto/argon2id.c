/* Argon2id (RFC 9106) through libsodium's internal argon2_ctx, the only entry
 * point that takes the secret K, associated data X and several lanes (the
 * public crypto_pwhash fixes p = 1 and has no K or X). Its declaration comes
 * from the Debian source package's private argon2.h, the same version as the
 * libsodium we link (host: libsodium.a; freestanding: built from that source,
 * with malloc/free routed to the injected allocator by sodium_glue.c). */
#include <nc/crypto.h>
#include <argon2.h>

static bool fits_u32(size_t n) { return n <= UINT32_MAX; }

nc_crypto_err_t nc_crypto_argon2id(uint8_t *out, size_t out_len, const nc_crypto_argon2id_params_t *p)
{
	if (out_len < NC_CRYPTO_ARGON2_MIN_OUT_BYTES || !fits_u32(out_len) || !fits_u32(p->password_len) ||
	    p->salt_len < NC_CRYPTO_ARGON2_MIN_SALT_BYTES || !fits_u32(p->salt_len) ||
	    !fits_u32(p->secret_len) || !fits_u32(p->ad_len) || p->passes < 1 || p->lanes < 1 ||
	    p->lanes > ARGON2_MAX_LANES || p->memory_kib < 8u * p->lanes)
		return NC_CRYPTO_ERR_PARAMS;
	/* argon2_context wants non-const pointers; with no ARGON2_FLAG_CLEAR_PASSWORD
	 * or _SECRET flag it only reads them. Lanes are computed one after another. */
	argon2_context ctx = {
		.out = out,
		.outlen = (uint32_t)out_len,
		.pwd = (uint8_t *)(uintptr_t)p->password,
		.pwdlen = (uint32_t)p->password_len,
		.salt = (uint8_t *)(uintptr_t)p->salt,
		.saltlen = (uint32_t)p->salt_len,
		.secret = (uint8_t *)(uintptr_t)p->secret,
		.secretlen = (uint32_t)p->secret_len,
		.ad = (uint8_t *)(uintptr_t)p->ad,
		.adlen = (uint32_t)p->ad_len,
		.t_cost = p->passes,
		.m_cost = p->memory_kib,
		.lanes = p->lanes,
		.threads = 1,
		.flags = ARGON2_FLAG_CLEAR_MEMORY,
	};
	int rc = argon2_ctx(&ctx, Argon2_id);
	if (rc == ARGON2_MEMORY_ALLOCATION_ERROR)
		return NC_CRYPTO_ERR_NO_MEMORY;
	return rc == ARGON2_OK ? NC_CRYPTO_OK : NC_CRYPTO_ERR_PARAMS;
}
