/* Root of trust: the one place that holds the root signing key and signs for
 * the kernel (capability tokens, docs/capability-tokens.md). Backends sit behind
 * nc_tee_ops_t; the only backend today is a development mock whose key is
 * derived from a device secret. Hardware backends (Intel TDX, AMD SEV-SNP)
 * are not written yet: there is no stub that pretends to be one.
 *
 * The mock is for development only: its root key is exactly as secret as the
 * device secret handed to it, which lives in ordinary memory.
 *
 * A nc_tee_t is used by one thread at a time (the kernel serialises signing).
 * Nothing allocates: the caller provides the backend state. */
#ifndef NC_TEE_H
#define NC_TEE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NC_TEE_PUBLIC_KEY_BYTES 32u /* Ed25519 */
#define NC_TEE_SIG_BYTES 64u
/* The mock wants at least 256 bits of device secret. */
#define NC_TEE_MOCK_MIN_SECRET_BYTES 32u

typedef enum {
	NC_TEE_OK = 0,
	NC_TEE_ERR_SECRET_TOO_SHORT, /* mock: device secret under NC_TEE_MOCK_MIN_SECRET_BYTES */
	NC_TEE_ERR_CLOSED,           /* the backend was closed (nc_tee_close) */
} nc_tee_err_t;

/* Static name of err; "NC_TEE_ERR_UNKNOWN" for values outside the enum. */
const char *nc_tee_err_name(nc_tee_err_t err);

typedef struct {
	const char *name; /* "mock" */
	nc_tee_err_t (*public_key)(void *state, uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES]);
	nc_tee_err_t (*sign)(void *state, uint8_t sig[NC_TEE_SIG_BYTES], const uint8_t *msg, size_t len_bytes);
	void (*close)(void *state); /* wipe secrets */
} nc_tee_ops_t;

typedef struct {
	const nc_tee_ops_t *ops; /* NULL once closed */
	void *state;             /* backend state, caller-owned */
} nc_tee_t;

/* The root public key. Errors: NC_TEE_ERR_CLOSED. */
nc_tee_err_t nc_tee_public_key(const nc_tee_t *tee, uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES]);
/* Ed25519 signature of msg[0..len_bytes) by the root key. Callers domain-separate
 * what they sign (capability bodies begin with "NCAP"). Errors: NC_TEE_ERR_CLOSED. */
nc_tee_err_t nc_tee_sign(const nc_tee_t *tee, uint8_t sig[NC_TEE_SIG_BYTES], const uint8_t *msg,
			 size_t len_bytes);
/* Wipe the backend's secrets; later calls return NC_TEE_ERR_CLOSED. */
void nc_tee_close(nc_tee_t *tee);

/* ---- development mock ------------------------------------------------------ */

typedef struct {
	uint8_t sk[64]; /* Ed25519 secret key (seed || public key) */
	uint8_t pk[NC_TEE_PUBLIC_KEY_BYTES];
} nc_tee_mock_t;

/* Open the mock over caller storage m: root seed = HKDF-SHA256(salt =
 * "NexaCore tee mock v1", ikm = device secret, info = "root signing key", 32
 * bytes), so one device secret always gives the same root key. The secret is
 * not kept. Errors: NC_TEE_ERR_SECRET_TOO_SHORT. */
nc_tee_err_t nc_tee_mock_open(nc_tee_t *tee, nc_tee_mock_t *m, const uint8_t *device_secret,
			      size_t secret_len);

#endif
