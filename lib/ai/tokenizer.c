/* Byte-level BPE tokenizer from the GGUF tokenizer.ggml.* keys (model "gpt2").
 *
 * Token texts are stored GPT-2 style: each byte is shown as one printable
 * code point (OpenAI gpt-2 encoder.py bytes_to_unicode: bytes 0x21-0x7e,
 * 0xa1-0xac, 0xae-0xff stand for themselves, the other 68 bytes for U+0100
 * upwards in byte order). Loading decodes every token to its raw bytes, then
 * builds two open-addressing maps: bytes -> id and (left id, right id) ->
 * (merge rank, merged id). Encoding splits the text with the model's
 * pre-tokenizer (pretok.c) and, inside each piece, repeatedly merges the
 * adjacent pair of lowest rank (leftmost on ties) as llama.cpp and GPT-2 do;
 * for the llama3 family a piece that is itself a token is taken whole first
 * (llama.cpp's ignore_merges, tiktoken's rule).
 * Decoding concatenates token bytes, so it round-trips exactly. */
#include "ai_int.h"

#include <nc/mem.h>
#include <nc/sort.h>

#define TOKEN_NORMAL 1
#define TOKEN_CONTROL 3
#define TOKEN_USER_DEFINED 4
#define PIECE_MAX 2048u       /* bytes merged at once (8 KiB of stack); longer pieces
                               * (never seen in text) are split into chunks */

/* Code point -> byte for the GPT-2 mapping; -1 when cp is not a mapped byte. */
static int unmap_cp(uint32_t cp)
{
	if ((cp >= 0x21 && cp <= 0x7e) || (cp >= 0xa1 && cp <= 0xac) || (cp >= 0xae && cp <= 0xff))
		return (int)cp;
	if (cp < 0x100 || cp >= 0x100 + 68)
		return -1;
	uint32_t k = cp - 0x100;  /* the k-th byte not in the printable set */
	for (int b = 0; b < 256; b++) {
		bool printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae);
		if (!printable && k-- == 0)
			return b;
	}
	return -1;
}

/* Decode one UTF-8 sequence at s[0..n); returns its length (0 if invalid). */
static size_t utf8_decode(const uint8_t *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len = (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (!len || len > n)
		return 0;
	uint32_t c = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	*cp = c;
	return len;
}

static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;  /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	return x;
}

static int32_t vocab_find(const ai_tokenizer_t *t, const uint8_t *p, size_t n)
{
	uint64_t h = hash_bytes(p, n);
	for (size_t i = h & (t->vocab_cap - 1);; i = (i + 1) & (t->vocab_cap - 1)) {
		const ai_slot_t *s = &t->vocab_map[i];
		if (s->value < 0)
			return -1;
		uint32_t id = (uint32_t)s->value;
		if (s->key == h && t->offs[id + 1] - t->offs[id] == n &&
		    nc_mem_compare(t->bytes + t->offs[id], p, n) == 0)
			return s->value;
	}
}

static const ai_slot_t *merge_find(const ai_tokenizer_t *t, int32_t a, int32_t b)
{
	uint64_t key = (uint64_t)(uint32_t)a << 32 | (uint32_t)b;
	for (size_t i = mix64(key) & (t->merge_cap - 1);; i = (i + 1) & (t->merge_cap - 1)) {
		const ai_slot_t *s = &t->merge_map[i];
		if (s->value < 0)
			return NULL;
		if (s->key == key)
			return s;
	}
}

static size_t pow2_at_least(size_t n)
{
	size_t c = 16;
	while (c < n)
		c <<= 1;
	return c;
}

static void *alloc_z(const nc_ai_alloc_t *a, size_t bytes)
{
	void *p = a->alloc(a->ctx, bytes ? bytes : 1, 16);
	if (p)
		nc_mem_set(p, 0, bytes ? bytes : 1);
	return p;
}

/* Decode token text (mapped code points) into raw bytes at out; returns the
 * byte count. Texts that are not entirely mapped code points (special tokens
 * such as "<|endoftext|>" are, but added tokens may not be) keep their UTF-8. */
static size_t unmap_text(nc_gguf_str_t s, uint8_t *out)
{
	const uint8_t *p = (const uint8_t *)s.ptr;
	size_t n = 0;
	for (size_t i = 0; i < s.len_bytes;) {
		uint32_t cp;
		size_t l = utf8_decode(p + i, s.len_bytes - i, &cp);
		int b = l ? unmap_cp(cp) : -1;
		if (b < 0) {
			nc_mem_copy(out, p, s.len_bytes);
			return s.len_bytes;
		}
		out[n++] = (uint8_t)b;
		i += l;
	}
	return n;
}

/* Order of special token ids: longer text first, then lower id (nc_sort). */
static int longer_first(const void *a, const void *b, void *ctx)
{
	const ai_tokenizer_t *t = ctx;
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	uint32_t lx = t->offs[x + 1] - t->offs[x], ly = t->offs[y + 1] - t->offs[y];
	if (lx != ly)
		return lx > ly ? -1 : 1;
	return (x > y) - (x < y);
}

static nc_ai_err_t load_vocab(ai_tokenizer_t *t, const nc_gguf_file_t *f, const nc_ai_alloc_t *a)
{
	const nc_gguf_kv_t *toks, *types = NULL;
	if (nc_gguf_get_array(f, "tokenizer.ggml.tokens", NC_GGUF_TYPE_STRING, &toks) ||
	    toks->n_elems == 0 || toks->n_elems > INT32_MAX / 4 || toks->value_bytes > UINT32_MAX)
		return NC_AI_ERR_TOKENIZER;  /* offsets into the decoded bytes are 32-bit */
	t->n_vocab = (uint32_t)toks->n_elems;
	nc_gguf_err_t ge = nc_gguf_get_array(f, "tokenizer.ggml.token_type", NC_GGUF_TYPE_INT32, &types);
	if (ge == NC_GGUF_ERR_NOT_FOUND)
		types = NULL;
	else if (ge || types->n_elems != t->n_vocab)
		return NC_AI_ERR_TOKENIZER;
	t->bytes_len = toks->value_bytes;  /* decoded bytes never exceed the encoded size */
	t->bytes = alloc_z(a, t->bytes_len);
	t->offs = alloc_z(a, ((size_t)t->n_vocab + 1) * sizeof *t->offs);
	t->types = alloc_z(a, (size_t)t->n_vocab * sizeof *t->types);
	t->vocab_cap = pow2_at_least((size_t)t->n_vocab * 2);
	t->vocab_map = alloc_z(a, t->vocab_cap * sizeof *t->vocab_map);
	t->specials = alloc_z(a, (size_t)t->n_vocab * sizeof *t->specials);
	if (!t->bytes || !t->offs || !t->types || !t->vocab_map || !t->specials)
		return NC_AI_ERR_NOMEM;
	for (size_t i = 0; i < t->vocab_cap; i++)
		t->vocab_map[i].value = -1;
	for (int i = 0; i < 256; i++)
		t->byte_id[i] = -1;
	const uint8_t *cur = toks->value;
	size_t at = 0;
	for (uint32_t id = 0; id < t->n_vocab; id++) {
		nc_gguf_str_t s = nc_gguf_next_str(&cur);
		t->offs[id] = (uint32_t)at;
		at += unmap_text(s, t->bytes + at);
		t->types[id] = types ? (int32_t)nc_gguf_value_i64(NC_GGUF_TYPE_INT32, types->value + 4 * id)
		                     : TOKEN_NORMAL;
		size_t n = at - t->offs[id];
		if (t->types[id] == TOKEN_CONTROL || t->types[id] == TOKEN_USER_DEFINED) {
			if (n)
				t->specials[t->n_specials++] = (int32_t)id;
			continue;  /* reachable only as specials, never by merging */
		}
		if (n == 1 && t->byte_id[t->bytes[t->offs[id]]] < 0)
			t->byte_id[t->bytes[t->offs[id]]] = (int32_t)id;
		if (n == 0 || vocab_find(t, t->bytes + t->offs[id], n) >= 0)
			continue;  /* empty or duplicate texts: the first id wins */
		uint64_t h = hash_bytes(t->bytes + t->offs[id], n);
		size_t i = h & (t->vocab_cap - 1);
		while (t->vocab_map[i].value >= 0)
			i = (i + 1) & (t->vocab_cap - 1);
		t->vocab_map[i].key = h;
		t->vocab_map[i].value = (int32_t)id;
	}
	t->offs[t->n_vocab] = (uint32_t)at;
	/* Specials longest first, so matching takes the longest text; equal
	 * lengths by id, so of two equal texts the first id wins. */
	nc_sort(t->specials, t->n_specials, sizeof *t->specials, longer_first, t);
	return NC_AI_OK;
}

static nc_ai_err_t load_merges(ai_tokenizer_t *t, const nc_gguf_file_t *f, const nc_ai_alloc_t *a)
{
	const nc_gguf_kv_t *mk;
	nc_gguf_err_t ge = nc_gguf_get_array(f, "tokenizer.ggml.merges", NC_GGUF_TYPE_STRING, &mk);
	size_t n = ge == NC_GGUF_ERR_NOT_FOUND ? 0 : mk->n_elems;
	if (ge && ge != NC_GGUF_ERR_NOT_FOUND)
		return NC_AI_ERR_TOKENIZER;
	if (n > INT32_MAX / 4)
		return NC_AI_ERR_TOKENIZER;
	t->merge_cap = pow2_at_least(n * 2 + 1);
	t->merge_map = alloc_z(a, t->merge_cap * sizeof *t->merge_map);
	uint8_t *buf = alloc_z(a, ge ? 1 : mk->value_bytes);
	if (!t->merge_map || !buf) {
		if (buf)
			a->free(a->ctx, buf, ge ? 1 : mk->value_bytes);
		return NC_AI_ERR_NOMEM;
	}
	for (size_t i = 0; i < t->merge_cap; i++)
		t->merge_map[i].value = -1;
	nc_ai_err_t e = NC_AI_OK;
	const uint8_t *cur = n ? mk->value : NULL;
	for (size_t r = 0; r < n && !e; r++) {
		nc_gguf_str_t s = nc_gguf_next_str(&cur);
		size_t sp = 0;
		while (sp < s.len_bytes && s.ptr[sp] != ' ')
			sp++;
		if (sp == 0 || sp + 1 >= s.len_bytes) {
			e = NC_AI_ERR_TOKENIZER;
			break;
		}
		nc_gguf_str_t l = {s.ptr, sp}, rr = {s.ptr + sp + 1, s.len_bytes - sp - 1};
		size_t nl = unmap_text(l, buf);
		size_t nr = unmap_text(rr, buf + nl);
		int32_t a_id = vocab_find(t, buf, nl), b_id = vocab_find(t, buf + nl, nr);
		int32_t m_id = vocab_find(t, buf, nl + nr);
		if (a_id < 0 || b_id < 0 || m_id < 0) {
			e = NC_AI_ERR_TOKENIZER;
			break;
		}
		uint64_t key = (uint64_t)(uint32_t)a_id << 32 | (uint32_t)b_id;
		size_t i = mix64(key) & (t->merge_cap - 1);
		while (t->merge_map[i].value >= 0 && t->merge_map[i].key != key)
			i = (i + 1) & (t->merge_cap - 1);
		if (t->merge_map[i].value >= 0)
			continue;  /* a repeated merge keeps its first (best) rank */
		t->merge_map[i].key = key;
		t->merge_map[i].value = m_id;
		t->merge_map[i].rank = (int32_t)r;
	}
	a->free(a->ctx, buf, ge ? 1 : mk->value_bytes);
	return e;
}

static nc_ai_err_t get_token_id(const nc_gguf_file_t *f, const char *key, uint32_t n_vocab, int32_t *out)
{
	uint64_t v;
	nc_gguf_err_t e = nc_gguf_get_u64(f, key, &v);
	*out = -1;
	if (e == NC_GGUF_ERR_NOT_FOUND)
		return NC_AI_OK;
	if (e || v >= n_vocab)
		return NC_AI_ERR_TOKENIZER;
	*out = (int32_t)v;
	return NC_AI_OK;
}

nc_ai_err_t ai_tokenizer_load(ai_tokenizer_t *t, const nc_gguf_file_t *f, const nc_ai_alloc_t *a)
{
	nc_gguf_str_t model, pre;
	nc_ai_err_t e;
	nc_mem_set(t, 0, sizeof *t);
	if (nc_gguf_get_str(f, "tokenizer.ggml.model", &model) || !nc_gguf_str_eq(model, "gpt2"))
		return NC_AI_ERR_TOKENIZER;
	/* Missing, llama.cpp uses its "default" pre-tokenizer, which we lack. */
	if (nc_gguf_get_str(f, "tokenizer.ggml.pre", &pre) || !ai_pretok_lookup(pre, &t->pre, &t->ignore_merges))
		return NC_AI_ERR_PRETOKENIZER;
	if ((e = load_vocab(t, f, a)) || (e = load_merges(t, f, a)))
		return e;
	if ((e = get_token_id(f, "tokenizer.ggml.bos_token_id", t->n_vocab, &t->bos_id)) ||
	    (e = get_token_id(f, "tokenizer.ggml.eos_token_id", t->n_vocab, &t->eos_id)))
		return e;
	t->add_bos = false;
	nc_gguf_err_t ge = nc_gguf_get_bool(f, "tokenizer.ggml.add_bos_token", &t->add_bos);
	if (ge && ge != NC_GGUF_ERR_NOT_FOUND)
		return NC_AI_ERR_TOKENIZER;
	return NC_AI_OK;
}

void ai_tokenizer_free(ai_tokenizer_t *t, const nc_ai_alloc_t *a)
{
	size_t nv = t->n_vocab;
	if (t->bytes)
		a->free(a->ctx, t->bytes, t->bytes_len ? t->bytes_len : 1);
	if (t->offs)
		a->free(a->ctx, t->offs, (nv + 1) * sizeof *t->offs);
	if (t->types)
		a->free(a->ctx, t->types, nv ? nv * sizeof *t->types : 1);
	if (t->vocab_map)
		a->free(a->ctx, t->vocab_map, t->vocab_cap * sizeof *t->vocab_map);
	if (t->specials)
		a->free(a->ctx, t->specials, nv ? nv * sizeof *t->specials : 1);
	if (t->merge_map)
		a->free(a->ctx, t->merge_map, t->merge_cap * sizeof *t->merge_map);
	nc_mem_set(t, 0, sizeof *t);
}

/* Output sink for encoding: counts every token, stores the first cap. */
typedef struct {
	int32_t *ids;
	size_t cap;
	size_t n;
} tok_out_t;

static void emit(tok_out_t *o, int32_t id)
{
	if (o->n < o->cap)
		o->ids[o->n] = id;
	o->n++;
}

/* BPE over one piece of at most PIECE_MAX bytes: O(n^2) in the piece length. */
static void encode_piece(const ai_tokenizer_t *t, const uint8_t *p, size_t n, tok_out_t *o)
{
	int32_t sym[PIECE_MAX];
	size_t ns = 0;
	for (size_t i = 0; i < n; i++) {
		int32_t id = t->byte_id[p[i]];
		if (id < 0)
			continue;  /* a vocabulary without this byte: the byte is dropped */
		sym[ns++] = id;
	}
	while (ns > 1) {
		int32_t best_rank = INT32_MAX, best_id = -1;
		size_t at = 0;
		for (size_t i = 0; i + 1 < ns; i++) {
			const ai_slot_t *s = merge_find(t, sym[i], sym[i + 1]);
			if (s && s->rank < best_rank) {
				best_rank = s->rank;
				best_id = s->value;
				at = i;
			}
		}
		if (best_id < 0)
			break;
		sym[at] = best_id;
		for (size_t i = at + 1; i + 1 < ns; i++)
			sym[i] = sym[i + 1];
		ns--;
	}
	for (size_t i = 0; i < ns; i++)
		emit(o, sym[i]);
}

static void encode_text(const ai_tokenizer_t *t, const uint8_t *p, size_t n, tok_out_t *o)
{
	for (size_t pos = 0; pos < n;) {
		size_t len = ai_pretok_next(t->pre, p, n, pos);
		int32_t whole = t->ignore_merges && len <= PIECE_MAX ? vocab_find(t, p + pos, len) : -1;
		if (whole >= 0) {
			emit(o, whole);
			pos += len;
			continue;
		}
		for (size_t k = 0; k < len; k += PIECE_MAX)
			encode_piece(t, p + pos + k, len - k < PIECE_MAX ? len - k : PIECE_MAX, o);
		pos += len;
	}
}

/* The special token whose text starts at p[0..n), or -1. */
static int32_t match_special(const ai_tokenizer_t *t, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < t->n_specials; i++) {
		int32_t id = t->specials[i];
		size_t len = t->offs[id + 1] - t->offs[id];
		if (len <= n && nc_mem_compare(p, t->bytes + t->offs[id], len) == 0)
			return id;
	}
	return -1;
}

nc_ai_err_t nc_ai_tokenize(const nc_ai_model_t *m, const char *text, size_t len_bytes, unsigned flags,
                           int32_t *ids, size_t cap, size_t *n_out)
{
	if (!m || (!text && len_bytes) || (!ids && cap) || !n_out)
		return NC_AI_ERR_ARG;
	const ai_tokenizer_t *t = &m->tok;
	const uint8_t *p = (const uint8_t *)text;
	tok_out_t o = {ids, cap, 0};
	if ((flags & NC_AI_TOK_ADD_BOS) && t->bos_id >= 0)
		emit(&o, t->bos_id);
	size_t start = 0;
	if (flags & NC_AI_TOK_SPECIAL) {
		for (size_t i = 0; i < len_bytes; i++) {
			int32_t id = match_special(t, p + i, len_bytes - i);
			if (id < 0)
				continue;
			encode_text(t, p + start, i - start, &o);
			emit(&o, id);
			i += t->offs[id + 1] - t->offs[id] - 1;
			start = i + 1;
		}
	}
	encode_text(t, p + start, len_bytes - start, &o);
	*n_out = o.n;
	return o.n > cap ? NC_AI_ERR_BUFFER : NC_AI_OK;
}

nc_ai_err_t nc_ai_token_bytes(const nc_ai_model_t *m, int32_t id, bool with_special,
                              const uint8_t **bytes, size_t *len_bytes)
{
	const ai_tokenizer_t *t = &m->tok;
	if (id < 0 || (uint32_t)id >= t->n_vocab)
		return NC_AI_ERR_TOKEN;
	*bytes = t->bytes + t->offs[id];
	*len_bytes = t->offs[id + 1] - t->offs[id];
	if (t->types[id] == TOKEN_CONTROL && !with_special)
		*len_bytes = 0;
	return NC_AI_OK;
}

nc_ai_err_t nc_ai_detokenize(const nc_ai_model_t *m, const int32_t *ids, size_t n, bool with_special,
                             char *buf, size_t cap, size_t *len_out)
{
	if (!m || (!ids && n) || (!buf && cap) || !len_out)
		return NC_AI_ERR_ARG;
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		const uint8_t *b;
		size_t l;
		nc_ai_err_t e = nc_ai_token_bytes(m, ids[i], with_special, &b, &l);
		if (e)
			return e;
		for (size_t k = 0; k < l; k++, len++)
			if (len < cap)
				buf[len] = (char)b[k];
	}
	*len_out = len;
	return len > cap ? NC_AI_ERR_BUFFER : NC_AI_OK;
}
