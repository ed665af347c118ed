/* The forward pass of a llama-architecture model over a chunk of tokens, as
 * llama.cpp computes it (llama.cpp llm_build_llama; llama2.c's forward() for
 * the shape of the code): per layer, RMSNorm -> Q/K/V projections -> RoPE
 * (adjacent pairs) -> KV cache -> causal grouped-query attention -> output
 * projection + residual -> RMSNorm -> SwiGLU or Mixture-of-Experts (softmax
 * router, top-k, weights renormalised to sum 1) + residual; then the output
 * RMSNorm and the vocabulary projection. Matrix products run on the pool;
 * element-wise steps are cheap and stay on the calling thread. */
#include "ai_int.h"

#include <nc/ai_math.h>
#include <nc/mem.h>

static void rmsnorm(float *out, const float *x, const float *w, size_t n, float eps)
{
	double ss = 0;
	for (size_t i = 0; i < n; i++)
		ss += (double)x[i] * x[i];
	float r = 1.0f / nc_ai_sqrtf((float)(ss / (double)n) + eps);
	for (size_t i = 0; i < n; i++)
		out[i] = x[i] * r * w[i];
}

/* Rotate the adjacent pairs of n_heads heads of v (each hd floats) at pos. */
static void rope(const nc_ai_ctx_t *c, float *v, size_t n_heads, uint32_t pos)
{
	uint32_t half = c->m->info.head_dim / 2;
	const float *cs = c->rope_cos + (size_t)pos * half, *sn = c->rope_sin + (size_t)pos * half;
	for (size_t h = 0; h < n_heads; h++) {
		float *p = v + h * 2 * half;
		for (uint32_t i = 0; i < half; i++) {
			float x0 = p[2 * i], x1 = p[2 * i + 1];
			p[2 * i] = x0 * cs[i] - x1 * sn[i];
			p[2 * i + 1] = x0 * sn[i] + x1 * cs[i];
		}
	}
}

/* In-place softmax of v[0..n) (the kernels' expf: nc_ai_expf's bits). */
static void softmax(const ai_kernels_t *k, float *v, size_t n)
{
	float mx = v[0];
	for (size_t i = 1; i < n; i++)
		if (v[i] > mx)
			mx = v[i];
	for (size_t i = 0; i < n; i++)
		v[i] -= mx;
	k->expf(v, n);
	float sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	for (size_t i = 0; i < n; i++)
		v[i] /= sum;
}

/* y += a * x (restrict: lets the compiler vectorise it). */
static void axpy(float *restrict y, float a, const float *restrict x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		y[i] += a * x[i];
}

typedef struct {
	nc_ai_ctx_t *c;
	uint32_t layer;
	uint32_t pos0;
	size_t nb;
} attn_job_t;

/* Task i = (token b, head h): causal attention over positions 0..pos0+b. */
static void attn_task(void *arg, size_t i, size_t n_tasks)
{
	const attn_job_t *j = arg;
	nc_ai_ctx_t *c = j->c;
	const nc_ai_model_info_t *h = &c->m->info;
	size_t b = i / h->n_head, head = i % h->n_head, hd = h->head_dim;
	size_t kvd = (size_t)h->n_head_kv * hd, kvh = head / (h->n_head / h->n_head_kv);
	size_t n_pos = j->pos0 + b + 1;
	const float *q = c->q + b * h->n_head * hd + head * hd;
	const float *kc = c->k_cache + (size_t)j->layer * c->n_ctx * kvd + kvh * hd;
	const float *vc = c->v_cache + (size_t)j->layer * c->n_ctx * kvd + kvh * hd;
	float *att = c->att + i * c->n_ctx;
	float scale = 1.0f / nc_ai_sqrtf((float)hd);
	for (size_t t = 0; t < n_pos; t++) {
		c->k->dot(NC_GGML_F32, (const uint8_t *)(kc + t * kvd), q, 0, 1, hd, &att[t]);
		att[t] *= scale;
	}
	softmax(c->k, att, n_pos);
	float *out = c->xb2 + b * h->n_embd + head * hd;
	nc_mem_set(out, 0, hd * sizeof *out);
	for (size_t t = 0; t < n_pos; t++)
		axpy(out, att[t], vc + t * kvd, hd);
}

/* Task i = head i for all nb tokens with the gemm kernel (prompts): the
 * scores are the K rows against the head's queries (transposed into the
 * matmul scratch, free between the projections), scaled, softmaxed per
 * token over its causal range and zero after it; the output is those
 * score rows against the V rows (read in place as transposed vectors: a
 * zero score adds nothing). */
static void attn_gemm_task(void *arg, size_t head, size_t n_tasks)
{
	const attn_job_t *j = arg;
	nc_ai_ctx_t *c = j->c;
	const nc_ai_model_info_t *h = &c->m->info;
	size_t hd = h->head_dim, qd = (size_t)h->n_head * hd, kvd = (size_t)h->n_head_kv * hd;
	size_t kvh = head / (h->n_head / h->n_head_kv), nb = j->nb, n_pos = j->pos0 + nb, xs = AI_XT_STRIDE(nb);
	size_t att_stride = (size_t)h->n_head * c->n_ctx;
	float *qt = (float *)c->mm_scratch + head * hd * xs, *att = c->att + head * c->n_ctx;
	const float *kc = c->k_cache + (size_t)j->layer * c->n_ctx * kvd + kvh * hd;
	const float *vc = c->v_cache + (size_t)j->layer * c->n_ctx * kvd + kvh * hd;
	float scale = 1.0f / nc_ai_sqrtf((float)hd);
	(void)n_tasks;
	for (size_t d = 0; d < hd; d++)
		for (size_t v = 0; v < xs; v++)
			qt[d * xs + v] = v < nb ? c->q[v * qd + head * hd + d] : 0.0f;
	c->k->gemm(NC_GGML_F32, (const uint8_t *)kc, kvd * sizeof(float), n_pos, qt, xs, nb, hd, att, att_stride, 1);
	for (size_t b = 0; b < nb; b++) {
		float *a = att + b * att_stride;
		size_t np = j->pos0 + b + 1;
		for (size_t t = 0; t < np; t++)
			a[t] *= scale;
		softmax(c->k, a, np);
		nc_mem_set(a + np, 0, (n_pos - np) * sizeof *a);
	}
	c->k->gemm(NC_GGML_F32, (const uint8_t *)att, att_stride * sizeof(float), nb, vc, kvd, hd, n_pos,
	           c->xb2 + head * hd, 1, h->n_embd);
}

static void attention(nc_ai_ctx_t *c, const ai_layer_t *L, uint32_t l, size_t nb)
{
	const nc_ai_model_info_t *h = &c->m->info;
	size_t D = h->n_embd, kvd = (size_t)h->n_head_kv * h->head_dim;
	const ai_kernels_t *k = c->k;
	const ai_mat_t *qkv[] = {&L->wq, &L->wk, &L->wv};
	float *const out[] = {c->q, c->kv_k, c->kv_v};
	ai_matmul_n(k, c->pool, qkv, out, 3, c->xb, nb, c->mm_scratch);
	for (size_t b = 0; b < nb; b++) {
		uint32_t pos = c->n_past + (uint32_t)b;
		rope(c, c->q + b * D, h->n_head, pos);
		rope(c, c->kv_k + b * kvd, h->n_head_kv, pos);
		size_t at = ((size_t)l * c->n_ctx + pos) * kvd;
		nc_mem_copy(c->k_cache + at, c->kv_k + b * kvd, kvd * sizeof(float));
		nc_mem_copy(c->v_cache + at, c->kv_v + b * kvd, kvd * sizeof(float));
	}
	attn_job_t j = {c, l, c->n_past, nb};
	uint64_t macs = (uint64_t)nb * h->n_head * (c->n_past + nb) * h->head_dim * 2;
	const nc_ai_pool_t *pool = macs < AI_PARALLEL_MIN_MACS ? NULL : c->pool;
	if (k->gemm && nb >= k->tile_vecs && h->head_dim % 16 == 0)  /* V rows as vectors need whole registers */
		ai_pool_run(pool, attn_gemm_task, &j, h->n_head);
	else
		ai_pool_run(pool, attn_task, &j, nb * h->n_head);
	ai_matmul(k, c->pool, &L->wo, c->xb2, nb, c->mm_scratch, c->xb);
	for (size_t i = 0; i < nb * D; i++)
		c->x[i] += c->xb[i];
}

/* SwiGLU on n rows of xb-like input in: hb = silu(gate in) * (up in), out = down hb. */
static void swiglu(nc_ai_ctx_t *c, const ai_mat_t *gate, const ai_mat_t *up, const ai_mat_t *down,
                   const float *in, size_t n, float *out)
{
	ai_matmul_swiglu(c->k, c->pool, gate, up, in, n, c->mm_scratch, c->hb, c->hb2);
	ai_matmul(c->k, c->pool, down, c->hb, n, c->mm_scratch, out);
}

static ai_mat_t expert_slice(const ai_mat_t *m, uint32_t e, uint32_t n_expert)
{
	ai_mat_t s = *m;
	s.n_out = m->n_out / n_expert;
	s.data = m->data + (size_t)e * s.n_out * m->row_bytes;
	return s;
}

/* Router: softmax over all experts, keep the top k (lowest index on ties),
 * renormalise the kept weights (llama.cpp llm_build_moe_ffn with norm_w). */
static void route(nc_ai_ctx_t *c, size_t nb)
{
	const nc_ai_model_info_t *h = &c->m->info;
	uint32_t E = h->n_expert, K = h->n_expert_used;
	for (size_t b = 0; b < nb; b++) {
		float *p = c->router + b * E;
		int32_t *sel = c->moe_sel + b * K;
		float *w = c->moe_w + b * K, sum = 0;
		softmax(c->k, p, E);
		for (uint32_t k = 0; k < K; k++) {
			int32_t best = -1;
			for (uint32_t e = 0; e < E; e++) {
				bool used = false;
				for (uint32_t q = 0; q < k; q++)
					used |= sel[q] == (int32_t)e;
				if (!used && (best < 0 || p[e] > p[best]))
					best = (int32_t)e;
			}
			sel[k] = best;
			w[k] = p[best];
			sum += p[best];
		}
		for (uint32_t k = 0; k < K; k++)
			w[k] /= sum;
	}
}

static void moe(nc_ai_ctx_t *c, const ai_layer_t *L, size_t nb)
{
	const nc_ai_model_info_t *h = &c->m->info;
	uint32_t E = h->n_expert, K = h->n_expert_used;
	size_t D = h->n_embd;
	ai_matmul(c->k, c->pool, &L->gate_inp, c->xb, nb, c->mm_scratch, c->router);
	route(c, nb);
	for (uint32_t e = 0; e < E; e++) {
		size_t cnt = 0;
		for (size_t b = 0; b < nb; b++)
			for (uint32_t k = 0; k < K; k++)
				if (c->moe_sel[b * K + k] == (int32_t)e) {
					c->moe_rows[cnt] = (int32_t)b;
					c->moe_rw[cnt] = c->moe_w[b * K + k];
					nc_mem_copy(c->xb2 + cnt * D, c->xb + b * D, D * sizeof(float));
					cnt++;
				}
		if (!cnt)
			continue;
		ai_mat_t g = expert_slice(&L->gate_exps, e, E), u = expert_slice(&L->up_exps, e, E);
		ai_mat_t d = expert_slice(&L->down_exps, e, E);
		swiglu(c, &g, &u, &d, c->xb2, cnt, c->q);
		for (size_t r = 0; r < cnt; r++) {
			float *x = c->x + (size_t)c->moe_rows[r] * D, wr = c->moe_rw[r];
			const float *y = c->q + r * D;
			for (size_t i = 0; i < D; i++)
				x[i] += wr * y[i];
		}
	}
}

/* One chunk of at most AI_BATCH_MAX tokens. out_rows: first row that needs
 * output (logits / hidden state); rows before it skip the output head. */
static void forward_chunk(nc_ai_ctx_t *c, const int32_t *ids, size_t nb, size_t out_from,
                          float *all_logits, double *hidden_sum)
{
	const nc_ai_model_t *m = c->m;
	const nc_ai_model_info_t *h = &m->info;
	size_t D = h->n_embd;
	for (size_t b = 0; b < nb; b++)
		ai_mat_get_row(&m->tok_embd, (size_t)ids[b], c->x + b * D);
	for (uint32_t l = 0; l < h->n_layer; l++) {
		const ai_layer_t *L = &m->layers[l];
		for (size_t b = 0; b < nb; b++)
			rmsnorm(c->xb + b * D, c->x + b * D, L->attn_norm, D, h->rms_eps);
		attention(c, L, l, nb);
		for (size_t b = 0; b < nb; b++)
			rmsnorm(c->xb + b * D, c->x + b * D, L->ffn_norm, D, h->rms_eps);
		if (h->n_expert) {
			moe(c, L, nb);
		} else {
			swiglu(c, &L->gate, &L->up, &L->down, c->xb, nb, c->xb2);
			for (size_t i = 0; i < nb * D; i++)
				c->x[i] += c->xb2[i];
		}
	}
	size_t n_out = nb - out_from;
	for (size_t b = out_from; b < nb; b++) {
		float *o = c->xb + (b - out_from) * D;
		rmsnorm(o, c->x + b * D, m->output_norm, D, h->rms_eps);
		if (hidden_sum)
			for (size_t i = 0; i < D; i++)
				hidden_sum[i] += o[i];
	}
	ai_matmul(c->k, c->pool, &m->output, c->xb, n_out, c->mm_scratch, c->logits_b);
	if (all_logits)
		nc_mem_copy(all_logits + out_from * h->n_vocab, c->logits_b, n_out * h->n_vocab * sizeof(float));
	nc_mem_copy(c->logits, c->logits_b + (n_out - 1) * h->n_vocab, h->n_vocab * sizeof(float));
	c->n_past += (uint32_t)nb;
}

void ai_forward(nc_ai_ctx_t *c, const int32_t *ids, size_t n, float *all_logits, double *hidden_sum)
{
	size_t V = c->m->info.n_vocab;
	for (size_t i = 0; i < n; i += AI_BATCH_MAX) {
		size_t nb = n - i < AI_BATCH_MAX ? n - i : AI_BATCH_MAX;
		bool every = all_logits || hidden_sum;
		if (c->tokens + c->n_past != ids + i)  /* classify evaluates in place */
			nc_mem_copy(c->tokens + c->n_past, ids + i, nb * sizeof *ids);
		forward_chunk(c, ids + i, nb, every ? 0 : nb - 1, all_logits ? all_logits + i * V : NULL,
		              hidden_sum);
	}
}
