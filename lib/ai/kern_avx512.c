/* AVX-512 kernels: the gemm for prompt processing (F32, F16, BF16, Q8_0,
 * Q4_0, Q4_K and Q6_K rows against up to 32 vectors per pass, below), the
 * one-vector dot for generation on float-type rows, and nc_ai_expf on 8
 * lanes (softmax, SiLU). Chosen at run time when ai_cpu_has_avx512()
 * (AVX-512 F, BW, VL and the OS's ZMM state); compiled with GCC target
 * attributes like the AVX2 kernels (avx2_int.h); dots of 2 to 7 vectors,
 * the quantized one-vector dots and the other K-quant products use the AVX2
 * kernels, which every AVX-512 CPU runs. */
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

/* ---- prompt gemm: broadcast weights, 16 vectors per register ----
 * The activations arrive transposed (xt[k * xs + v]): one ZMM holds element
 * k of 16 vectors. Per element k of the R rows of a tile, each row's weight
 * is broadcast (a load) and multiplied into Z such registers, so one
 * accumulator holds one row's outputs for 16 vectors and no horizontal sums
 * are needed: R = 12 rows by Z = 2 registers (32 vectors, the forward
 * pass's chunk) is 24 accumulators, 14 loads per 24 FMAs. Quantized and
 * half-precision weights are converted to floats once per tile in blocks of
 * GEMM_KC elements (12 KiB for 12 rows, staying in L1 next to the
 * activations; Q4_K and Q6_K a super-block per row), with the same float
 * operations as weights16 and the portable K-quant dequantization; F32
 * weights are broadcast from the row itself, and the next tile's rows are
 * prefetched as this one goes (the hardware prefetcher alone left the core
 * waiting: +13% on the 100M F32 model's prompt). Every output is then the
 * sum over k of w_k x_k with one FMA per element in k order, so a row's
 * result does not depend on the tile it falls in, the task split or the
 * number of vectors. (The 4 x 6 tile in the dot-product form this replaces
 * reached 29-39% of the FMA peak: 10 loads and 24 horizontal sums per
 * tile, and the 2 vectors of 32 that are not a multiple of 6 left to the
 * AVX2 dot.) */
#define GEMM_KC 256u
#define GEMM_R 12  /* rows of a tile with 1 or 2 registers of vectors */
#define GEMM_Z 4   /* registers of vectors at most: 64 vectors a pass */

/* Rows [0, nr) of the tile, elements [k0, k0 + kn), as floats into
 * buf[r * GEMM_KC + i] (t a constant where this is inlined). */
TARGET512 void convert_rows_t(nc_ggml_type_t t, const uint8_t *row0, size_t rb, size_t nr, size_t k0, size_t kn,
                              float *buf)
{
	for (size_t r = 0; r < nr; r++) {
		const uint8_t *row = row0 + r * rb;
		float *o = buf + r * GEMM_KC;
		size_t i = 0;
		for (; i + 16 <= kn; i += 16)
			_mm512_storeu_ps(o + i, weights16(t, row, k0 + i, FULL));
		if (i < kn)
			_mm512_storeu_ps(o + i, weights16(t, row, k0 + i, (__mmask16)((1u << (kn - i)) - 1)));
	}
}

/* The K-quant super-blocks the gemm takes, dequantized with the float
 * operations of ai_dequant_q4_k / ai_dequant_q6_k (kquant.c) in their
 * order, so the weights are the same bits: Q4_K element e of sub-block j is
 * (d * sc_j) * q - dmin * m_j; Q6_K's (d * sc_i) * (q - 32). */
TARGET512 void dequant_q4_k(const uint8_t *blk, float *out)
{
	float d = scale_f16(blk), dmin = scale_f16(blk + 2);
	uint8_t sm[16];
	ai_kq_unpack_scales(blk + 4, sm);
	const __m512i m4 = _mm512_set1_epi32(15);
	for (size_t g = 0; g < 4; g++)  /* 32 bytes: sub-block 2g in the low nibbles, 2g + 1 in the high */
		for (size_t h = 0; h < 2; h++) {
			__m512 dsc = _mm512_set1_ps(d * (float)sm[2 * g + h]), dm = _mm512_set1_ps(dmin * (float)sm[8 + 2 * g + h]);
			for (size_t l = 0; l < 32; l += 16) {
				__m512i q = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(const void *)(blk + 16 + 32 * g + l)));
				q = _mm512_and_si512(h ? _mm512_srli_epi32(q, 4) : q, m4);
				_mm512_storeu_ps(out + 64 * g + 32 * h + l,
				                 _mm512_sub_ps(_mm512_mul_ps(dsc, _mm512_cvtepi32_ps(q)), dm));
			}
		}
}

TARGET512 void dequant_q6_k(const uint8_t *blk, float *out)
{
	float d = scale_f16(blk + 208);
	const __m512i m4 = _mm512_set1_epi32(15), m2 = _mm512_set1_epi32(3), off = _mm512_set1_epi32(32);
	for (size_t g = 0; g < 8; g++) {  /* elements 32g .. 32g + 31: half g / 4, quarter k = g % 4 */
		size_t h = g / 4, k = g % 4;
		for (size_t l = 0; l < 32; l += 16) {
			__m512i lo = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(const void *)(blk + 64 * h + 32 * (k & 1) + l)));
			__m512i hi = _mm512_cvtepu8_epi32(_mm_loadu_si128((const __m128i *)(const void *)(blk + 128 + 32 * h + l)));
			lo = _mm512_and_si512(k < 2 ? lo : _mm512_srli_epi32(lo, 4), m4);
			hi = _mm512_and_si512(_mm512_srli_epi32(hi, (unsigned)(2 * k)), m2);
			__m512i q = _mm512_sub_epi32(_mm512_or_si512(lo, _mm512_slli_epi32(hi, 4)), off);
			__m512 dsc = _mm512_set1_ps(d * (float)(int8_t)blk[192 + (32 * g + l) / 16]);
			_mm512_storeu_ps(out + 32 * g + l, _mm512_mul_ps(dsc, _mm512_cvtepi32_ps(q)));
		}
	}
}

TARGET512_FN void convert_rows(nc_ggml_type_t t, const uint8_t *row0, size_t rb, size_t nr, size_t k0, size_t kn,
                               float *buf)
{
	if (t == NC_GGML_Q4_K || t == NC_GGML_Q6_K) {  /* k0: a multiple of GEMM_KC = AI_QK_K, one super-block */
		for (size_t r = 0; r < nr; r++) {
			const uint8_t *blk = row0 + r * rb + k0 / AI_QK_K * ai_kquant_block_bytes(t);
			if (t == NC_GGML_Q4_K)
				dequant_q4_k(blk, buf + r * GEMM_KC);
			else
				dequant_q6_k(blk, buf + r * GEMM_KC);
		}
		return;
	}
	switch (t) {
	case NC_GGML_F16: convert_rows_t(NC_GGML_F16, row0, rb, nr, k0, kn, buf); break;
	case NC_GGML_BF16: convert_rows_t(NC_GGML_BF16, row0, rb, nr, k0, kn, buf); break;
	case NC_GGML_Q8_0: convert_rows_t(NC_GGML_Q8_0, row0, rb, nr, k0, kn, buf); break;
	default: convert_rows_t(NC_GGML_Q4_0, row0, rb, nr, k0, kn, buf); break;
	}
}

/* R rows (1 to GEMM_R) against Z registers of vectors (1 to GEMM_Z); the
 * accumulators go to out[r * 16 * Z + v]; buf: GEMM_R * GEMM_KC floats. R
 * and Z are constants where this is inlined, so the loops unroll and the
 * accumulators stay in registers. */
TARGET512 void gemm_rz(const size_t R, const size_t Z, nc_ggml_type_t t, const uint8_t *row0, size_t rb,
                       const float *xt, size_t xs, size_t n, float *buf, float *out)
{
	__m512 acc[GEMM_R][GEMM_Z];
#pragma GCC unroll 12
	for (size_t r = 0; r < R; r++)
#pragma GCC unroll 4
		for (size_t z = 0; z < Z; z++)
			acc[r][z] = _mm512_setzero_ps();
	for (size_t k0 = 0; k0 < n; k0 += GEMM_KC) {
		size_t kn = n - k0 < GEMM_KC ? n - k0 : GEMM_KC, ws = GEMM_KC;
		const float *w = buf;
		if (t == NC_GGML_F32) {
			w = (const float *)(const void *)row0 + k0;
			ws = rb / sizeof(float);
		} else {
			convert_rows(t, row0, rb, R, k0, kn, buf);
		}
		const float *xk = xt + k0 * xs;
#pragma GCC unroll 2  /* two elements a pass: 5-8% less CPU time for the product alone */
		for (size_t k = 0; k < kn; k++, xk += xs) {
			if (k % 16 == 0)  /* the next tile's rows as far along as this one (never faults) */
#pragma GCC unroll 12
				for (size_t r = 0; r < R; r++)
					_mm_prefetch((const char *)row0 + (R + r) * rb + (k0 + k) * rb / n, _MM_HINT_T0);
			__m512 xv[GEMM_Z];
#pragma GCC unroll 4
			for (size_t z = 0; z < Z; z++)
				xv[z] = _mm512_loadu_ps(xk + 16 * z);
#pragma GCC unroll 12
			for (size_t r = 0; r < R; r++) {
				__m512 b = _mm512_set1_ps(w[r * ws + k]);
#pragma GCC unroll 4
				for (size_t z = 0; z < Z; z++)
					acc[r][z] = _mm512_fmadd_ps(b, xv[z], acc[r][z]);
			}
		}
	}
#pragma GCC unroll 12
	for (size_t r = 0; r < R; r++)
#pragma GCC unroll 4
		for (size_t z = 0; z < Z; z++)
			_mm512_storeu_ps(out + (r * Z + z) * 16, acc[r][z]);
}

/* The rows of a full tile for z registers of vectors: 24 accumulators. */
#define GEMM_ROWS_FOR(z) ((z) == 4 ? 6u : (z) == 3 ? 8u : GEMM_R)

/* nr rows (GEMM_ROWS_FOR(z), 4 or 1) of one type against 16 * z vectors. */
TARGET512_FN void gemm_rows(nc_ggml_type_t t, size_t nr, size_t z, const uint8_t *row0, size_t rb,
                            const float *xt, size_t xs, size_t n, float *buf, float *out)
{
#define GEMM_CASE(R, Z) \
	if (nr == (R) && z == (Z)) { \
		gemm_rz(R, Z, t, row0, rb, xt, xs, n, buf, out); \
		return; \
	}
	GEMM_CASE(GEMM_R, 1) GEMM_CASE(GEMM_R, 2) GEMM_CASE(8, 3) GEMM_CASE(6, 4)
	GEMM_CASE(4, 1) GEMM_CASE(4, 2) GEMM_CASE(4, 3) GEMM_CASE(4, 4)
	GEMM_CASE(1, 1) GEMM_CASE(1, 2) GEMM_CASE(1, 3) GEMM_CASE(1, 4)
#undef GEMM_CASE
}

TARGET512_FN void gemm512(nc_ggml_type_t t, const uint8_t *row0, size_t rb, size_t n_rows, const float *xt,
                          size_t xs, size_t n_vec, size_t n, float *y, size_t yvs, size_t yrs)
{
	float out[24 * 16] __attribute__((aligned(64)));  /* a tile: 24 registers at most */
	float buf[GEMM_R * GEMM_KC] __attribute__((aligned(64)));
	for (size_t v0 = 0; v0 < n_vec; v0 += 16 * GEMM_Z) {
		size_t nv = n_vec - v0 < 16 * GEMM_Z ? n_vec - v0 : 16 * GEMM_Z, z = (nv + 15) / 16, R = GEMM_ROWS_FOR(z);
		for (size_t r = 0; r < n_rows;) {
			size_t left = n_rows - r, nr = left >= R ? R : left >= 4 ? 4 : 1;
			gemm_rows(t, nr, z, row0 + r * rb, rb, xt + v0, xs, n, buf, out);
			for (size_t v = 0; v < nv; v++)
				for (size_t i = 0; i < nr; i++)
					y[(v0 + v) * yvs + (r + i) * yrs] = out[i * 16 * z + v];
			r += nr;
		}
	}
}

/* ---- nc_ai_expf on 8 lanes ----
 * The same double operations in the same order as nc_ai_expf (math.c; the
 * library is compiled without FMA contraction, -std=c17), so every lane
 * gets the bits the scalar function returns: round_near as truncation of
 * t + 0.5 (or - 0.5), r by the two-part ln 2, the Estrin polynomial, the
 * scaling by 2^n through the exponent bits, one rounding to float; NaN,
 * overflow and underflow lanes blended in at the end. */
#define EXPF_OVERFLOW 88.8
#define EXPF_UNDERFLOW -104.0
#define LN2_HI 6.93147180369123816490e-01
#define LN2_LO 1.90821492927058770002e-10
#define INV_LN2 1.44269504088896338700e+00

TARGET512 __m256 expf8(__m256 xf)
{
	__m512d x = _mm512_cvtps_pd(xf), one = _mm512_set1_pd(1.0);
	__mmask8 nan = _mm512_cmp_pd_mask(x, x, _CMP_UNORD_Q);
	__mmask8 over = _mm512_cmp_pd_mask(x, _mm512_set1_pd(EXPF_OVERFLOW), _CMP_GT_OQ);
	__mmask8 under = _mm512_cmp_pd_mask(x, _mm512_set1_pd(EXPF_UNDERFLOW), _CMP_LT_OQ);
	x = _mm512_mask_blend_pd(nan | over | under, x, _mm512_setzero_pd());  /* keeps n in range */
	__m512d t = _mm512_mul_pd(x, _mm512_set1_pd(INV_LN2));
	__mmask8 neg = _mm512_cmp_pd_mask(t, _mm512_setzero_pd(), _CMP_LT_OQ);
	t = _mm512_add_pd(t, _mm512_mask_blend_pd(neg, _mm512_set1_pd(0.5), _mm512_set1_pd(-0.5)));
	__m512d n = _mm512_roundscale_pd(t, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
	__m512d r = _mm512_sub_pd(_mm512_sub_pd(x, _mm512_mul_pd(n, _mm512_set1_pd(LN2_HI))),
	                          _mm512_mul_pd(n, _mm512_set1_pd(LN2_LO)));
	__m512d r2 = _mm512_mul_pd(r, r);
	__m512d lo = _mm512_add_pd(_mm512_add_pd(one, r),
	                           _mm512_mul_pd(r2, _mm512_add_pd(_mm512_set1_pd(0.5),
	                                                           _mm512_mul_pd(r, _mm512_set1_pd(1.0 / 6.0)))));
	__m512d h1 = _mm512_add_pd(_mm512_set1_pd(1.0 / 24.0), _mm512_mul_pd(r, _mm512_set1_pd(1.0 / 120.0)));
	__m512d h2 = _mm512_add_pd(_mm512_set1_pd(1.0 / 720.0), _mm512_mul_pd(r, _mm512_set1_pd(1.0 / 5040.0)));
	__m512d p = _mm512_add_pd(lo, _mm512_mul_pd(_mm512_mul_pd(r2, r2), _mm512_add_pd(h1, _mm512_mul_pd(r2, h2))));
	__m512i e = _mm512_cvtepi32_epi64(_mm512_cvtpd_epi32(n));
	__m512d scale = _mm512_castsi512_pd(_mm512_slli_epi64(_mm512_add_epi64(e, _mm512_set1_epi64(1023)), 52));
	__m256 y = _mm512_cvtpd_ps(_mm512_mul_pd(p, scale));
	y = _mm256_mask_blend_ps(over, y, _mm256_set1_ps(__builtin_inff()));
	y = _mm256_mask_blend_ps(under, y, _mm256_setzero_ps());
	return _mm256_mask_blend_ps(nan, y, xf);
}

TARGET512_FN void expf512(float *v, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8)
		_mm256_storeu_ps(v + i, expf8(_mm256_loadu_ps(v + i)));
	if (i < n) {
		__mmask8 m = (__mmask8)((1u << (n - i)) - 1);
		_mm256_mask_storeu_ps(v + i, m, expf8(_mm256_maskz_loadu_ps(m, v + i)));
	}
}

/* silu(g) * u on 8 lanes: the float operations of ai_silu_mul_each. */
TARGET512 __m256 silu_mul8(__m256 g, __m256 u)
{
	__m256 e = expf8(_mm256_xor_ps(g, _mm256_set1_ps(-0.0f)));  /* -g */
	return _mm256_mul_ps(_mm256_div_ps(g, _mm256_add_ps(_mm256_set1_ps(1.0f), e)), u);
}

TARGET512_FN void silu_mul512(float *g, const float *u, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8)
		_mm256_storeu_ps(g + i, silu_mul8(_mm256_loadu_ps(g + i), _mm256_loadu_ps(u + i)));
	if (i < n) {
		__mmask8 m = (__mmask8)((1u << (n - i)) - 1);
		_mm256_mask_storeu_ps(g + i, m, silu_mul8(_mm256_maskz_loadu_ps(m, g + i), _mm256_maskz_loadu_ps(m, u + i)));
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

#define TILE_TYPES (1u << NC_GGML_F32 | 1u << NC_GGML_F16 | 1u << NC_GGML_BF16 | 1u << NC_GGML_Q8_0 | 1u << NC_GGML_Q4_0 | \
                    1u << NC_GGML_Q4_K | 1u << NC_GGML_Q6_K)

const ai_kernels_t ai_kernels_avx512 = {"avx512", NULL, TILE_TYPES, GEMM_R, 8, dot512, ai_quant_q8k_avx2,
                                        ai_dot_kquant_avx2, gemm512, expf512, silu_mul512};
