/* Minting and attenuation, and the encoded layout checked field by field
 * against the format documented in nc/cap.h. */
#include "nc_test.h"
#include "cap_test_util.h"
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/wire.h>

static uint8_t tok[NC_CAP_MAX_TOKEN_BYTES], tok2[NC_CAP_MAX_TOKEN_BYTES];

NC_TEST(cap_mint, layout_is_documented_postcard)
{
	cap_fixture_t f;
	size_t n;
	cap_fixture_open(&f, 1);
	nc_cap_grant_t g = cap_grant("fs.read", "/etc/nexacore", T0, T0 + 300);
	NC_CHECK_EQ(nc_cap_mint(tok, sizeof tok, &n, &g, &f.issuer), NC_CAP_OK);
	/* 1 (count) + 4 + 1 + 16 + 16 + 8 + 14 + 5 + 5 + 1 + 32 + 64 + 32 */
	NC_CHECK_EQ(n, 199);
	nc_wire_reader_t r;
	nc_wire_reader_init(&r, tok, n);
	size_t count, sl, al;
	uint8_t magic[4], version, id[16], issuer[16], next_key[32], sig[64], seed[32], want_issuer[16];
	const char *action, *scope;
	uint64_t nb, na;
	bool has_parent;
	nc_wire_decode_len(&r, 100, &count);
	nc_wire_decode_raw(&r, magic, 4);
	nc_wire_decode_u8(&r, &version);
	nc_wire_decode_raw(&r, id, 16);
	nc_wire_decode_raw(&r, issuer, 16);
	nc_wire_decode_str(&r, 100, &action, &al);
	nc_wire_decode_str(&r, 100, &scope, &sl);
	nc_wire_decode_u64(&r, &nb);
	nc_wire_decode_u64(&r, &na);
	nc_wire_decode_option(&r, &has_parent);
	nc_wire_decode_raw(&r, next_key, 32);
	size_t body_end = r.pos;
	nc_wire_decode_raw(&r, sig, 64);
	nc_wire_decode_raw(&r, seed, 32);
	NC_CHECK_EQ(nc_wire_reader_finish(&r), NC_WIRE_OK);
	NC_CHECK_EQ(count, 1);
	NC_CHECK(nc_mem_compare(magic, "NCAP", 4) == 0);
	NC_CHECK_EQ(version, 1);
	nc_cap_key_id(want_issuer, f.issuer.public_key);
	NC_CHECK(nc_mem_compare(issuer, want_issuer, 16) == 0);
	NC_CHECK(al == 7 && nc_mem_compare(action, "fs.read", 7) == 0);
	NC_CHECK(sl == 13 && nc_mem_compare(scope, "/etc/nexacore", 13) == 0);
	NC_CHECK(nb == T0 && na == T0 + 300 && !has_parent);
	/* The signature is the root key's over the body bytes. */
	NC_CHECK_EQ(nc_crypto_ed25519_verify(sig, tok + 1, body_end - 1, f.issuer.public_key), NC_CRYPTO_OK);
	/* The proof is the seed of next_key. */
	uint8_t pk[32], sk[64];
	nc_crypto_ed25519_keypair(pk, sk, seed);
	NC_CHECK(nc_mem_compare(pk, next_key, 32) == 0);
	cap_fixture_close(&f);
}

NC_TEST(cap_mint, rejects_bad_grants)
{
	cap_fixture_t f;
	size_t n;
	cap_fixture_open(&f, 1);
	nc_cap_grant_t g = cap_grant("fs.read", "/etc", T0, T0);
	NC_CHECK_EQ(nc_cap_mint(tok, sizeof tok, &n, &g, &f.issuer), NC_CAP_ERR_BAD_WINDOW);
	g = cap_grant("fs.read", "/etc", T0, T0 + NC_CAP_MAX_TTL_S + 1);
	NC_CHECK_EQ(nc_cap_mint(tok, sizeof tok, &n, &g, &f.issuer), NC_CAP_ERR_BAD_WINDOW);
	g = cap_grant("fs.read", "/etc", T0, T0 + NC_CAP_MAX_TTL_S);
	NC_CHECK_EQ(nc_cap_mint(tok, sizeof tok, &n, &g, &f.issuer), NC_CAP_OK);
	g = cap_grant("Fs.read", "/etc", T0, T0 + 1);
	NC_CHECK_EQ(nc_cap_mint(tok, sizeof tok, &n, &g, &f.issuer), NC_CAP_ERR_BAD_ACTION);
	g = cap_grant("fs.read", "/etc/../..", T0, T0 + 1);
	NC_CHECK_EQ(nc_cap_mint(tok, sizeof tok, &n, &g, &f.issuer), NC_CAP_ERR_BAD_SCOPE);
	g = cap_grant("fs.read", "", T0, T0 + 1);
	NC_CHECK_EQ(nc_cap_mint(tok, sizeof tok, &n, &g, &f.issuer), NC_CAP_ERR_BAD_SCOPE);
	g = cap_grant("fs.read", "/etc", T0, T0 + 1);
	NC_CHECK_EQ(nc_cap_mint(tok, 100, &n, &g, &f.issuer), NC_CAP_ERR_BUFFER);
	NC_CHECK_EQ(n, 0);
	cap_fixture_close(&f);
}

static bool failing_sign(void *ctx, uint8_t *sig, const uint8_t *msg, size_t n) { return false; }
static bool no_random(void *ctx, uint8_t *buf, size_t n) { return false; }

NC_TEST(cap_mint, signer_and_random_failures)
{
	cap_fixture_t f;
	size_t n;
	cap_fixture_open(&f, 1);
	nc_cap_grant_t g = cap_grant("fs.read", "/etc", T0, T0 + 1);
	nc_cap_issuer_t bad = f.issuer;
	bad.sign = failing_sign;
	NC_CHECK_EQ(nc_cap_mint(tok, sizeof tok, &n, &g, &bad), NC_CAP_ERR_SIGNER);
	NC_CHECK_EQ(nc_cap_mint(tok, sizeof tok, &n, &g, &f.issuer), NC_CAP_OK);
	size_t tok_len = n;
	nc_crypto_set_random(no_random, NULL);
	NC_CHECK_EQ(nc_cap_mint(tok2, sizeof tok2, &n, &g, &f.issuer), NC_CAP_ERR_NO_RANDOM);
	NC_CHECK_EQ(nc_cap_attenuate(tok2, sizeof tok2, &n, tok, tok_len, &g), NC_CAP_ERR_NO_RANDOM);
	cap_fixture_close(&f);
}

NC_TEST(cap_attenuate, chain_to_the_limit)
{
	cap_fixture_t f;
	size_t n;
	cap_fixture_open(&f, 2);
	nc_cap_grant_t g = cap_grant("fs", "/", T0, T0 + 3600);
	NC_CHECK_EQ(nc_cap_mint(tok, sizeof tok, &n, &g, &f.issuer), NC_CAP_OK);
	static const char *const scopes[] = { "/etc", "/etc/nexacore", "/etc/nexacore/notes",
					      "/etc/nexacore/notes/a", "/etc/nexacore/notes/a/b",
					      "/etc/nexacore/notes/a/b/c", "/etc/nexacore/notes/a/b/c/d" };
	for (int i = 0; i < 7; i++) {
		nc_cap_grant_t c = cap_grant(i < 3 ? "fs" : "fs.read", scopes[i], T0 + (uint64_t)i, T0 + 3600 - (uint64_t)i);
		size_t m;
		NC_CHECK_EQ(nc_cap_attenuate(tok2, sizeof tok2, &m, tok, n, &c), NC_CAP_OK);
		nc_mem_copy(tok, tok2, m);
		n = m;
		nc_cap_grant_t eff;
		NC_CHECK_EQ(nc_cap_verify(tok, n, &f.policy, T0 + 10, &eff), NC_CAP_OK);
		NC_CHECK(eff.scope_len == nc_str_len(scopes[i]));
		NC_CHECK(eff.not_before_s == T0 + (uint64_t)i);
	}
	nc_cap_grant_t c = cap_grant("fs.read", "/etc/nexacore/notes/a/b/c/d", T0 + 8, T0 + 100);
	NC_CHECK_EQ(nc_cap_attenuate(tok2, sizeof tok2, &n, tok, n, &c), NC_CAP_ERR_TOO_MANY_LINKS);
	cap_fixture_close(&f);
}

NC_TEST(cap_attenuate, refuses_to_widen)
{
	cap_fixture_t f;
	size_t n, m;
	cap_fixture_open(&f, 3);
	nc_cap_grant_t g = cap_grant("fs.read", "/etc/nexacore", T0, T0 + 600);
	NC_CHECK_EQ(nc_cap_mint(tok, sizeof tok, &n, &g, &f.issuer), NC_CAP_OK);
	nc_cap_grant_t wider[] = {
		cap_grant("fs", "/etc/nexacore", T0, T0 + 600),
		cap_grant("fs.write", "/etc/nexacore", T0, T0 + 600),
		cap_grant("fs.read", "/etc", T0, T0 + 600),
		cap_grant("fs.read", "/etc/nexacore2", T0, T0 + 600),
		cap_grant("fs.read", "/etc/nexacore/../passwd", T0, T0 + 600),
		cap_grant("fs.read", "*", T0, T0 + 600),
		cap_grant("fs.read", "/etc/nexacore", T0 - 1, T0 + 600),
		cap_grant("fs.read", "/etc/nexacore", T0, T0 + 601),
	};
	for (size_t i = 0; i < sizeof wider / sizeof wider[0]; i++)
		NC_CHECK_EQ(nc_cap_attenuate(tok2, sizeof tok2, &m, tok, n, &wider[i]), NC_CAP_ERR_WIDENED);
	nc_cap_grant_t same = g;
	NC_CHECK_EQ(nc_cap_attenuate(tok2, sizeof tok2, &m, tok, n, &same), NC_CAP_OK);
	NC_CHECK_EQ(nc_cap_attenuate(tok2, n + 50, &m, tok, n, &same), NC_CAP_ERR_BUFFER);
	cap_fixture_close(&f);
}
