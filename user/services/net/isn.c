/* RFC 6528 initial sequence numbers (isn.h). */
#include "isn.h"
#include <nc/crypto.h>

static void hash_end(nc_crypto_blake3_t *h, const net_isn_end_t *end)
{
	uint8_t head[3] = {(uint8_t)end->addr_len, (uint8_t)(end->port >> 8), (uint8_t)end->port};
	nc_crypto_blake3_update(h, head, sizeof head);
	nc_crypto_blake3_update(h, end->addr, end->addr_len);
}

uint32_t net_isn_compute(const uint8_t key[NET_ISN_KEY_BYTES], const net_isn_end_t *local,
                         const net_isn_end_t *remote, uint64_t clock_ns)
{
	nc_crypto_blake3_t h;
	nc_crypto_blake3_init_keyed(&h, key);
	hash_end(&h, local);
	hash_end(&h, remote);
	uint8_t f[4];
	nc_crypto_blake3_finalize(&h, 0, f, sizeof f);
	nc_crypto_wipe(&h, sizeof h);
	uint32_t m = (uint32_t)(clock_ns / NET_ISN_TICK_NS);
	return m + ((uint32_t)f[0] | (uint32_t)f[1] << 8 | (uint32_t)f[2] << 16 | (uint32_t)f[3] << 24);
}
