/* lib/crypto BLAKE3 against two independent oracles: every case of the
 * official test_vectors.json (../shared/vectors/blake3, all three modes, the
 * full 131-byte extended output and shorter prefixes, one-shot, incremental
 * and seeking), and Debian's b3sum (the Rust implementation) run as a
 * subprocess on random inputs of random lengths up to 1 MiB. */
#define _POSIX_C_SOURCE 200809L /* popen, mkstemp */
#include "nc_test.h"
#include "json_host.h"
#include <nc/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define B3_VECTORS "../shared/vectors/blake3/test_vectors.json"
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
	if (memcmp(out, want, want_len) != 0)
		return false;
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		nc_crypto_blake3_finalize(h, 0, out, lens[i]);
		if (memcmp(out, want, lens[i]) != 0)
			return false;
	}
	/* Seeking: bytes [40, want_len) on their own. */
	nc_crypto_blake3_finalize(h, 40, out, want_len - 40);
	return memcmp(out, want + 40, want_len - 40) == 0;
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
	json_t *doc = json_load_file(B3_VECTORS);
	NC_CHECK(doc != NULL);
	const char *key = json_str(json_get(doc, "key"));
	const char *ctx = json_str(json_get(doc, "context_string"));
	const json_t *cases = json_get(doc, "cases");
	size_t n_cases = json_len(cases), n_bad = 0;
	for (size_t i = 0; i < n_cases; i++) {
		const json_t *c = json_at(cases, i);
		size_t in_len = (size_t)json_num(json_get(c, "input_len")), hl, kl, dl;
		uint8_t *in = malloc(in_len + 1);
		fill_pattern(in, in_len);
		uint8_t *hash = json_hex(c, "hash", &hl), *keyed = json_hex(c, "keyed_hash", &kl);
		uint8_t *derived = json_hex(c, "derive_key", &dl);
		bool ok = hash && keyed && derived && hl <= MAX_XOF && kl <= MAX_XOF && dl <= MAX_XOF;
		for (int pieces = 0; ok && pieces < 2; pieces++) {
			nc_crypto_blake3_t h;
			nc_crypto_blake3_init(&h);
			if (pieces) update_in_pieces(&h, in, in_len); else nc_crypto_blake3_update(&h, in, in_len);
			ok = ok && check_mode(&h, hash, hl);
			nc_crypto_blake3_init_keyed(&h, (const uint8_t *)key);
			if (pieces) update_in_pieces(&h, in, in_len); else nc_crypto_blake3_update(&h, in, in_len);
			ok = ok && check_mode(&h, keyed, kl);
			nc_crypto_blake3_init_derive_key(&h, ctx, strlen(ctx));
			if (pieces) update_in_pieces(&h, in, in_len); else nc_crypto_blake3_update(&h, in, in_len);
			ok = ok && check_mode(&h, derived, dl);
		}
		uint8_t one_shot[NC_CRYPTO_BLAKE3_BYTES];
		nc_crypto_blake3(one_shot, sizeof one_shot, in, in_len);
		ok = ok && memcmp(one_shot, hash, sizeof one_shot) == 0;
		if (!ok && ++n_bad <= 5)
			nc_test_note("input_len %zu differs", in_len);
		free(in), free(hash), free(keyed), free(derived);
	}
	json_free(doc);
	nc_test_note("BLAKE3 official vectors: %zu cases, %zu wrong", n_cases, n_bad);
	NC_CHECK(n_cases >= 30);
	NC_CHECK_EQ(n_bad, 0);
}

/* b3sum's hex digest of path with --length out_len, into hex (2*out_len+1). */
static bool b3sum_file(const char *path, size_t out_len, char *hex)
{
	char cmd[512];
	snprintf(cmd, sizeof cmd, "b3sum --no-names --length %zu '%s'", out_len, path);
	FILE *p = popen(cmd, "r");
	if (!p)
		return false;
	size_t got = fread(hex, 1, 2 * out_len, p);
	hex[got] = '\0';
	return pclose(p) == 0 && got == 2 * out_len;
}

NC_TEST(crypto_blake3, random_inputs_match_b3sum)
{
	enum { N_INPUTS = 24, MAX_LEN = 1 << 20, OUT_LEN = 64 };
	const char *seed_env = getenv("NC_B3_SEED");
	unsigned seed = seed_env ? (unsigned)strtoul(seed_env, NULL, 0) : (unsigned)time(NULL);
	nc_test_note("seed %u (rerun with NC_B3_SEED=%u)", seed, seed);
	srand(seed);
	char path[] = "/tmp/nc_b3_XXXXXX";
	int fd = mkstemp(path);
	NC_CHECK(fd >= 0);
	close(fd);
	uint8_t *buf = malloc(MAX_LEN);
	size_t n_bad = 0;
	for (int i = 0; i < N_INPUTS; i++) {
		/* The first two lengths pin the ends of the range. */
		size_t len = i == 0 ? 0 : i == 1 ? MAX_LEN : (size_t)rand() % (MAX_LEN + 1);
		for (size_t k = 0; k < len; k++)
			buf[k] = (uint8_t)rand();
		FILE *f = fopen(path, "wb");
		bool ok = f && fwrite(buf, 1, len, f) == len;
		if (f)
			fclose(f);
		char want[2 * OUT_LEN + 1], got[2 * OUT_LEN + 1];
		uint8_t out[OUT_LEN];
		ok = ok && b3sum_file(path, OUT_LEN, want);
		nc_crypto_blake3(out, OUT_LEN, buf, len);
		for (int k = 0; k < OUT_LEN; k++)
			snprintf(got + 2 * k, 3, "%02x", out[k]);
		if (!ok || strcmp(got, want) != 0) {
			if (++n_bad <= 5)
				nc_test_note("length %zu: b3sum %s, ours %s", len, want, got);
		}
	}
	free(buf);
	unlink(path);
	NC_CHECK_EQ(n_bad, 0);
}
