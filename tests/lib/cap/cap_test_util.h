/* Shared by the lib/cap tests: a deterministic randomness source, a mock-TEE
 * issuer, and a link forger that writes the token layout of nc/cap.h by hand
 * with nc_wire (so it checks the documented format independently of
 * lib/cap's own encoder). Freestanding-clean. */
#ifndef NC_CAP_TEST_UTIL_H
#define NC_CAP_TEST_UTIL_H

#include <nc/cap.h>
#include <nc/tee_dev.h>

#define T0 1700000000u /* a fixed "now" for tests, seconds */

typedef struct {
	nc_tee_t tee;
	nc_tee_dev_t mock;
	nc_cap_issuer_t issuer;
	uint8_t root[1][NC_CAP_PUBLIC_KEY_BYTES];
	nc_cap_policy_t policy;
} cap_fixture_t;

/* Mock TEE from device secret byte `secret_byte` repeated, deterministic RNG. */
void cap_fixture_open(cap_fixture_t *f, uint8_t secret_byte);
void cap_fixture_close(cap_fixture_t *f);

nc_cap_grant_t cap_grant(const char *action, const char *scope, uint64_t nb, uint64_t na);

/* How cap_forge_append should break the new link. */
typedef enum { FORGE_HONEST, FORGE_WRONG_PARENT, FORGE_WRONG_ISSUER, FORGE_NO_PARENT } forge_t;

/* Append a link granting *g to tok, signed with tok's proof key, without any
 * narrowing check, into out. Returns the new length, 0 on failure. */
size_t cap_forge_append(uint8_t *out, size_t cap, const uint8_t *tok, size_t tok_len,
			const nc_cap_grant_t *g, forge_t how);
/* As cap_forge_append(FORGE_HONEST), with the new link's id chosen by the
 * caller (one already in the chain, or another token's). */
size_t cap_forge_append_id(uint8_t *out, size_t cap, const uint8_t *tok, size_t tok_len,
			   const nc_cap_grant_t *g, const uint8_t id[NC_CAP_ID_BYTES]);

#endif
