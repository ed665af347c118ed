/* The speech model's optional lexicon (docs/ai-service.md, "The speech model"):
 * the words of the training text as a string array `ncasr.lexicon` (1 to
 * ASR_LEXICON_MAX words, each 1..ASR_WORD_MAX printable ASCII bytes without a
 * space, no word twice), their unigram log priors `ncasr.lexicon.log_prior`
 * (float32, one per word, finite and <= 0), the decoder's
 * `ncasr.decoder.beam_width` (1..ASR_BEAM_MAX) and
 * `ncasr.decoder.prior_weight` (0..ASR_PRIOR_WEIGHT_MAX). The vocabulary must
 * hold the token " ". Anything else is TOKENIZER. The words become a trie
 * (first child / next sibling lists) sized from the words' total length. */
#include "asr_int.h"

#include <nc/mem.h>

static bool word_ok(nc_gguf_str_t w)
{
	if (w.len_bytes == 0 || w.len_bytes > ASR_WORD_MAX)
		return false;
	for (uint64_t k = 0; k < w.len_bytes; k++)
		if ((uint8_t)w.ptr[k] <= 0x20 || (uint8_t)w.ptr[k] >= 0x7f)
			return false;
	return true;
}

/* The child of node reached by byte b, or 0. */
static uint32_t child_of(const asr_lexicon_t *lx, uint32_t node, uint8_t b)
{
	for (uint32_t c = lx->nodes[node].child; c; c = lx->nodes[c].sibling)
		if (lx->nodes[c].byte == b)
			return c;
	return 0;
}

uint32_t asr_trie_walk(const asr_lexicon_t *lx, uint32_t node, const char *s, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		uint8_t b = (uint8_t)s[k];
		if (b == ' ' || !(node = child_of(lx, node, b)))
			return ASR_TRIE_NONE;
	}
	return node;
}

/* Insert word number k; false when it is there already. */
static bool insert(asr_lexicon_t *lx, nc_gguf_str_t w, uint32_t k)
{
	uint32_t node = 0;
	for (uint64_t i = 0; i < w.len_bytes; i++) {
		uint8_t b = (uint8_t)w.ptr[i];
		uint32_t c = child_of(lx, node, b);
		if (!c) {
			c = lx->n_nodes++;
			lx->nodes[c] = (asr_trie_node_t){ .child = 0, .sibling = lx->nodes[node].child,
							  .word = ASR_TRIE_NONE, .byte = b };
			lx->nodes[node].child = c;
		}
		node = c;
	}
	if (lx->nodes[node].word != ASR_TRIE_NONE)
		return false;
	lx->nodes[node].word = k;
	return true;
}

static nc_ai_err_t read_decoder(nc_ai_asr_t *m, uint64_t n_words)
{
	asr_lexicon_t *lx = &m->lex;
	const nc_gguf_kv_t *pk;
	uint64_t beam;
	if (nc_gguf_get_array(&m->gguf, "ncasr.lexicon.log_prior", NC_GGUF_TYPE_FLOAT32, &pk) ||
	    pk->n_elems != n_words || nc_gguf_get_u64(&m->gguf, "ncasr.decoder.beam_width", &beam) || beam == 0 ||
	    beam > ASR_BEAM_MAX || nc_gguf_get_f32(&m->gguf, "ncasr.decoder.prior_weight", &lx->prior_weight) ||
	    !(lx->prior_weight >= 0 && lx->prior_weight <= ASR_PRIOR_WEIGHT_MAX))
		return NC_AI_ERR_TOKENIZER;
	lx->beam_width = (uint32_t)beam;
	lx->space = 0;
	for (uint32_t i = 1; i < m->info.n_vocab; i++)
		if (nc_gguf_str_eq(m->tokens[i], " "))
			lx->space = i;
	if (!lx->space)
		return NC_AI_ERR_TOKENIZER;
	if (!(lx->log_prior = m->alloc.alloc(m->alloc.ctx, n_words * sizeof(float), 16)))
		return NC_AI_ERR_NOMEM;
	lx->n_prior = (uint32_t)n_words;
	for (uint64_t i = 0; i < n_words; i++) {
		float p;
		nc_mem_copy(&p, pk->value + 4 * i, sizeof p);
		if (!(p <= 0 && p > -1e30f))
			return NC_AI_ERR_TOKENIZER;
		lx->log_prior[i] = p;
	}
	return NC_AI_OK;
}

nc_ai_err_t asr_lexicon_read(nc_ai_asr_t *m)
{
	asr_lexicon_t *lx = &m->lex;
	const nc_gguf_kv_t *kv;
	if (!nc_gguf_find_kv(&m->gguf, "ncasr.lexicon"))
		return NC_AI_OK;
	if (nc_gguf_get_array(&m->gguf, "ncasr.lexicon", NC_GGUF_TYPE_STRING, &kv) || kv->n_elems == 0 ||
	    kv->n_elems > ASR_LEXICON_MAX)
		return NC_AI_ERR_TOKENIZER;
	uint64_t n = kv->n_elems, bytes = 0;
	const uint8_t *cur = kv->value;
	for (uint64_t i = 0; i < n; i++) {
		nc_gguf_str_t w = nc_gguf_next_str(&cur);
		if (!word_ok(w))
			return NC_AI_ERR_TOKENIZER;
		bytes += w.len_bytes;
	}
	nc_ai_err_t e = read_decoder(m, n);
	if (e)
		return e;
	lx->cap_nodes = (uint32_t)bytes + 1;
	if (!(lx->nodes = m->alloc.alloc(m->alloc.ctx, lx->cap_nodes * sizeof *lx->nodes, 16)))
		return NC_AI_ERR_NOMEM;
	lx->nodes[0] = (asr_trie_node_t){ .child = 0, .sibling = 0, .word = ASR_TRIE_NONE, .byte = 0 };
	lx->n_nodes = 1;
	cur = kv->value;
	for (uint32_t i = 0; i < n; i++)
		if (!insert(lx, nc_gguf_next_str(&cur), i))
			return NC_AI_ERR_TOKENIZER;
	lx->n_words = (uint32_t)n;
	return NC_AI_OK;
}

void asr_lexicon_free(nc_ai_asr_t *m)
{
	asr_lexicon_t *lx = &m->lex;
	if (lx->nodes)
		m->alloc.free(m->alloc.ctx, lx->nodes, lx->cap_nodes * sizeof *lx->nodes);
	if (lx->log_prior)
		m->alloc.free(m->alloc.ctx, lx->log_prior, lx->n_prior * sizeof(float));
	*lx = (asr_lexicon_t){ 0 };
}
