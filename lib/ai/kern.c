/* Portable compute kernels, number conversions and the threaded matrix
 * multiply. Block formats follow ggml (ggml-common.h): Q8_0 = f16 scale d then
 * 32 int8 q, x = d*q; Q4_0 = f16 scale d then 16 bytes, element j in the low
 * nibble of byte j and element j+16 in the high nibble, x = d*(q-8).
 * The AVX2 versions of these dot kernels are in kern_avx2.c; the K-quant
 * formats and kernels in kquant.c (portable) and kquant_avx2.c, the
 * activation quantizer the K-quant products use in q8k.c. */
#include "ai_int.h"

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

static void dot_f32(const uint8_t *row, const float *x, size_t x_stride, size_t n_vec, size_t n,
                    float *out)
{
	const float *w = (const float *)(const void *)row;
	for (size_t v = 0; v < n_vec; v++) {
		const float *xv = x + v * x_stride;
		float s[8] = {0};
		size_t i = 0;
		for (; i + 8 <= n; i += 8)
			for (size_t j = 0; j < 8; j++)
				s[j] += w[i + j] * xv[i + j];
		for (; i < n; i++)
			s[0] += w[i] * xv[i];
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

const ai_kernels_t ai_kernels_portable = {"portable", NULL, dot_f32, dot_q8_0, dot_q4_0, ai_quant_q8k,
                                          ai_dot_kquant};

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

void ai_pool_run(const nc_ai_pool_t *pool, nc_ai_task_fn fn, void *arg, size_t n_tasks)
{
	if (pool && pool->run && pool->n_threads > 1 && n_tasks > 1) {
		pool->run(pool->ctx, fn, arg, n_tasks);
		return;
	}
	for (size_t i = 0; i < n_tasks; i++)
		fn(arg, i, n_tasks);
}

typedef struct {
	ai_dot_fn dot;
	ai_dot2x4_fn dot2x4;      /* for F32 weights when the kernels have one */
	ai_dot_kquant_fn dot_kq;  /* for K-quant weights, with xq */
	const ai_q8k_t *xq;       /* the quantized x (K-quant weights only) */
	const ai_mat_t *w;
	const float *x;
	size_t n_vec;
	float *y;
	size_t rows_per_task;
} matmul_job_t;

#define KQ_ROWS_PER_CALL 16u  /* K-quant rows per kernel call: the weights stay in L1 across vector groups */

/* Rows [r0, r1) of a K-quant matrix against the quantized x. */
static void matmul_kq(const matmul_job_t *j, size_t r0, size_t r1)
{
	size_t n_in = j->w->n_in, n_out = j->w->n_out, rb = j->w->row_bytes, nb = n_in / AI_QK_K;
	for (size_t r = r0; r < r1; r += KQ_ROWS_PER_CALL) {
		size_t nr = r1 - r < KQ_ROWS_PER_CALL ? r1 - r : KQ_ROWS_PER_CALL;
		for (size_t v = 0; v < j->n_vec; v += AI_DOT_MAX_VEC) {
			size_t nv = j->n_vec - v < AI_DOT_MAX_VEC ? j->n_vec - v : AI_DOT_MAX_VEC;
			j->dot_kq(j->w->type, j->w->data + r * rb, rb, nr, j->xq + v * nb, nb, nv, n_in,
			          j->y + v * n_out + r, n_out);
		}
	}
}

static void matmul_task(void *arg, size_t i_task, size_t n_tasks)
{
	const matmul_job_t *j = arg;
	size_t r0 = i_task * j->rows_per_task;
	size_t r1 = r0 + j->rows_per_task;
	size_t n_in = j->w->n_in, n_out = j->w->n_out, rb = j->w->row_bytes;
	float out[2 * AI_DOT_MAX_VEC];
	if (r1 > n_out)
		r1 = n_out;
	if (j->xq) {
		matmul_kq(j, r0, r1);
		return;
	}
	for (size_t r = r0; r < r1;) {
		const uint8_t *row = j->w->data + r * rb;
		size_t v = 0;
		if (j->dot2x4 && r + 1 < r1) {
			for (; v + AI_DOT_MAX_VEC <= j->n_vec; v += AI_DOT_MAX_VEC) {
				j->dot2x4(row, rb, j->x + v * n_in, n_in, n_in, out);
				for (size_t k = 0; k < AI_DOT_MAX_VEC; k++) {
					j->y[(v + k) * n_out + r] = out[k];
					j->y[(v + k) * n_out + r + 1] = out[AI_DOT_MAX_VEC + k];
				}
			}
			for (size_t rr = r; rr < r + 2; rr++)  /* vectors left over */
				for (size_t vv = v; vv < j->n_vec; vv++) {
					j->dot(j->w->data + rr * rb, j->x + vv * n_in, n_in, 1, n_in, out);
					j->y[vv * n_out + rr] = out[0];
				}
			r += 2;
			continue;
		}
		for (; v < j->n_vec; v += AI_DOT_MAX_VEC) {
			size_t nv = j->n_vec - v < AI_DOT_MAX_VEC ? j->n_vec - v : AI_DOT_MAX_VEC;
			j->dot(row, j->x + v * n_in, n_in, nv, n_in, out);
			for (size_t k = 0; k < nv; k++)
				j->y[(v + k) * n_out + r] = out[k];
		}
		r++;
	}
}

static ai_dot_fn dot_for(const ai_kernels_t *k, nc_ggml_type_t type)
{
	switch (type) {
	case NC_GGML_Q8_0: return k->dot_q8_0;
	case NC_GGML_Q4_0: return k->dot_q4_0;
	default: return k->dot_f32;  /* the loader binds only the types above, F32 and the K-quants */
	}
}

void ai_matmul(const ai_kernels_t *k, const nc_ai_pool_t *pool, const ai_mat_t *w, const float *x,
               size_t n_vec, ai_q8k_t *xq, float *y)
{
	matmul_job_t j = {
		.dot = dot_for(k, w->type),
		.dot2x4 = w->type == NC_GGML_F32 && n_vec >= AI_DOT_MAX_VEC ? k->dot2x4_f32 : NULL,
		.dot_kq = ai_type_is_kquant(w->type) ? k->dot_kquant : NULL,
		.w = w, .x = x, .n_vec = n_vec, .y = y,
	};
	if (j.dot_kq) {  /* quantize x once; every row's dot uses it */
		k->quant_q8k(x, n_vec * w->n_in, xq);
		j.xq = xq;
	}
	size_t n_threads = pool && pool->n_threads > 1 ? pool->n_threads : 1;
	if ((uint64_t)w->n_out * w->n_in * n_vec < AI_PARALLEL_MIN_MACS)
		n_threads = 1;  /* waking threads costs more than this product */
	size_t n_tasks = n_threads * AI_TASKS_PER_THREAD;
	if (n_threads == 1) {
		j.rows_per_task = w->n_out;
		matmul_task(&j, 0, 1);
		return;
	}
	/* An even count keeps the row pairs of the 2-row kernel the same for any
	 * number of tasks, so results do not depend on the thread count. */
	j.rows_per_task = ((w->n_out + n_tasks - 1) / n_tasks + 1) & ~(size_t)1;
	n_tasks = (w->n_out + j.rows_per_task - 1) / j.rows_per_task;
	ai_pool_run(pool, matmul_task, &j, n_tasks);
}
