/* K-quant weights (ggml's Q4_K, Q5_K, Q6_K): dequantization of one 256-element
 * super-block and the portable dot kernels. Layouts (ggml-common.h, little
 * endian, bytes in this order):
 *
 *  Q4_K (144): f16 d, f16 dmin, scales[12], qs[128]
 *  Q5_K (176): f16 d, f16 dmin, scales[12], qh[32], qs[128]
 *  Q6_K (210): ql[128], qh[64], int8 scales[16], f16 d
 *
 * Q4_K/Q5_K: eight sub-blocks of 32 elements, each with a 6-bit scale sc and a
 * 6-bit min m packed into scales[12] (see ai_kq_scale_min); element e of sub-block
 * j = e / 32 is x = d * sc_j * q - dmin * m_j. Group g = e / 64 reads qs[32 g + l]
 * (l = e % 32): the low nibble for sub-block 2g, the high nibble for 2g + 1.
 * Q5_K adds bit j of qh[l] as the fifth bit (value 16).
 * Q6_K: sixteen sub-blocks of 16 with int8 scales; x = d * scales[e / 16] * (q - 32),
 * q six bits: in half h = e / 128, quarter k = (e % 128) / 32, l = e % 32, the low
 * four bits are ql[64 h + l + 32 (k & 1)], low nibble for k < 2, high for k >= 2,
 * and the top two bits are bits 2k, 2k+1 of qh[32 h + l]. */
#include "ai_int.h"

static float load_f16(const uint8_t *p)
{
	return ai_f16_to_f32((uint16_t)(p[0] | p[1] << 8));
}

/* Scale and min of sub-block j (0..7) from the 12 packed bytes: j < 4 are the
 * low six bits of s[j] and s[j + 4]; j >= 4 take their low four bits from the
 * nibbles of s[j + 4] and their top two bits from the top of s[j - 4] and s[j]. */
void ai_kq_scale_min(const uint8_t *s, size_t j, uint32_t *sc, uint32_t *m)
{
	if (j < 4) {
		*sc = s[j] & 63u;
		*m = s[j + 4] & 63u;
	} else {
		*sc = (s[j + 4] & 15u) | (uint32_t)(s[j - 4] >> 6) << 4;
		*m = (uint32_t)(s[j + 4] >> 4) | (uint32_t)(s[j] >> 6) << 4;
	}
}

/* The 4- or 5-bit quant of element e of a Q4_K (qh NULL) or Q5_K super-block. */
static uint32_t q45_value(const uint8_t *qs, const uint8_t *qh, size_t e)
{
	size_t j = e / 32, l = e % 32;
	uint8_t byte = qs[32 * (j / 2) + l];
	uint32_t q = j & 1 ? byte >> 4 : byte & 15u;
	if (qh)
		q |= ((qh[l] >> j) & 1u) << 4;
	return q;
}

static void dequant_q45(const uint8_t *blk, const uint8_t *qh, const uint8_t *qs, float *out)
{
	float d = load_f16(blk), dmin = load_f16(blk + 2);
	for (size_t e = 0; e < AI_QK_K; e++) {
		uint32_t sc, m;
		ai_kq_scale_min(blk + 4, e / 32, &sc, &m);
		out[e] = d * (float)sc * (float)q45_value(qs, qh, e) - dmin * (float)m;
	}
}

void ai_dequant_q4_k(const uint8_t *blk, float *out)
{
	dequant_q45(blk, NULL, blk + 16, out);
}

void ai_dequant_q5_k(const uint8_t *blk, float *out)
{
	dequant_q45(blk, blk + 16, blk + 48, out);
}

static int32_t q6_value(const uint8_t *blk, size_t e)
{
	size_t h = e / 128, k = (e % 128) / 32, l = e % 32;
	uint8_t lo = blk[64 * h + l + 32 * (k & 1)];
	uint32_t q = k < 2 ? lo & 15u : (uint32_t)lo >> 4;
	q |= ((uint32_t)(blk[128 + 32 * h + l] >> (2 * k)) & 3u) << 4;
	return (int32_t)q - 32;
}

void ai_dequant_q6_k(const uint8_t *blk, float *out)
{
	float d = load_f16(blk + 208);
	for (size_t e = 0; e < AI_QK_K; e++)
		out[e] = d * (float)(int8_t)blk[192 + e / 16] * (float)q6_value(blk, e);
}

/* Portable kernels: per sub-block, sum q * x and (Q4_K/Q5_K) sum x in float, then one
 * multiply by the sub-block's scale and min; the super-block sum is added
 * to the row total. */
static float dot_q45_block(const uint8_t *blk, const uint8_t *qh, const uint8_t *qs, const float *x)
{
	float sum_q = 0, sum_m = 0;
	for (size_t g = 0; g < 4; g++) {
		uint32_t sc0, m0, sc1, m1;
		ai_kq_scale_min(blk + 4, 2 * g, &sc0, &m0);
		ai_kq_scale_min(blk + 4, 2 * g + 1, &sc1, &m1);
		const uint8_t *q = qs + 32 * g;
		const float *x0 = x + 64 * g, *x1 = x0 + 32;
		uint32_t b0 = 1u << (2 * g), b1 = b0 << 1;
		float s0 = 0, s1 = 0, t0 = 0, t1 = 0;
		for (size_t l = 0; l < 32; l++) {
			uint32_t h0 = qh && (qh[l] & b0) ? 16u : 0u, h1 = qh && (qh[l] & b1) ? 16u : 0u;
			s0 += (float)((q[l] & 15u) | h0) * x0[l];
			s1 += (float)((uint32_t)(q[l] >> 4) | h1) * x1[l];
			t0 += x0[l];
			t1 += x1[l];
		}
		sum_q += (float)sc0 * s0 + (float)sc1 * s1;
		sum_m += (float)m0 * t0 + (float)m1 * t1;
	}
	return load_f16(blk) * sum_q - load_f16(blk + 2) * sum_m;
}

static float dot_q6_block(const uint8_t *blk, const float *x)
{
	const uint8_t *ql = blk, *qh = blk + 128;
	const int8_t *sc = (const int8_t *)(blk + 192);
	float sum = 0;
	for (size_t h = 0; h < 2; h++) {
		float s[8] = {0};  /* sub-blocks 8h .. 8h+7 */
		for (size_t l = 0; l < 32; l++) {
			uint8_t a = ql[64 * h + l], b = ql[64 * h + 32 + l], hi = qh[32 * h + l];
			const float *xl = x + 128 * h + l;
			size_t i = l / 16;
			s[i + 0] += (float)((int32_t)((a & 15u) | (hi & 3u) << 4) - 32) * xl[0];
			s[i + 2] += (float)((int32_t)((b & 15u) | (hi >> 2 & 3u) << 4) - 32) * xl[32];
			s[i + 4] += (float)((int32_t)((uint32_t)(a >> 4) | (hi >> 4 & 3u) << 4) - 32) * xl[64];
			s[i + 6] += (float)((int32_t)((uint32_t)(b >> 4) | (hi >> 6 & 3u) << 4) - 32) * xl[96];
		}
		for (size_t i = 0; i < 8; i++)
			sum += (float)sc[8 * h + i] * s[i];
	}
	return load_f16(blk + 208) * sum;
}

static float dot_q4_block(const uint8_t *blk, const float *x)
{
	return dot_q45_block(blk, NULL, blk + 16, x);
}

static float dot_q5_block(const uint8_t *blk, const float *x)
{
	return dot_q45_block(blk, blk + 16, blk + 48, x);
}

/* out[v] = sum over the row's super-blocks of block(blk, x_v's 256 elements). */
static void dot_rows(float (*block)(const uint8_t *, const float *), size_t block_bytes,
                     const uint8_t *row, const float *x, size_t x_stride, size_t n_vec, size_t n,
                     float *out)
{
	for (size_t v = 0; v < n_vec; v++) {
		float acc = 0;
		for (size_t b = 0; b < n / AI_QK_K; b++)
			acc += block(row + b * block_bytes, x + v * x_stride + b * AI_QK_K);
		out[v] = acc;
	}
}

void ai_dot_q4_k(const uint8_t *row, const float *x, size_t x_stride, size_t n_vec, size_t n, float *out)
{
	dot_rows(dot_q4_block, AI_Q4_K_BYTES, row, x, x_stride, n_vec, n, out);
}

void ai_dot_q5_k(const uint8_t *row, const float *x, size_t x_stride, size_t n_vec, size_t n, float *out)
{
	dot_rows(dot_q5_block, AI_Q5_K_BYTES, row, x, x_stride, n_vec, n, out);
}

void ai_dot_q6_k(const uint8_t *row, const float *x, size_t x_stride, size_t n_vec, size_t n, float *out)
{
	dot_rows(dot_q6_block, AI_Q6_K_BYTES, row, x, x_stride, n_vec, n, out);
}
