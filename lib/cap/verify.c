/* Token verification: one pass over the links, holding only the previous
 * link, so the kernel can run it on a small stack (docs/capability-tokens.md
 * gives the argument for each rule). Cheap structural and chain checks come
 * before each signature check. */
#include <nc/cap.h>
#include <nc/crypto.h>
#include <nc/mem.h>
#include "cap_internal.h"

static const uint8_t *find_root(const nc_cap_policy_t *p, const uint8_t issuer[NC_CAP_KEY_ID_BYTES])
{
	for (size_t i = 0; i < p->n_roots; i++) {
		uint8_t id[NC_CAP_KEY_ID_BYTES];
		nc_cap_key_id(id, p->roots[i]);
		if (nc_mem_compare(id, issuer, sizeof id) == 0)
			return p->roots[i];
	}
	return NULL;
}

/* The key that must have signed link cur, or an error. */
static nc_cap_err_t signer_of(const nc_cap_policy_t *p, const nc_cap_link_t *prev, const nc_cap_link_t *cur,
			      const uint8_t **pk)
{
	if (!prev) {
		if (cur->has_parent)
			return NC_CAP_ERR_BAD_CHAIN;
		*pk = find_root(p, cur->issuer);
		return *pk ? NC_CAP_OK : NC_CAP_ERR_UNKNOWN_ISSUER;
	}
	uint8_t id[NC_CAP_KEY_ID_BYTES];
	nc_cap_key_id(id, prev->next_key);
	if (!cur->has_parent || nc_mem_compare(cur->parent, prev->id, sizeof cur->parent) != 0 ||
	    nc_mem_compare(cur->issuer, id, sizeof id) != 0)
		return NC_CAP_ERR_BAD_CHAIN;
	if (!cap_grant_within(&prev->grant, &cur->grant))
		return NC_CAP_ERR_WIDENED;
	*pk = prev->next_key;
	return NC_CAP_OK;
}

static nc_cap_err_t check_link(const nc_cap_policy_t *p, const nc_cap_link_t *prev, const nc_cap_link_t *cur)
{
	const uint8_t *pk = NULL;
	nc_cap_err_t err = signer_of(p, prev, cur, &pk);
	if (err != NC_CAP_OK)
		return err;
	if (p->is_revoked && p->is_revoked(p->revoked_ctx, cur->id))
		return NC_CAP_ERR_REVOKED;
	if (nc_crypto_ed25519_verify(cur->signature, cur->body, cur->body_len, pk) != NC_CRYPTO_OK)
		return NC_CAP_ERR_BAD_SIGNATURE;
	return NC_CAP_OK;
}

static nc_cap_err_t check_proof(nc_cap_cursor_t *c, const nc_cap_link_t *last)
{
	uint8_t seed[32], pk[NC_CAP_PUBLIC_KEY_BYTES], sk[NC_CRYPTO_ED25519_SECRET_BYTES];
	nc_cap_err_t err = nc_cap_cursor_proof(c, seed);
	if (err != NC_CAP_OK)
		return err;
	nc_crypto_ed25519_keypair(pk, sk, seed);
	nc_crypto_wipe(seed, sizeof seed);
	nc_crypto_wipe(sk, sizeof sk);
	return nc_crypto_equal(pk, last->next_key, sizeof pk) ? NC_CAP_OK : NC_CAP_ERR_BAD_PROOF;
}

static nc_cap_err_t check_time(const nc_cap_grant_t *g, uint64_t now_s)
{
	uint64_t earliest = g->not_before_s > NC_CAP_CLOCK_SKEW_S ? g->not_before_s - NC_CAP_CLOCK_SKEW_S : 0;
	if (now_s < earliest)
		return NC_CAP_ERR_NOT_YET_VALID;
	return now_s < g->not_after_s ? NC_CAP_OK : NC_CAP_ERR_EXPIRED;
}

/* Whether id is one of seen[0..n). */
static bool seen_id(const uint8_t (*seen)[NC_CAP_ID_BYTES], size_t n, const uint8_t id[NC_CAP_ID_BYTES])
{
	for (size_t i = 0; i < n; i++)
		if (nc_mem_compare(seen[i], id, NC_CAP_ID_BYTES) == 0)
			return true;
	return false;
}

nc_cap_err_t nc_cap_verify(const uint8_t *tok, size_t tok_len, const nc_cap_policy_t *policy,
			   uint64_t now_s, nc_cap_grant_t *effective)
{
	nc_cap_cursor_t c;
	nc_cap_link_t links[2]; /* previous and current, alternating */
	uint8_t seen[NC_CAP_MAX_LINKS][NC_CAP_ID_BYTES]; /* link ids so far: none repeats */
	nc_cap_err_t err = nc_cap_cursor_init(&c, tok, tok_len);
	for (size_t i = 0; err == NC_CAP_OK && i < c.n_links; i++) {
		nc_cap_link_t *cur = &links[i & 1], *prev = i ? &links[(i - 1) & 1] : NULL;
		err = nc_cap_cursor_next(&c, cur);
		if (err == NC_CAP_OK && seen_id((const uint8_t(*)[NC_CAP_ID_BYTES])seen, i, cur->id))
			err = NC_CAP_ERR_BAD_CHAIN;
		if (err == NC_CAP_OK)
			err = check_link(policy, prev, cur);
		if (err == NC_CAP_OK)
			nc_mem_copy(seen[i], cur->id, NC_CAP_ID_BYTES);
	}
	if (err != NC_CAP_OK)
		return err;
	const nc_cap_link_t *last = &links[(c.n_links - 1) & 1];
	err = check_proof(&c, last);
	if (err == NC_CAP_OK)
		err = check_time(&last->grant, now_s);
	if (err == NC_CAP_OK && effective)
		*effective = last->grant;
	return err;
}
