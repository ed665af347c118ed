/* See cap_test_util.h. */
#include "cap_test_util.h"
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/wire.h>

static uint64_t rng_counter;

/* Deterministic test randomness: BLAKE3 XOF of a counter. */
static bool test_random(void *ctx, uint8_t *buf, size_t n)
{
	nc_crypto_blake3_t h;
	nc_crypto_blake3_init(&h);
	nc_crypto_blake3_update(&h, &rng_counter, sizeof rng_counter);
	nc_crypto_blake3_finalize(&h, 0, buf, n);
	rng_counter++;
	return true;
}

static bool tee_sign(void *ctx, uint8_t sig[NC_CAP_SIG_BYTES], const uint8_t *msg, size_t n)
{
	return nc_tee_sign(ctx, sig, msg, n) == NC_TEE_OK;
}

void cap_fixture_open(cap_fixture_t *f, uint8_t secret_byte)
{
	uint8_t secret[32];
	nc_mem_set(secret, secret_byte, sizeof secret);
	nc_mem_set(f, 0, sizeof *f);
	nc_crypto_set_random(test_random, NULL);
	nc_tee_dev_open(&f->tee, &f->mock, secret, sizeof secret, NULL);
	nc_tee_public_key(&f->tee, f->issuer.public_key);
	f->issuer.sign = tee_sign;
	f->issuer.ctx = &f->tee;
	nc_mem_copy(f->root[0], f->issuer.public_key, NC_CAP_PUBLIC_KEY_BYTES);
	f->policy.roots = (const uint8_t(*)[NC_CAP_PUBLIC_KEY_BYTES])f->root;
	f->policy.n_roots = 1;
}

void cap_fixture_close(cap_fixture_t *f)
{
	nc_tee_close(&f->tee);
	nc_crypto_set_random(NULL, NULL);
}

nc_cap_grant_t cap_grant(const char *action, const char *scope, uint64_t nb, uint64_t na)
{
	return (nc_cap_grant_t){ action, nc_str_len(action), scope, nc_str_len(scope), nb, na };
}

/* The forger: the new link's id is chosen_id, or drawn when NULL. */
static size_t forge(uint8_t *out, size_t cap, const uint8_t *tok, size_t tok_len, const nc_cap_grant_t *g,
		    forge_t how, const uint8_t *chosen_id)
{
	nc_cap_cursor_t c;
	nc_cap_link_t last;
	uint8_t seed[32], pk[32], sk[64], next_seed[32], next_pk[32], next_sk[64], id[16], issuer[16], sig[64];
	if (nc_cap_cursor_init(&c, tok, tok_len) != NC_CAP_OK)
		return 0;
	while (c.next_link < c.n_links)
		if (nc_cap_cursor_next(&c, &last) != NC_CAP_OK)
			return 0;
	size_t links_end = c.pos;
	if (nc_cap_cursor_proof(&c, seed) != NC_CAP_OK)
		return 0;
	nc_crypto_ed25519_keypair(pk, sk, seed);
	test_random(NULL, next_seed, 32);
	test_random(NULL, id, 16);
	if (chosen_id)
		nc_mem_copy(id, chosen_id, 16);
	nc_crypto_ed25519_keypair(next_pk, next_sk, next_seed);
	nc_cap_key_id(issuer, how == FORGE_WRONG_ISSUER ? next_pk : pk);
	uint8_t parent[16];
	nc_mem_copy(parent, how == FORGE_WRONG_PARENT ? id : last.id, 16);

	nc_wire_writer_t w;
	nc_wire_writer_init(&w, out, cap);
	nc_wire_encode_len(&w, c.n_links + 1);
	nc_wire_encode_raw(&w, tok + c.links_start, links_end - c.links_start);
	size_t body = w.len_bytes;
	nc_wire_encode_raw(&w, (const uint8_t *)"NCAP", 4);
	nc_wire_encode_u8(&w, 1);
	nc_wire_encode_raw(&w, id, 16);
	nc_wire_encode_raw(&w, issuer, 16);
	nc_wire_encode_str(&w, g->action, g->action_len);
	nc_wire_encode_str(&w, g->scope, g->scope_len);
	nc_wire_encode_u64(&w, g->not_before_s);
	nc_wire_encode_u64(&w, g->not_after_s);
	nc_wire_encode_option(&w, how != FORGE_NO_PARENT);
	if (how != FORGE_NO_PARENT)
		nc_wire_encode_raw(&w, parent, 16);
	nc_wire_encode_raw(&w, next_pk, 32);
	if (w.err != NC_WIRE_OK)
		return 0;
	nc_crypto_ed25519_sign(sig, out + body, w.len_bytes - body, sk);
	nc_wire_encode_raw(&w, sig, 64);
	nc_wire_encode_raw(&w, next_seed, 32);
	return w.err == NC_WIRE_OK ? w.len_bytes : 0;
}

size_t cap_forge_append(uint8_t *out, size_t cap, const uint8_t *tok, size_t tok_len,
			const nc_cap_grant_t *g, forge_t how)
{
	return forge(out, cap, tok, tok_len, g, how, NULL);
}

size_t cap_forge_append_id(uint8_t *out, size_t cap, const uint8_t *tok, size_t tok_len,
			   const nc_cap_grant_t *g, const uint8_t id[NC_CAP_ID_BYTES])
{
	return forge(out, cap, tok, tok_len, g, FORGE_HONEST, id);
}
