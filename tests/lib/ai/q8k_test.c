/* The activation quantizer of the K-quant products (lib/ai/q8k.c and its
 * AVX2 twin in kquant_avx2.c): per 256 elements d = max|x| / 127 and
 * q = x / d rounded to nearest, ties to even (|q| <= 127), with the sums of q
 * over each 16 elements. Hand-picked blocks with d = 1 and d = 0.5 (so every
 * q, ties included, is worked out by hand), an all-zero block and one with a
 * NaN; then properties on random blocks, and the AVX2 quantizer bit for bit
 * against the portable one. */
#include "../../../lib/ai/ai_int.h"

#include <nc/mem.h>
#include <nc_test.h>

static double fabs_d(double v)
{
	return v < 0 ? -v : v;
}

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

#define QBLOCKS 4

/* Four blocks of hand-picked values:
 *   block 0: max|x| = 127, so d = 1 and q = x rounded, ties to even;
 *   block 1: max|x| = 63.5, d = 0.5, q = 2x rounded;
 *   block 2: all zero: d = 0, q = 0;
 *   block 3: a NaN (q 0) beside max|x| = 2 (q 127, d = 2/127). */
static void hand_activations(float *x)
{
	nc_mem_set(x, 0, QBLOCKS * AI_QK_K * sizeof *x);
	x[0] = 127.0f;
	x[1] = -3.5f;  /* tie: -4 */
	x[2] = 2.5f;   /* tie: 2 */
	x[3] = 0.49f;
	x[4] = -0.5f;  /* tie: 0 */
	x[16] = -127.0f;
	x[17] = 1.5f;  /* tie: 2 */
	x[255] = -2.5f;
	float *y = x + AI_QK_K;
	y[0] = 1.25f;   /* 2.5: 2 */
	y[1] = 1.75f;   /* 3.5: 4 */
	y[5] = -63.5f;  /* -127 */
	y[40] = 0.3f;   /* 0.6: 1 */
	y[41] = -0.2f;  /* -0.4: 0 */
	float *z = x + 3 * AI_QK_K;
	z[0] = __builtin_nanf("");
	z[1] = 2.0f;
	z[2] = -1.0f;   /* -63.5: tie, -64 */
}

static bool hand_quant_ok(void (*quant)(const float *, size_t, ai_q8k_t *))
{
	static float x[QBLOCKS * AI_QK_K];
	static ai_q8k_t q[QBLOCKS];
	hand_activations(x);
	quant(x, QBLOCKS * AI_QK_K, q);
	static ai_q8k_t want[QBLOCKS];
	nc_mem_set(want, 0, sizeof want);
	want[0].d = 1.0f;
	want[0].q[0] = 127;
	want[0].q[1] = -4;
	want[0].q[2] = 2;
	want[0].q[16] = -127;
	want[0].q[17] = 2;
	want[0].q[255] = -2;
	want[0].bsums[0] = 127 - 4 + 2;
	want[0].bsums[1] = -127 + 2;
	want[0].bsums[15] = -2;
	want[1].d = 0.5f;
	want[1].q[0] = 2;
	want[1].q[1] = 4;
	want[1].q[5] = -127;
	want[1].q[40] = 1;
	want[1].bsums[0] = 2 + 4 - 127;
	want[1].bsums[2] = 1;
	want[3].d = 2.0f / 127.0f;
	want[3].q[1] = 127;
	want[3].q[2] = -64;
	want[3].bsums[0] = 127 - 64;
	for (size_t b = 0; b < QBLOCKS; b++)
		if (q[b].d != want[b].d || nc_mem_compare(q[b].q, want[b].q, AI_QK_K) != 0 ||
		    nc_mem_compare(q[b].bsums, want[b].bsums, sizeof want[b].bsums) != 0)
			return false;
	return true;
}

NC_TEST(ai_q8k, hand_values)
{
	NC_CHECK(hand_quant_ok(ai_quant_q8k));
	if (ai_cpu_has_avx2())
		NC_CHECK(hand_quant_ok(ai_quant_q8k_avx2));
}

/* Quantized activations are in range and reproduce x: |d q - x| <= d / 2,
 * the largest |x| gets |q| = 127, bsums are the sums of q. */
NC_TEST(ai_q8k, properties_and_avx2_bits)
{
	static float x[QBLOCKS * AI_QK_K];
	static ai_q8k_t q[QBLOCKS], qa[QBLOCKS];
	for (uint32_t seed = 1; seed <= 20; seed++) {
		uint32_t s = seed;
		for (size_t i = 0; i < QBLOCKS * AI_QK_K; i++)  /* [-2, 2]; block 3 [-20, 20] */
			x[i] = (float)((int)(lcg(&s) % 2001) - 1000) / (i / AI_QK_K == 3 ? 50.0f : 500.0f);
		if (seed % 2)  /* exact ties: multiples of d / 2 */
			for (size_t i = 0; i < AI_QK_K; i++)
				x[i] = (float)((int)(lcg(&s) % 509) - 254) * 0.5f;
		ai_quant_q8k(x, QBLOCKS * AI_QK_K, q);
		bool ok = true;
		for (size_t b = 0; b < QBLOCKS; b++) {
			const float *xb = x + b * AI_QK_K;
			double amax = 0;
			for (size_t i = 0; i < AI_QK_K; i++)
				amax = fabs_d(xb[i]) > amax ? fabs_d(xb[i]) : amax;
			ok &= fabs_d(q[b].d - amax / 127) <= 1e-6 * amax;
			bool hit_max = false;
			for (size_t i = 0; i < AI_QK_K; i++) {
				ok &= q[b].q[i] != -128;  /* int8: the range is [-127, 127] */
				ok &= fabs_d((double)q[b].d * q[b].q[i] - xb[i]) <= q[b].d * (0.5 + 1e-5);
				hit_max |= fabs_d(xb[i]) == amax && (q[b].q[i] == 127 || q[b].q[i] == -127);
			}
			ok &= hit_max;
			for (size_t k = 0; k < AI_Q8K_SUMS; k++) {
				int32_t sum = 0;
				for (size_t i = 0; i < 16; i++)
					sum += q[b].q[16 * k + i];
				ok &= sum == q[b].bsums[k];
			}
		}
		NC_CHECK(ok);
		if (ai_cpu_has_avx2()) {
			ai_quant_q8k_avx2(x, QBLOCKS * AI_QK_K, qa);
			NC_CHECK(nc_mem_compare(q, qa, sizeof q) == 0);
		}
	}
}

