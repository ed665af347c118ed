/* Token verification: every rule of nc_cap_verify must be able to fail. */
#include "nc_test.h"
#include "cap_test_util.h"
#include <nc/mem.h>
#include <nc/wire.h>

static uint8_t a[NC_CAP_MAX_TOKEN_BYTES], b[NC_CAP_MAX_TOKEN_BYTES], c[NC_CAP_MAX_TOKEN_BYTES];

/* a = root token for fs.read on /etc/nexacore, b = a attenuated to /etc/nexacore/notes. */
static void make_pair(cap_fixture_t *f, size_t *na, size_t *nb)
{
	cap_fixture_open(f, 9);
	nc_cap_grant_t g = cap_grant("fs.read", "/etc/nexacore", T0, T0 + 600);
	nc_cap_grant_t h = cap_grant("fs.read", "/etc/nexacore/notes", T0 + 10, T0 + 300);
	nc_cap_mint(a, sizeof a, na, &g, &f->issuer);
	nc_cap_attenuate(b, sizeof b, nb, a, *na, &h);
}

NC_TEST(cap_verify, accepts_and_reports_effective_grant)
{
	cap_fixture_t f;
	size_t na, nb;
	nc_cap_grant_t eff;
	make_pair(&f, &na, &nb);
	NC_CHECK_EQ(nc_cap_verify(a, na, &f.policy, T0 + 20, &eff), NC_CAP_OK);
	NC_CHECK_EQ(eff.scope_len, 13);
	NC_CHECK_EQ(nc_cap_verify(b, nb, &f.policy, T0 + 20, &eff), NC_CAP_OK);
	NC_CHECK_EQ(eff.scope_len, 19);
	NC_CHECK_EQ(nc_cap_check(&eff, "fs.read", 7, "/etc/nexacore/notes/x", 21), NC_CAP_OK);
	NC_CHECK_EQ(nc_cap_check(&eff, "fs.read", 7, "/etc/nexacore/y", 15), NC_CAP_ERR_DENIED);
	cap_fixture_close(&f);
}

NC_TEST(cap_verify, time_window_and_skew)
{
	cap_fixture_t f;
	size_t na, nb;
	make_pair(&f, &na, &nb);
	/* b: not_before T0+10, not_after T0+300, skew 60 s on not_before only. */
	NC_CHECK_EQ(nc_cap_verify(b, nb, &f.policy, T0 + 10 - NC_CAP_CLOCK_SKEW_S - 1, NULL), NC_CAP_ERR_NOT_YET_VALID);
	NC_CHECK_EQ(nc_cap_verify(b, nb, &f.policy, T0 + 10 - NC_CAP_CLOCK_SKEW_S, NULL), NC_CAP_OK);
	NC_CHECK_EQ(nc_cap_verify(b, nb, &f.policy, T0 + 299, NULL), NC_CAP_OK);
	NC_CHECK_EQ(nc_cap_verify(b, nb, &f.policy, T0 + 300, NULL), NC_CAP_ERR_EXPIRED);
	NC_CHECK_EQ(nc_cap_verify(a, na, &f.policy, T0 + 300, NULL), NC_CAP_OK);
	NC_CHECK_EQ(nc_cap_verify(a, na, &f.policy, 0, NULL), NC_CAP_ERR_NOT_YET_VALID);
	cap_fixture_close(&f);
}

NC_TEST(cap_verify, unknown_root)
{
	cap_fixture_t f, other;
	size_t na, nb;
	make_pair(&f, &na, &nb);
	cap_fixture_open(&other, 10);
	NC_CHECK_EQ(nc_cap_verify(a, na, &other.policy, T0 + 20, NULL), NC_CAP_ERR_UNKNOWN_ISSUER);
	NC_CHECK_EQ(nc_cap_verify(b, nb, &other.policy, T0 + 20, NULL), NC_CAP_ERR_UNKNOWN_ISSUER);
	nc_cap_policy_t none = { 0 };
	NC_CHECK_EQ(nc_cap_verify(a, na, &none, T0 + 20, NULL), NC_CAP_ERR_UNKNOWN_ISSUER);
	cap_fixture_close(&other);
	cap_fixture_close(&f);
}

typedef struct {
	const uint8_t *ids[4];
	size_t n;
} revoked_t;

static bool is_revoked(void *ctx, const uint8_t id[NC_CAP_ID_BYTES])
{
	const revoked_t *r = ctx;
	for (size_t i = 0; i < r->n; i++)
		if (nc_mem_compare(r->ids[i], id, NC_CAP_ID_BYTES) == 0)
			return true;
	return false;
}

NC_TEST(cap_verify, revocation_covers_descendants)
{
	cap_fixture_t f;
	size_t na, nb;
	nc_cap_cursor_t cur;
	nc_cap_link_t root_link, child_link;
	make_pair(&f, &na, &nb);
	nc_cap_cursor_init(&cur, b, nb);
	nc_cap_cursor_next(&cur, &root_link);
	nc_cap_cursor_next(&cur, &child_link);
	revoked_t rv = { { root_link.id }, 1 };
	f.policy.is_revoked = is_revoked;
	f.policy.revoked_ctx = &rv;
	NC_CHECK_EQ(nc_cap_verify(a, na, &f.policy, T0 + 20, NULL), NC_CAP_ERR_REVOKED);
	NC_CHECK_EQ(nc_cap_verify(b, nb, &f.policy, T0 + 20, NULL), NC_CAP_ERR_REVOKED);
	rv.ids[0] = child_link.id;
	NC_CHECK_EQ(nc_cap_verify(a, na, &f.policy, T0 + 20, NULL), NC_CAP_OK);
	NC_CHECK_EQ(nc_cap_verify(b, nb, &f.policy, T0 + 20, NULL), NC_CAP_ERR_REVOKED);
	cap_fixture_close(&f);
}

NC_TEST(cap_verify, forged_links_rejected)
{
	cap_fixture_t f;
	size_t na, nb, nc;
	make_pair(&f, &na, &nb);
	/* Honest forgery (narrower) verifies: the forger itself is sound. */
	nc_cap_grant_t narrower = cap_grant("fs.read", "/etc/nexacore/notes/a", T0 + 10, T0 + 200);
	nc = cap_forge_append(c, sizeof c, b, nb, &narrower, FORGE_HONEST);
	NC_CHECK(nc > 0);
	NC_CHECK_EQ(nc_cap_verify(c, nc, &f.policy, T0 + 20, NULL), NC_CAP_OK);
	/* Widening links, correctly signed with the proof key. */
	nc_cap_grant_t wider[] = {
		cap_grant("fs", "/etc/nexacore/notes", T0 + 10, T0 + 300),
		cap_grant("fs.write", "/etc/nexacore/notes", T0 + 10, T0 + 300),
		cap_grant("fs.read", "/etc/nexacore", T0 + 10, T0 + 300),
		cap_grant("fs.read", "/etc/nexacore/notes/../..", T0 + 10, T0 + 300),
		cap_grant("fs.read", "/etc/nexacore/notes", T0 + 9, T0 + 300),
		cap_grant("fs.read", "/etc/nexacore/notes", T0 + 10, T0 + 301),
	};
	for (size_t i = 0; i < sizeof wider / sizeof wider[0]; i++) {
		nc = cap_forge_append(c, sizeof c, b, nb, &wider[i], FORGE_HONEST);
		NC_CHECK(nc > 0);
		NC_CHECK_EQ(nc_cap_verify(c, nc, &f.policy, T0 + 20, NULL), NC_CAP_ERR_WIDENED);
	}
	nc = cap_forge_append(c, sizeof c, b, nb, &narrower, FORGE_WRONG_PARENT);
	NC_CHECK_EQ(nc_cap_verify(c, nc, &f.policy, T0 + 20, NULL), NC_CAP_ERR_BAD_CHAIN);
	nc = cap_forge_append(c, sizeof c, b, nb, &narrower, FORGE_WRONG_ISSUER);
	NC_CHECK_EQ(nc_cap_verify(c, nc, &f.policy, T0 + 20, NULL), NC_CAP_ERR_BAD_CHAIN);
	nc = cap_forge_append(c, sizeof c, b, nb, &narrower, FORGE_NO_PARENT);
	NC_CHECK_EQ(nc_cap_verify(c, nc, &f.policy, T0 + 20, NULL), NC_CAP_ERR_BAD_CHAIN);
	cap_fixture_close(&f);
}

/* The id of link i of tok. */
static void link_id(const uint8_t *tok, size_t len, size_t i, uint8_t id[NC_CAP_ID_BYTES])
{
	nc_cap_cursor_t cur;
	nc_cap_link_t l;
	nc_cap_cursor_init(&cur, tok, len);
	for (size_t k = 0; k <= i; k++)
		nc_cap_cursor_next(&cur, &l);
	nc_mem_copy(id, l.id, NC_CAP_ID_BYTES);
}

/* A link repeating the id of any earlier link of its chain is refused:
 * revoking that id (a revocation entry for the new link) would otherwise
 * revoke the ancestor too. */
NC_TEST(cap_verify, repeated_link_ids_rejected)
{
	cap_fixture_t f;
	size_t na, nb, nc;
	uint8_t id[NC_CAP_ID_BYTES];
	make_pair(&f, &na, &nb);
	nc_cap_grant_t narrower = cap_grant("fs.read", "/etc/nexacore/notes/a", T0 + 10, T0 + 200);
	for (size_t i = 0; i < 2; i++) {
		link_id(b, nb, i, id);
		nc = cap_forge_append_id(c, sizeof c, b, nb, &narrower, id);
		NC_CHECK(nc > 0);
		NC_CHECK_EQ(nc_cap_verify(c, nc, &f.policy, T0 + 20, NULL), NC_CAP_ERR_BAD_CHAIN);
	}
	id[0] ^= 1; /* a fresh id: the same link verifies */
	nc = cap_forge_append_id(c, sizeof c, b, nb, &narrower, id);
	NC_CHECK_EQ(nc_cap_verify(c, nc, &f.policy, T0 + 20, NULL), NC_CAP_OK);
	cap_fixture_close(&f);
}

NC_TEST(cap_verify, truncation_needs_the_dropped_key)
{
	cap_fixture_t f;
	size_t na, nb;
	make_pair(&f, &na, &nb);
	/* Keep link 0 of b (the wider grant) with b's proof: the proof belongs to
	 * link 1's next key, not link 0's. */
	nc_cap_cursor_t cur;
	nc_cap_link_t l0;
	nc_cap_cursor_init(&cur, b, nb);
	nc_cap_cursor_next(&cur, &l0);
	size_t l0_end = cur.pos;
	nc_wire_writer_t w;
	nc_wire_writer_init(&w, c, sizeof c);
	nc_wire_encode_len(&w, 1);
	nc_wire_encode_raw(&w, b + cur.links_start, l0_end - cur.links_start);
	nc_wire_encode_raw(&w, b + nb - 32, 32);
	NC_CHECK_EQ(nc_cap_verify(c, w.len_bytes, &f.policy, T0 + 20, NULL), NC_CAP_ERR_BAD_PROOF);
	cap_fixture_close(&f);
}

NC_TEST(cap_verify, every_flipped_bit_is_caught)
{
	cap_fixture_t f;
	size_t na, nb;
	make_pair(&f, &na, &nb);
	for (size_t i = 0; i < nb; i++) {
		for (int bit = 0; bit < 8; bit++) {
			nc_mem_copy(c, b, nb);
			c[i] ^= (uint8_t)(1u << bit);
			nc_cap_err_t err = nc_cap_verify(c, nb, &f.policy, T0 + 20, NULL);
			if (err == NC_CAP_OK)
				nc_test_note("byte %zu bit %d accepted", i, bit);
			NC_CHECK(err != NC_CAP_OK);
		}
	}
	cap_fixture_close(&f);
}

NC_TEST(cap_verify, malformed_tokens)
{
	cap_fixture_t f;
	size_t na, nb;
	make_pair(&f, &na, &nb);
	for (size_t len = 0; len < nb; len++)
		NC_CHECK(nc_cap_verify(b, len, &f.policy, T0 + 20, NULL) != NC_CAP_OK);
	nc_mem_copy(c, b, nb);
	c[nb] = 0;
	NC_CHECK_EQ(nc_cap_verify(c, nb + 1, &f.policy, T0 + 20, NULL), NC_CAP_ERR_MALFORMED);
	c[0] = 0;
	NC_CHECK_EQ(nc_cap_verify(c, nb, &f.policy, T0 + 20, NULL), NC_CAP_ERR_TOO_MANY_LINKS);
	c[0] = NC_CAP_MAX_LINKS + 1;
	NC_CHECK_EQ(nc_cap_verify(c, nb, &f.policy, T0 + 20, NULL), NC_CAP_ERR_TOO_MANY_LINKS);
	c[0] = 1; /* link 1 and the proof are then trailing garbage after a 32-byte "proof" */
	NC_CHECK_EQ(nc_cap_verify(c, nb, &f.policy, T0 + 20, NULL), NC_CAP_ERR_MALFORMED);
	nc_mem_copy(c, b, nb);
	c[1] = 'X';
	NC_CHECK_EQ(nc_cap_verify(c, nb, &f.policy, T0 + 20, NULL), NC_CAP_ERR_VERSION);
	nc_mem_copy(c, b, nb);
	c[5] = 2;
	NC_CHECK_EQ(nc_cap_verify(c, nb, &f.policy, T0 + 20, NULL), NC_CAP_ERR_VERSION);
	cap_fixture_close(&f);
}

NC_TEST(cap_verify, oversized_fields_are_syntax_errors)
{
	cap_fixture_t f;
	size_t na, nb, nc;
	static char long_text[NC_CAP_MAX_SCOPE_BYTES + 2];
	make_pair(&f, &na, &nb);
	nc_mem_set(long_text, 'a', sizeof long_text);
	nc_cap_grant_t g = cap_grant("fs.read", "/etc/nexacore/notes", T0 + 10, T0 + 300);
	g.action = long_text;
	g.action_len = NC_CAP_MAX_ACTION_BYTES + 1;
	nc = cap_forge_append(c, sizeof c, b, nb, &g, FORGE_HONEST);
	NC_CHECK(nc > 0);
	NC_CHECK_EQ(nc_cap_verify(c, nc, &f.policy, T0 + 20, NULL), NC_CAP_ERR_BAD_ACTION);
	g = cap_grant("fs.read", "/etc/nexacore/notes", T0 + 10, T0 + 300);
	long_text[0] = '/';
	g.scope = long_text;
	g.scope_len = NC_CAP_MAX_SCOPE_BYTES + 1;
	nc = cap_forge_append(c, sizeof c, b, nb, &g, FORGE_HONEST);
	NC_CHECK(nc > 0);
	NC_CHECK_EQ(nc_cap_verify(c, nc, &f.policy, T0 + 20, NULL), NC_CAP_ERR_BAD_SCOPE);
	cap_fixture_close(&f);
}

NC_TEST(cap_verify, attenuating_with_a_wrong_proof_fails)
{
	cap_fixture_t f;
	size_t na, nb, nc;
	make_pair(&f, &na, &nb);
	nc_mem_copy(c, b, nb);
	c[nb - 1] ^= 1;
	nc_cap_grant_t g = cap_grant("fs.read", "/etc/nexacore/notes", T0 + 10, T0 + 300);
	NC_CHECK_EQ(nc_cap_verify(c, nb, &f.policy, T0 + 20, NULL), NC_CAP_ERR_BAD_PROOF);
	NC_CHECK_EQ(nc_cap_attenuate(a, sizeof a, &nc, c, nb, &g), NC_CAP_ERR_BAD_PROOF);
	NC_CHECK_EQ(nc, 0);
	cap_fixture_close(&f);
}
