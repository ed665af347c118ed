/* Minting (root link, signed by the issuer) and attenuation (a link appended
 * and signed with the token's proof key). Every fresh link gets a fresh key
 * pair; only its seed leaves, as the new token's proof. */
#include <nc/cap.h>
#include <nc/crypto.h>
#include <nc/mem.h>
#include "cap_internal.h"

typedef struct {
	uint8_t seed[CAP_SEED_BYTES]; /* the proof handed to the holder */
	uint8_t pk[NC_CAP_PUBLIC_KEY_BYTES];
} next_key_t;

/* Draw the new link's id and next key. */
static nc_cap_err_t draw_link(nc_cap_link_t *l, next_key_t *nk)
{
	uint8_t sk[NC_CRYPTO_ED25519_SECRET_BYTES];
	if (nc_crypto_random(l->id, sizeof l->id) != NC_CRYPTO_OK ||
	    nc_crypto_random(nk->seed, sizeof nk->seed) != NC_CRYPTO_OK)
		return NC_CAP_ERR_NO_RANDOM;
	nc_crypto_ed25519_keypair(nk->pk, sk, nk->seed);
	nc_crypto_wipe(sk, sizeof sk);
	nc_mem_copy(l->next_key, nk->pk, sizeof nk->pk);
	l->version = NC_CAP_VERSION;
	return NC_CAP_OK;
}

/* Sign function for a key we hold (attenuation). */
typedef struct {
	uint8_t sk[NC_CRYPTO_ED25519_SECRET_BYTES];
} held_key_t;

static bool sign_with_held(void *ctx, uint8_t sig[NC_CAP_SIG_BYTES], const uint8_t *msg, size_t n)
{
	held_key_t *k = ctx;
	nc_crypto_ed25519_sign(sig, msg, n, k->sk);
	return true;
}

/* Write body, signature and proof after whatever w already holds. */
static nc_cap_err_t finish_token(nc_wire_writer_t *w, const nc_cap_link_t *l, const next_key_t *nk,
				 bool (*sign)(void *, uint8_t *, const uint8_t *, size_t), void *ctx)
{
	size_t body_start = w->len_bytes;
	uint8_t sig[NC_CAP_SIG_BYTES];
	cap_encode_body(w, l);
	if (w->err != NC_WIRE_OK)
		return NC_CAP_ERR_BUFFER;
	if (!sign(ctx, sig, w->buf + body_start, w->len_bytes - body_start))
		return NC_CAP_ERR_SIGNER;
	nc_wire_encode_raw(w, sig, sizeof sig);
	nc_wire_encode_raw(w, nk->seed, sizeof nk->seed);
	return w->err == NC_WIRE_OK ? NC_CAP_OK : NC_CAP_ERR_BUFFER;
}

nc_cap_err_t nc_cap_mint(uint8_t *out, size_t cap_bytes, size_t *out_len, const nc_cap_grant_t *g,
			 const nc_cap_issuer_t *issuer)
{
	*out_len = 0;
	nc_cap_err_t err = cap_check_grant(g);
	if (err != NC_CAP_OK)
		return err;
	nc_cap_link_t l = { .grant = *g, .has_parent = false };
	next_key_t nk;
	err = draw_link(&l, &nk);
	if (err == NC_CAP_OK) {
		nc_wire_writer_t w;
		nc_cap_key_id(l.issuer, issuer->public_key);
		nc_wire_writer_init(&w, out, cap_bytes);
		nc_wire_encode_len(&w, 1);
		err = finish_token(&w, &l, &nk, issuer->sign, issuer->ctx);
		*out_len = err == NC_CAP_OK ? w.len_bytes : 0;
	}
	nc_crypto_wipe(&nk, sizeof nk);
	if (err != NC_CAP_OK)
		nc_crypto_wipe(out, cap_bytes);
	return err;
}

/* Read tok through to its proof; *last is its last link, *links_end the
 * offset just after it. */
static nc_cap_err_t read_token(const uint8_t *tok, size_t tok_len, nc_cap_link_t *last,
			       nc_cap_cursor_t *c, size_t *links_end, uint8_t seed[CAP_SEED_BYTES])
{
	nc_cap_err_t err = nc_cap_cursor_init(c, tok, tok_len);
	while (err == NC_CAP_OK && c->next_link < c->n_links)
		err = nc_cap_cursor_next(c, last);
	*links_end = c->pos;
	return err == NC_CAP_OK ? nc_cap_cursor_proof(c, seed) : err;
}

nc_cap_err_t nc_cap_attenuate(uint8_t *out, size_t cap_bytes, size_t *out_len, const uint8_t *tok,
			      size_t tok_len, const nc_cap_grant_t *g)
{
	nc_cap_link_t last, l;
	nc_cap_cursor_t c;
	size_t links_end;
	uint8_t seed[CAP_SEED_BYTES], pk[NC_CAP_PUBLIC_KEY_BYTES];
	held_key_t key;
	next_key_t nk;
	*out_len = 0;
	nc_cap_err_t err = read_token(tok, tok_len, &last, &c, &links_end, seed);
	if (err != NC_CAP_OK)
		return err;
	if (c.n_links >= NC_CAP_MAX_LINKS)
		err = NC_CAP_ERR_TOO_MANY_LINKS;
	if (err == NC_CAP_OK)
		err = cap_check_grant(g);
	if (err == NC_CAP_OK && !cap_grant_within(&last.grant, g))
		err = NC_CAP_ERR_WIDENED;
	nc_crypto_ed25519_keypair(pk, key.sk, seed);
	nc_crypto_wipe(seed, sizeof seed);
	if (err == NC_CAP_OK && !nc_crypto_equal(pk, last.next_key, sizeof pk))
		err = NC_CAP_ERR_BAD_PROOF;
	l = (nc_cap_link_t){ .grant = *g, .has_parent = true };
	if (err == NC_CAP_OK)
		err = draw_link(&l, &nk);
	if (err == NC_CAP_OK) {
		nc_wire_writer_t w;
		nc_mem_copy(l.parent, last.id, sizeof l.parent);
		nc_cap_key_id(l.issuer, last.next_key);
		nc_wire_writer_init(&w, out, cap_bytes);
		nc_wire_encode_len(&w, c.n_links + 1);
		nc_wire_encode_raw(&w, tok + c.links_start, links_end - c.links_start);
		err = finish_token(&w, &l, &nk, sign_with_held, &key);
		*out_len = err == NC_CAP_OK ? w.len_bytes : 0;
	}
	nc_crypto_wipe(&key, sizeof key);
	nc_crypto_wipe(&nk, sizeof nk);
	if (err != NC_CAP_OK)
		nc_crypto_wipe(out, cap_bytes);
	return err;
}
