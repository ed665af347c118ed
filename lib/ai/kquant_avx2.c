/* K-quant dot kernels and the activation quantizer with AVX2 (contracts in
 * ai_int.h, block layouts in kquant.c). The activations arrive quantized to
 * int8 (ai_q8k_t), so 32 elements of a dot product are one
 * _mm256_maddubs_epi16 (unsigned weight quants times signed activations,
 * adjacent pairs summed to int16; at most 2 * 63 * 127, so it never
 * saturates) and one _mm256_madd_epi16 with the sub-block's scale, to int32.
 * A super-block's integer sums are exact and scaled to float once. The
 * scales are decoded once per super-block and the weight quants once per
 * 32-element group for up to four vectors; the vector count is a
 * compile-time constant in each instance (1: generation, 4: prompt chunks,
 * 2 and 3: their ends), so the per-vector sums stay in registers. Q4_K/Q5_K (eight 32-element sub-blocks with mins)
 * have one kernel body, Q2_K/Q3_K/Q6_K (sixteen 16-element sub-blocks)
 * another. The quantizer performs the same float operations as the portable
 * ai_quant_q8k (q8k.c), so both give the same bits. */
#include "avx2_int.h"

/* ---- quantizer ---- */

/* The 16 block sums from the per-32-byte partial sums p[c] (int32 lanes 0..3
 * add up to bsums[2c], lanes 4..7 to bsums[2c+1]). */
TARGET void store_bsums(const __m256i p[8], int16_t *bsums)
{
	const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
	/* two rounds of pairwise adds leave [c0 lo, c1 lo, c2 lo, c3 lo | c0 hi, ...] */
	__m256i a = _mm256_hadd_epi32(_mm256_hadd_epi32(p[0], p[1]), _mm256_hadd_epi32(p[2], p[3]));
	__m256i b = _mm256_hadd_epi32(_mm256_hadd_epi32(p[4], p[5]), _mm256_hadd_epi32(p[6], p[7]));
	a = _mm256_permutevar8x32_epi32(a, order);
	b = _mm256_permutevar8x32_epi32(b, order);
	__m256i s = _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), _MM_SHUFFLE(3, 1, 2, 0));
	_mm256_storeu_si256((__m256i *)(void *)bsums, s);
}

TARGET_EXPORT void ai_quant_q8k_avx2(const float *x, size_t n, ai_q8k_t *out)
{
	const __m256 sign = _mm256_set1_ps(-0.0f), hi = _mm256_set1_ps(127.0f), lo = _mm256_set1_ps(-127.0f);
	const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
	const __m256i ones8 = _mm256_set1_epi8(1), ones16 = _mm256_set1_epi16(1);
	for (size_t b = 0; b < n / AI_QK_K; b++, x += AI_QK_K, out++) {
		__m256 m = _mm256_setzero_ps();
		for (size_t i = 0; i < AI_QK_K; i += 8)  /* max_ps returns m when |x| is NaN */
			m = _mm256_max_ps(_mm256_andnot_ps(sign, _mm256_loadu_ps(x + i)), m);
		__m128 h = _mm_max_ps(_mm256_castps256_ps128(m), _mm256_extractf128_ps(m, 1));
		h = _mm_max_ps(h, _mm_movehl_ps(h, h));
		float amax = _mm_cvtss_f32(_mm_max_ss(h, _mm_shuffle_ps(h, h, 1)));
		__m256 id = _mm256_set1_ps(amax > 0 ? 127.0f / amax : 0.0f);
		out->d = amax / 127.0f;
		__m256i sums[8];
		for (size_t c = 0; c < 8; c++) {
			__m256i q[4];
			for (size_t k = 0; k < 4; k++) {
				__m256 v = _mm256_mul_ps(_mm256_loadu_ps(x + 32 * c + 8 * k), id);
				v = _mm256_and_ps(v, _mm256_cmp_ps(v, v, _CMP_ORD_Q));  /* NaN -> 0 */
				q[k] = _mm256_cvtps_epi32(_mm256_min_ps(_mm256_max_ps(v, lo), hi));  /* ties to even */
			}
			/* the packs work per 128-bit lane: dwords come out as q0 0-3, q1 0-3, ..., q0 4-7, ... */
			__m256i p = _mm256_packs_epi16(_mm256_packs_epi32(q[0], q[1]), _mm256_packs_epi32(q[2], q[3]));
			p = _mm256_permutevar8x32_epi32(p, order);
			_mm256_storeu_si256((__m256i *)(void *)(out->q + 32 * c), p);
			sums[c] = _mm256_madd_epi16(_mm256_maddubs_epi16(ones8, p), ones16);
		}
		store_bsums(sums, out->bsums);
	}
}

#define PREFETCH_BYTES 4096  /* ahead of the block being read (the next rows follow in memory) */

/* The cache lines of the block PREFETCH_BYTES ahead, for one-vector calls
 * (generation, which streams the weights from memory once): the hardware
 * prefetcher alone leaves a single core well below its streaming bandwidth
 * while it also computes (measured on the random Q4_K_M 100M model: about
 * +20% tokens/s; 1 KiB ahead gave less). A prefetch never faults, past the
 * matrix's end included. */
TARGET void prefetch_ahead(const uint8_t *blk, size_t bb)
{
	for (size_t i = 0; i < bb; i += 64)
		_mm_prefetch((const char *)blk + PREFETCH_BYTES + i, _MM_HINT_T0);
}

/* ---- Q4_K, Q5_K ---- */

/* ai_kq_unpack_scales on one register: from the 16 bytes at s (the 12 scale
 * bytes and 4 quant bytes after them, inside the block), bytes 0..7 become
 * sc_0..7 and bytes 8..15 m_0..7. Dwords s0, s4, s8 of the packed bytes:
 * sc_0..3 = s0 & 0x3f.., sc_4..7 = (s8 & 0x0f..) | (s0 >> 6 & 0x03..) << 4,
 * m_0..3 = s4 & 0x3f.., m_4..7 = (s8 >> 4 & 0x0f..) | (s4 >> 6 & 0x03..) << 4. */
TARGET __m128i unpack_scales(const uint8_t *s)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)s);
	__m128i a = _mm_shuffle_epi32(v, _MM_SHUFFLE(2, 1, 2, 0));  /* s0, s8, s4, s8 */
	__m128i b = _mm_shuffle_epi32(v, _MM_SHUFFLE(1, 1, 0, 0));  /* s0, s0, s4, s4 */
	__m128i low6 = _mm_and_si128(a, _mm_set1_epi32(0x3f3f3f3f));
	__m128i low4 = _mm_and_si128(_mm_srlv_epi32(a, _mm_setr_epi32(0, 0, 0, 4)), _mm_set1_epi32(0x0f0f0f0f));
	__m128i top2 = _mm_slli_epi32(_mm_and_si128(_mm_srli_epi32(b, 6), _mm_set1_epi32(0x03030303)), 4);
	return _mm_blend_epi32(low6, _mm_or_si128(low4, top2), 0xa);
}

/* int16 element j of each 128-bit lane of v, in every element of that lane */
TARGET __m256i pick16(__m256i v, int j)
{
	return _mm256_shuffle_epi8(v, _mm256_set1_epi16((short)((2 * j + 1) << 8 | 2 * j)));
}

/* sum over 32 elements of quants q (unsigned) times activations a, each
 * adjacent pair's sum times scale s (int16 lanes), as 8 int32 */
TARGET __m256i scaled_dot(__m256i q, const int8_t *a, __m256i s)
{
	return _mm256_madd_epi16(_mm256_maddubs_epi16(q, load32(a)), s);
}

TARGET void dot_q45_k(const uint8_t *row, bool q5, const ai_q8k_t *xq, size_t xs, size_t nv, size_t n,
                      float *out, size_t os)
{
	const size_t bb = q5 ? AI_Q5_K_BYTES : AI_Q4_K_BYTES;
	const __m256i m4 = _mm256_set1_epi8(15), bit = _mm256_set1_epi8(1);
	/* m_j twice per sub-block j, lined up with the 16 activation block sums */
	const __m128i mins_pairs = _mm_setr_epi8(8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13, 14, 14, 15, 15);
	__m256 acc[AI_DOT_MAX_VEC];
	for (size_t v = 0; v < nv; v++)
		acc[v] = _mm256_setzero_ps();
	for (size_t b = 0; b < n / AI_QK_K; b++) {
		const uint8_t *blk = row + b * bb, *qs = blk + (q5 ? 48 : 16);
		if (nv == 1)
			prefetch_ahead(blk, bb);
		__m128i sm = unpack_scales(blk + 4);
		__m256i sc = _mm256_broadcastsi128_si256(_mm_cvtepu8_epi16(sm));
		__m256i mins = _mm256_cvtepu8_epi16(_mm_shuffle_epi8(sm, mins_pairs));
		__m256i qh = q5 ? load32(blk + 16) : _mm256_setzero_si256();
		__m256i isum[AI_DOT_MAX_VEC];
		for (size_t v = 0; v < nv; v++)
			isum[v] = _mm256_setzero_si256();
#pragma GCC unroll 4
		for (int g = 0; g < 4; g++) {
			__m256i q = load32(qs + 32 * g);
			__m256i lo = _mm256_and_si256(q, m4), hi = _mm256_and_si256(_mm256_srli_epi16(q, 4), m4);
			if (q5) {  /* bit 2g (2g+1) of qh[l] is the fifth bit of sub-block 2g (2g+1) */
				lo = _mm256_or_si256(lo, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * g), bit), 4));
				hi = _mm256_or_si256(hi, _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2 * g + 1), bit), 4));
			}
			__m256i s_lo = pick16(sc, 2 * g), s_hi = pick16(sc, 2 * g + 1);
			for (size_t v = 0; v < nv; v++) {
				const int8_t *a = xq[v * xs + b].q + 64 * g;
				isum[v] = _mm256_add_epi32(isum[v], _mm256_add_epi32(scaled_dot(lo, a, s_lo),
				                                                     scaled_dot(hi, a + 32, s_hi)));
			}
		}
		float dw = scale_f16(blk), dm = scale_f16(blk + 2);
		for (size_t v = 0; v < nv; v++) {
			const ai_q8k_t *y = xq + v * xs + b;
			__m256i msum = _mm256_madd_epi16(mins, load32(y->bsums));  /* m_j * sum of sub-block j */
			acc[v] = _mm256_fmadd_ps(_mm256_set1_ps(dw * y->d), _mm256_cvtepi32_ps(isum[v]), acc[v]);
			acc[v] = _mm256_fmadd_ps(_mm256_set1_ps(-dm * y->d), _mm256_cvtepi32_ps(msum), acc[v]);
		}
	}
	for (size_t v = 0; v < nv; v++)
		out[v * os] = hsum(acc[v]);
}

/* ---- Q2_K, Q3_K, Q6_K: sixteen sub-blocks of 16 ---- */

/* In group k of a half: scale 2k of the half's eight (int16, in both lanes
 * of s) in the low lane, scale 2k + 1 in the high lane. */
TARGET __m256i pick_pair_scales(__m256i s, int k)
{
	__m128i lo = _mm_set1_epi16((short)((4 * k + 1) << 8 | 4 * k));
	__m128i hi = _mm_set1_epi16((short)((4 * k + 3) << 8 | (4 * k + 2)));
	return _mm256_shuffle_epi8(s, _mm256_set_m128i(hi, lo));
}

/* The sixteen signed 6-bit Q3_K scales minus 32 (layout in kquant.c): low
 * nibbles of s[0..7] then high nibbles, each with two bits of s[8 + i % 4]
 * (dword q of the result takes them from the dword s[8..11] >> 2q). */
TARGET __m128i q3_scales(const uint8_t *s)
{
	const __m128i m4 = _mm_set1_epi8(15), m2 = _mm_set1_epi8(3);
	__m128i b = _mm_loadl_epi64((const __m128i *)(const void *)s);
	__m128i low = _mm_and_si128(_mm_unpacklo_epi64(b, _mm_srli_epi16(b, 4)), m4);
	uint32_t t;
	__builtin_memcpy(&t, s + 8, 4);
	__m128i top = _mm_and_si128(_mm_srlv_epi32(_mm_set1_epi32((int)t), _mm_setr_epi32(0, 2, 4, 6)), m2);
	return _mm_sub_epi8(_mm_or_si128(low, _mm_slli_epi16(top, 4)), _mm_set1_epi8(32));
}

/* The unsigned quants of group k of half h (layouts in kquant.c); lo, hi,
 * top: the half's 32-byte loads (Q6_K: ql, ql + 32, qh; Q3_K, Q2_K: qs, -,
 * hmask). */
TARGET __m256i sub16_quants(nc_ggml_type_t t, __m256i lo, __m256i hi, __m256i top, int h, int k)
{
	const __m256i m4 = _mm256_set1_epi8(15), m2 = _mm256_set1_epi8(3), bit = _mm256_set1_epi8(1);
	if (t == NC_GGML_Q6_K) {
		__m256i l4 = k & 1 ? hi : lo;
		if (k >= 2)
			l4 = _mm256_srli_epi16(l4, 4);
		__m256i h2 = _mm256_and_si256(_mm256_srli_epi16(top, 2 * k), m2);
		return _mm256_or_si256(_mm256_and_si256(l4, m4), _mm256_slli_epi16(h2, 4));
	}
	__m256i q = _mm256_and_si256(_mm256_srli_epi16(lo, 2 * k), m2);
	if (t == NC_GGML_Q3_K) {  /* bit g = 4h + k of hmask[l] */
		__m256i hb = _mm256_and_si256(_mm256_srli_epi16(top, 4 * h + k), bit);
		q = _mm256_or_si256(q, _mm256_slli_epi16(hb, 2));
	}
	return q;
}

/* The quants are used unsigned; the offset (32 for Q6_K, 4 for Q3_K) comes
 * off afterwards as offset * sum over sub-blocks of scale * activation block
 * sum, and Q2_K's mins as dmin * sum of m_i * block sum. */
TARGET void dot_sub16(nc_ggml_type_t t, const uint8_t *row, const ai_q8k_t *xq, size_t xs, size_t nv, size_t n,
                      float *out, size_t os)
{
	const size_t bb = t == NC_GGML_Q2_K ? AI_Q2_K_BYTES : t == NC_GGML_Q3_K ? AI_Q3_K_BYTES : AI_Q6_K_BYTES;
	__m256 acc[AI_DOT_MAX_VEC];
	for (size_t v = 0; v < nv; v++)
		acc[v] = _mm256_setzero_ps();
	for (size_t b = 0; b < n / AI_QK_K; b++) {
		const uint8_t *blk = row + b * bb;
		if (nv == 1)
			prefetch_ahead(blk, bb);
		__m128i sc8, mins = _mm_setzero_si128();
		float dw, dm = 0;
		if (t == NC_GGML_Q2_K) {
			__m128i s = _mm_loadu_si128((const __m128i *)(const void *)blk);
			sc8 = _mm_and_si128(s, _mm_set1_epi8(15));
			mins = _mm_and_si128(_mm_srli_epi16(s, 4), _mm_set1_epi8(15));
			dw = scale_f16(blk + 80);
			dm = scale_f16(blk + 82);
		} else if (t == NC_GGML_Q3_K) {
			sc8 = q3_scales(blk + 96);
			dw = scale_f16(blk + 108);
		} else {
			sc8 = _mm_loadu_si128((const __m128i *)(const void *)(blk + 192));
			dw = scale_f16(blk + 208);
		}
		__m256i isum[AI_DOT_MAX_VEC];
		for (size_t v = 0; v < nv; v++)
			isum[v] = _mm256_setzero_si256();
#pragma GCC unroll 2
		for (int h = 0; h < 2; h++) {
			__m256i lo, hi = _mm256_setzero_si256(), top = _mm256_setzero_si256();
			if (t == NC_GGML_Q6_K) {
				lo = load32(blk + 64 * h);
				hi = load32(blk + 64 * h + 32);
				top = load32(blk + 128 + 32 * h);
			} else {
				lo = load32(blk + (t == NC_GGML_Q2_K ? 16 : 32) + 32 * h);
				if (t == NC_GGML_Q3_K)
					top = load32(blk);
			}
			__m128i half = h ? _mm_srli_si128(sc8, 8) : sc8;
			__m256i sch = _mm256_broadcastsi128_si256(_mm_cvtepi8_epi16(half));
#pragma GCC unroll 4
			for (int k = 0; k < 4; k++) {
				__m256i q = sub16_quants(t, lo, hi, top, h, k);
				__m256i s = pick_pair_scales(sch, k);
				for (size_t v = 0; v < nv; v++)
					isum[v] = _mm256_add_epi32(isum[v], scaled_dot(q, xq[v * xs + b].q + 128 * h + 32 * k, s));
			}
		}
		__m256i sc16 = _mm256_cvtepi8_epi16(sc8), m16 = _mm256_cvtepu8_epi16(mins);
		for (size_t v = 0; v < nv; v++) {
			const ai_q8k_t *y = xq + v * xs + b;
			__m256i bsums = load32(y->bsums), sum = isum[v];
			if (t == NC_GGML_Q6_K)
				sum = _mm256_sub_epi32(sum, _mm256_slli_epi32(_mm256_madd_epi16(sc16, bsums), 5));
			if (t == NC_GGML_Q3_K)
				sum = _mm256_sub_epi32(sum, _mm256_slli_epi32(_mm256_madd_epi16(sc16, bsums), 2));
			acc[v] = _mm256_fmadd_ps(_mm256_set1_ps(dw * y->d), _mm256_cvtepi32_ps(sum), acc[v]);
			if (t == NC_GGML_Q2_K)
				acc[v] = _mm256_fmadd_ps(_mm256_set1_ps(-dm * y->d),
				                         _mm256_cvtepi32_ps(_mm256_madd_epi16(m16, bsums)), acc[v]);
		}
	}
	for (size_t v = 0; v < nv; v++)
		out[v * os] = hsum(acc[v]);
}

/* ---- entry points: the vector count (1 to AI_DOT_MAX_VEC) as a constant ---- */

TARGET void dot_type(nc_ggml_type_t type, const uint8_t *rows, size_t rb, size_t n_rows, const ai_q8k_t *xq,
                     size_t xs, size_t nv, size_t n, float *out, size_t os)
{
	for (size_t r = 0; r < n_rows; r++) {
		if (type == NC_GGML_Q4_K || type == NC_GGML_Q5_K)
			dot_q45_k(rows + r * rb, type == NC_GGML_Q5_K, xq, xs, nv, n, out + r, os);
		else
			dot_sub16(type, rows + r * rb, xq, xs, nv, n, out + r, os);
	}
}

TARGET_EXPORT void ai_dot_kquant_avx2(nc_ggml_type_t type, const uint8_t *rows, size_t rb, size_t n_rows,
                                      const ai_q8k_t *xq, size_t xs, size_t nv, size_t n, float *out, size_t os)
{
	if (nv == 1)
		dot_type(type, rows, rb, n_rows, xq, xs, 1, n, out, os);
	else if (nv == 2)
		dot_type(type, rows, rb, n_rows, xq, xs, 2, n, out, os);
	else if (nv == 3)
		dot_type(type, rows, rb, n_rows, xq, xs, 3, n, out, os);
	else
		dot_type(type, rows, rb, n_rows, xq, xs, AI_DOT_MAX_VEC, n, out, os);
}
