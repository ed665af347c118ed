/* Inference contexts: one allocation holds the KV cache, the RoPE tables and
 * every scratch buffer a forward pass of up to AI_BATCH_MAX tokens needs, so
 * evaluation itself never allocates. Kernels (portable or AVX2) are chosen
 * here, once. */
#include "ai_int.h"

#include <nc/ai_math.h>
#include <nc/mem.h>

#define BUF_ALIGN 64u

typedef struct {
	uint8_t *base;   /* NULL while measuring */
	size_t used;
} layout_t;

static void *carve(layout_t *l, size_t bytes)
{
	size_t at = (l->used + BUF_ALIGN - 1) & ~(size_t)(BUF_ALIGN - 1);
	l->used = at + bytes;
	return l->base ? l->base + at : NULL;
}

/* Lay out (or measure, when l->base is NULL) the context buffers. */
static void lay_out(nc_ai_ctx_t *c, layout_t *l)
{
	const nc_ai_model_info_t *h = &c->m->info;
	size_t B = AI_BATCH_MAX, n = c->n_ctx, D = h->n_embd, hd = h->head_dim;
	size_t kvd = (size_t)h->n_head_kv * hd, cache = (size_t)h->n_layer * n * kvd;
	size_t E = h->n_expert ? h->n_expert : 1, K = h->n_expert_used ? h->n_expert_used : 1;
	c->k_cache = carve(l, cache * sizeof(float));
	c->v_cache = carve(l, cache * sizeof(float));
	c->rope_cos = carve(l, n * hd / 2 * sizeof(float));
	c->rope_sin = carve(l, n * hd / 2 * sizeof(float));
	c->x = carve(l, B * D * sizeof(float));
	c->xb = carve(l, B * D * sizeof(float));
	c->xb2 = carve(l, B * D * sizeof(float));
	c->q = carve(l, B * D * sizeof(float));
	c->kv_k = carve(l, B * kvd * sizeof(float));
	c->kv_v = carve(l, B * kvd * sizeof(float));
	c->hb = carve(l, B * h->n_ff * sizeof(float));
	c->hb2 = carve(l, B * h->n_ff * sizeof(float));
	c->att = carve(l, B * h->n_head * n * sizeof(float));
	c->router = carve(l, B * E * sizeof(float));
	c->mm_scratch = carve(l, AI_MATMUL_SCRATCH(D > h->n_ff ? D : h->n_ff, B));
	c->logits = carve(l, h->n_vocab * sizeof(float));
	c->logits_b = carve(l, B * h->n_vocab * sizeof(float));
	c->tokens = carve(l, n * sizeof(int32_t));
	c->moe_sel = carve(l, B * K * sizeof(int32_t));
	c->moe_w = carve(l, B * K * sizeof(float));
	c->moe_rows = carve(l, B * sizeof(int32_t));
	c->moe_rw = carve(l, B * sizeof(float));
	c->probs = carve(l, h->n_vocab * sizeof(float));
	c->idx = carve(l, h->n_vocab * sizeof(int32_t));
}

/* cos/sin of pos * base^(-2i/hd), computed in double like the reference. */
static void fill_rope(nc_ai_ctx_t *c)
{
	const nc_ai_model_info_t *h = &c->m->info;
	size_t half = h->head_dim / 2;
	double lb = nc_ai_log((double)h->rope_base);
	for (size_t i = 0; i < half; i++) {
		double freq = nc_ai_exp(-(double)(2 * i) / (double)h->head_dim * lb);
		for (size_t p = 0; p < c->n_ctx; p++) {
			c->rope_cos[p * half + i] = (float)nc_ai_cos((double)p * freq);
			c->rope_sin[p * half + i] = (float)nc_ai_sin((double)p * freq);
		}
	}
}

#define CTX_MAX 1048576u

nc_ai_err_t ai_kernels_for(nc_ai_simd_t simd, const ai_kernels_t **out)
{
	bool avx2 = ai_cpu_has_avx2(), avx512 = avx2 && ai_cpu_has_avx512();
	switch (simd) {
	case NC_AI_SIMD_AUTO:
		*out = avx512 ? &ai_kernels_avx512 : avx2 ? &ai_kernels_avx2 : &ai_kernels_portable;
		return NC_AI_OK;
	case NC_AI_SIMD_PORTABLE:
		*out = &ai_kernels_portable;
		return NC_AI_OK;
	case NC_AI_SIMD_AVX2:
		*out = &ai_kernels_avx2;
		return avx2 ? NC_AI_OK : NC_AI_ERR_UNSUPPORTED;
	case NC_AI_SIMD_AVX512:
		*out = &ai_kernels_avx512;
		return avx512 ? NC_AI_OK : NC_AI_ERR_UNSUPPORTED;
	default:
		return NC_AI_ERR_ARG;
	}
}

nc_ai_err_t nc_ai_ctx_create(const nc_ai_model_t *m, const nc_ai_ctx_params_t *p,
                             const nc_ai_alloc_t *alloc, nc_ai_ctx_t **out)
{
	if (out)
		*out = NULL;
	if (!m || !p || !alloc || !alloc->alloc || !alloc->free || !out || p->n_ctx > CTX_MAX)
		return NC_AI_ERR_ARG;
	if (nc_ai_model_is_vocab_only(m))
		return NC_AI_ERR_UNSUPPORTED;
	const ai_kernels_t *k;
	nc_ai_err_t e = ai_kernels_for(p->simd, &k);
	if (e)
		return e;
	nc_ai_ctx_t *c = alloc->alloc(alloc->ctx, sizeof *c, 64);
	if (!c)
		return NC_AI_ERR_NOMEM;
	nc_mem_set(c, 0, sizeof *c);
	c->m = m;
	c->alloc = *alloc;
	c->pool = p->pool;
	c->k = k;
	c->n_ctx = p->n_ctx ? p->n_ctx : m->info.n_ctx_train;
	layout_t l = {NULL, 0};
	lay_out(c, &l);
	c->mem_bytes = l.used;
	c->mem = alloc->alloc(alloc->ctx, c->mem_bytes, BUF_ALIGN);
	if (!c->mem) {
		alloc->free(alloc->ctx, c, sizeof *c);
		return NC_AI_ERR_NOMEM;
	}
	l.base = c->mem;
	l.used = 0;
	lay_out(c, &l);
	fill_rope(c);
	*out = c;
	return NC_AI_OK;
}

size_t nc_ai_ctx_bytes(const nc_ai_model_t *m, uint32_t n_ctx)
{
	nc_ai_ctx_t c;
	nc_mem_set(&c, 0, sizeof c);
	c.m = m;
	c.n_ctx = n_ctx ? n_ctx : m->info.n_ctx_train;
	layout_t l = {NULL, 0};
	lay_out(&c, &l);
	return sizeof c + l.used;
}

void nc_ai_ctx_destroy(nc_ai_ctx_t *c)
{
	if (!c)
		return;
	nc_ai_alloc_t a = c->alloc;
	a.free(a.ctx, c->mem, c->mem_bytes);
	a.free(a.ctx, c, sizeof *c);
}

void nc_ai_ctx_reset(nc_ai_ctx_t *c)
{
	c->n_past = 0;
}

uint32_t nc_ai_ctx_used(const nc_ai_ctx_t *c)
{
	return c->n_past;
}

uint32_t nc_ai_ctx_size(const nc_ai_ctx_t *c)
{
	return c->n_ctx;
}

const char *nc_ai_ctx_simd_name(const nc_ai_ctx_t *c)
{
	return c->k->name;
}

nc_ai_err_t ai_check_tokens(const nc_ai_ctx_t *c, const int32_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i] < 0 || (uint32_t)ids[i] >= c->m->info.n_vocab)
			return NC_AI_ERR_TOKEN;
	if (n > c->n_ctx - c->n_past)
		return NC_AI_ERR_CONTEXT_FULL;
	return NC_AI_OK;
}

nc_ai_err_t nc_ai_eval(nc_ai_ctx_t *c, const int32_t *ids, size_t n, float *all_logits)
{
	if (!c || !ids || n == 0)
		return NC_AI_ERR_ARG;
	nc_ai_err_t e = ai_check_tokens(c, ids, n);
	if (e)
		return e;
	ai_forward(c, ids, n, all_logits, NULL);
	return NC_AI_OK;
}

const float *nc_ai_ctx_logits(const nc_ai_ctx_t *c)
{
	return c->logits;
}
