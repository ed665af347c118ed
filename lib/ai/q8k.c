/* Activations quantized to 8 bits for the K-quant dot kernels (ai_q8k_t in
 * ai_int.h; the idea of ggml's Q8_K, our own layout and rounding): per 256
 * elements d = max|x| / 127 and q = x * (127 / max|x|) rounded to nearest,
 * ties to even, with the sums of q over each 16 elements, which the kernels
 * use for the Q4_K/Q5_K/Q2_K mins and the Q3_K/Q6_K offsets. The AVX2
 * version is in kquant_avx2.c and gives the same bits. */
#include "ai_int.h"

#define Q8K_MAX 127.0f
#define ROUND_MAGIC 12582912.0f  /* 1.5 * 2^23: (v + it) - it rounds |v| < 2^22 to nearest, ties to even */

/* x * id rounded to an integer in [-127, 127]; NaN gives 0. The AVX2
 * quantizer performs the same float operations, so both give the same bits. */
static int32_t quant_one(float x, float id)
{
	float v = x * id;
	if (v != v)
		v = 0;
	v = v > Q8K_MAX ? Q8K_MAX : v < -Q8K_MAX ? -Q8K_MAX : v;
	return (int32_t)((v + ROUND_MAGIC) - ROUND_MAGIC);
}

void ai_quant_q8k(const float *x, size_t n, ai_q8k_t *out)
{
	for (size_t b = 0; b < n / AI_QK_K; b++, x += AI_QK_K, out++) {
		float amax = 0;
		for (size_t i = 0; i < AI_QK_K; i++) {
			float a = x[i] < 0 ? -x[i] : x[i];
			if (a > amax)
				amax = a;
		}
		float id = amax > 0 ? Q8K_MAX / amax : 0.0f;
		out->d = amax / Q8K_MAX;
		for (size_t s = 0; s < AI_Q8K_SUMS; s++) {
			int32_t sum = 0;
			for (size_t i = 16 * s; i < 16 * s + 16; i++) {
				int32_t q = quant_one(x[i], id);
				out->q[i] = (int8_t)q;
				sum += q;
			}
			out->bsums[s] = (int16_t)sum;
		}
	}
}
