/* AVX2/FMA/F16C dot kernels for F32, F16, BF16, Q8_0 and Q4_0 (the K-quant ones are in
 * kquant_avx2.c), compiled with GCC target attributes (avx2_int.h) so the rest
 * of the library keeps the baseline ISA; ai_cpu_has_avx2() gates their use.
 * Same contract and block formats as the portable kernels in kern.c. Calls
 * with four vectors (prompt processing) load or decode each weight chunk once
 * for all four; single-vector calls (generation) keep four independent
 * accumulators so FMA latency does not limit streaming weights from memory.
 * Accumulators are named variables, not arrays, so they stay in registers. */
#include "avx2_int.h"

/* Weight i of a float-type row (F32, F16 or BF16; t is a constant where
 * these are inlined, so the branches fold away), and 8 weights from i.
 * Both conversions are exact: F16C's VCVTPH2PS, and bfloat16 being the top
 * half of a binary32. */
TARGET float load1(nc_ggml_type_t t, const uint8_t *row, size_t i)
{
	if (t == NC_GGML_F32)
		return ((const float *)(const void *)row)[i];
	uint16_t h;
	__builtin_memcpy(&h, row + 2 * i, 2);
	return t == NC_GGML_F16 ? _cvtsh_ss(h) : ai_bf16_to_f32(h);
}

TARGET __m256 load8(nc_ggml_type_t t, const uint8_t *row, size_t i)
{
	if (t == NC_GGML_F32)
		return _mm256_loadu_ps((const float *)(const void *)row + i);
	__m128i h = _mm_loadu_si128((const __m128i *)(const void *)(row + 2 * i));
	if (t == NC_GGML_F16)
		return _mm256_cvtph_ps(h);
	return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}

/* One vector: four independent accumulators (32 weights a step). */
TARGET float dot_w_1(nc_ggml_type_t t, const uint8_t *w, const float *x, size_t n)
{
	__m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
	size_t i = 0;
	for (; i + 32 <= n; i += 32) {
		a0 = _mm256_fmadd_ps(load8(t, w, i), _mm256_loadu_ps(x + i), a0);
		a1 = _mm256_fmadd_ps(load8(t, w, i + 8), _mm256_loadu_ps(x + i + 8), a1);
		a2 = _mm256_fmadd_ps(load8(t, w, i + 16), _mm256_loadu_ps(x + i + 16), a2);
		a3 = _mm256_fmadd_ps(load8(t, w, i + 24), _mm256_loadu_ps(x + i + 24), a3);
	}
	for (; i + 8 <= n; i += 8)
		a0 = _mm256_fmadd_ps(load8(t, w, i), _mm256_loadu_ps(x + i), a0);
	float s = hsum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
	for (; i < n; i++)
		s += load1(t, w, i) * x[i];
	return s;
}

/* Four vectors: each weight chunk is loaded once for all four; two
 * accumulators per vector (eight independent FMA chains, in registers). */
TARGET void dot_w_4(nc_ggml_type_t t, const uint8_t *w, const float *x, size_t xs, size_t n, float *out)
{
	const float *x0 = x, *x1 = x + xs, *x2 = x + 2 * xs, *x3 = x + 3 * xs;
	__m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
	size_t i = 0;
	for (; i + 16 <= n; i += 16) {
		__m256 w0 = load8(t, w, i), w1 = load8(t, w, i + 8);
		a0 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x0 + i), a0);
		a1 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x1 + i), a1);
		a2 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x2 + i), a2);
		a3 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x3 + i), a3);
		b0 = _mm256_fmadd_ps(w1, _mm256_loadu_ps(x0 + i + 8), b0);
		b1 = _mm256_fmadd_ps(w1, _mm256_loadu_ps(x1 + i + 8), b1);
		b2 = _mm256_fmadd_ps(w1, _mm256_loadu_ps(x2 + i + 8), b2);
		b3 = _mm256_fmadd_ps(w1, _mm256_loadu_ps(x3 + i + 8), b3);
	}
	out[0] = hsum(_mm256_add_ps(a0, b0));
	out[1] = hsum(_mm256_add_ps(a1, b1));
	out[2] = hsum(_mm256_add_ps(a2, b2));
	out[3] = hsum(_mm256_add_ps(a3, b3));
	size_t eb = t == NC_GGML_F32 ? 4 : 2;
	for (size_t v = 0; v < 4; v++)
		if (i < n)
			out[v] += dot_w_1(t, w + i * eb, x + v * xs + i, n - i);
}

/* Two rows by four vectors: per 8 weights 2 weight loads and 4 activation
 * loads feed 8 FMAs (the 1x4 kernel needs 5 loads per 4 FMAs). */
TARGET void dot2x4_t(nc_ggml_type_t t, const uint8_t *w0, size_t row_bytes, const float *x, size_t xs, size_t n,
                     float *y, size_t ys)
{
	const uint8_t *w1 = w0 + row_bytes;
	const float *x0 = x, *x1 = x + xs, *x2 = x + 2 * xs, *x3 = x + 3 * xs;
	__m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		__m256 u = load8(t, w0, i), v = load8(t, w1, i), xv = _mm256_loadu_ps(x0 + i);
		a0 = _mm256_fmadd_ps(u, xv, a0);
		b0 = _mm256_fmadd_ps(v, xv, b0);
		xv = _mm256_loadu_ps(x1 + i);
		a1 = _mm256_fmadd_ps(u, xv, a1);
		b1 = _mm256_fmadd_ps(v, xv, b1);
		xv = _mm256_loadu_ps(x2 + i);
		a2 = _mm256_fmadd_ps(u, xv, a2);
		b2 = _mm256_fmadd_ps(v, xv, b2);
		xv = _mm256_loadu_ps(x3 + i);
		a3 = _mm256_fmadd_ps(u, xv, a3);
		b3 = _mm256_fmadd_ps(v, xv, b3);
	}
	float o[8] = {hsum(a0), hsum(a1), hsum(a2), hsum(a3), hsum(b0), hsum(b1), hsum(b2), hsum(b3)};
	for (; i < n; i++)
		for (size_t k = 0; k < 4; k++) {
			o[k] += load1(t, w0, i) * x[k * xs + i];
			o[4 + k] += load1(t, w1, i) * x[k * xs + i];
		}
	for (size_t k = 0; k < 4; k++) {
		y[k * ys] = o[k];
		y[k * ys + 1] = o[4 + k];
	}
}

TARGET_FN void tile2x4(nc_ggml_type_t t, const uint8_t *row0, size_t row_bytes, const float *x, size_t xs, size_t n,
                       float *y, size_t ys)
{
	if (t == NC_GGML_F16)
		dot2x4_t(NC_GGML_F16, row0, row_bytes, x, xs, n, y, ys);
	else if (t == NC_GGML_BF16)
		dot2x4_t(NC_GGML_BF16, row0, row_bytes, x, xs, n, y, ys);
	else
		dot2x4_t(NC_GGML_F32, row0, row_bytes, x, xs, n, y, ys);
}

/* One row of a float type against nv vectors. */
TARGET void dot_w(nc_ggml_type_t t, const uint8_t *row, const float *x, size_t xs, size_t nv, size_t n, float *out)
{
	if (nv == 4) {
		dot_w_4(t, row, x, xs, n, out);
		return;
	}
	for (size_t v = 0; v < nv; v++)
		out[v] = dot_w_1(t, row, x + v * xs, n);
}

/* 32 int8 as four vectors of 8 floats, times d. */
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

/* dot of one decoded block with 32 floats at x, added to acc */
TARGET __m256 block_fma(const __m256 wq[4], const float *x, __m256 acc)
{
	acc = _mm256_fmadd_ps(wq[0], _mm256_loadu_ps(x), acc);
	acc = _mm256_fmadd_ps(wq[1], _mm256_loadu_ps(x + 8), acc);
	acc = _mm256_fmadd_ps(wq[2], _mm256_loadu_ps(x + 16), acc);
	return _mm256_fmadd_ps(wq[3], _mm256_loadu_ps(x + 24), acc);
}

/* 8 int8 at q as 8 floats (the load folds into the sign extension). */
TARGET __m256 widen8(const uint8_t *q)
{
	return _mm256_cvtepi32_ps(_mm256_cvtepi8_epi32(_mm_loadl_epi64((const __m128i *)(const void *)q)));
}

#define Q8_PREFETCH_BYTES 4096  /* as the K-quant kernels (kquant_avx2.c); +15-33% generation on the 95M Q8_0 model */

/* One vector, Q8_0: per block, the dot of q and x first, then one FMA with the
 * scale (5 float ops per block instead of 8); two blocks per step keep two
 * independent chains; the weights are prefetched 4 KiB ahead (a prefetch
 * never faults, past the row's end included). */
TARGET float dot_q8_0_1(const uint8_t *row, const float *x, size_t n)
{
	__m256 a0 = _mm256_setzero_ps(), a1 = a0;
	size_t nb = n / AI_QK, b = 0;
	for (; b + 2 <= nb; b += 2) {
		const uint8_t *p = row + b * AI_Q8_0_BYTES, *r = p + AI_Q8_0_BYTES;
		const float *x0 = x + b * AI_QK, *x1 = x0 + AI_QK;
		_mm_prefetch((const char *)p + Q8_PREFETCH_BYTES, _MM_HINT_T0);  /* the two blocks' 68 bytes */
		_mm_prefetch((const char *)p + Q8_PREFETCH_BYTES + 64, _MM_HINT_T0);
		__m256 t = _mm256_mul_ps(widen8(p + 2), _mm256_loadu_ps(x0));
		__m256 u = _mm256_mul_ps(widen8(r + 2), _mm256_loadu_ps(x1));
		t = _mm256_fmadd_ps(widen8(p + 10), _mm256_loadu_ps(x0 + 8), t);
		u = _mm256_fmadd_ps(widen8(r + 10), _mm256_loadu_ps(x1 + 8), u);
		t = _mm256_fmadd_ps(widen8(p + 18), _mm256_loadu_ps(x0 + 16), t);
		u = _mm256_fmadd_ps(widen8(r + 18), _mm256_loadu_ps(x1 + 16), u);
		t = _mm256_fmadd_ps(widen8(p + 26), _mm256_loadu_ps(x0 + 24), t);
		u = _mm256_fmadd_ps(widen8(r + 26), _mm256_loadu_ps(x1 + 24), u);
		a0 = _mm256_fmadd_ps(t, _mm256_set1_ps(scale_f16(p)), a0);
		a1 = _mm256_fmadd_ps(u, _mm256_set1_ps(scale_f16(r)), a1);
	}
	for (; b < nb; b++) {
		const uint8_t *p = row + b * AI_Q8_0_BYTES;
		const float *x0 = x + b * AI_QK;
		__m256 t = _mm256_mul_ps(widen8(p + 2), _mm256_loadu_ps(x0));
		t = _mm256_fmadd_ps(widen8(p + 10), _mm256_loadu_ps(x0 + 8), t);
		t = _mm256_fmadd_ps(widen8(p + 18), _mm256_loadu_ps(x0 + 16), t);
		t = _mm256_fmadd_ps(widen8(p + 26), _mm256_loadu_ps(x0 + 24), t);
		a0 = _mm256_fmadd_ps(t, _mm256_set1_ps(scale_f16(p)), a0);
	}
	return hsum(_mm256_add_ps(a0, a1));
}

TARGET float dot_q_1(const uint8_t *row, bool q4, const float *x, size_t n)
{
	if (!q4)
		return dot_q8_0_1(row, x, n);
	__m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
	for (size_t b = 0; b < n / AI_QK; b++) {
		__m256 wq[4];
		const float *xb = x + b * AI_QK;
		decode_block(row + b * AI_Q4_0_BYTES, true, wq);
		a0 = _mm256_fmadd_ps(wq[0], _mm256_loadu_ps(xb), a0);
		a1 = _mm256_fmadd_ps(wq[1], _mm256_loadu_ps(xb + 8), a1);
		a2 = _mm256_fmadd_ps(wq[2], _mm256_loadu_ps(xb + 16), a2);
		a3 = _mm256_fmadd_ps(wq[3], _mm256_loadu_ps(xb + 24), a3);
	}
	return hsum(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));
}

/* Four vectors: each block decoded once, one accumulator per vector. */
TARGET void dot_q_4(const uint8_t *row, bool q4, const float *x, size_t xs, size_t n, float *out)
{
	size_t bb = q4 ? AI_Q4_0_BYTES : AI_Q8_0_BYTES;
	__m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;
	for (size_t b = 0; b < n / AI_QK; b++) {
		__m256 wq[4];
		const float *xb = x + b * AI_QK;
		decode_block(row + b * bb, q4, wq);
		a0 = block_fma(wq, xb, a0);
		a1 = block_fma(wq, xb + xs, a1);
		a2 = block_fma(wq, xb + 2 * xs, a2);
		a3 = block_fma(wq, xb + 3 * xs, a3);
	}
	out[0] = hsum(a0);
	out[1] = hsum(a1);
	out[2] = hsum(a2);
	out[3] = hsum(a3);
}

TARGET void dot_q8_0(const uint8_t *row, const float *x, size_t xs, size_t nv, size_t n, float *out)
{
	if (nv == 4) {
		dot_q_4(row, false, x, xs, n, out);
		return;
	}
	for (size_t v = 0; v < nv; v++)
		out[v] = dot_q_1(row, false, x + v * xs, n);
}

TARGET void dot_q4_0(const uint8_t *row, const float *x, size_t xs, size_t nv, size_t n, float *out)
{
	if (nv == 4) {
		dot_q_4(row, true, x, xs, n, out);
		return;
	}
	for (size_t v = 0; v < nv; v++)
		out[v] = dot_q_1(row, true, x + v * xs, n);
}

TARGET_EXPORT void ai_dot_avx2(nc_ggml_type_t type, const uint8_t *row, const float *x, size_t xs, size_t nv,
                                size_t n, float *out)
{
	switch (type) {
	case NC_GGML_Q8_0: dot_q8_0(row, x, xs, nv, n, out); break;
	case NC_GGML_Q4_0: dot_q4_0(row, x, xs, nv, n, out); break;
	case NC_GGML_F16: dot_w(NC_GGML_F16, row, x, xs, nv, n, out); break;
	case NC_GGML_BF16: dot_w(NC_GGML_BF16, row, x, xs, nv, n, out); break;
	default: dot_w(NC_GGML_F32, row, x, xs, nv, n, out); break;
	}
}

#define FLOAT_TYPES (1u << NC_GGML_F32 | 1u << NC_GGML_F16 | 1u << NC_GGML_BF16)

const ai_kernels_t ai_kernels_avx2 = {"avx2", tile2x4, FLOAT_TYPES, 2, 4, ai_dot_avx2, ai_quant_q8k_avx2,
                                      ai_dot_kquant_avx2, NULL, ai_expf_each,
                                      ai_silu_mul_each};
