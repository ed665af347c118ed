/* Shared by the lib/tee, lib/hpke and lib/envelope tests: deterministic
 * randomness, hex helpers and a development TEE fixture (a vendor root, a
 * provisioned device and a measurement log), all in memory. */
#ifndef TESTS_TEE_TEST_UTIL_H
#define TESTS_TEE_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Install a deterministic randomness source (BLAKE3 XOF of a counter) into
 * lib/crypto; tee_test_random_remove puts back none. */
void tee_test_random_install(void);
void tee_test_random_remove(void);

/* Parse lower-case hex into out (at most cap bytes); returns the byte count. */
size_t tee_test_unhex(uint8_t *out, size_t cap, const char *hex);

#endif
