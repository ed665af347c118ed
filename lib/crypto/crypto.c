/* lib/crypto set-up, randomness and the constant-time helpers (nc/crypto.h).
 * The randomness source and (freestanding) the allocator are injected by the
 * caller: the kernel and user programs each have their own; on the host
 * libsodium's getrandom-based source and libc's malloc are used. */
#include <nc/crypto.h>
#include <nc/mem.h>
#include "crypto_internal.h"
#if NC_HOSTED
#include <sodium/core.h>
#include <sodium/randombytes.h>
#endif

static nc_crypto_random_fn random_fn;
static void *random_ctx;
static nc_crypto_allocator_t allocator;

const char *nc_crypto_err_name(nc_crypto_err_t err)
{
	switch (err) {
	case NC_CRYPTO_OK: return "NC_CRYPTO_OK";
	case NC_CRYPTO_ERR_INIT: return "NC_CRYPTO_ERR_INIT";
	case NC_CRYPTO_ERR_BAD_SIGNATURE: return "NC_CRYPTO_ERR_BAD_SIGNATURE";
	case NC_CRYPTO_ERR_AUTH: return "NC_CRYPTO_ERR_AUTH";
	case NC_CRYPTO_ERR_WEAK_KEY: return "NC_CRYPTO_ERR_WEAK_KEY";
	case NC_CRYPTO_ERR_BAD_LENGTH: return "NC_CRYPTO_ERR_BAD_LENGTH";
	case NC_CRYPTO_ERR_NO_RANDOM: return "NC_CRYPTO_ERR_NO_RANDOM";
	case NC_CRYPTO_ERR_PARAMS: return "NC_CRYPTO_ERR_PARAMS";
	case NC_CRYPTO_ERR_NO_MEMORY: return "NC_CRYPTO_ERR_NO_MEMORY";
	}
	return "NC_CRYPTO_ERR_UNKNOWN";
}

nc_crypto_err_t nc_crypto_init(void)
{
#if NC_HOSTED
	/* 0: initialised now, 1: already initialised, -1: failure. */
	if (sodium_init() < 0)
		return NC_CRYPTO_ERR_INIT;
#endif
	return NC_CRYPTO_OK;
}

void nc_crypto_set_random(nc_crypto_random_fn fn, void *ctx)
{
	random_fn = fn;
	random_ctx = ctx;
}

void nc_crypto_set_allocator(const nc_crypto_allocator_t *a)
{
	allocator = a ? *a : (nc_crypto_allocator_t){ 0 };
}

void *crypto_alloc(size_t len_bytes)
{
	return allocator.alloc ? allocator.alloc(allocator.ctx, len_bytes) : NULL;
}

void crypto_free(void *p)
{
	if (p && allocator.free)
		allocator.free(allocator.ctx, p);
}

nc_crypto_err_t nc_crypto_random(uint8_t *buf, size_t len_bytes)
{
	if (random_fn)
		return random_fn(random_ctx, buf, len_bytes) ? NC_CRYPTO_OK : NC_CRYPTO_ERR_NO_RANDOM;
#if NC_HOSTED
	randombytes_buf(buf, len_bytes);
	return NC_CRYPTO_OK;
#else
	return NC_CRYPTO_ERR_NO_RANDOM;
#endif
}

bool nc_crypto_equal(const void *a, const void *b, size_t len_bytes)
{
	return nc_mem_equal_ct(a, b, len_bytes);
}

void nc_crypto_wipe(void *buf, size_t len_bytes)
{
	nc_mem_wipe(buf, len_bytes);
}
