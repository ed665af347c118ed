/* Tokenize and detokenize text (nc/token.h): one detection pass replacing
 * each item by the session's token for it (issuing one when the value is
 * new), and the reverse pass replacing issued tokens by their values. */
#include <nc/mem.h>
#include "token_internal.h"

typedef struct {
	char *buf;
	size_t cap, len;
	bool overflow;
} sink_t;

static void put(sink_t *o, const char *p, size_t n)
{
	if (o->overflow || n > o->cap - o->len) {
		o->overflow = true;
		return;
	}
	nc_mem_copy(o->buf + o->len, p, n);
	o->len += n;
}

nc_token_err_t nc_token_tokenize(nc_token_session_t *s, const char *in, size_t len, char *out, size_t cap,
				 size_t *out_len, size_t counts[NC_TOKEN_KINDS])
{
	sink_t o = { .buf = out, .cap = cap };
	size_t pos = 0; /* copied up to here */
	nc_token_match_t m;
	*out_len = 0;
	if (counts)
		nc_mem_set(counts, 0, NC_TOKEN_KINDS * sizeof *counts);
	/* The next search starts one byte after a match (matches are never
	 * adjacent), so every token keeps its item's neighbours, which the
	 * detectors required to be no letter or digit, and detokenize finds it. */
	while (tok_detect_next(in, len, pos + (pos > 0), s->names, s->n_names, &m)) {
		put(&o, in + pos, m.start - pos);
		const char *value = in + m.start;
		pos = m.start + m.len;
		if (s->action[m.kind] == NC_TOKEN_KEEP) {
			put(&o, value, m.len);
			continue;
		}
		tok_entry_t e;
		if (!tok_table_find_value(s, m.kind, value, m.len, &e)) {
			char token[NC_TOKEN_MAX_TOKEN_BYTES];
			size_t n = tok_make_token(s, m.kind, value, m.len, token);
			nc_token_err_t err = tok_table_add(s, m.kind, token, n, value, m.len);
			if (err != NC_TOKEN_OK)
				return err;
			tok_table_find_value(s, m.kind, value, m.len, &e);
		}
		put(&o, e.token, e.token_len);
		if (counts)
			counts[m.kind]++;
	}
	put(&o, in + pos, len - pos);
	if (o.overflow)
		return NC_TOKEN_ERR_SPACE;
	*out_len = o.len;
	return NC_TOKEN_OK;
}

/* The longest issued token at in[pos..) that is not followed by a letter or
 * digit (tokens start at word starts; the caller checks the byte before). */
static bool token_at(const nc_token_session_t *s, const char *in, size_t len, size_t pos, tok_entry_t *best)
{
	size_t off = 0;
	tok_entry_t e;
	bool found = false;
	while (tok_table_next(s, &off, &e)) {
		if (e.token_len <= len - pos && (!found || e.token_len > best->token_len) && in[pos] == e.token[0] &&
		    nc_mem_compare(in + pos, e.token, e.token_len) == 0 && !tok_is_alnum(tok_at(in, len, pos + e.token_len))) {
			*best = e;
			found = true;
		}
	}
	return found;
}

/* True iff in[pos..len) (the end of the text so far) is the start of an
 * issued token, or a whole one whose next byte is not known yet. */
static bool token_may_start(const nc_token_session_t *s, const char *in, size_t len, size_t pos)
{
	size_t off = 0;
	tok_entry_t e;
	while (tok_table_next(s, &off, &e))
		if (len - pos <= e.token_len && nc_mem_compare(in + pos, e.token, len - pos) == 0)
			return true;
	return false;
}

nc_token_err_t nc_token_detokenize_part(const nc_token_session_t *s, const char *in, size_t len, bool final,
					char *out, size_t cap, size_t *out_len, size_t *consumed)
{
	sink_t o = { .buf = out, .cap = cap };
	size_t pos = 0, copied = 0;
	*out_len = 0;
	*consumed = 0;
	while (pos < len) {
		tok_entry_t e;
		bool word_start = pos == 0 || !tok_is_alnum(in[pos - 1]);
		if (word_start && !final && token_may_start(s, in, len, pos))
			break;
		if (word_start && token_at(s, in, len, pos, &e)) {
			put(&o, in + copied, pos - copied);
			put(&o, e.value, e.value_len);
			pos += e.token_len;
			copied = pos;
			continue;
		}
		pos++;
	}
	put(&o, in + copied, pos - copied);
	if (o.overflow)
		return NC_TOKEN_ERR_SPACE;
	*out_len = o.len;
	*consumed = pos;
	return NC_TOKEN_OK;
}

nc_token_err_t nc_token_detokenize(const nc_token_session_t *s, const char *in, size_t len, char *out,
				   size_t cap, size_t *out_len)
{
	size_t consumed;
	return nc_token_detokenize_part(s, in, len, true, out, cap, out_len, &consumed);
}
