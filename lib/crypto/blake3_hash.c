/* BLAKE3 through the official C implementation (blake3.h from Debian's
 * librust-blake3-dev); nc_crypto_blake3_t is opaque storage for its hasher. */
#include <nc/crypto.h>
#include <blake3.h>

_Static_assert(sizeof(blake3_hasher) <= NC_CRYPTO_BLAKE3_STATE_BYTES,
	       "NC_CRYPTO_BLAKE3_STATE_BYTES too small for blake3_hasher");
_Static_assert(_Alignof(blake3_hasher) <= 8, "blake3_hasher needs more than 8-byte alignment");

static blake3_hasher *hasher(nc_crypto_blake3_t *h) { return (blake3_hasher *)(void *)h->opaque; }

void nc_crypto_blake3_init(nc_crypto_blake3_t *h)
{
	blake3_hasher_init(hasher(h));
}

void nc_crypto_blake3_init_keyed(nc_crypto_blake3_t *h, const uint8_t key[NC_CRYPTO_BLAKE3_KEY_BYTES])
{
	blake3_hasher_init_keyed(hasher(h), key);
}

void nc_crypto_blake3_init_derive_key(nc_crypto_blake3_t *h, const char *context, size_t context_len)
{
	blake3_hasher_init_derive_key_raw(hasher(h), context, context_len);
}

void nc_crypto_blake3_update(nc_crypto_blake3_t *h, const void *data, size_t len_bytes)
{
	blake3_hasher_update(hasher(h), data, len_bytes);
}

void nc_crypto_blake3_finalize(const nc_crypto_blake3_t *h, uint64_t seek, uint8_t *out, size_t out_len)
{
	blake3_hasher_finalize_seek((const blake3_hasher *)(const void *)h->opaque, seek, out, out_len);
}

void nc_crypto_blake3(uint8_t *out, size_t out_len, const void *data, size_t len_bytes)
{
	nc_crypto_blake3_t h;
	nc_crypto_blake3_init(&h);
	nc_crypto_blake3_update(&h, data, len_bytes);
	nc_crypto_blake3_finalize(&h, 0, out, out_len);
}
