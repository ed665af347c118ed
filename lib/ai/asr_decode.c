/* CTC decoding of the speech model's logits (nc/ai_asr.h): greedy -- argmax
 * per frame (lowest index on ties), repeats merged, blanks dropped, the tokens'
 * strings concatenated -- or the lexicon beam search (asr_beam.c). */
#include "asr_int.h"

nc_ai_err_t asr_decode_check(const nc_ai_asr_t *m, nc_ai_asr_decode_t decode)
{
	if (decode != NC_AI_ASR_DECODE_DEFAULT && decode != NC_AI_ASR_DECODE_GREEDY &&
	    decode != NC_AI_ASR_DECODE_LEXICON)
		return NC_AI_ERR_ARG;
	return decode == NC_AI_ASR_DECODE_LEXICON && !m->lex.n_words ? NC_AI_ERR_UNSUPPORTED : NC_AI_OK;
}

static nc_ai_err_t greedy(const nc_ai_asr_t *m, const float *logits, size_t n_frames, char *text, size_t cap,
                          size_t *len_out)
{
	size_t n = 0, prev = 0;
	for (size_t t = 0; t < n_frames; t++) {
		const float *l = logits + t * m->info.n_vocab;
		size_t best = 0;
		for (size_t v = 1; v < m->info.n_vocab; v++)
			if (l[v] > l[best])
				best = v;
		if (best && best != prev) {
			const nc_gguf_str_t *s = &m->tokens[best];
			for (size_t k = 0; k < s->len_bytes; k++, n++)
				if (n < cap)
					text[n] = s->ptr[k];
		}
		prev = best;
	}
	*len_out = n;
	return n > cap ? NC_AI_ERR_BUFFER : NC_AI_OK;
}

nc_ai_err_t nc_ai_asr_decode(const nc_ai_asr_t *m, const float *logits, size_t n_frames,
                             nc_ai_asr_decode_t decode, const nc_ai_alloc_t *alloc, char *text, size_t cap,
                             size_t *len_out)
{
	if (!m || (!logits && n_frames) || !alloc || (!text && cap) || !len_out)
		return NC_AI_ERR_ARG;
	*len_out = 0;
	nc_ai_err_t e = asr_decode_check(m, decode);
	if (e)
		return e;
	if (n_frames > m->info.n_ctx)
		return NC_AI_ERR_CONTEXT_FULL;
	if (decode == NC_AI_ASR_DECODE_GREEDY || !m->lex.n_words)
		return greedy(m, logits, n_frames, text, cap, len_out);
	return asr_beam_decode(m, logits, n_frames, alloc, text, cap, len_out);
}
