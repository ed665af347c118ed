/* AVX-512 kernels: the one-vector dot for generation on float-type rows and
 * the register tile for prompt
 * processing, 4 weight rows by
 * 6 activation vectors (24 ZMM accumulators, 16 floats each), for F32, F16,
 * BF16, Q8_0 and Q4_0 rows. Per 16 elements the four rows' weights are loaded
 * and converted (F16: VCVTPH2PS; BF16: a 16-bit shift) or dequantized (Q8_0:
 * int8 times the block's scale; Q4_0: a nibble minus 8 times the scale) once,
 * then each of the six activation loads feeds four FMAs: 10 loads per 24
 * FMAs, so the FMA units, not the loads, set the pace. Float-type rows of any
 * length: the tail is done with masked loads. Chosen at run time when
 * ai_cpu_has_avx512() (AVX-512 F, BW, VL and the OS's ZMM state); compiled
 * with GCC target attributes like the AVX2 kernels (avx2_int.h); dots of 2
 * to 4 vectors (leftovers of a tile) and the K-quant products use the AVX2
 * kernels, which every AVX-512 CPU runs. Accumulators are named
 * variables, not an array, so they stay in registers. */
#include "avx2_int.h"

#define TARGET512 __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma,f16c"), always_inline)) static inline
#define TARGET512_FN __attribute__((target("avx512f,avx512bw,avx512vl,avx2,fma,f16c"))) static

#define FULL ((__mmask16)0xffff)

/* 16 weights of row from element i (inside one block for the quantized
 * types, whose rows are whole blocks) as floats; lanes outside m are zero.
 * t and (in the main loop) m are constants where this is inlined. */
TARGET512 __m512 weights16(nc_ggml_type_t t, const uint8_t *row, size_t i, __mmask16 m)
{
	if (t == NC_GGML_F32)
		return m == FULL ? _mm512_loadu_ps((const float *)(const void *)row + i)
		                 : _mm512_maskz_loadu_ps(m, (const float *)(const void *)row + i);
	if (t == NC_GGML_F16 || t == NC_GGML_BF16) {
		__m256i h = m == FULL ? _mm256_loadu_si256((const __m256i *)(const void *)(row + 2 * i))
		                      : _mm256_maskz_loadu_epi16(m, row + 2 * i);
		if (t == NC_GGML_F16)
			return _mm512_cvtph_ps(h);
		return _mm512_castsi512_ps(_mm512_slli_epi32(_mm512_cvtepu16_epi32(h), 16));
	}
	__m128i q;
	const uint8_t *blk;
	if (t == NC_GGML_Q8_0) {
		blk = row + i / AI_QK * AI_Q8_0_BYTES;
		q = _mm_loadu_si128((const __m128i *)(const void *)(blk + 2 + i % AI_QK));
	} else {  /* Q4_0: elements 0-15 in the low nibbles, 16-31 in the high ones */
		blk = row + i / AI_QK * AI_Q4_0_BYTES;
		__m128i b = _mm_loadu_si128((const __m128i *)(const void *)(blk + 2));
		if (i % AI_QK)
			b = _mm_srli_epi16(b, 4);
		q = _mm_sub_epi8(_mm_and_si128(b, _mm_set1_epi8(15)), _mm_set1_epi8(8));
	}
	return _mm512_mul_ps(_mm512_set1_ps(scale_f16(blk)), _mm512_cvtepi32_ps(_mm512_cvtepi8_epi32(q)));
}

TARGET512 __m512 x16(const float *x, size_t i, __mmask16 m)
{
	return m == FULL ? _mm512_loadu_ps(x + i) : _mm512_maskz_loadu_ps(m, x + i);
}

/* One 16-element step of the tile: weights w0..w3 of the four rows times
 * vector v's 16 activations into accumulators a0v..a3v. */
#define TILE_VEC(v) \
	do { \
		__m512 xv = x16(x + (v) * xs, i, m); \
		a0##v = _mm512_fmadd_ps(w0, xv, a0##v); \
		a1##v = _mm512_fmadd_ps(w1, xv, a1##v); \
		a2##v = _mm512_fmadd_ps(w2, xv, a2##v); \
		a3##v = _mm512_fmadd_ps(w3, xv, a3##v); \
	} while (0)

#define TILE_STEP(mask) \
	do { \
		__mmask16 m = (mask); \
		__m512 w0 = weights16(t, w, i, m), w1 = weights16(t, w + rb, i, m); \
		__m512 w2 = weights16(t, w + 2 * rb, i, m), w3 = weights16(t, w + 3 * rb, i, m); \
		TILE_VEC(0); TILE_VEC(1); TILE_VEC(2); TILE_VEC(3); TILE_VEC(4); TILE_VEC(5); \
	} while (0)

#define TILE_OUT(v) \
	do { \
		y[(v) * ys] = _mm512_reduce_add_ps(a0##v); \
		y[(v) * ys + 1] = _mm512_reduce_add_ps(a1##v); \
		y[(v) * ys + 2] = _mm512_reduce_add_ps(a2##v); \
		y[(v) * ys + 3] = _mm512_reduce_add_ps(a3##v); \
	} while (0)

TARGET512 void tile4x6_t(nc_ggml_type_t t, const uint8_t *w, size_t rb, const float *x, size_t xs, size_t n, float *y,
                         size_t ys)
{
	__m512 a00 = _mm512_setzero_ps(), a01 = a00, a02 = a00, a03 = a00, a04 = a00, a05 = a00;
	__m512 a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00, a15 = a00;
	__m512 a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00, a25 = a00;
	__m512 a30 = a00, a31 = a00, a32 = a00, a33 = a00, a34 = a00, a35 = a00;
	size_t i = 0;
	for (; i + 16 <= n; i += 16)
		TILE_STEP(FULL);
	if (i < n)
		TILE_STEP((__mmask16)((1u << (n - i)) - 1));
	TILE_OUT(0); TILE_OUT(1); TILE_OUT(2); TILE_OUT(3); TILE_OUT(4); TILE_OUT(5);
}

TARGET512_FN void tile4x6(nc_ggml_type_t t, const uint8_t *row0, size_t row_bytes, const float *x, size_t xs,
                          size_t n, float *y, size_t ys)
{
	switch (t) {
	case NC_GGML_F16: tile4x6_t(NC_GGML_F16, row0, row_bytes, x, xs, n, y, ys); break;
	case NC_GGML_BF16: tile4x6_t(NC_GGML_BF16, row0, row_bytes, x, xs, n, y, ys); break;
	case NC_GGML_Q8_0: tile4x6_t(NC_GGML_Q8_0, row0, row_bytes, x, xs, n, y, ys); break;
	case NC_GGML_Q4_0: tile4x6_t(NC_GGML_Q4_0, row0, row_bytes, x, xs, n, y, ys); break;
	default: tile4x6_t(NC_GGML_F32, row0, row_bytes, x, xs, n, y, ys); break;
	}
}

#define PREFETCH_BYTES 4096  /* as the AVX2 one-vector kernels: hardware prefetch alone leaves the core waiting */

/* One vector (generation) of a float-type row (F32, F16, BF16): four
 * accumulators, 64 weights a step, weights prefetched PREFETCH_BYTES ahead (a
 * prefetch never faults). */
TARGET512 float dot1_t(nc_ggml_type_t t, const uint8_t *row, const float *x, size_t n)
{
	__m512 a0 = _mm512_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
	size_t i = 0;
	for (; i + 64 <= n; i += 64) {
		size_t at = (i + 64) * (t == NC_GGML_F32 ? 4 : 2);  /* the next step's weights */
		_mm_prefetch((const char *)row + at + PREFETCH_BYTES, _MM_HINT_T0);
		if (t == NC_GGML_F32)
			_mm_prefetch((const char *)row + at + PREFETCH_BYTES + 64, _MM_HINT_T0);
		a0 = _mm512_fmadd_ps(weights16(t, row, i, FULL), x16(x, i, FULL), a0);
		a1 = _mm512_fmadd_ps(weights16(t, row, i + 16, FULL), x16(x, i + 16, FULL), a1);
		a2 = _mm512_fmadd_ps(weights16(t, row, i + 32, FULL), x16(x, i + 32, FULL), a2);
		a3 = _mm512_fmadd_ps(weights16(t, row, i + 48, FULL), x16(x, i + 48, FULL), a3);
	}
	for (; i + 16 <= n; i += 16)
		a0 = _mm512_fmadd_ps(weights16(t, row, i, FULL), x16(x, i, FULL), a0);
	if (i < n) {
		__mmask16 m = (__mmask16)((1u << (n - i)) - 1);
		a1 = _mm512_fmadd_ps(weights16(t, row, i, m), x16(x, i, m), a1);
	}
	return _mm512_reduce_add_ps(_mm512_add_ps(_mm512_add_ps(a0, a1), _mm512_add_ps(a2, a3)));
}

/* One vector of a float type with AVX-512 (in CPU time about 10% less
 * than AVX2 for F32 generation, equal for F16); quantized rows and several
 * vectors go to the AVX2 kernels: their Q8_0 one-vector kernel applies the
 * block scale once per block and took 20-25% less CPU time than this loop,
 * which scales every 16 weights. */
TARGET512_FN void dot512(nc_ggml_type_t t, const uint8_t *row, const float *x, size_t xs, size_t nv, size_t n,
                         float *out)
{
	if (nv == 1 && t == NC_GGML_F32)
		*out = dot1_t(NC_GGML_F32, row, x, n);
	else if (nv == 1 && t == NC_GGML_F16)
		*out = dot1_t(NC_GGML_F16, row, x, n);
	else if (nv == 1 && t == NC_GGML_BF16)
		*out = dot1_t(NC_GGML_BF16, row, x, n);
	else
		ai_dot_avx2(t, row, x, xs, nv, n, out);
}

#define TILE_TYPES (1u << NC_GGML_F32 | 1u << NC_GGML_F16 | 1u << NC_GGML_BF16 | 1u << NC_GGML_Q8_0 | 1u << NC_GGML_Q4_0)

const ai_kernels_t ai_kernels_avx512 = {"avx512", tile4x6, TILE_TYPES, 4, 6, dot512, ai_quant_q8k_avx2,
                                        ai_dot_kquant_avx2};
