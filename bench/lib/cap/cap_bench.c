/* Token verification and attenuation cost for chains of 1..8 links, as a
 * ratio to the named baseline measured in the same run: one bare Ed25519
 * verification (nc_crypto_ed25519_verify of a 200-byte message, libsodium).
 * Each figure is the median of ROUNDS rounds; rounds interleave baseline and
 * subjects so that clock or load drift affects both alike. */
#define _POSIX_C_SOURCE 200809L
#include <nc/cap.h>
#include <nc/crypto.h>
#include <nc/mem.h>
#include <nc/tee_dev.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define ROUNDS 7
#define NOW 1700000100u

static uint8_t chains[NC_CAP_MAX_LINKS + 1][NC_CAP_MAX_TOKEN_BYTES];
static size_t chain_len[NC_CAP_MAX_LINKS + 1];
static nc_cap_policy_t policy;
static nc_tee_t tee;
static nc_tee_dev_t mock;
static nc_cap_issuer_t issuer;
static uint8_t root[1][32];
static uint8_t msg[200], sig[64], pk[32];
static volatile int sink;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool tee_sign(void *ctx, uint8_t s[NC_CAP_SIG_BYTES], const uint8_t *m, size_t n)
{
	return nc_tee_sign(ctx, s, m, n) == NC_TEE_OK;
}

static void set_up(void)
{
	uint8_t secret[32], sk[64], seed[32];
	nc_mem_set(secret, 7, sizeof secret);
	nc_tee_dev_open(&tee, &mock, secret, sizeof secret, NULL);
	issuer = (nc_cap_issuer_t){ .sign = tee_sign, .ctx = &tee };
	nc_tee_public_key(&tee, issuer.public_key);
	nc_mem_copy(root[0], issuer.public_key, 32);
	policy.roots = (const uint8_t(*)[32])root;
	policy.n_roots = 1;
	/* chains[k] has k links, each narrower than the last. */
	static const char *const scopes[] = { "/srv", "/srv/a", "/srv/a/b", "/srv/a/b/c", "/srv/a/b/c/d",
					      "/srv/a/b/c/d/e", "/srv/a/b/c/d/e/f", "/srv/a/b/c/d/e/f/g" };
	nc_cap_grant_t g = { "fs.read", 7, scopes[0], 4, NOW - 100, NOW + 3000 };
	if (nc_cap_mint(chains[1], NC_CAP_MAX_TOKEN_BYTES, &chain_len[1], &g, &issuer) != NC_CAP_OK)
		abort();
	for (size_t k = 2; k <= NC_CAP_MAX_LINKS; k++) {
		g.scope = scopes[k - 1];
		g.scope_len = nc_str_len(scopes[k - 1]);
		if (nc_cap_attenuate(chains[k], NC_CAP_MAX_TOKEN_BYTES, &chain_len[k], chains[k - 1],
				     chain_len[k - 1], &g) != NC_CAP_OK)
			abort();
	}
	nc_mem_set(seed, 3, sizeof seed);
	nc_crypto_ed25519_keypair(pk, sk, seed);
	nc_crypto_ed25519_sign(sig, msg, sizeof msg, sk);
}

/* ns per call of op(arg) over iters calls. */
static double time_op(void (*op)(size_t), size_t arg, int iters)
{
	uint64_t t0 = now_ns();
	for (int i = 0; i < iters; i++)
		op(arg);
	return (double)(now_ns() - t0) / iters;
}

static void op_baseline(size_t unused)
{
	sink += nc_crypto_ed25519_verify(sig, msg, sizeof msg, pk);
}

static void op_verify(size_t k)
{
	if (nc_cap_verify(chains[k], chain_len[k], &policy, NOW, NULL) != NC_CAP_OK)
		abort();
}

static void op_mint(size_t unused) /* a chain of 1 link, signed by the mock TEE */
{
	static uint8_t out[NC_CAP_MAX_TOKEN_BYTES];
	size_t n;
	nc_cap_grant_t g = { "fs.read", 7, "/srv", 4, NOW - 100, NOW + 3000 };
	if (nc_cap_mint(out, sizeof out, &n, &g, &issuer) != NC_CAP_OK)
		abort();
}

static void op_attenuate(size_t k) /* chain of k-1 links -> k links */
{
	static uint8_t out[NC_CAP_MAX_TOKEN_BYTES];
	size_t n;
	nc_cap_grant_t g = { "fs.read", 7, "/srv/a/b/c/d/e/f/g/h", 20, NOW - 100, NOW + 3000 };
	if (nc_cap_attenuate(out, sizeof out, &n, chains[k - 1], chain_len[k - 1], &g) != NC_CAP_OK)
		abort();
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v)
{
	qsort(v, ROUNDS, sizeof *v, cmp_double);
	return v[ROUNDS / 2];
}

int main(void)
{
	static double base[ROUNDS], verify[NC_CAP_MAX_LINKS + 1][ROUNDS], att[NC_CAP_MAX_LINKS + 1][ROUNDS];
	if (nc_crypto_init() != NC_CRYPTO_OK)
		return 1;
	set_up();
	for (int r = 0; r < ROUNDS; r++) {
		base[r] = time_op(op_baseline, 0, 400);
		for (size_t k = 1; k <= NC_CAP_MAX_LINKS; k++) {
			verify[k][r] = time_op(op_verify, k, 400 / (int)k);
			att[k][r] = time_op(k == 1 ? op_mint : op_attenuate, k, 200);
		}
	}
	double b = median(base);
	printf("cap_bench: baseline = one Ed25519 verify (libsodium, 200-byte message): %.0f ns\n", b);
	printf("%-28s %12s %8s\n", "operation", "ns/op", "ratio");
	for (size_t k = 1; k <= NC_CAP_MAX_LINKS; k++) {
		double v = median(verify[k]);
		printf("verify chain=%-15zu %12.0f %8.2f\n", k, v, v / b);
	}
	double m = median(att[1]);
	printf("%-28s %12.0f %8.2f\n", "mint (chain=1)", m, m / b);
	for (size_t k = 2; k <= NC_CAP_MAX_LINKS; k++) {
		double a = median(att[k]);
		printf("attenuate %zu->%-14zu %12.0f %8.2f\n", k - 1, k, a, a / b);
	}
	nc_tee_close(&tee);
	return 0;
}
