/* nc_sort: every order of input ends sorted and a permutation of itself, odd
 * element sizes work, and the comparison count stays within the documented
 * 2 n log2(n) + 2 n on the inputs that are worst for naive sorts. */
#include "nc_test.h"
#include <nc/mem.h>
#include <nc/sort.h>

static unsigned long n_compares;

static int cmp_u32(const void *a, const void *b, void *ctx)
{
	(void)ctx;
	n_compares++;
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static uint64_t rng = 2463534242u;

enum { MAX_N = 4096, VALUES = 64 };
static uint32_t v[MAX_N];

/* Fill v[0..n) in pattern p: 0 random, 1 ascending, 2 descending, 3 all equal,
 * 4 sawtooth, 5 two values (organ pipe halves). Values stay below VALUES. */
static void fill(unsigned p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = p == 0 ? nc_test_random(&rng) % VALUES : p == 1 ? (uint32_t)(i * VALUES / n)
		     : p == 2 ? (uint32_t)((n - 1 - i) * VALUES / n) : p == 3 ? 7
		     : p == 4 ? (uint32_t)(i % 5) : (uint32_t)(i < n / 2);
}

static unsigned log2_ceil(size_t n)
{
	unsigned k = 0;
	while (((size_t)1 << k) < n)
		k++;
	return k;
}

NC_TEST(sort, sorts_every_pattern_within_the_comparison_bound)
{
	static const size_t sizes[] = {0, 1, 2, 3, 7, 64, 255, 1000, MAX_N};
	for (unsigned p = 0; p < 6; p++)
		for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
			size_t n = sizes[s];
			unsigned count_before[VALUES] = {0}, count_after[VALUES] = {0};
			fill(p, n);
			for (size_t i = 0; i < n; i++)
				count_before[v[i]]++;
			n_compares = 0;
			nc_sort(v, n, sizeof v[0], cmp_u32, NULL);
			for (size_t i = 0; i < n; i++)
				count_after[v[i]]++;
			for (size_t i = 1; i < n; i++)
				NC_CHECK(v[i - 1] <= v[i]);
			NC_CHECK(nc_mem_compare(count_before, count_after, sizeof count_before) == 0);
			NC_CHECK(n_compares <= 2 * n * log2_ceil(n) + 2 * n);
		}
}

/* Three-byte records sorted by their first byte, the tie broken by the second
 * (as the header advises for a deterministic order). */
static int cmp_rec3(const void *a, const void *b, void *ctx)
{
	const uint8_t *x = a, *y = b;
	(void)ctx;
	return x[0] != y[0] ? x[0] - y[0] : x[1] - y[1];
}

NC_TEST(sort, odd_element_size_and_tie_break)
{
	uint8_t r[3 * 200];
	for (int i = 0; i < 200; i++) {
		r[3 * i] = (uint8_t)(nc_test_random(&rng) % 4);
		r[3 * i + 1] = (uint8_t)i;        /* original position: the tie-break */
		r[3 * i + 2] = (uint8_t)(r[3 * i] ^ 0x5a);
	}
	nc_sort(r, 200, 3, cmp_rec3, NULL);
	for (int i = 0; i < 200; i++) {
		NC_CHECK_EQ(r[3 * i + 2], r[3 * i] ^ 0x5a);  /* records moved whole */
		if (i)
			NC_CHECK(r[3 * i - 3] < r[3 * i] || (r[3 * i - 3] == r[3 * i] && r[3 * i - 2] < r[3 * i + 1]));
	}
}
