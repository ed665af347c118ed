/* K-quant super-blocks and the K-quant dot products (lib/ai/kquant.c,
 * kquant_avx2.c). Expected values are worked out by hand below from the ggml
 * block definitions (ggml-common.h and dequantize_row_q4_K/q5_K/q6_K as
 * documented there):
 *   Q4_K/Q5_K: x = d * sc_j * q - dmin * m_j, sub-block j = e / 32, scales and
 *              mins 6-bit packed in 12 bytes (j < 4: low 6 bits of s[j], s[j+4];
 *              j >= 4: nibbles of s[j+4] plus the top 2 bits of s[j-4], s[j]);
 *   Q6_K:      x = d * scales[e / 16] * (q - 32), q = 4 bits from ql and 2 from qh;
 *   Q2_K:      x = d * (scales[e / 16] & 15) * q - dmin * (scales[e / 16] >> 4),
 *              q = bits 2k, 2k+1 of qs[32 h + l] (h = e / 128, k = e % 128 / 32,
 *              l = e % 32), as in dequantize_row_q2_K;
 *   Q3_K:      x = d * (sc_i - 32) * (q - 4 + 4 * bit e / 32 of hmask[l]), q as
 *              for Q2_K, sc_i 6-bit: low 4 bits from the nibbles of scales[0..7]
 *              (low for i < 8, high for i >= 8), top 2 from scales[8 + i % 4]
 *              bits 2 (i / 4), 2 (i / 4) + 1, as in dequantize_row_q3_K.
 * The dot kernels take the activations quantized to 8 bits (ai_q8k_t, per 256
 * elements x ~= d * q, d = max|x| / 127, q rounded to nearest, ties to even);
 * the quantizer is checked in q8k_test.c, the kernels here on hand-built
 * activation blocks, so each is tested apart from the other.
 * Then properties on random data:
 *   - a kernel's result equals the dequantized row dotted in double with the
 *     dequantized activations (d * q), within float rounding (1e-5 of the sum
 *     of the products' magnitudes): the integer part is exact;
 *   - the matrix product on float x is within the quantization bound of the
 *     exact dot: rounding x_i to d_b * q_i moves it by at most d_b / 2 (d_b of
 *     x's block b), so |y - w.x| <= sum_b d_b / 2 * sum_{i in b} |w_i| plus the
 *     float rounding above; d_b is computed here from x (max|x| / 127);
 *   - AVX2 equals portable (the quantizers bit for bit). */
#include "../../../lib/ai/ai_int.h"

#include <nc/mem.h>
#include <nc_test.h>

/* f16 bit patterns used as d / dmin */
#define F16_0_25 0x3400u
#define F16_0_5 0x3800u

static double fabs_d(double v)
{
	return v < 0 ? -v : v;
}

static void put_f16(uint8_t *p, uint16_t h)
{
	p[0] = (uint8_t)(h & 0xff);
	p[1] = (uint8_t)(h >> 8);
}

/* The packed scale bytes shared by the Q4_K and Q5_K hand blocks:
 *   s[0] = 0x43: sc0 = 3, top bits 01 -> sc4 gets 16
 *   s[1] = 7:    sc1 = 7
 *   s[3] = 0xc0: sc3 = 0, top bits 11 -> sc7 gets 48
 *   s[4] = 0x82: m0 = 2, top bits 10 -> m4 gets 32
 *   s[5] = 1:    m1 = 1
 *   s[8] = 0x25: sc4 = 5 + 16 = 21, m4 = 2 + 32 = 34
 *   s[11] = 0xf1: sc7 = 1 + 48 = 49, m7 = 15 + 0 (s[7] = 0) = 15 */
static void put_k_scales(uint8_t *s)
{
	s[0] = 0x43;
	s[1] = 7;
	s[3] = 0xc0;
	s[4] = 0x82;
	s[5] = 1;
	s[8] = 0x25;
	s[11] = 0xf1;
}

/* The hand blocks: small readable constants, the elements they set worked
 * out in the tests below. */
static void hand_q4_k(uint8_t *b)
{
	nc_mem_set(b, 0, AI_Q4_K_BYTES);
	put_f16(b, F16_0_5);       /* d = 0.5 */
	put_f16(b + 2, F16_0_25);  /* dmin = 0.25 */
	put_k_scales(b + 4);
	uint8_t *qs = b + 16;
	qs[0] = 0x9a;    /* e 0: low nibble 10 (sub-block 0); e 32: high nibble 9 (sub-block 1) */
	qs[64] = 0x0f;   /* e 128: group 2, low nibble 15 (sub-block 4) */
	qs[127] = 0x70;  /* e 255: group 3, l 31, high nibble 7 (sub-block 7) */
}

/* The Q4_K hand block's quants and scales, plus fifth bits. */
static void hand_q5_k(uint8_t *b)
{
	nc_mem_set(b, 0, AI_Q5_K_BYTES);
	put_f16(b, F16_0_5);
	put_f16(b + 2, F16_0_25);
	put_k_scales(b + 4);
	uint8_t *qh = b + 16, *qs = b + 48;
	qs[0] = 0x9a;
	qs[64] = 0x0f;
	qs[127] = 0x70;
	qh[0] = 0x11;   /* bit 0: e 0 gets +16; bit 4: e 128 (sub-block 4) gets +16 */
	qh[31] = 0x80;  /* bit 7: e 255 (sub-block 7, l 31) gets +16 */
}

static void hand_q6_k(uint8_t *b)
{
	nc_mem_set(b, 0, AI_Q6_K_BYTES);
	uint8_t *ql = b, *qh = b + 128, *sc = b + 192;
	put_f16(b + 208, F16_0_25);  /* d = 0.25 */
	sc[0] = 2;
	sc[1] = 4;
	sc[2] = 0xfd;   /* -3 */
	sc[4] = 5;
	sc[6] = 7;
	sc[15] = 0xff;  /* -1 */
	ql[0] = 0x5c;   /* e 0: low nibble 12; e 64: high nibble 5 */
	ql[32] = 0x01;  /* e 32: low nibble 1; e 96: high nibble 0 */
	qh[0] = 0x93;   /* bits 1:0 = 3 (e 0), 3:2 = 0 (e 32), 5:4 = 1 (e 64), 7:6 = 2 (e 96) */
	ql[127] = 0xf0; /* e 255: half 1, quarter 3, l 31: high nibble of ql[64+32+31] = 15 */
	qh[63] = 0xc0;  /* its top bits: bits 7:6 of qh[32+31] = 3 */
}

/* Q2_K: d = 0.5, dmin = 0.25; scale bytes (sc low nibble, m high):
 * sub-block 0: 0x23 (sc 3, m 2), 1: 0x01 (1, 0), 2: 0x12 (2, 1), 6: 0x37 (7, 3),
 * 9: 0xf5 (5, 15), 15: 0x4a (10, 4), the others 0. */
static void hand_q2_k(uint8_t *b)
{
	nc_mem_set(b, 0, AI_Q2_K_BYTES);
	uint8_t *sc = b, *qs = b + 16;
	sc[0] = 0x23;
	sc[1] = 0x01;
	sc[2] = 0x12;
	sc[6] = 0x37;
	sc[9] = 0xf5;
	sc[15] = 0x4a;
	qs[0] = 0xe7;   /* bits 1:0 = 3 (e 0), 3:2 = 1 (e 32), 5:4 = 2 (e 64), 7:6 = 3 (e 96) */
	qs[16] = 0x02;  /* e 16: q 2 */
	qs[54] = 0x01;  /* e 150 = 128 + 22: half 1, l 22, bits 1:0 = 1 */
	qs[63] = 0xc0;  /* e 255: half 1, l 31, bits 7:6 = 3 */
	put_f16(b + 80, F16_0_5);
	put_f16(b + 82, F16_0_25);
}

/* Q3_K: d = 0.25; the 6-bit scales set (others are 0 - 32 = -32):
 *   sc_0 = 33 (1):   low 1 in s[0], top 2 in s[8] bits 1:0;
 *   sc_1 = 30 (-2):  low 14 in s[1], top 1 in s[9] bits 1:0;
 *   sc_4 = 63 (31):  low 15 in s[4], top 3 in s[8] bits 3:2;
 *   sc_9 = 45 (13):  low 13 in the high nibble of s[1], top 2 in s[9] bits 5:4;
 *   sc_15 = 20 (-12): low 4 in the high nibble of s[7], top 1 in s[11] bits 7:6. */
static void hand_q3_k(uint8_t *b)
{
	nc_mem_set(b, 0, AI_Q3_K_BYTES);
	uint8_t *hm = b, *qs = b + 32, *s = b + 96;
	s[0] = 0x01;
	s[1] = 0xde;
	s[4] = 0x0f;
	s[7] = 0x40;
	s[8] = 0x0e;
	s[9] = 0x21;
	s[11] = 0x40;
	qs[0] = 0x13;   /* bits 1:0 = 3 (e 0), 3:2 = 0 (e 32), 5:4 = 1 (e 64) */
	hm[0] = 0x05;   /* bit 0: e 0 high, bit 2: e 64 high; bit 1 clear: e 32 low */
	qs[54] = 0x02;  /* e 150: bits 1:0 = 2, hmask[22] bit 4 clear */
	qs[63] = 0x40;  /* e 255: bits 7:6 = 1 */
	hm[31] = 0x80;  /* its high bit (bit 7) */
	put_f16(b + 108, F16_0_25);
}

NC_TEST(ai_kquant, q2_k_hand_values)
{
	static uint8_t b[AI_Q2_K_BYTES];
	float out[AI_QK_K];
	hand_q2_k(b);
	ai_dequant_q2_k(b, out);
	NC_CHECK(out[0] == 4.0f);      /* 0.5*3*3 - 0.25*2 */
	NC_CHECK(out[1] == -0.5f);     /* q 0: -0.25*2 */
	NC_CHECK(out[16] == 1.0f);     /* sub-block 1: 0.5*1*2 - 0 */
	NC_CHECK(out[32] == 0.75f);    /* sub-block 2: 0.5*2*1 - 0.25*1 */
	NC_CHECK(out[33] == -0.25f);   /* q 0 in sub-block 2 */
	NC_CHECK(out[64] == 0.0f);     /* sub-block 4: scale byte 0 */
	NC_CHECK(out[96] == 9.75f);    /* sub-block 6: 0.5*7*3 - 0.25*3 */
	NC_CHECK(out[150] == -1.25f);  /* sub-block 9: 0.5*5*1 - 0.25*15 */
	NC_CHECK(out[255] == 14.0f);   /* sub-block 15: 0.5*10*3 - 0.25*4 */
}

NC_TEST(ai_kquant, q3_k_hand_values)
{
	static uint8_t b[AI_Q3_K_BYTES];
	float out[AI_QK_K];
	hand_q3_k(b);
	ai_dequant_q3_k(b, out);
	NC_CHECK(out[0] == 0.75f);    /* q 3 + 4 - 4 = 3, sub-block 0: 0.25*1*3 */
	NC_CHECK(out[16] == 2.0f);    /* q 0 - 4, sub-block 1: 0.25*-2*-4 */
	NC_CHECK(out[32] == 32.0f);   /* q 0 - 4, sub-block 2 (scale -32): 0.25*-32*-4 */
	NC_CHECK(out[64] == 7.75f);   /* q 1 + 4 - 4 = 1, sub-block 4: 0.25*31*1 */
	NC_CHECK(out[150] == -6.5f);  /* q 2 - 4, sub-block 9: 0.25*13*-2 */
	NC_CHECK(out[255] == -3.0f);  /* q 1 + 4 - 4 = 1, sub-block 15: 0.25*-12*1 */
}

NC_TEST(ai_kquant, q4_k_hand_values)
{
	static uint8_t b[AI_Q4_K_BYTES];
	float out[AI_QK_K];
	hand_q4_k(b);
	ai_dequant_q4_k(b, out);
	NC_CHECK(out[0] == 14.5f);     /* 0.5*3*10 - 0.25*2 */
	NC_CHECK(out[1] == -0.5f);     /* q 0: -0.25*2 */
	NC_CHECK(out[32] == 31.25f);   /* 0.5*7*9 - 0.25*1 */
	NC_CHECK(out[128] == 149.0f);  /* 0.5*21*15 - 0.25*34 */
	NC_CHECK(out[129] == -8.5f);   /* q 0 in sub-block 4 */
	NC_CHECK(out[255] == 167.75f); /* 0.5*49*7 - 0.25*15 */
	NC_CHECK(out[96] == 0.0f);     /* sub-block 3: sc 0, m 0 */
}

NC_TEST(ai_kquant, q5_k_hand_values)
{
	static uint8_t b[AI_Q5_K_BYTES];
	float out[AI_QK_K];
	hand_q5_k(b);
	ai_dequant_q5_k(b, out);
	NC_CHECK(out[0] == 38.5f);     /* 0.5*3*26 - 0.5 */
	NC_CHECK(out[32] == 31.25f);   /* bit 1 of qh[0] clear: as Q4_K */
	NC_CHECK(out[128] == 317.0f);  /* 0.5*21*31 - 8.5 */
	NC_CHECK(out[255] == 559.75f); /* 0.5*49*23 - 3.75 */
	NC_CHECK(out[31] == -0.5f);
}

NC_TEST(ai_kquant, q6_k_hand_values)
{
	static uint8_t b[AI_Q6_K_BYTES];
	float out[AI_QK_K];
	hand_q6_k(b);
	ai_dequant_q6_k(b, out);
	NC_CHECK(out[0] == 14.0f);     /* q = 12 + 48 - 32 = 28; 0.25*2*28 */
	NC_CHECK(out[16] == -32.0f);   /* q = -32, sub-block 1: 0.25*4*-32 */
	NC_CHECK(out[32] == 23.25f);   /* q = 1 - 32 = -31, sub-block 2: 0.25*-3*-31 */
	NC_CHECK(out[64] == -13.75f);  /* q = 5 + 16 - 32 = -11, sub-block 4: 0.25*5*-11 */
	NC_CHECK(out[96] == 0.0f);     /* q = 0 + 32 - 32 = 0 */
	NC_CHECK(out[255] == -7.75f);  /* q = 15 + 48 - 32 = 31, sub-block 15: 0.25*-1*31 */
	NC_CHECK(out[128] == 0.0f);    /* sub-block 8: scale 0 */
}

/* The scale/min unpacking on the bytes of put_k_scales (derivation there). */
NC_TEST(ai_kquant, unpack_scales_hand_values)
{
	static const uint8_t want[16] = {3, 7, 0, 0, 21, 0, 0, 49, 2, 1, 0, 0, 34, 0, 0, 15};
	uint8_t s[12] = {0}, out[16];
	put_k_scales(s);
	ai_kq_unpack_scales(s, out);
	NC_CHECK(nc_mem_compare(out, want, sizeof want) == 0);
}

/* ---- properties on random blocks ---- */

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

#define NB 3     /* super-blocks per row */
#define ROWS 19  /* more than the matrix product gives one kernel call */
#define MM_VEC 6 /* vectors in the matrix product: a group of 4 and one of 2 */

/* Random activations in [-2, 2] in steps of 1/500; every fourth block gets a
 * larger spread (steps of 1/50), so blocks have different scales. */
static void rand_x(float *x, size_t n, uint32_t *s)
{
	for (size_t i = 0; i < n; i++)
		x[i] = (float)((int)(lcg(s) % 2001) - 1000) / (i / AI_QK_K % 4 == 3 ? 50.0f : 500.0f);
}

/* An activation block with hand-set quants (their sums in bsums), scale d. */
static void hand_q8k(ai_q8k_t *y, float d, const size_t *at, const int8_t *val, size_t n)
{
	nc_mem_set(y, 0, sizeof *y);
	y->d = d;
	for (size_t i = 0; i < n; i++) {
		y->q[at[i]] = val[i];
		y->bsums[at[i] / 16] = (int16_t)(y->bsums[at[i] / 16] + val[i]);
	}
}

/* dot(kernel) on one hand block against the value worked out by hand, for
 * 1..4 vectors (stride 0: the same activation block each time) */
static bool hand_dot_ok(const ai_kernels_t *k, nc_ggml_type_t type, const uint8_t *blk, const ai_q8k_t *y,
                        float want)
{
	for (size_t nv = 1; nv <= AI_DOT_MAX_VEC; nv++) {
		float out[AI_DOT_MAX_VEC];
		k->dot_kquant(type, blk, 0, 1, y, 0, nv, AI_QK_K, out, 1);
		for (size_t v = 0; v < nv; v++)
			if (out[v] != want)
				return false;
	}
	return true;
}

/* The hand blocks of the dequantization tests above, dotted with activation
 * blocks whose nonzero quants sit on the elements worked out there. */
static bool hand_dots_ok(const ai_kernels_t *k)
{
	static uint8_t b2[AI_Q2_K_BYTES], b3[AI_Q3_K_BYTES], b4[AI_Q4_K_BYTES], b5[AI_Q5_K_BYTES], b6[AI_Q6_K_BYTES];
	hand_q2_k(b2);
	hand_q3_k(b3);
	hand_q4_k(b4);
	hand_q5_k(b5);
	hand_q6_k(b6);
	ai_q8k_t y;
	/* Q4_K: elements 0, 1, 32, 128, 255 are 14.5, -0.5, 31.25, 149, 167.75:
	 * 0.5 * (2 * 14.5 + 1 * -0.5 - 31.25 + 149 + 3 * 167.75) = 0.5 * 649.5 */
	static const size_t at4[] = {0, 1, 32, 128, 255};
	static const int8_t v4[] = {2, 1, -1, 1, 3};
	hand_q8k(&y, 0.5f, at4, v4, 5);
	bool ok = hand_dot_ok(k, NC_GGML_Q4_K, b4, &y, 324.75f);
	/* Q5_K: elements 0, 128, 255 are 38.5, 317, 559.75: 38.5 - 317 + 559.75 */
	static const size_t at5[] = {0, 128, 255};
	static const int8_t v5[] = {1, -1, 1};
	hand_q8k(&y, 1.0f, at5, v5, 3);
	ok &= hand_dot_ok(k, NC_GGML_Q5_K, b5, &y, 281.25f);
	/* Q6_K: elements 0, 16, 32, 64, 255 are 14, -32, 23.25, -13.75, -7.75:
	 * 0.5 * (14 - 2 * 32 - 23.25 - 13.75 + 2 * 7.75) = 0.5 * -71.5 */
	static const size_t at6[] = {0, 16, 32, 64, 255};
	static const int8_t v6[] = {1, 2, -1, 1, -2};
	hand_q8k(&y, 0.5f, at6, v6, 5);
	ok &= hand_dot_ok(k, NC_GGML_Q6_K, b6, &y, -35.75f);
	/* Q2_K: elements 0, 32, 33, 96, 150, 255 are 4, 0.75, -0.25, 9.75, -1.25, 14:
	 * 4 + 2 * 0.75 - 4 * 0.25 - 9.75 - 2 * 1.25 + 14 */
	static const size_t at2[] = {0, 32, 33, 96, 150, 255};
	static const int8_t v2[] = {1, 2, 4, -1, 2, 1};
	hand_q8k(&y, 1.0f, at2, v2, 6);
	ok &= hand_dot_ok(k, NC_GGML_Q2_K, b2, &y, 6.25f);
	/* Q3_K: elements 0, 16, 64, 150, 255 are 0.75, 2, 7.75, -6.5, -3 (every other
	 * element is nonzero too, but its activation is 0):
	 * 0.5 * (2 * 0.75 + 2 - 7.75 - 6.5 - 2 * 3) = 0.5 * -16.75 */
	static const size_t at3[] = {0, 16, 64, 150, 255};
	static const int8_t v3[] = {2, 1, -1, 1, 2};
	hand_q8k(&y, 0.5f, at3, v3, 5);
	ok &= hand_dot_ok(k, NC_GGML_Q3_K, b3, &y, -8.375f);
	return ok;
}

NC_TEST(ai_kquant, dots_hand_values)
{
	NC_CHECK(hand_dots_ok(&ai_kernels_portable));
	if (ai_cpu_has_avx2())
		NC_CHECK(hand_dots_ok(&ai_kernels_avx2));
}

/* A random f16 in [2^-5, 2^0) times +-1 (no inf/NaN, no subnormals). */
static uint16_t rand_f16(uint32_t *s)
{
	uint32_t r = lcg(s);
	return (uint16_t)((r & 0x8000u) | (10u + r % 5u) << 10 | (r >> 5 & 0x3ffu));
}

#define N_TYPES 5
static const nc_ggml_type_t kq_types[N_TYPES] = {NC_GGML_Q2_K, NC_GGML_Q3_K, NC_GGML_Q4_K, NC_GGML_Q5_K,
                                                 NC_GGML_Q6_K};

static size_t block_bytes(nc_ggml_type_t type)
{
	switch (type) {
	case NC_GGML_Q2_K: return AI_Q2_K_BYTES;
	case NC_GGML_Q3_K: return AI_Q3_K_BYTES;
	case NC_GGML_Q4_K: return AI_Q4_K_BYTES;
	case NC_GGML_Q5_K: return AI_Q5_K_BYTES;
	default: return AI_Q6_K_BYTES;
	}
}

/* Random bytes with a sane d (and dmin) at the type's positions. */
static void rand_row(uint8_t *row, nc_ggml_type_t type, size_t n_blocks, uint32_t *s)
{
	size_t bb = block_bytes(type);
	for (size_t i = 0; i < n_blocks * bb; i++)
		row[i] = (uint8_t)lcg(s);
	for (size_t b = 0; b < n_blocks; b++) {
		uint8_t *blk = row + b * bb;
		if (type == NC_GGML_Q6_K) {
			put_f16(blk + 208, rand_f16(s));
		} else if (type == NC_GGML_Q3_K) {
			put_f16(blk + 108, rand_f16(s));
		} else if (type == NC_GGML_Q2_K) {
			put_f16(blk + 80, rand_f16(s));
			put_f16(blk + 82, rand_f16(s));
		} else {
			put_f16(blk, rand_f16(s));
			put_f16(blk + 2, rand_f16(s));
		}
	}
}

/* |got - want| within float rounding of a sum of n products of size mag */
static bool close_to(float got, double want, double mag)
{
	double d = got - want;
	return (d < 0 ? -d : d) <= 1e-5 * mag + 1e-6;
}

/* w . (d * q) in double and the sum of the products' magnitudes */
static double dot_dequant(const float *w, const ai_q8k_t *y, size_t n, double *mag)
{
	double sum = 0;
	*mag = 0;
	for (size_t i = 0; i < n; i++) {
		double p = (double)w[i] * y[i / AI_QK_K].d * y[i / AI_QK_K].q[i % AI_QK_K];
		sum += p;
		*mag += fabs_d(p);
	}
	return sum;
}

static bool check_type(const ai_kernels_t *k, nc_ggml_type_t type, uint32_t seed)
{
	static uint8_t rows[ROWS * NB * AI_Q6_K_BYTES];
	static float x[MM_VEC * NB * AI_QK_K], w[ROWS][NB * AI_QK_K];
	static ai_q8k_t xq[MM_VEC * NB];
	static float y[MM_VEC * ROWS];
	const size_t n = NB * AI_QK_K, rb = NB * block_bytes(type);
	uint32_t s = seed;
	for (size_t r = 0; r < ROWS; r++)
		rand_row(rows + r * rb, type, NB, &s);
	rand_x(x, MM_VEC * n, &s);
	ai_quant_q8k(x, MM_VEC * n, xq);
	ai_mat_t m = {rows, type, (uint32_t)n, ROWS, rb};
	for (size_t r = 0; r < ROWS; r++)
		ai_mat_get_row(&m, r, w[r]);
	for (size_t nv = 1; nv <= AI_DOT_MAX_VEC; nv++) {
		float out[AI_DOT_MAX_VEC * 2];  /* rows 0 and 1, vector v at out[2 v + r] */
		k->dot_kquant(type, rows, rb, 2, xq, NB, nv, n, out, 2);
		for (size_t v = 0; v < nv; v++)
			for (size_t r = 0; r < 2; r++) {
				double mag, want = dot_dequant(w[r], xq + v * NB, n, &mag);
				if (!close_to(out[2 * v + r], want, mag))
					return false;
			}
	}
	/* the matrix product quantizes x and picks the kernel for the type */
	static float scratch[AI_MATMUL_SCRATCH(NB * AI_QK_K, MM_VEC) / sizeof(float)] __attribute__((aligned(64)));
	ai_matmul(k, NULL, &m, x, MM_VEC, scratch, y);
	for (size_t v = 0; v < MM_VEC; v++)
		for (size_t r = 0; r < ROWS; r++) {
			double want = 0, mag = 0, bound = 0;
			for (size_t b = 0; b < NB; b++) {
				const float *xb = x + v * n + b * AI_QK_K, *wb = w[r] + b * AI_QK_K;
				double amax = 0, wsum = 0;
				for (size_t i = 0; i < AI_QK_K; i++) {
					double p = (double)wb[i] * xb[i];
					want += p;
					mag += fabs_d(p);
					amax = fabs_d(xb[i]) > amax ? fabs_d(xb[i]) : amax;
					wsum += fabs_d(wb[i]);
				}
				bound += amax / 127 * (0.5 + 1e-5) * wsum;
			}
			double err = fabs_d((double)y[v * ROWS + r] - want);
			if (!(err <= bound + 1e-5 * mag + 1e-6))
				return false;
		}
	return true;
}

static bool check_kernels(const ai_kernels_t *k)
{
	for (uint32_t seed = 1; seed <= 20; seed++)
		for (size_t t = 0; t < N_TYPES; t++)
			if (!check_type(k, kq_types[t], seed))
				return false;
	return true;
}

NC_TEST(ai_kquant, dots_equal_dequantized_rows)
{
	NC_CHECK(check_kernels(&ai_kernels_portable));
}

NC_TEST(ai_kquant, avx2_dots_equal_dequantized_rows_and_portable)
{
	if (!ai_cpu_has_avx2()) {
		nc_test_note("CPU without AVX2: only the portable K-quant kernels run here");
		return;
	}
	NC_CHECK(check_kernels(&ai_kernels_avx2));
	const nc_ggml_type_t *types = kq_types;
	static uint8_t row[NB * AI_Q6_K_BYTES];
	static float x[AI_DOT_MAX_VEC * NB * AI_QK_K], w[NB * AI_QK_K];
	static ai_q8k_t xq[AI_DOT_MAX_VEC * NB];
	const size_t n = NB * AI_QK_K;
	for (uint32_t seed = 1; seed <= 20; seed++)
		for (size_t t = 0; t < N_TYPES; t++) {
			uint32_t s = seed * 31 + (uint32_t)t;
			rand_row(row, types[t], NB, &s);
			rand_x(x, AI_DOT_MAX_VEC * n, &s);
			ai_quant_q8k(x, AI_DOT_MAX_VEC * n, xq);
			ai_mat_t m = {row, types[t], (uint32_t)n, 1, NB * block_bytes(types[t])};
			ai_mat_get_row(&m, 0, w);
			float pa[AI_DOT_MAX_VEC], va[AI_DOT_MAX_VEC];
			for (size_t nv = 1; nv <= AI_DOT_MAX_VEC; nv++) {
				ai_kernels_portable.dot_kquant(types[t], row, 0, 1, xq, NB, nv, n, pa, 1);
				ai_kernels_avx2.dot_kquant(types[t], row, 0, 1, xq, NB, nv, n, va, 1);
				for (size_t v = 0; v < nv; v++) {
					double mag;
					dot_dequant(w, xq + v * NB, n, &mag);
					NC_CHECK(close_to(va[v], pa[v], 2 * mag));
				}
			}
		}
}

/* Dequantizing every super-block of a row equals dequantizing each block
 * alone (the row walk uses the right block size and offsets). */
NC_TEST(ai_kquant, get_row_walks_blocks)
{
	static void (*const dequant[N_TYPES])(const uint8_t *, float *) = {
		ai_dequant_q2_k, ai_dequant_q3_k, ai_dequant_q4_k, ai_dequant_q5_k, ai_dequant_q6_k};
	static uint8_t row[NB * AI_Q6_K_BYTES];
	static float all[NB * AI_QK_K], one[AI_QK_K];
	for (size_t t = 0; t < N_TYPES; t++) {
		uint32_t s = 99;
		size_t bb = block_bytes(kq_types[t]);
		rand_row(row, kq_types[t], NB, &s);
		ai_mat_t m = {row, kq_types[t], NB * AI_QK_K, 1, NB * bb};
		ai_mat_get_row(&m, 0, all);
		for (size_t b = 0; b < NB; b++) {
			dequant[t](row + b * bb, one);
			NC_CHECK(nc_mem_compare(one, all + b * AI_QK_K, sizeof one) == 0);
		}
	}
}
