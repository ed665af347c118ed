/* Generation: evaluate the prompt, then choose, report and evaluate one token
 * at a time until a stop condition. Stop strings may span tokens: the last
 * NC_AI_NC_AI_STOP_MAX_BYTES - 1 output bytes are kept and searched together with
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
	p->repeat_penalty = 1.1f;
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

typedef struct {
	uint8_t tail[NC_AI_STOP_MAX_BYTES];
	size_t n;
} tail_t;

static void tail_push(tail_t *t, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (t->n == NC_AI_STOP_MAX_BYTES - 1) {
			nc_mem_move(t->tail, t->tail + 1, t->n - 1);
			t->n--;
		}
		t->tail[t->n++] = b[i];
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
                                size_t n_prompt, const int32_t *out, size_t cap)
{
	if (!p || (!prompt && n_prompt) || (!out && cap) || (n_prompt == 0 && c->n_past == 0))
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
	if (cap < p->max_tokens)
		return NC_AI_ERR_BUFFER;
	return ai_check_tokens(c, prompt, n_prompt);
}

nc_ai_err_t nc_ai_generate(nc_ai_ctx_t *c, const nc_ai_gen_params_t *p, const int32_t *prompt,
                           size_t n_prompt, int32_t *out, size_t cap, size_t *n_out,
                           nc_ai_stop_t *why)
{
	if (!c || !n_out || !why)
		return NC_AI_ERR_ARG;
	*n_out = 0;
	*why = NC_AI_STOP_LENGTH;
	nc_ai_err_t e = check_params(c, p, prompt, n_prompt, out, cap);
	if (e)
		return e;
	if (n_prompt)
		ai_forward(c, prompt, n_prompt, NULL, NULL);
	ai_rng_t rng;
	ai_rng_seed(&rng, p->seed);
	tail_t tail = {{0}, 0};
	for (size_t n = 0; n < p->max_tokens;) {
		if (p->cancel && *p->cancel)
			return NC_AI_ERR_CANCELLED;
		int32_t id = ai_sample(c, p, c->logits, &rng);
		const uint8_t *bytes;
		size_t len;
		nc_ai_token_bytes(c->m, id, false, &bytes, &len);
		out[n++] = id;
		*n_out = n;
		if (p->on_token && !p->on_token(p->cb_ctx, id, bytes, len))
			return NC_AI_ERR_CANCELLED;
		if (is_stop_token(c, p, id)) {
			*why = NC_AI_STOP_TOKEN;
			return NC_AI_OK;
		}
		for (size_t i = 0; i < p->n_stop_strings; i++)
			if (occurs(tail.tail, tail.n, bytes, len, p->stop_strings[i], nc_str_len(p->stop_strings[i]))) {
				*why = NC_AI_STOP_STRING;
				return NC_AI_OK;
			}
		tail_push(&tail, bytes, len);
		if (n == p->max_tokens)
			break;
		if (c->n_past == c->n_ctx) {
			*why = NC_AI_STOP_CONTEXT;
			return NC_AI_OK;
		}
		ai_forward(c, &id, 1, NULL, NULL);
	}
	return NC_AI_OK;
}
