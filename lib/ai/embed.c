/* Embeddings (mean of the output-normed final hidden states, L2-normalised,
 * in double) and classification by label likelihood. Both restart the
 * context and work in its buffers. */
#include "ai_int.h"

#include <nc/ai_math.h>
#include <nc/mem.h>

nc_ai_err_t nc_ai_embed(nc_ai_ctx_t *c, const int32_t *ids, size_t n, double *out, size_t cap)
{
	if (!c || !ids || n == 0 || !out)
		return NC_AI_ERR_ARG;
	size_t D = c->m->info.n_embd;
	if (cap < D)
		return NC_AI_ERR_BUFFER;
	c->n_past = 0;
	nc_ai_err_t e = ai_check_tokens(c, ids, n);
	if (e)
		return e;
	nc_mem_set(out, 0, D * sizeof *out);
	ai_forward(c, ids, n, NULL, out);
	double norm = 0;
	for (size_t i = 0; i < D; i++) {
		out[i] /= (double)n;
		norm += out[i] * out[i];
	}
	norm = nc_ai_sqrt(norm);
	if (norm > 0)
		for (size_t i = 0; i < D; i++)
			out[i] /= norm;
	return NC_AI_OK;
}

/* log softmax(logits)[id], in double. */
static double log_prob(const float *logits, size_t V, int32_t id)
{
	float mx = logits[0];
	for (size_t i = 1; i < V; i++)
		if (logits[i] > mx)
			mx = logits[i];
	double sum = 0;
	for (size_t i = 0; i < V; i++)
		sum += nc_ai_exp((double)(logits[i] - mx));
	return (double)(logits[id] - mx) - nc_ai_log(sum);
}

nc_ai_err_t nc_ai_classify(nc_ai_ctx_t *c, const char *text, size_t text_bytes,
                           const char *const *labels, size_t n_labels, double *scores,
                           size_t *best)
{
	if (!c || (!text && text_bytes) || !labels || n_labels == 0 || !scores || !best)
		return NC_AI_ERR_ARG;
	const nc_ai_model_t *m = c->m;
	size_t V = m->info.n_vocab, n_text;
	int32_t lab[NC_AI_LABEL_MAX_TOKENS];
	size_t n_lab[1];
	for (size_t i = 0; i < n_labels; i++) {
		if (!labels[i])
			return NC_AI_ERR_ARG;
		nc_ai_err_t e = nc_ai_tokenize(m, labels[i], nc_str_len(labels[i]), 0, lab,
		                               NC_AI_LABEL_MAX_TOKENS, n_lab);
		if (e)
			return e;
		if (n_lab[0] == 0)
			return NC_AI_ERR_ARG;
	}
	c->n_past = 0;
	unsigned flags = m->info.add_bos || text_bytes == 0 ? NC_AI_TOK_ADD_BOS : 0;
	if (nc_ai_tokenize(m, text, text_bytes, flags, c->tokens, c->n_ctx, &n_text))
		return NC_AI_ERR_CONTEXT_FULL;
	if (n_text == 0)
		return NC_AI_ERR_ARG;
	ai_forward(c, c->tokens, n_text, NULL, NULL);
	float *first = c->probs;  /* the logits after the text, kept for every label */
	nc_mem_copy(first, c->logits, V * sizeof *first);
	for (size_t i = 0; i < n_labels; i++) {
		nc_ai_tokenize(m, labels[i], nc_str_len(labels[i]), 0, lab, NC_AI_LABEL_MAX_TOKENS, n_lab);
		c->n_past = (uint32_t)n_text;
		if (n_lab[0] - 1 > c->n_ctx - c->n_past)
			return NC_AI_ERR_CONTEXT_FULL;
		double s = log_prob(first, V, lab[0]);
		for (size_t k = 1; k < n_lab[0]; k++) {
			ai_forward(c, &lab[k - 1], 1, NULL, NULL);
			s += log_prob(c->logits, V, lab[k]);
		}
		scores[i] = s;
	}
	*best = 0;
	for (size_t i = 1; i < n_labels; i++)
		if (scores[i] > scores[*best])
			*best = i;
	return NC_AI_OK;
}
