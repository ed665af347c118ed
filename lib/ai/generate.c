/* Generation: evaluate the prompt, then choose, report and evaluate one token
 * at a time until a stop condition. Stop strings may span tokens: the last
 * NC_AI_STOP_MAX_BYTES - 1 output bytes are kept and searched together with
 * each new token's bytes. */
#include "ai_int.h"

#include <nc/mem.h>

void nc_ai_gen_params_default(nc_ai_gen_params_t *p)
{
	nc_mem_set(p, 0, sizeof *p);
	p->max_tokens = 64;
	p->temperature = 0.8f;
	p->top_k = 40;
	p->top_p = 0.95f;
	p->repeat_penalty = 1.0f;
	p->repeat_last_n = 64;
	p->stop_at_eos = true;
}

/* Does s[0..ns) occur in the concatenation a[0..na) b[0..nb)? */
static bool occurs(const uint8_t *a, size_t na, const uint8_t *b, size_t nb, const char *s, size_t ns)
{
	for (size_t start = 0; start + ns <= na + nb; start++) {
		size_t k = 0;
		while (k < ns) {
			size_t at = start + k;
			uint8_t ch = at < na ? a[at] : b[at - na];
			if (ch != (uint8_t)s[k])
				break;
			k++;
		}
		if (k == ns)
			return true;
	}
	return false;
}

static void tail_push(nc_ai_gen_t *g, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (g->tail_n == NC_AI_STOP_MAX_BYTES - 1) {
			nc_mem_move(g->tail, g->tail + 1, g->tail_n - 1);
			g->tail_n--;
		}
		g->tail[g->tail_n++] = b[i];
	}
}

static bool is_stop_token(const nc_ai_ctx_t *c, const nc_ai_gen_params_t *p, int32_t id)
{
	if (p->stop_at_eos && id == c->m->info.eos_id)
		return true;
	for (size_t i = 0; i < p->n_stop_tokens; i++)
		if (p->stop_tokens[i] == id)
			return true;
	return false;
}

static nc_ai_err_t check_params(const nc_ai_ctx_t *c, const nc_ai_gen_params_t *p, const int32_t *prompt,
                                size_t n_prompt)
{
	if (!p || (!prompt && n_prompt) || (n_prompt == 0 && c->n_past == 0))
		return NC_AI_ERR_ARG;
	if ((p->n_stop_tokens && !p->stop_tokens) || (p->n_stop_strings && !p->stop_strings))
		return NC_AI_ERR_ARG;
	for (size_t i = 0; i < p->n_stop_strings; i++) {
		if (!p->stop_strings[i])
			return NC_AI_ERR_ARG;
		size_t n = nc_str_len_max(p->stop_strings[i], NC_AI_STOP_MAX_BYTES);
		if (n == 0 || n >= NC_AI_STOP_MAX_BYTES)
			return NC_AI_ERR_ARG;
	}
	return ai_check_tokens(c, prompt, n_prompt);
}

nc_ai_err_t nc_ai_gen_begin(nc_ai_gen_t *g, nc_ai_ctx_t *c, const nc_ai_gen_params_t *p,
                            const int32_t *prompt, size_t n_prompt)
{
	if (!g || !c)
		return NC_AI_ERR_ARG;
	nc_ai_err_t e = check_params(c, p, prompt, n_prompt);
	if (e)
		return e;
	nc_mem_set(g, 0, sizeof *g);
	g->c = c;
	g->p = p;
	g->last = -1;
	ai_rng_t rng;
	ai_rng_seed(&rng, p->seed);
	nc_mem_copy(g->rng, rng.s, sizeof g->rng);
	if (n_prompt)
		ai_forward(c, prompt, n_prompt, NULL, NULL);
	return NC_AI_OK;
}

/* The stop reason token id (bytes[0..len)) gives, after it was counted. */
static bool stops(nc_ai_gen_t *g, int32_t id, const uint8_t *bytes, size_t len, nc_ai_stop_t *why)
{
	const nc_ai_gen_params_t *p = g->p;
	if (is_stop_token(g->c, p, id)) {
		*why = NC_AI_STOP_TOKEN;
		return true;
	}
	for (size_t i = 0; i < p->n_stop_strings; i++)
		if (occurs(g->tail, g->tail_n, bytes, len, p->stop_strings[i], nc_str_len(p->stop_strings[i]))) {
			*why = NC_AI_STOP_STRING;
			return true;
		}
	tail_push(g, bytes, len);
	*why = g->n == p->max_tokens ? NC_AI_STOP_LENGTH : NC_AI_STOP_CONTEXT;
	return g->n == p->max_tokens || g->c->n_past == g->c->n_ctx;
}

nc_ai_err_t nc_ai_gen_next(nc_ai_gen_t *g, int32_t *id, const uint8_t **bytes, size_t *len_bytes,
                           bool *stopped, nc_ai_stop_t *why)
{
	if (!g || !g->c || g->stopped || g->n >= g->p->max_tokens)
		return NC_AI_ERR_ARG;
	nc_ai_ctx_t *c = g->c;
	if (g->last >= 0)
		ai_forward(c, &g->last, 1, NULL, NULL);
	ai_rng_t rng;
	nc_mem_copy(rng.s, g->rng, sizeof g->rng);
	*id = ai_sample(c, g->p, c->logits, &rng);
	nc_mem_copy(g->rng, rng.s, sizeof g->rng);
	nc_ai_token_bytes(c->m, *id, false, bytes, len_bytes);
	g->n++;
	g->last = *id;
	g->stopped = *stopped = stops(g, *id, *bytes, *len_bytes, why);
	return NC_AI_OK;
}

nc_ai_err_t nc_ai_generate(nc_ai_ctx_t *c, const nc_ai_gen_params_t *p, const int32_t *prompt,
                           size_t n_prompt, int32_t *out, size_t cap, size_t *n_out,
                           nc_ai_stop_t *why)
{
	if (!c || !n_out || !why)
		return NC_AI_ERR_ARG;
	*n_out = 0;
	*why = NC_AI_STOP_LENGTH;
	if (!p || (!out && cap))
		return NC_AI_ERR_ARG;
	nc_ai_err_t e = check_params(c, p, prompt, n_prompt);
	if (!e && cap < p->max_tokens)
		e = NC_AI_ERR_BUFFER;
	if (e)
		return e;
	nc_ai_gen_t g;
	nc_ai_gen_begin(&g, c, p, prompt, n_prompt);
	bool stopped = p->max_tokens == 0;
	while (!stopped) {
		if (p->cancel && *p->cancel)
			return NC_AI_ERR_CANCELLED;
		int32_t id;
		const uint8_t *bytes;
		size_t len;
		nc_ai_gen_next(&g, &id, &bytes, &len, &stopped, why);
		out[(*n_out)++] = id;
		if (p->on_token && !p->on_token(p->cb_ctx, id, bytes, len))
			return NC_AI_ERR_CANCELLED;
	}
	return NC_AI_OK;
}
