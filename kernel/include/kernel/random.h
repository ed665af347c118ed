/* The kernel CSPRNG: a BLAKE3-keyed generator (fast key erasure: every
 * request derives the next key first, so earlier output cannot be recomputed
 * from the state) seeded at boot from RDSEED, else RDRAND, mixed with TSC
 * readings. It also feeds lib/crypto (nc_crypto_set_random) for token
 * minting. SMP-safe; never sleeps. */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Seed the generator (boot CPU, once, before anything asks for bytes).
 * Returns false when the CPU has neither RDSEED nor RDRAND: the seed is then
 * TSC jitter only, which the caller reports. */
bool random_init(void);
/* Fill buf[0..len_bytes). */
void random_fill(void *buf, size_t len_bytes);
/* Arch: one 64-bit hardware random value (RDSEED, else RDRAND); false when
 * the CPU has neither or it kept failing. */
bool arch_entropy64(uint64_t *out);

#endif
