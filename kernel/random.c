/* The kernel CSPRNG (see kernel/random.h). State: a 32-byte key. A request
 * hashes a counter under the key with BLAKE3 in keyed mode and reads the
 * extendable output: the first 32 bytes become the next key, the rest is
 * the caller's. */
#include <kernel/random.h>
#include <kernel/spinlock.h>
#include <nc/crypto.h>
#include <nc/mem.h>
#include <arch/cpu.h>

enum { SEED_WORDS = 8, TSC_SAMPLES = 64 };

static spinlock_t lock = SPINLOCK_INIT;
static uint8_t key[NC_CRYPTO_BLAKE3_KEY_BYTES];
static uint64_t counter;
static nc_crypto_blake3_t hasher;   /* guarded by lock (too big for a kernel stack frame) */

static bool crypto_source(void *ctx, uint8_t *buf, size_t len_bytes)
{
	(void)ctx;
	random_fill(buf, len_bytes);
	return true;
}

bool random_init(void)
{
	uint64_t seed[SEED_WORDS + TSC_SAMPLES];
	bool hw = true;
	for (int i = 0; i < SEED_WORDS; i++)
		hw = arch_entropy64(&seed[i]) && hw;
	for (int i = 0; i < TSC_SAMPLES; i++)
		seed[SEED_WORDS + i] = cpu_rdtsc();
	nc_crypto_blake3(key, sizeof key, seed, sizeof seed);
	nc_crypto_wipe(seed, sizeof seed);
	nc_crypto_set_random(crypto_source, NULL);
	return hw;
}

void random_fill(void *buf, size_t len_bytes)
{
	uint8_t next[sizeof key];
	uint64_t f = spin_lock(&lock);
	nc_crypto_blake3_init_keyed(&hasher, key);
	counter++;
	nc_crypto_blake3_update(&hasher, &counter, sizeof counter);
	nc_crypto_blake3_finalize(&hasher, 0, next, sizeof next);
	nc_crypto_blake3_finalize(&hasher, sizeof next, buf, len_bytes);
	nc_mem_copy(key, next, sizeof key);
	nc_crypto_wipe(&hasher, sizeof hasher);
	spin_unlock(&lock, f);
	nc_crypto_wipe(next, sizeof next);
}
