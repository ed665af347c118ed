/* K-quant super-blocks (lib/ai/kquant.c). Expected values are worked out by
 * hand below from the ggml block definitions (ggml-common.h and
 * dequantize_row_q4_K/q5_K/q6_K as documented there):
 *   Q4_K/Q5_K: x = d * sc_j * q - dmin * m_j, sub-block j = e / 32, scales and
 *              mins 6-bit packed in 12 bytes (j < 4: low 6 bits of s[j], s[j+4];
 *              j >= 4: nibbles of s[j+4] plus the top 2 bits of s[j-4], s[j]);
 *   Q6_K:      x = d * scales[e / 16] * (q - 32), q = 4 bits from ql and 2 from qh.
 * Then properties on random blocks: each dot kernel (portable and AVX2)
 * equals the dequantized row dotted in double with x, AVX2 equals portable,
 * and the matrix product dispatches to them. */
#include "../../../lib/ai/ai_int.h"

#include <nc/mem.h>
#include <nc_test.h>

/* f16 bit patterns used as d / dmin */
#define F16_0_25 0x3400u
#define F16_0_5 0x3800u

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

NC_TEST(ai_kquant, q4_k_hand_values)
{
	static uint8_t b[AI_Q4_K_BYTES];
	float out[AI_QK_K];
	nc_mem_set(b, 0, sizeof b);
	put_f16(b, F16_0_5);       /* d = 0.5 */
	put_f16(b + 2, F16_0_25);  /* dmin = 0.25 */
	put_k_scales(b + 4);
	uint8_t *qs = b + 16;
	qs[0] = 0x9a;    /* e 0: low nibble 10 (sub-block 0); e 32: high nibble 9 (sub-block 1) */
	qs[64] = 0x0f;   /* e 128: group 2, low nibble 15 (sub-block 4) */
	qs[127] = 0x70;  /* e 255: group 3, l 31, high nibble 7 (sub-block 7) */
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
	nc_mem_set(b, 0, sizeof b);
	put_f16(b, F16_0_5);
	put_f16(b + 2, F16_0_25);
	put_k_scales(b + 4);
	uint8_t *qh = b + 16, *qs = b + 48;
	qs[0] = 0x9a;
	qs[64] = 0x0f;
	qs[127] = 0x70;
	qh[0] = 0x11;   /* bit 0: e 0 gets +16; bit 4: e 128 (sub-block 4) gets +16 */
	qh[31] = 0x80;  /* bit 7: e 255 (sub-block 7, l 31) gets +16 */
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
	nc_mem_set(b, 0, sizeof b);
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
	ai_dequant_q6_k(b, out);
	NC_CHECK(out[0] == 14.0f);     /* q = 12 + 48 - 32 = 28; 0.25*2*28 */
	NC_CHECK(out[16] == -32.0f);   /* q = -32, sub-block 1: 0.25*4*-32 */
	NC_CHECK(out[32] == 23.25f);   /* q = 1 - 32 = -31, sub-block 2: 0.25*-3*-31 */
	NC_CHECK(out[64] == -13.75f);  /* q = 5 + 16 - 32 = -11, sub-block 4: 0.25*5*-11 */
	NC_CHECK(out[96] == 0.0f);     /* q = 0 + 32 - 32 = 0 */
	NC_CHECK(out[255] == -7.75f);  /* q = 15 + 48 - 32 = 31, sub-block 15: 0.25*-1*31 */
	NC_CHECK(out[128] == 0.0f);    /* sub-block 8: scale 0 */
}

/* ---- properties on random blocks ---- */

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1664525u + 1013904223u;
	return *s >> 8;
}

#define NB 3  /* super-blocks per row */
#define ROWS 3

/* A random f16 in [2^-5, 2^0) times +-1 (no inf/NaN, no subnormals). */
static uint16_t rand_f16(uint32_t *s)
{
	uint32_t r = lcg(s);
	return (uint16_t)((r & 0x8000u) | (10u + r % 5u) << 10 | (r >> 5 & 0x3ffu));
}

static size_t block_bytes(nc_ggml_type_t type)
{
	return type == NC_GGML_Q4_K ? AI_Q4_K_BYTES : type == NC_GGML_Q5_K ? AI_Q5_K_BYTES : AI_Q6_K_BYTES;
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

static bool check_type(const ai_kernels_t *k, nc_ggml_type_t type, ai_dot_fn dot, uint32_t seed)
{
	static uint8_t rows[ROWS * NB * AI_Q6_K_BYTES];
	static float x[AI_DOT_MAX_VEC * NB * AI_QK_K], w[ROWS][NB * AI_QK_K];
	static float y[AI_DOT_MAX_VEC * ROWS];
	const size_t n = NB * AI_QK_K, rb = NB * block_bytes(type);
	uint32_t s = seed;
	for (size_t r = 0; r < ROWS; r++)
		rand_row(rows + r * rb, type, NB, &s);
	for (size_t i = 0; i < AI_DOT_MAX_VEC * n; i++)
		x[i] = (float)((int)(lcg(&s) % 2001) - 1000) / 500.0f;
	ai_mat_t m = {rows, type, (uint32_t)n, ROWS, rb};
	for (size_t r = 0; r < ROWS; r++)
		ai_mat_get_row(&m, r, w[r]);
	for (size_t nv = 1; nv <= AI_DOT_MAX_VEC; nv++) {
		float out[AI_DOT_MAX_VEC];
		dot(rows, x, n, nv, n, out);
		for (size_t v = 0; v < nv; v++) {
			double want = 0, mag = 0;
			for (size_t i = 0; i < n; i++) {
				double p = (double)w[0][i] * x[v * n + i];
				want += p;
				mag += p < 0 ? -p : p;
			}
			if (!close_to(out[v], want, mag))
				return false;
		}
	}
	/* the matrix product picks the kernel for the type */
	ai_matmul(k, NULL, &m, x, AI_DOT_MAX_VEC, y);
	for (size_t v = 0; v < AI_DOT_MAX_VEC; v++)
		for (size_t r = 0; r < ROWS; r++) {
			double want = 0, mag = 0;
			for (size_t i = 0; i < n; i++) {
				double p = (double)w[r][i] * x[v * n + i];
				want += p;
				mag += p < 0 ? -p : p;
			}
			if (!close_to(y[v * ROWS + r], want, mag))
				return false;
		}
	return true;
}

static bool check_kernels(const ai_kernels_t *k)
{
	for (uint32_t seed = 1; seed <= 20; seed++)
		if (!check_type(k, NC_GGML_Q4_K, k->dot_q4_k, seed) ||
		    !check_type(k, NC_GGML_Q5_K, k->dot_q5_k, seed) ||
		    !check_type(k, NC_GGML_Q6_K, k->dot_q6_k, seed))
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
	static const nc_ggml_type_t types[] = {NC_GGML_Q4_K, NC_GGML_Q5_K, NC_GGML_Q6_K};
	static uint8_t row[NB * AI_Q6_K_BYTES];
	static float x[AI_DOT_MAX_VEC * NB * AI_QK_K], w[NB * AI_QK_K];
	const size_t n = NB * AI_QK_K;
	for (uint32_t seed = 1; seed <= 20; seed++)
		for (size_t t = 0; t < 3; t++) {
			uint32_t s = seed * 31 + (uint32_t)t;
			rand_row(row, types[t], NB, &s);
			for (size_t i = 0; i < AI_DOT_MAX_VEC * n; i++)
				x[i] = (float)((int)(lcg(&s) % 2001) - 1000) / 250.0f;
			ai_mat_t m = {row, types[t], (uint32_t)n, 1, NB * block_bytes(types[t])};
			ai_mat_get_row(&m, 0, w);
			float pa[AI_DOT_MAX_VEC], va[AI_DOT_MAX_VEC];
			ai_dot_fn port = t == 0 ? ai_kernels_portable.dot_q4_k : t == 1 ? ai_kernels_portable.dot_q5_k
			                                                           : ai_kernels_portable.dot_q6_k;
			ai_dot_fn avx = t == 0 ? ai_kernels_avx2.dot_q4_k : t == 1 ? ai_kernels_avx2.dot_q5_k
			                                                     : ai_kernels_avx2.dot_q6_k;
			for (size_t nv = 1; nv <= AI_DOT_MAX_VEC; nv++) {
				port(row, x, n, nv, n, pa);
				avx(row, x, n, nv, n, va);
				for (size_t v = 0; v < nv; v++) {
					double mag = 0;
					for (size_t i = 0; i < n; i++) {
						double p = (double)w[i] * x[v * n + i];
						mag += p < 0 ? -p : p;
					}
					NC_CHECK(close_to(va[v], pa[v], 2 * mag));
				}
			}
		}
}

/* Dequantizing every super-block of a row equals dequantizing each block
 * alone (the row walk uses the right block size and offsets). */
NC_TEST(ai_kquant, get_row_walks_blocks)
{
	static const nc_ggml_type_t types[] = {NC_GGML_Q4_K, NC_GGML_Q5_K, NC_GGML_Q6_K};
	static uint8_t row[NB * AI_Q6_K_BYTES];
	static float all[NB * AI_QK_K], one[AI_QK_K];
	for (size_t t = 0; t < 3; t++) {
		uint32_t s = 99;
		size_t bb = block_bytes(types[t]);
		rand_row(row, types[t], NB, &s);
		ai_mat_t m = {row, types[t], NB * AI_QK_K, 1, NB * bb};
		ai_mat_get_row(&m, 0, all);
		for (size_t b = 0; b < NB; b++) {
			if (types[t] == NC_GGML_Q4_K)
				ai_dequant_q4_k(row + b * bb, one);
			else if (types[t] == NC_GGML_Q5_K)
				ai_dequant_q5_k(row + b * bb, one);
			else
				ai_dequant_q6_k(row + b * bb, one);
			NC_CHECK(nc_mem_compare(one, all + b * AI_QK_K, sizeof one) == 0);
		}
	}
}
