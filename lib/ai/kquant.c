/* K-quant weights (ggml's Q4_K, Q5_K, Q6_K): dequantization of one 256-element
 * super-block and the portable dot kernels. Layouts (ggml-common.h, little
 * endian, bytes in this order):
 *
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
 * and the top two bits are bits 2k, 2k+1 of qh[32 h + l]. */
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

/* ---- activations to 8 bits (ai_q8k_t) ---- */

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

/* ---- portable dot kernels: each 32-element group's quants are unpacked to
 * bytes, then dotted with the int8 activations in plain loops the compiler
 * can vectorize; integer sums per super-block (|sums| < 2^27: 8 sub-blocks *
 * 63 * 32 * 31 * 127 for Q5_K, 16 * 128 * 16 * 63 * 127 for Q6_K), then one
 * float scaling ---- */

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

/* Group g: elements 32g .. 32g+31, half h = g / 4, quarter k = g % 4 (see the
 * layout above); sub-blocks 2g and 2g+1 have their own scale. The quants are
 * dotted unsigned (0..63); the offset 32 comes off as 32 * block sum. */
static float dot_q6_block(const uint8_t *blk, const ai_q8k_t *y)
{
	const int8_t *sc = (const int8_t *)(blk + 192);
	int32_t sum = 0;
	for (size_t g = 0; g < 8; g++) {
		size_t h = g / 4, k = g % 4;
		const uint8_t *ql = blk + 64 * h + 32 * (k & 1), *qh = blk + 128 + 32 * h;
		uint32_t shift = k < 2 ? 0 : 4;
		uint8_t q[32];
		for (size_t l = 0; l < 32; l++)
			q[l] = (uint8_t)(((uint32_t)(ql[l] >> shift) & 15u) | ((uint32_t)(qh[l] >> (2 * k)) & 3u) << 4);
		const int8_t *a = y->q + 32 * g;
		sum += sc[2 * g] * (dot_u8_i8(q, a, 16) - 32 * y->bsums[2 * g]);
		sum += sc[2 * g + 1] * (dot_u8_i8(q + 16, a + 16, 16) - 32 * y->bsums[2 * g + 1]);
	}
	return y->d * load_f16(blk + 208) * (float)sum;
}

static float dot_q4_block(const uint8_t *blk, const ai_q8k_t *y)
{
	return dot_q45_block(blk, NULL, blk + 16, y);
}

static float dot_q5_block(const uint8_t *blk, const ai_q8k_t *y)
{
	return dot_q45_block(blk, blk + 16, blk + 48, y);
}

/* The row-times-vector loops around one super-block's dot product. */
static void dot_rows(float (*block)(const uint8_t *, const ai_q8k_t *), size_t block_bytes,
                     const uint8_t *rows, size_t row_bytes, size_t n_rows, const ai_q8k_t *xq,
                     size_t xq_stride, size_t n_vec, size_t n, float *out, size_t out_stride)
{
	for (size_t r = 0; r < n_rows; r++)
		for (size_t v = 0; v < n_vec; v++) {
			float acc = 0;
			for (size_t b = 0; b < n / AI_QK_K; b++)
				acc += block(rows + r * row_bytes + b * block_bytes, xq + v * xq_stride + b);
			out[v * out_stride + r] = acc;
		}
}

void ai_dot_q4_k(const uint8_t *rows, size_t row_bytes, size_t n_rows, const ai_q8k_t *xq, size_t xq_stride,
                 size_t n_vec, size_t n, float *out, size_t out_stride)
{
	dot_rows(dot_q4_block, AI_Q4_K_BYTES, rows, row_bytes, n_rows, xq, xq_stride, n_vec, n, out, out_stride);
}

void ai_dot_q5_k(const uint8_t *rows, size_t row_bytes, size_t n_rows, const ai_q8k_t *xq, size_t xq_stride,
                 size_t n_vec, size_t n, float *out, size_t out_stride)
{
	dot_rows(dot_q5_block, AI_Q5_K_BYTES, rows, row_bytes, n_rows, xq, xq_stride, n_vec, n, out, out_stride);
}

void ai_dot_q6_k(const uint8_t *rows, size_t row_bytes, size_t n_rows, const ai_q8k_t *xq, size_t xq_stride,
                 size_t n_vec, size_t n, float *out, size_t out_stride)
{
	dot_rows(dot_q6_block, AI_Q6_K_BYTES, rows, row_bytes, n_rows, xq, xq_stride, n_vec, n, out, out_stride);
}
