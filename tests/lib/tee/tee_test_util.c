/* See tee_test_util.h. */
#include "tee_test_util.h"
#include <nc/crypto.h>

static uint64_t draws;

static bool counter_random(void *ctx, uint8_t *buf, size_t n)
{
	static const char label[] = "NexaCore tests: tee randomness";
	nc_crypto_blake3_t h;
	nc_crypto_blake3_init_derive_key(&h, label, sizeof label - 1);
	nc_crypto_blake3_update(&h, &draws, sizeof draws);
	nc_crypto_blake3_finalize(&h, 0, buf, n);
	draws++;
	return true;
}

void tee_test_random_install(void) { nc_crypto_set_random(counter_random, NULL); }

void tee_test_random_remove(void) { nc_crypto_set_random(NULL, NULL); }

static int nibble(char c) { return c <= '9' ? c - '0' : c - 'a' + 10; }

size_t tee_test_unhex(uint8_t *out, size_t cap, const char *hex)
{
	size_t n = 0;
	for (; hex[2 * n] && hex[2 * n + 1] && n < cap; n++)
		out[n] = (uint8_t)(nibble(hex[2 * n]) << 4 | nibble(hex[2 * n + 1]));
	return n;
}
