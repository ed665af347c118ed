/* Pre-tokenizers: the regular expressions that split text before BPE, written
 * out by hand as matchers over code points. Alternatives are tried in order
 * and the first that matches wins, as in a backtracking regex engine. The
 * names llama.cpp gives them in tokenizer.ggml.pre (llama-vocab.cpp, its
 * llm_tokenizer_bpe regex table) are mapped at the end of this file.
 *
 * gpt2 (OpenAI GPT-2 encoder.py):
 *   's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
 * llama3 (Meta Llama 3 tokenizer, llama.cpp "llama-bpe"):
 *   (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|
 *   ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+
 * qwen2 (Qwen2, llama.cpp "qwen2"): llama3's with \p{N} in place of \p{N}{1,3}.
 * \s is the ECMAScript set (tab, LF, VT, FF, CR, space, U+00A0, U+1680,
 * U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF), as in the
 * JavaScript oracle. A byte that is not valid UTF-8 counts as one code point
 * of none of the classes. */
#include "ai_int.h"

typedef enum { C_SPACE, C_LETTER, C_NUMBER, C_OTHER } cls_t;

typedef struct {
	const uint8_t *s;
	size_t n;
} text_t;

/* Decode the code point at i: sets *cp, returns its byte length (1 for an
 * invalid byte, which gets cp = 0xFFFFFFFF). */
static size_t cp_at(text_t t, size_t i, uint32_t *cp)
{
	uint8_t b = t.s[i];
	size_t len = b < 0x80 ? 1 : (b & 0xe0) == 0xc0 ? 2 : (b & 0xf0) == 0xe0 ? 3 : (b & 0xf8) == 0xf0 ? 4 : 0;
	if (len == 1) {
		*cp = b;
		return 1;
	}
	if (!len || len > t.n - i)
		goto bad;
	uint32_t c = b & (0x7f >> len);
	for (size_t k = 1; k < len; k++) {
		if ((t.s[i + k] & 0xc0) != 0x80)
			goto bad;
		c = c << 6 | (t.s[i + k] & 0x3f);
	}
	/* Overlong forms and surrogates are not valid UTF-8. */
	if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		goto bad;
	*cp = c;
	return len;
bad:
	*cp = 0xffffffffu;
	return 1;
}

static bool is_space(uint32_t c)
{
	return (c >= 9 && c <= 13) || c == ' ' || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
	       c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000 || c == 0xfeff;
}

static cls_t cls_of(uint32_t c)
{
	if (c == 0xffffffffu)
		return C_OTHER;
	if (is_space(c))
		return C_SPACE;
	if (c < 0x80) {
		if ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')
			return C_LETTER;
		return c >= '0' && c <= '9' ? C_NUMBER : C_OTHER;
	}
	if (ai_uni_is_letter(c))
		return C_LETTER;
	return ai_uni_is_number(c) ? C_NUMBER : C_OTHER;
}

/* Class and byte length (and code point, if cpo) of the code point at i < n. */
static cls_t at(text_t t, size_t i, size_t *len, uint32_t *cpo)
{
	uint32_t cp;
	*len = cp_at(t, i, &cp);
	if (cpo)
		*cpo = cp;
	return cls_of(cp);
}

/* Length of the run of class c starting at i (0 if none), at most max code points. */
static size_t run(text_t t, size_t i, cls_t c, size_t max)
{
	size_t j = i, l;
	for (size_t k = 0; k < max && j < t.n && at(t, j, &l, NULL) == c; k++)
		j += l;
	return j - i;
}

static size_t run_not_slnd(text_t t, size_t i)
{
	size_t j = i, l;
	while (j < t.n && at(t, j, &l, NULL) == C_OTHER)
		j += l;
	return j - i;
}

static char lower(uint8_t c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
}

/* 's 't 're 've 'm 'll 'd at i; case-insensitive for llama3. */
static size_t contraction(text_t t, size_t i, bool fold)
{
	static const char *const suf[] = {"s", "t", "re", "ve", "m", "ll", "d"};
	if (t.s[i] != '\'')
		return 0;
	for (size_t k = 0; k < sizeof suf / sizeof suf[0]; k++) {
		size_t j = 0;
		while (suf[k][j] && i + 1 + j < t.n &&
		       (fold ? lower(t.s[i + 1 + j]) : (char)t.s[i + 1 + j]) == suf[k][j])
			j++;
		if (!suf[k][j])
			return 1 + j;
	}
	return 0;
}

/* \s+(?!\S) then \s+: whitespace run from i; keep the last space for the next
 * piece when a non-space follows (so " word" stays together). */
static size_t spaces(text_t t, size_t i)
{
	size_t j = i, l, last = i, count = 0;
	while (j < t.n && at(t, j, &l, NULL) == C_SPACE) {
		last = j;
		j += l;
		count++;
	}
	if (j == t.n || count == 1)
		return j - i;
	return last - i;
}

/* Optional single space (gpt2: only ' ') then a run of class c. */
static size_t space_then(text_t t, size_t i, cls_t c)
{
	size_t n = 0;
	if (t.s[i] == ' ' && i + 1 < t.n)
		n = run(t, i + 1, c, SIZE_MAX);
	if (n)
		return 1 + n;
	return run(t, i, c, SIZE_MAX);
}

static size_t next_gpt2(text_t t, size_t i)
{
	size_t n;
	if ((n = contraction(t, i, false)) || (n = space_then(t, i, C_LETTER)) ||
	    (n = space_then(t, i, C_NUMBER)))
		return n;
	if (t.s[i] == ' ' && i + 1 < t.n && (n = run_not_slnd(t, i + 1)))
		return 1 + n;
	if ((n = run_not_slnd(t, i)))
		return n;
	return spaces(t, i);
}

static bool is_crlf(text_t t, size_t i)
{
	return i < t.n && (t.s[i] == '\r' || t.s[i] == '\n');
}

/* llama3, and qwen2 with max_digits 1. */
static size_t next_llama3(text_t t, size_t i, size_t max_digits)
{
	size_t n, l;
	uint32_t cp;
	if ((n = contraction(t, i, true)))
		return n;
	/* [^\r\n\p{L}\p{N}]?\p{L}+ */
	cls_t c = at(t, i, &l, &cp);
	if (c != C_LETTER && c != C_NUMBER && cp != '\r' && cp != '\n' && i + l < t.n &&
	    (n = run(t, i + l, C_LETTER, SIZE_MAX)))
		return l + n;
	if ((n = run(t, i, C_LETTER, SIZE_MAX)))
		return n;
	if ((n = run(t, i, C_NUMBER, max_digits)))
		return n;
	/*  ?[^\s\p{L}\p{N}]+[\r\n]* */
	size_t sp = (t.s[i] == ' ' && i + 1 < t.n && run_not_slnd(t, i + 1)) ? 1 : 0;
	if ((n = run_not_slnd(t, i + sp))) {
		size_t j = i + sp + n;
		while (is_crlf(t, j))
			j++;
		return j - i;
	}
	/* \s*[\r\n]+ : the longest whitespace prefix that ends in CR or LF */
	size_t j = i, end = 0;
	while (j < t.n && at(t, j, &l, NULL) == C_SPACE) {
		j += l;
		if (is_crlf(t, j - 1))
			end = j;
	}
	if (end)
		return end - i;
	return spaces(t, i);
}

size_t ai_pretok_next(ai_pretok_t style, const uint8_t *text, size_t len, size_t pos)
{
	text_t t = {text + pos, len - pos};
	/* Every code point is a letter, number, space or other, and each class
	 * starts some alternative, so the result is at least one code point. */
	switch (style) {
	case AI_PRE_LLAMA3: return next_llama3(t, 0, 3);
	case AI_PRE_QWEN2: return next_llama3(t, 0, 1);
	default: return next_gpt2(t, 0);
	}
}

/* llama.cpp's names (tokenizer.ggml.pre) of the byte-level BPE pre-tokenizers
 * whose regular expressions are one of ours, and whether llama.cpp then takes
 * a pre-token found whole in the vocabulary as one token before any merge
 * (its ignore_merges, set for the llama3 family). Left out: names whose
 * pattern differs ("default", falcon, starcoder, deepseek, gpt-4o, ...) and
 * those that add tokens of their own (jina-v1-en, roberta-bpe: a SEP). "gpt2"
 * is the name NexaCore's own tools wrote before they wrote "gpt-2". */
static const struct {
	const char *name;
	ai_pretok_t style;
	bool ignore_merges;
} pretok_names[] = {
	{"gpt-2", AI_PRE_GPT2, false}, {"gpt2", AI_PRE_GPT2, false}, {"phi-2", AI_PRE_GPT2, false},
	{"jina-es", AI_PRE_GPT2, false}, {"jina-de", AI_PRE_GPT2, false}, {"gigachat", AI_PRE_GPT2, false},
	{"jina-v2-es", AI_PRE_GPT2, false}, {"jina-v2-de", AI_PRE_GPT2, false}, {"a.x-4.0", AI_PRE_GPT2, false},
	{"mellum", AI_PRE_GPT2, false}, {"exaone4", AI_PRE_GPT2, false}, {"mpt", AI_PRE_GPT2, false},
	{"olmo", AI_PRE_GPT2, false}, {"jais", AI_PRE_GPT2, false}, {"trillion", AI_PRE_GPT2, false},
	{"granite-docling", AI_PRE_GPT2, false},
	{"llama3", AI_PRE_LLAMA3, true}, {"llama-v3", AI_PRE_LLAMA3, true}, {"llama-bpe", AI_PRE_LLAMA3, true},
	{"falcon3", AI_PRE_LLAMA3, true}, {"falcon-h1", AI_PRE_LLAMA3, true}, {"pixtral", AI_PRE_LLAMA3, true},
	{"midm-2.0", AI_PRE_LLAMA3, true}, {"lfm2", AI_PRE_LLAMA3, true},
	{"dbrx", AI_PRE_LLAMA3, false}, {"smaug-bpe", AI_PRE_LLAMA3, false},
	{"qwen2", AI_PRE_QWEN2, false}, {"deepseek-r1-qwen", AI_PRE_QWEN2, false}, {"kormo", AI_PRE_QWEN2, false},
	{"megrez", AI_PRE_QWEN2, false}, {"stablelm2", AI_PRE_QWEN2, false}, {"hunyuan", AI_PRE_QWEN2, false},
};

bool ai_pretok_lookup(nc_gguf_str_t name, ai_pretok_t *style, bool *ignore_merges)
{
	for (size_t i = 0; i < sizeof pretok_names / sizeof pretok_names[0]; i++)
		if (nc_gguf_str_eq(name, pretok_names[i].name)) {
			*style = pretok_names[i].style;
			*ignore_merges = pretok_names[i].ignore_merges;
			return true;
		}
	return false;
}
