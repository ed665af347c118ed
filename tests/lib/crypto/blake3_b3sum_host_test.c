/* lib/crypto BLAKE3 against Debian's b3sum (the Rust implementation), run as
 * a subprocess on random inputs of random lengths up to 1 MiB. Host-only (a
 * subprocess and temporary files); the official vectors are blake3_test.c. */
#define _POSIX_C_SOURCE 200809L /* popen, mkstemp */
#include "nc_test.h"
#include <nc/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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
