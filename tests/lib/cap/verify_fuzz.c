/* libFuzzer target for token parsing and verification: verify against a
 * fixed root (the mock TEE of device secret 0x09 * 32, as in the unit tests),
 * walk the links as nc-cap inspect does, and try an attenuation. Any of these
 * may fail on hostile input, none may crash. A token that verifies must also
 * verify after a successful attenuation (the child keeps every rule). */
#include <nc/cap.h>
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/tee_dev.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NOW 1700000020u

static nc_cap_policy_t policy;
static uint8_t root[1][NC_CAP_PUBLIC_KEY_BYTES];

static void set_up(void)
{
	uint8_t secret[32];
	nc_tee_t tee;
	nc_tee_dev_t m;
	nc_mem_set(secret, 9, sizeof secret);
	nc_crypto_init();
	nc_tee_dev_open(&tee, &m, secret, sizeof secret, NULL);
	nc_tee_public_key(&tee, root[0]);
	nc_tee_close(&tee);
	policy.roots = (const uint8_t(*)[NC_CAP_PUBLIC_KEY_BYTES])root;
	policy.n_roots = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t child[NC_CAP_MAX_TOKEN_BYTES + 4096];
	static bool ready;
	if (!ready) {
		set_up();
		ready = true;
	}
	nc_cap_grant_t eff;
	nc_cap_err_t verdict = nc_cap_verify(data, size, &policy, NOW, &eff);

	nc_cap_cursor_t c;
	nc_cap_link_t link;
	uint8_t seed[32];
	if (nc_cap_cursor_init(&c, data, size) == NC_CAP_OK) {
		while (c.next_link < c.n_links && nc_cap_cursor_next(&c, &link) == NC_CAP_OK)
			;
		nc_cap_cursor_proof(&c, seed);
	}

	if (verdict == NC_CAP_OK) {
		size_t n;
		nc_cap_grant_t g = eff;
		g.not_after_s = g.not_after_s - 1 > g.not_before_s ? g.not_after_s - 1 : g.not_after_s;
		if (nc_cap_attenuate(child, sizeof child, &n, data, size, &g) == NC_CAP_OK &&
		    NOW < g.not_after_s && nc_cap_verify(child, n, &policy, NOW, NULL) != NC_CAP_OK)
			__builtin_trap();
	}
	return 0;
}
