/* Shared by the lib/tee, lib/hpke and lib/envelope tests: deterministic
 * randomness, hex helpers and a development TEE fixture (a vendor root, a
 * provisioned device and a measurement log), all in memory. */
#ifndef TESTS_TEE_TEST_UTIL_H
#define TESTS_TEE_TEST_UTIL_H

#include <nc/tee_dev.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Install a deterministic randomness source (BLAKE3 XOF of a counter) into
 * lib/crypto; tee_test_random_remove puts back none. */
void tee_test_random_install(void);
void tee_test_random_remove(void);

/* Parse lower-case hex into out (at most cap bytes); returns the byte count. */
size_t tee_test_unhex(uint8_t *out, size_t cap, const char *hex);

/* A development TEE as the tests use it: a vendor root, a device it
 * certified, and a measurement log whose boot part is a kernel, an initrd and
 * a command line. */
typedef struct {
	uint8_t secret[32];
	uint8_t root_pk[1][NC_TEE_PUBLIC_KEY_BYTES], root_sk[NC_TEE_SECRET_KEY_BYTES];
	nc_tee_roots_t roots;                /* trusts root_pk only */
	uint8_t cert[NC_TEE_DEV_CERT_BYTES];
	nc_tee_log_entry_t storage[8];
	nc_tee_log_t log;
	nc_tee_dev_t dev;
	nc_tee_t tee;
} tee_fixture_t;

/* Root key from seed root_byte x 32, device secret secret_byte x 32, the
 * initrd entry's digest initrd_byte x 32 (so a different byte is a different
 * image), TCB level tcb_svn. Fails the calling test's checks on error by
 * returning false. */
bool tee_fixture_open(tee_fixture_t *f, uint8_t root_byte, uint8_t secret_byte, uint8_t initrd_byte,
		      uint32_t tcb_svn);
void tee_fixture_close(tee_fixture_t *f);
/* A policy accepting exactly f's image measurement at NC_TEE_DEV_TCB_SVN,
 * with nonce (NULL: none). */
void tee_fixture_policy(const tee_fixture_t *f, const uint8_t *nonce, nc_tee_policy_t *p);

#endif
