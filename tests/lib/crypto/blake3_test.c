/* lib/crypto BLAKE3 against every case of the official test_vectors.json
 * (vector file through vectors.h, on the host and inside NexaCore): all three
 * modes, the full 131-byte extended output and shorter prefixes, one-shot,
 * incremental and seeking. The b3sum oracle is host-only:
 * blake3_b3sum_host_test.c. */
#include "nc_test.h"
#include "vectors.h"
#include <nc/crypto.h>
#include <nc/mem.h>
#define MAX_XOF 256

static void fill_pattern(uint8_t *buf, size_t n)
{
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(i % 251);
}

/* Compare all of want[0..want_len) and the prefixes the XOF must agree with. */
static bool check_mode(const nc_crypto_blake3_t *h, const uint8_t *want, size_t want_len)
{
	static const size_t lens[] = { 1, 31, 32, 33, 63, 64, 65, 100 };
	uint8_t out[MAX_XOF];
	nc_crypto_blake3_finalize(h, 0, out, want_len);
	if (nc_mem_compare(out, want, want_len) != 0)
		return false;
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		nc_crypto_blake3_finalize(h, 0, out, lens[i]);
		if (nc_mem_compare(out, want, lens[i]) != 0)
			return false;
	}
	/* Seeking: bytes [40, want_len) on their own. */
	nc_crypto_blake3_finalize(h, 40, out, want_len - 40);
	return nc_mem_compare(out, want + 40, want_len - 40) == 0;
}

/* Feed input in uneven pieces, crossing block (64) and chunk (1024) borders. */
static void update_in_pieces(nc_crypto_blake3_t *h, const uint8_t *in, size_t n)
{
	static const size_t steps[] = { 1, 63, 64, 65, 1023, 1024, 1025, 7 };
	size_t off = 0;
	for (size_t k = 0; off < n; k++) {
		size_t step = steps[k % 8];
		if (step > n - off)
			step = n - off;
		nc_crypto_blake3_update(h, in + off, step);
		off += step;
	}
}

NC_TEST(crypto_blake3, official_vectors)
{
	json_t *doc = vec_load("blake3", "test_vectors.json");
	NC_CHECK(doc != NULL);
	const char *key = json_str(json_get(doc, "key"));
	const char *ctx = json_str(json_get(doc, "context_string"));
	const json_t *cases = json_get(doc, "cases");
	size_t n_cases = json_len(cases), n_bad = 0;
	for (size_t i = 0; i < n_cases; i++) {
		const json_t *c = json_at(cases, i);
		size_t in_len = (size_t)json_int(json_get(c, "input_len")), hl = 0, kl = 0, dl = 0;
		uint8_t *in = vec_malloc(in_len);
		if (in)
			fill_pattern(in, in_len);
		uint8_t *hash = vec_hex(c, "hash", &hl), *keyed = vec_hex(c, "keyed_hash", &kl);
		uint8_t *derived = vec_hex(c, "derive_key", &dl);
		bool ok = in && hash && keyed && derived && hl <= MAX_XOF && kl <= MAX_XOF && dl <= MAX_XOF;
		for (int pieces = 0; ok && pieces < 2; pieces++) {
			nc_crypto_blake3_t h;
			nc_crypto_blake3_init(&h);
			if (pieces) update_in_pieces(&h, in, in_len); else nc_crypto_blake3_update(&h, in, in_len);
			ok = ok && check_mode(&h, hash, hl);
			nc_crypto_blake3_init_keyed(&h, (const uint8_t *)key);
			if (pieces) update_in_pieces(&h, in, in_len); else nc_crypto_blake3_update(&h, in, in_len);
			ok = ok && check_mode(&h, keyed, kl);
			nc_crypto_blake3_init_derive_key(&h, ctx, nc_str_len(ctx));
			if (pieces) update_in_pieces(&h, in, in_len); else nc_crypto_blake3_update(&h, in, in_len);
			ok = ok && check_mode(&h, derived, dl);
		}
		uint8_t one_shot[NC_CRYPTO_BLAKE3_BYTES];
		if (ok)
			nc_crypto_blake3(one_shot, sizeof one_shot, in, in_len);
		ok = ok && nc_mem_compare(one_shot, hash, sizeof one_shot) == 0;
		if (!ok && ++n_bad <= 5)
			nc_test_note("input_len %zu differs", in_len);
		vec_free(in, in_len), vec_free(hash, hl + 1), vec_free(keyed, kl + 1), vec_free(derived, dl + 1);
	}
	json_free(doc);
	nc_test_note("BLAKE3 official vectors: %zu cases, %zu wrong", n_cases, n_bad);
	NC_CHECK(n_cases >= 30);
	NC_CHECK_EQ(n_bad, 0);
}
