/* Lexicon-constrained CTC prefix beam search (NC_AI_ASR_DECODE_LEXICON): the
 * algorithm tools/models/ctc_lexicon.py states and implements, step for step
 * and in the same order (slots, tie-break, sums), so the text equals the
 * Python reference's on the same logits. Hypotheses are kept in beam rank
 * order; per frame: the continuation slots (one per hypothesis, in rank
 * order), then the extension slots (hypothesis in rank order, token id
 * ascending); an extension that equals a hypothesis of the beam adds into its
 * slot; the next beam is the beam_width finite slots of highest score, equal
 * scores in slot order. Everything lives in one scratch block
 * (asr_beam_scratch_bytes): the prefix table, where each kept hypothesis's
 * token sequence is (parent prefix, last token) -- at most beam_width new
 * entries per frame -- the beam, the slots, one frame's log-probabilities. */
#include "asr_int.h"

#include <nc/ai_math.h>

#define NEG_INF (-__builtin_inf())

/* The prefix table is a trie of token sequences: one entry per sequence ever
 * kept, so equal sequences have equal indices even when a hypothesis was
 * dropped and made again. */
typedef struct {
	uint32_t parent;     /* prefix index (the empty prefix 0 is its own parent) */
	uint32_t tok;        /* the last token (0 for the empty prefix) */
	uint32_t child;      /* first longer sequence by one token, 0: none */
	uint32_t sibling;    /* next sequence with the same parent, 0: none */
} prefix_t;

typedef struct {
	double pb, pnb;      /* log probability of the frames so far ending in a blank / in tok */
	double lm;           /* prior weight times the log priors of the completed words */
	double score;        /* lse(pb, pnb) + lm (slots only) */
	uint32_t prefix;     /* its token sequence; ASR_TRIE_NONE: a new extension */
	uint32_t word_start; /* the prefix before its partial word; ASR_TRIE_NONE: its own prefix */
	uint32_t tn;         /* the partial word's trie node (0: none) */
	uint32_t from;       /* a new extension's hypothesis in the beam */
	uint32_t tok;        /* the last token (0: none) */
} hyp_t;

typedef struct {
	prefix_t *prefixes;  /* [1 + n_frames * width] */
	hyp_t *beam, *next;  /* [width] */
	hyp_t *slots;        /* [width * n_vocab] */
	uint32_t *keep;      /* [width] slot indices of the next beam, in rank order */
	uint32_t *parent;    /* [width] beam index of each hypothesis's parent, ASR_TRIE_NONE */
	double *lp;          /* [n_vocab] */
	size_t n_prefixes;
	uint32_t width, n_beam, n_slots;
} search_t;

static size_t round16(size_t n)
{
	return (n + 15) & ~(size_t)15;
}

/* The scratch layout; returns its bytes and, when base is not NULL, points s's
 * arrays into it. */
static size_t layout(const nc_ai_asr_t *m, size_t n_frames, uint8_t *base, search_t *s)
{
	size_t w = m->lex.beam_width, v = m->info.n_vocab, off = 0;
	size_t sizes[7] = { (1 + n_frames * w) * sizeof(prefix_t), w * sizeof(hyp_t), w * sizeof(hyp_t),
			    w * v * sizeof(hyp_t), w * sizeof(uint32_t), w * sizeof(uint32_t), v * sizeof(double) };
	void **dst[7] = { (void **)&s->prefixes, (void **)&s->beam, (void **)&s->next, (void **)&s->slots,
			  (void **)&s->keep, (void **)&s->parent, (void **)&s->lp };
	for (size_t i = 0; i < 7; i++) {
		if (base)
			*dst[i] = base + off;
		off += round16(sizes[i]);
	}
	return off;
}

size_t asr_beam_scratch_bytes(const nc_ai_asr_t *m, size_t n_frames)
{
	search_t s;
	return m->lex.n_words ? layout(m, n_frames, NULL, &s) : 0;
}

static double lse(double a, double b)
{
	if (a < b) {
		double t = a;
		a = b;
		b = t;
	}
	if (b == NEG_INF)
		return a;
	return a + nc_ai_log(1.0 + nc_ai_exp(b - a));
}

static bool is_space(const nc_ai_asr_t *m, uint32_t tok)
{
	return m->tokens[tok].len_bytes == 1 && m->tokens[tok].ptr[0] == ' ';
}

static double prior(const asr_lexicon_t *lx, uint32_t word)
{
	return (double)lx->prior_weight * (double)lx->log_prior[word];
}

static void log_softmax(const float *row, size_t v, double *lp)
{
	double mx = row[0], sum = 0;
	for (size_t i = 1; i < v; i++)
		if (row[i] > mx)
			mx = row[i];
	for (size_t i = 0; i < v; i++)
		sum += nc_ai_exp((double)row[i] - mx);
	double z = mx + nc_ai_log(sum);
	for (size_t i = 0; i < v; i++)
		lp[i] = (double)row[i] - z;
}

/* The slots of hypothesis i's extensions by every token the lexicon allows. */
static void extend(const nc_ai_asr_t *m, search_t *s, uint32_t i)
{
	const asr_lexicon_t *lx = &m->lex;
	const hyp_t *h = &s->beam[i];
	double both = lse(h->pb, h->pnb);
	for (uint32_t c = 1; c < m->info.n_vocab; c++) {
		uint32_t tn, ws = h->word_start;
		double lm = h->lm;
		if (is_space(m, c)) {
			uint32_t word = lx->nodes[h->tn].word;
			if (word == ASR_TRIE_NONE)
				continue;
			tn = 0;
			lm += prior(lx, word);
			ws = ASR_TRIE_NONE;
		} else if ((tn = asr_trie_walk(lx, h->tn, m->tokens[c].ptr, m->tokens[c].len_bytes)) == ASR_TRIE_NONE) {
			continue;
		}
		double p = (c == h->tok ? h->pb : both) + s->lp[c];
		uint32_t j = 0;
		while (j < s->n_beam && !(s->parent[j] == i && s->beam[j].tok == c))
			j++;
		if (j < s->n_beam) {
			s->slots[j].pnb = lse(s->slots[j].pnb, p);
			continue;
		}
		s->slots[s->n_slots++] = (hyp_t){ .pb = NEG_INF, .pnb = p, .lm = lm, .prefix = ASR_TRIE_NONE,
						  .word_start = ws, .tn = tn, .from = i, .tok = c };
	}
}

/* The index of sequence parent + tok, made when new. */
static uint32_t prefix_of(search_t *s, uint32_t parent, uint32_t tok)
{
	uint32_t q = s->prefixes[parent].child;
	while (q && s->prefixes[q].tok != tok)
		q = s->prefixes[q].sibling;
	if (q)
		return q;
	q = (uint32_t)s->n_prefixes++;
	s->prefixes[q] = (prefix_t){ .parent = parent, .tok = tok, .child = 0, .sibling = s->prefixes[parent].child };
	s->prefixes[parent].child = q;
	return q;
}

/* Keep the width best finite slots (stable), then make them the beam. */
static void select_beam(search_t *s)
{
	uint32_t nk = 0;
	for (uint32_t k = 0; k < s->n_slots; k++) {
		hyp_t *h = &s->slots[k];
		h->score = lse(h->pb, h->pnb) + h->lm;
		if (!(h->score > NEG_INF) || (nk == s->width && h->score <= s->slots[s->keep[nk - 1]].score))
			continue;
		uint32_t pos = nk < s->width ? nk++ : nk - 1;
		while (pos > 0 && s->slots[s->keep[pos - 1]].score < h->score) {
			s->keep[pos] = s->keep[pos - 1];
			pos--;
		}
		s->keep[pos] = k;
	}
	for (uint32_t r = 0; r < nk; r++) {
		hyp_t h = s->slots[s->keep[r]];
		if (h.prefix == ASR_TRIE_NONE) {
			h.prefix = prefix_of(s, s->beam[h.from].prefix, h.tok);
			if (h.word_start == ASR_TRIE_NONE)
				h.word_start = h.prefix;
		}
		s->next[r] = h;
	}
	for (uint32_t r = 0; r < nk; r++)
		s->beam[r] = s->next[r];
	s->n_beam = nk;
}

static void step(const nc_ai_asr_t *m, search_t *s, const float *row)
{
	log_softmax(row, m->info.n_vocab, s->lp);
	s->n_slots = 0;
	for (uint32_t i = 0; i < s->n_beam; i++) {
		const hyp_t *h = &s->beam[i];
		hyp_t *c = &s->slots[s->n_slots++];
		*c = *h;
		c->pb = lse(h->pb, h->pnb) + s->lp[0];
		c->pnb = h->tok ? h->pnb + s->lp[h->tok] : NEG_INF;
	}
	for (uint32_t j = 0; j < s->n_beam; j++) {
		s->parent[j] = ASR_TRIE_NONE;
		uint32_t pp = s->prefixes[s->beam[j].prefix].parent;
		for (uint32_t i = 0; s->beam[j].tok && i < s->n_beam; i++)
			if (s->beam[i].prefix == pp)
				s->parent[j] = i;
	}
	for (uint32_t i = 0; i < s->n_beam; i++)
		extend(m, s, i);
	select_beam(s);
}

/* The prefix whose text is the result: the best valid end, else the first
 * hypothesis's complete words; ASR_TRIE_NONE when the beam is empty. */
static uint32_t result(const asr_lexicon_t *lx, const search_t *s)
{
	uint32_t best = ASR_TRIE_NONE;
	double best_score = NEG_INF;
	for (uint32_t r = 0; r < s->n_beam; r++) {
		const hyp_t *h = &s->beam[r];
		uint32_t word = lx->nodes[h->tn].word;
		if (h->tn && word == ASR_TRIE_NONE)
			continue;
		double sc = lse(h->pb, h->pnb) + h->lm + (h->tn ? prior(lx, word) : 0.0);
		if (best == ASR_TRIE_NONE || sc > best_score) {
			best = r;
			best_score = sc;
		}
	}
	if (best != ASR_TRIE_NONE)
		return s->beam[best].prefix;
	return s->n_beam ? s->beam[0].word_start : ASR_TRIE_NONE;
}

/* The text of prefix p (a trailing space dropped) into text[0..cap). */
static nc_ai_err_t write_text(const nc_ai_asr_t *m, const search_t *s, uint32_t p, char *text, size_t cap,
                              size_t *len_out)
{
	size_t n = 0;
	if (p == ASR_TRIE_NONE)
		p = 0;
	if (p && is_space(m, s->prefixes[p].tok))
		p = s->prefixes[p].parent;
	for (uint32_t q = p; q; q = s->prefixes[q].parent)
		n += m->tokens[s->prefixes[q].tok].len_bytes;
	size_t pos = n;
	for (uint32_t q = p; q; q = s->prefixes[q].parent) {
		const nc_gguf_str_t *t = &m->tokens[s->prefixes[q].tok];
		pos -= t->len_bytes;
		for (size_t k = 0; k < t->len_bytes; k++)
			if (pos + k < cap)
				text[pos + k] = t->ptr[k];
	}
	*len_out = n;
	return n > cap ? NC_AI_ERR_BUFFER : NC_AI_OK;
}

nc_ai_err_t asr_beam_decode(const nc_ai_asr_t *m, const float *logits, size_t n_frames, const nc_ai_alloc_t *alloc,
                            char *text, size_t cap, size_t *len_out)
{
	search_t s = { .width = m->lex.beam_width };
	size_t bytes = layout(m, n_frames, NULL, &s);
	uint8_t *base = alloc->alloc(alloc->ctx, bytes, 64);
	if (!base)
		return NC_AI_ERR_NOMEM;
	layout(m, n_frames, base, &s);
	s.prefixes[0] = (prefix_t){ .parent = 0, .tok = 0, .child = 0, .sibling = 0 };
	s.n_prefixes = 1;
	s.beam[0] = (hyp_t){ .pb = 0, .pnb = NEG_INF, .lm = 0, .prefix = 0, .word_start = 0, .tn = 0, .tok = 0 };
	s.n_beam = 1;
	for (size_t t = 0; t < n_frames; t++)
		step(m, &s, logits + t * m->info.n_vocab);
	nc_ai_err_t e = write_text(m, &s, result(&m->lex, &s), text, cap, len_out);
	alloc->free(alloc->ctx, base, bytes);
	return e;
}
