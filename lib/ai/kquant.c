/* K-quant weights (ggml's Q2_K, Q3_K, Q4_K, Q5_K, Q6_K): dequantization of one
 * 256-element super-block and the portable dot kernels against activations
 * quantized by q8k.c. Layouts (ggml-common.h, little endian, bytes in this order):
 *
 *  Q2_K (84):  scales[16], qs[64], f16 d, f16 dmin
 *  Q3_K (110): hmask[32], qs[64], scales[12], f16 d
 *  Q4_K (144): f16 d, f16 dmin, scales[12], qs[128]
 *  Q5_K (176): f16 d, f16 dmin, scales[12], qh[32], qs[128]
 *  Q6_K (210): ql[128], qh[64], int8 scales[16], f16 d
 *
 * Q4_K/Q5_K: eight sub-blocks of 32 elements, each with a 6-bit scale sc and a
 * 6-bit min m packed into scales[12] (see ai_kq_unpack_scales); element e of sub-block
 * j = e / 32 is x = d * sc_j * q - dmin * m_j. Group g = e / 64 reads qs[32 g + l]
 * (l = e % 32): the low nibble for sub-block 2g, the high nibble for 2g + 1.
 * Q5_K adds bit j of qh[l] as the fifth bit (value 16).
 * Q6_K: sixteen sub-blocks of 16 with int8 scales; x = d * scales[e / 16] * (q - 32),
 * q six bits: in half h = e / 128, quarter k = (e % 128) / 32, l = e % 32, the low
 * four bits are ql[64 h + l + 32 (k & 1)], low nibble for k < 2, high for k >= 2,
 * and the top two bits are bits 2k, 2k+1 of qh[32 h + l].
 * Q2_K, Q3_K: sixteen sub-blocks of 16; element e (half h, quarter k, l as for
 * Q6_K) has the two bits 2k, 2k+1 of qs[32 h + l] as q.
 * Q2_K: x = d * (scales[e / 16] & 15) * q - dmin * (scales[e / 16] >> 4).
 * Q3_K: x = d * (sc_i - 32) * (q - 4 + 4 * bit g of hmask[l]), i = e / 16,
 * g = e / 32; the 6-bit sc_i has its low four bits in the low nibble of
 * scales[i] (i < 8) or the high nibble of scales[i - 8], and its top two in
 * bits 2 (i / 4), 2 (i / 4) + 1 of scales[8 + i % 4]. */
#include "ai_int.h"

static float load_f16(const uint8_t *p)
{
	return ai_f16_to_f32((uint16_t)(p[0] | p[1] << 8));
}

static uint32_t load_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void store_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

#define BYTES_LOW6 0x3f3f3f3fu
#define BYTES_LOW4 0x0f0f0f0fu
#define BYTES_LOW2 0x03030303u

/* Scales and mins of the eight sub-blocks from the 12 packed bytes s, four
 * bytes at a time: sc_j (j < 4) is the low six bits of s[j], m_j those of
 * s[j + 4]; for j >= 4, sc_j takes its low four bits from the low nibble of
 * s[j + 4] and its top two from the top of s[j - 4], m_j its low four from
 * the high nibble of s[j + 4] and its top two from the top of s[j]. */
void ai_kq_unpack_scales(const uint8_t *s, uint8_t out[16])
{
	uint32_t s0 = load_le32(s), s4 = load_le32(s + 4), s8 = load_le32(s + 8);
	store_le32(out, s0 & BYTES_LOW6);
	store_le32(out + 4, (s8 & BYTES_LOW4) | ((s0 >> 6) & BYTES_LOW2) << 4);
	store_le32(out + 8, s4 & BYTES_LOW6);
	store_le32(out + 12, ((s8 >> 4) & BYTES_LOW4) | ((s4 >> 6) & BYTES_LOW2) << 4);
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
	uint8_t sm[16];
	ai_kq_unpack_scales(blk + 4, sm);
	for (size_t e = 0; e < AI_QK_K; e++)
		out[e] = d * (float)sm[e / 32] * (float)q45_value(qs, qh, e) - dmin * (float)sm[8 + e / 32];
}

void ai_dequant_q4_k(const uint8_t *blk, float *out)
{
	dequant_q45(blk, NULL, blk + 16, out);
}

void ai_dequant_q5_k(const uint8_t *blk, float *out)
{
	dequant_q45(blk, blk + 16, blk + 48, out);
}

/* ---- Q2_K, Q3_K, Q6_K: sixteen sub-blocks of 16, each element
 * x = d * sc_i * (q - offset) - dmin * m_i with q unsigned ---- */

typedef struct {
	float d, dmin;
	int32_t sc[16], m[16];
	int32_t offset;
} sub16_t;

static void sub16_header(nc_ggml_type_t t, const uint8_t *blk, sub16_t *h)
{
	for (size_t i = 0; i < 16; i++) {
		h->m[i] = 0;
		if (t == NC_GGML_Q2_K) {
			h->sc[i] = blk[i] & 15;
			h->m[i] = blk[i] >> 4;
		} else if (t == NC_GGML_Q3_K) {
			const uint8_t *s = blk + 96;
			uint32_t low = i < 8 ? s[i] & 15u : (uint32_t)s[i - 8] >> 4;
			uint32_t top = (uint32_t)(s[8 + i % 4] >> (2 * (i / 4))) & 3u;
			h->sc[i] = (int32_t)(low | top << 4) - 32;
		} else {
			h->sc[i] = (int8_t)blk[192 + i];
		}
	}
	h->d = load_f16(blk + (t == NC_GGML_Q2_K ? 80 : t == NC_GGML_Q3_K ? 108 : 208));
	h->dmin = t == NC_GGML_Q2_K ? load_f16(blk + 82) : 0.0f;
	h->offset = t == NC_GGML_Q2_K ? 0 : t == NC_GGML_Q3_K ? 4 : 32;
}

/* The unsigned quants of group g (elements 32g .. 32g+31: half g / 4,
 * quarter k = g % 4). */
static void sub16_group(nc_ggml_type_t t, const uint8_t *blk, size_t g, uint8_t q[32])
{
	size_t h = g / 4, k = g % 4;
	for (size_t l = 0; l < 32; l++) {
		uint32_t v;
		if (t == NC_GGML_Q6_K) {
			uint32_t lo = blk[64 * h + 32 * (k & 1) + l];
			v = (k < 2 ? lo & 15u : lo >> 4) | ((uint32_t)(blk[128 + 32 * h + l] >> (2 * k)) & 3u) << 4;
		} else if (t == NC_GGML_Q3_K) {
			v = ((uint32_t)(blk[32 + 32 * h + l] >> (2 * k)) & 3u) | ((uint32_t)(blk[l] >> g) & 1u) << 2;
		} else {
			v = (uint32_t)(blk[16 + 32 * h + l] >> (2 * k)) & 3u;
		}
		q[l] = (uint8_t)v;
	}
}

static void dequant_sub16(nc_ggml_type_t t, const uint8_t *blk, float *out)
{
	sub16_t h;
	sub16_header(t, blk, &h);
	for (size_t g = 0; g < 8; g++) {
		uint8_t q[32];
		sub16_group(t, blk, g, q);
		for (size_t l = 0; l < 32; l++) {
			size_t i = (32 * g + l) / 16;
			out[32 * g + l] = h.d * (float)h.sc[i] * (float)((int32_t)q[l] - h.offset) - h.dmin * (float)h.m[i];
		}
	}
}

void ai_dequant_q2_k(const uint8_t *blk, float *out)
{
	dequant_sub16(NC_GGML_Q2_K, blk, out);
}

void ai_dequant_q3_k(const uint8_t *blk, float *out)
{
	dequant_sub16(NC_GGML_Q3_K, blk, out);
}

void ai_dequant_q6_k(const uint8_t *blk, float *out)
{
	dequant_sub16(NC_GGML_Q6_K, blk, out);
}

/* ---- portable dot kernels: each 32-element group's quants are unpacked to
 * bytes, then dotted with the int8 activations in plain loops the compiler
 * can vectorize; integer sums per super-block (|sums| < 2^29: 8 sub-blocks *
 * 63 * 32 * 31 * 127 for Q5_K, 16 * 128 * 16 * (63 + 32) * 127 for Q6_K),
 * then one float scaling ---- */

static int32_t dot_u8_i8(const uint8_t *w, const int8_t *a, size_t n)
{
	int32_t s = 0;
	for (size_t l = 0; l < n; l++)
		s += (int32_t)w[l] * a[l];
	return s;
}

static float dot_q45_block(const uint8_t *blk, const uint8_t *qh, const uint8_t *qs, const ai_q8k_t *y)
{
	uint8_t sm[16];
	ai_kq_unpack_scales(blk + 4, sm);
	int32_t sum_q = 0, sum_m = 0;
	for (size_t g = 0; g < 4; g++) {  /* sub-blocks 2g (low nibbles) and 2g + 1 (high) */
		const uint8_t *q = qs + 32 * g;
		uint8_t lo[32], hi[32];
		for (size_t l = 0; l < 32; l++) {
			lo[l] = q[l] & 15u;
			hi[l] = (uint8_t)(q[l] >> 4);
		}
		if (qh)
			for (size_t l = 0; l < 32; l++) {
				lo[l] |= (uint8_t)(((qh[l] >> (2 * g)) & 1u) << 4);
				hi[l] |= (uint8_t)(((qh[l] >> (2 * g + 1)) & 1u) << 4);
			}
		sum_q += sm[2 * g] * dot_u8_i8(lo, y->q + 64 * g, 32) + sm[2 * g + 1] * dot_u8_i8(hi, y->q + 64 * g + 32, 32);
	}
	for (size_t j = 0; j < 8; j++)
		sum_m += sm[8 + j] * (y->bsums[2 * j] + y->bsums[2 * j + 1]);
	return y->d * (load_f16(blk) * (float)sum_q - load_f16(blk + 2) * (float)sum_m);
}

/* The offset comes off as offset * block sum, the Q2_K mins as m_i * block sum. */
static float dot_sub16_block(nc_ggml_type_t t, const uint8_t *blk, const ai_q8k_t *y)
{
	sub16_t h;
	sub16_header(t, blk, &h);
	int32_t sum = 0, sum_m = 0;
	for (size_t g = 0; g < 8; g++) {
		uint8_t q[32];
		sub16_group(t, blk, g, q);
		for (size_t half = 0; half < 2; half++) {
			size_t i = 2 * g + half;
			sum += h.sc[i] * (dot_u8_i8(q + 16 * half, y->q + 16 * i, 16) - h.offset * y->bsums[i]);
			sum_m += h.m[i] * y->bsums[i];
		}
	}
	return y->d * (h.d * (float)sum - h.dmin * (float)sum_m);
}

/* One super-block of type t against one activation block. */
static float dot_block(nc_ggml_type_t t, const uint8_t *blk, const ai_q8k_t *y)
{
	if (t == NC_GGML_Q4_K)
		return dot_q45_block(blk, NULL, blk + 16, y);
	if (t == NC_GGML_Q5_K)
		return dot_q45_block(blk, blk + 16, blk + 48, y);
	return dot_sub16_block(t, blk, y);
}

/* The row-times-vector loops around the super-blocks' dot products. */
void ai_dot_kquant(nc_ggml_type_t t, const uint8_t *rows, size_t row_bytes, size_t n_rows, const ai_q8k_t *xq,
                   size_t xq_stride, size_t n_vec, size_t n, float *out, size_t out_stride)
{
	size_t bb = ai_kquant_block_bytes(t);
	for (size_t r = 0; r < n_rows; r++)
		for (size_t v = 0; v < n_vec; v++) {
			float acc = 0;
			for (size_t b = 0; b < n / AI_QK_K; b++)
				acc += dot_block(t, rows + r * row_bytes + b * bb, xq + v * xq_stride + b);
			out[v * out_stride + r] = acc;
		}
}
