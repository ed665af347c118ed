/* AVX2/FMA/F16C dot kernels, compiled with GCC target attributes so the rest
 * of the library keeps the baseline ISA; ai_cpu_has_avx2() gates their use.
 * Same contract and block formats as the portable kernels in kern.c. Each
 * weight block is decoded once and used for up to AI_DOT_MAX_VEC vectors;
 * single-vector calls keep four independent accumulators so the FMA latency
 * does not limit streaming weights from memory.
 * The freestanding build has no stdlib.h, which GCC's mm_malloc.h (pulled in
 * by immintrin.h) includes: its include guard is defined first to skip it. */
#define _MM_MALLOC_H_INCLUDED 1
#include <immintrin.h>

#include "ai_int.h"

#define TARGET __attribute__((target("avx2,fma,f16c"), always_inline)) static inline
#define TARGET_FN __attribute__((target("avx2,fma,f16c"))) static

TARGET float hsum(__m256 v)
{
	__m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
	s = _mm_add_ps(s, _mm_movehl_ps(s, s));
	s = _mm_add_ss(s, _mm_shuffle_ps(s, s, 1));
	return _mm_cvtss_f32(s);
}

TARGET float scale_f16(const uint8_t *p)
{
	return _cvtsh_ss((unsigned short)(p[0] | p[1] << 8));
}

TARGET void dot_f32_n(const float *w, const float *x, size_t xs, size_t nv, size_t n, float *out)
{
	__m256 acc[AI_DOT_MAX_VEC];
	for (size_t v = 0; v < nv; v++)
		acc[v] = _mm256_setzero_ps();
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		__m256 wv = _mm256_loadu_ps(w + i);
		for (size_t v = 0; v < nv; v++)
			acc[v] = _mm256_fmadd_ps(wv, _mm256_loadu_ps(x + v * xs + i), acc[v]);
	}
	for (size_t v = 0; v < nv; v++) {
		float s = hsum(acc[v]);
		for (size_t t = i; t < n; t++)
			s += w[t] * x[v * xs + t];
		out[v] = s;
	}
}

TARGET_FN void dot_f32(const uint8_t *row, const float *x, size_t xs, size_t nv, size_t n, float *out)
{
	const float *w = (const float *)(const void *)row;
	if (nv == 1) {
		__m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
		size_t i = 0;
		for (; i + 32 <= n; i += 32) {
			a0 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i), _mm256_loadu_ps(x + i), a0);
			a1 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i + 8), _mm256_loadu_ps(x + i + 8), a1);
			a2 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i + 16), _mm256_loadu_ps(x + i + 16), a2);
			a3 = _mm256_fmadd_ps(_mm256_loadu_ps(w + i + 24), _mm256_loadu_ps(x + i + 24), a3);
		}
		float tail;
		dot_f32_n(w + i, x + i, xs, 1, n - i, &tail);
		out[0] = hsum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3))) + tail;
		return;
	}
	switch (nv) {
	case 2: dot_f32_n(w, x, xs, 2, n, out); break;
	case 3: dot_f32_n(w, x, xs, 3, n, out); break;
	default: dot_f32_n(w, x, xs, 4, n, out); break;
	}
}

/* 32 int8 at q as four vectors of 8 floats, times d. */
TARGET void widen_i8(__m128i lo16, __m128i hi16, float d, __m256 wq[4])
{
	__m256 dv = _mm256_set1_ps(d);
	wq[0] = _mm256_mul_ps(dv, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(lo16)));
	wq[1] = _mm256_mul_ps(dv, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(lo16, 8))));
	wq[2] = _mm256_mul_ps(dv, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(hi16)));
	wq[3] = _mm256_mul_ps(dv, _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_srli_si128(hi16, 8))));
}

TARGET void decode_block(const uint8_t *blk, bool q4, __m256 wq[4])
{
	if (q4) {
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(blk + 2));
		__m128i m = _mm_set1_epi8(15), eight = _mm_set1_epi8(8);
		__m128i lo = _mm_sub_epi8(_mm_and_si128(b, m), eight);
		__m128i hi = _mm_sub_epi8(_mm_and_si128(_mm_srli_epi16(b, 4), m), eight);
		widen_i8(lo, hi, scale_f16(blk), wq);
	} else {
		__m128i lo = _mm_loadu_si128((const __m128i *)(const void *)(blk + 2));
		__m128i hi = _mm_loadu_si128((const __m128i *)(const void *)(blk + 18));
		widen_i8(lo, hi, scale_f16(blk), wq);
	}
}

TARGET void dot_q_n(const uint8_t *row, bool q4, const float *x, size_t xs, size_t nv, size_t n,
                    float *out)
{
	size_t bb = q4 ? AI_Q4_0_BYTES : AI_Q8_0_BYTES;
	__m256 acc[AI_DOT_MAX_VEC][4];
	for (size_t v = 0; v < nv; v++)
		for (size_t k = 0; k < 4; k++)
			acc[v][k] = _mm256_setzero_ps();
	for (size_t b = 0; b < n / AI_QK; b++) {
		__m256 wq[4];
		decode_block(row + b * bb, q4, wq);
		for (size_t v = 0; v < nv; v++) {
			const float *xb = x + v * xs + b * AI_QK;
			for (size_t k = 0; k < 4; k++)
				acc[v][k] = _mm256_fmadd_ps(wq[k], _mm256_loadu_ps(xb + 8 * k), acc[v][k]);
		}
	}
	for (size_t v = 0; v < nv; v++)
		out[v] = hsum(_mm256_add_ps(_mm256_add_ps(acc[v][0], acc[v][1]),
		                            _mm256_add_ps(acc[v][2], acc[v][3])));
}

TARGET_FN void dot_q8_0(const uint8_t *row, const float *x, size_t xs, size_t nv, size_t n, float *out)
{
	switch (nv) {
	case 1: dot_q_n(row, false, x, xs, 1, n, out); break;
	case 2: dot_q_n(row, false, x, xs, 2, n, out); break;
	case 3: dot_q_n(row, false, x, xs, 3, n, out); break;
	default: dot_q_n(row, false, x, xs, 4, n, out); break;
	}
}

TARGET_FN void dot_q4_0(const uint8_t *row, const float *x, size_t xs, size_t nv, size_t n, float *out)
{
	switch (nv) {
	case 1: dot_q_n(row, true, x, xs, 1, n, out); break;
	case 2: dot_q_n(row, true, x, xs, 2, n, out); break;
	case 3: dot_q_n(row, true, x, xs, 3, n, out); break;
	default: dot_q_n(row, true, x, xs, 4, n, out); break;
	}
}

const ai_kernels_t ai_kernels_avx2 = {"avx2", dot_f32, dot_q8_0, dot_q4_0};
