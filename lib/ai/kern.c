/* Portable compute kernels and number conversions. Block formats follow ggml (ggml-common.h): Q8_0 = f16 scale d then
 * 32 int8 q, x = d*q; Q4_0 = f16 scale d then 16 bytes, element j in the low
 * nibble of byte j and element j+16 in the high nibble, x = d*(q-8).
 * The AVX2 versions of these dot kernels are in kern_avx2.c; the K-quant
 * formats and kernels in kquant.c (portable) and kquant_avx2.c, the
 * activation quantizer the K-quant products use in q8k.c; the threaded
 * matrix product that calls them in matmul.c. */
#include "ai_int.h"

#include <nc/ai_math.h>
#include <nc/mem.h>

float ai_f16_to_f32(uint16_t h)
{
	uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
	uint32_t exp = (h >> 10) & 0x1f;
	uint32_t man = h & 0x3ffu;
	uint32_t bits;
	if (exp == 0x1f) {
		bits = sign | 0x7f800000u | (man << 13);          /* inf / NaN */
	} else if (exp) {
		bits = sign | ((exp + 112) << 23) | (man << 13);  /* normal: rebias 15 -> 127 */
	} else if (man) {
		int e = 113;                                      /* subnormal: normalise */
		while (!(man & 0x400u)) {
			man <<= 1;
			e--;
		}
		bits = sign | ((uint32_t)e << 23) | ((man & 0x3ffu) << 13);
	} else {
		bits = sign;
	}
	float f;
	nc_mem_copy(&f, &bits, 4);
	return f;
}

float ai_bf16_to_f32(uint16_t b)
{
	uint32_t bits = (uint32_t)b << 16;
	float f;
	nc_mem_copy(&f, &bits, 4);
	return f;
}

static float load_f16(const uint8_t *p)
{
	return ai_f16_to_f32((uint16_t)(p[0] | p[1] << 8));
}

/* Weight i of a row of type t (F32, F16 or BF16), exactly as a float. */
static inline float weight_at(nc_ggml_type_t t, const uint8_t *row, size_t i)
{
	if (t == NC_GGML_F32) {
		float f;
		nc_mem_copy(&f, row + 4 * i, 4);
		return f;
	}
	uint16_t h = (uint16_t)(row[2 * i] | row[2 * i + 1] << 8);
	return t == NC_GGML_F16 ? ai_f16_to_f32(h) : ai_bf16_to_f32(h);
}

/* Eight partial sums per vector (the compiler vectorizes the F32 case); t is
 * a constant in each caller, so the type test folds away. */
__attribute__((always_inline)) static inline void dot_float(nc_ggml_type_t t, const uint8_t *row, const float *x,
                                                            size_t x_stride, size_t n_vec, size_t n, float *out)
{
	for (size_t v = 0; v < n_vec; v++) {
		const float *xv = x + v * x_stride;
		float s[8] = {0};
		size_t i = 0;
		for (; i + 8 <= n; i += 8)
			for (size_t j = 0; j < 8; j++)
				s[j] += weight_at(t, row, i + j) * xv[i + j];
		for (; i < n; i++)
			s[0] += weight_at(t, row, i) * xv[i];
		out[v] = ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]));
	}
}

static void dot_q8_0(const uint8_t *row, const float *x, size_t x_stride, size_t n_vec, size_t n,
                     float *out)
{
	for (size_t v = 0; v < n_vec; v++) {
		const float *xv = x + v * x_stride;
		float acc = 0;
		for (size_t b = 0; b < n / AI_QK; b++) {
			const uint8_t *blk = row + b * AI_Q8_0_BYTES;
			const int8_t *q = (const int8_t *)(blk + 2);
			const float *xb = xv + b * AI_QK;
			float s = 0;
			for (size_t j = 0; j < AI_QK; j++)
				s += (float)q[j] * xb[j];
			acc += load_f16(blk) * s;
		}
		out[v] = acc;
	}
}

static void dot_q4_0(const uint8_t *row, const float *x, size_t x_stride, size_t n_vec, size_t n,
                     float *out)
{
	for (size_t v = 0; v < n_vec; v++) {
		const float *xv = x + v * x_stride;
		float acc = 0;
		for (size_t b = 0; b < n / AI_QK; b++) {
			const uint8_t *blk = row + b * AI_Q4_0_BYTES;
			const float *xb = xv + b * AI_QK;
			float s = 0;
			for (size_t j = 0; j < AI_QK / 2; j++) {
				s += (float)((int)(blk[2 + j] & 15) - 8) * xb[j];
				s += (float)((int)(blk[2 + j] >> 4) - 8) * xb[j + AI_QK / 2];
			}
			acc += load_f16(blk) * s;
		}
		out[v] = acc;
	}
}

static void dot(nc_ggml_type_t type, const uint8_t *row, const float *x, size_t x_stride, size_t n_vec, size_t n,
                float *out)
{
	switch (type) {
	case NC_GGML_Q8_0: dot_q8_0(row, x, x_stride, n_vec, n, out); break;
	case NC_GGML_Q4_0: dot_q4_0(row, x, x_stride, n_vec, n, out); break;
	case NC_GGML_F16: dot_float(NC_GGML_F16, row, x, x_stride, n_vec, n, out); break;
	case NC_GGML_BF16: dot_float(NC_GGML_BF16, row, x, x_stride, n_vec, n, out); break;
	default: dot_float(NC_GGML_F32, row, x, x_stride, n_vec, n, out); break;
	}
}

void ai_expf_each(float *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		v[i] = nc_ai_expf(v[i]);
}

void ai_silu_mul_each(float *g, const float *u, size_t n)
{
	for (size_t i = 0; i < n; i++)
		g[i] = g[i] / (1.0f + nc_ai_expf(-g[i])) * u[i];
}

const ai_kernels_t ai_kernels_portable = {"portable", NULL, 0, 1, 1, dot, ai_quant_q8k, ai_dot_kquant, NULL,
                                          ai_expf_each, ai_silu_mul_each};

size_t ai_kquant_block_bytes(nc_ggml_type_t type)
{
	switch (type) {
	case NC_GGML_Q2_K: return AI_Q2_K_BYTES;
	case NC_GGML_Q3_K: return AI_Q3_K_BYTES;
	case NC_GGML_Q4_K: return AI_Q4_K_BYTES;
	case NC_GGML_Q5_K: return AI_Q5_K_BYTES;
	case NC_GGML_Q6_K: return AI_Q6_K_BYTES;
	default: return 0;
	}
}

bool ai_type_is_kquant(nc_ggml_type_t type)
{
	return ai_kquant_block_bytes(type) != 0;
}

static void dequant_kquant(nc_ggml_type_t type, const uint8_t *blk, float *out)
{
	switch (type) {
	case NC_GGML_Q2_K: ai_dequant_q2_k(blk, out); break;
	case NC_GGML_Q3_K: ai_dequant_q3_k(blk, out); break;
	case NC_GGML_Q4_K: ai_dequant_q4_k(blk, out); break;
	case NC_GGML_Q5_K: ai_dequant_q5_k(blk, out); break;
	default: ai_dequant_q6_k(blk, out); break;
	}
}

void ai_mat_get_row(const ai_mat_t *m, size_t r, float *out)
{
	const uint8_t *row = m->data + r * m->row_bytes;
	if (m->type == NC_GGML_F32) {
		nc_mem_copy(out, row, (size_t)m->n_in * sizeof(float));
		return;
	}
	if (m->type == NC_GGML_F16 || m->type == NC_GGML_BF16) {
		for (size_t i = 0; i < m->n_in; i++)
			out[i] = weight_at(m->type, row, i);
		return;
	}
	if (ai_type_is_kquant(m->type)) {
		size_t bb = ai_kquant_block_bytes(m->type);
		for (size_t b = 0; b < m->n_in / AI_QK_K; b++)
			dequant_kquant(m->type, row + b * bb, out + b * AI_QK_K);
		return;
	}
	for (size_t b = 0; b < m->n_in / AI_QK; b++) {
		float *o = out + b * AI_QK;
		if (m->type == NC_GGML_Q8_0) {
			const uint8_t *blk = row + b * AI_Q8_0_BYTES;
			float d = load_f16(blk);
			for (size_t j = 0; j < AI_QK; j++)
				o[j] = d * (float)(int8_t)blk[2 + j];
		} else {
			const uint8_t *blk = row + b * AI_Q4_0_BYTES;
			float d = load_f16(blk);
			for (size_t j = 0; j < AI_QK / 2; j++) {
				o[j] = d * (float)((int)(blk[2 + j] & 15) - 8);
				o[j + AI_QK / 2] = d * (float)((int)(blk[2 + j] >> 4) - 8);
			}
		}
	}
}
