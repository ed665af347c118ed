/* Lexer: source bytes -> tokens, one at a time (the parser keeps one lookahead).
 * Comments: // to end of line and nestable block comments. Numbers: decimal,
 * 0x hex, 0o octal or 0b binary Int (underscores allowed), Float needs a digit after '.' so that 0..5 is
 * a range. Strings: "..." with \n \t \r \0 \\ \" \u{hex}. */
#include "lex.h"
#include "value.h"
#include <nc/hex.h>
#include <nc/mem.h>

static bool lex_fail(ncs_lexer_t *lx, uint32_t off, const char *what)
{
	ncs_fail(lx->st, NC_NCS_ERR_SYNTAX, off, "%s", what);
	return false;
}

static bool is_ident_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

static const struct { const char *w; ncs_tok_kind_t k; } keywords[] = {
	{ "fn", T_FN }, { "let", T_LET }, { "mut", T_MUT }, { "if", T_IF }, { "else", T_ELSE },
	{ "while", T_WHILE }, { "loop", T_LOOP }, { "for", T_FOR }, { "in", T_IN },
	{ "break", T_BREAK }, { "continue", T_CONTINUE }, { "return", T_RETURN },
	{ "match", T_MATCH }, { "true", T_TRUE }, { "false", T_FALSE }, { "struct", T_STRUCT },
	{ "enum", T_ENUM }, { "impl", T_IMPL }, { "pub", T_PUB }, { "use", T_USE }, { "as", T_AS }, { "const", T_CONST },
	{ "_", T_UNDERSCORE },
};

static bool skip_space(ncs_lexer_t *lx)
{
	const char *s = lx->src;
	for (;;) {
		while (lx->pos < lx->len && (s[lx->pos] == ' ' || s[lx->pos] == '\t' || s[lx->pos] == '\n' ||
					     s[lx->pos] == '\r'))
			lx->pos++;
		if (lx->pos + 1 < lx->len && s[lx->pos] == '/' && s[lx->pos + 1] == '/') {
			while (lx->pos < lx->len && s[lx->pos] != '\n')
				lx->pos++;
		} else if (lx->pos + 1 < lx->len && s[lx->pos] == '/' && s[lx->pos + 1] == '*') {
			uint32_t start = (uint32_t)lx->pos;
			uint32_t depth = 0;
			do {
				if (lx->pos + 1 >= lx->len)
					return lex_fail(lx, start, "unterminated block comment");
				if (s[lx->pos] == '/' && s[lx->pos + 1] == '*') {
					depth++;
					lx->pos += 2;
				} else if (s[lx->pos] == '*' && s[lx->pos + 1] == '/') {
					depth--;
					lx->pos += 2;
				} else {
					lx->pos++;
				}
			} while (depth);
		} else {
			return true;
		}
	}
}

static bool lex_number(ncs_lexer_t *lx, ncs_tok_t *t)
{
	const char *s = lx->src;
	size_t p = lx->pos;
	uint64_t v = 0;
	bool overflow = false;
	char r = p + 1 < lx->len && s[p] == '0' ? s[p + 1] : 0;
	int radix = r == 'x' || r == 'X' ? 16 : r == 'o' ? 8 : r == 'b' ? 2 : 10;
	if (radix != 10) {
		int shift = radix == 16 ? 4 : radix == 8 ? 3 : 1;
		p += 2;
		size_t digits = 0;
		for (; p < lx->len && ((nc_hex_digit_value(s[p]) >= 0 && nc_hex_digit_value(s[p]) < radix) || s[p] == '_'); p++) {
			if (s[p] == '_')
				continue;
			overflow |= v >> (64 - shift) != 0;
			v = v << shift | (uint64_t)nc_hex_digit_value(s[p]);
			digits++;
		}
		if (!digits)
			return lex_fail(lx, t->off, radix == 16 ? "hex literal needs digits"
						  : radix == 8 ? "octal literal needs digits" : "binary literal needs digits");
		if (p < lx->len && is_digit(s[p]))
			return lex_fail(lx, (uint32_t)p, "digit out of range for the literal's base");
	} else {
		for (; p < lx->len && (is_digit(s[p]) || s[p] == '_'); p++) {
			if (s[p] == '_')
				continue;
			overflow |= v > (UINT64_MAX - 9) / 10;
			v = v * 10 + (uint64_t)(s[p] - '0');
		}
		bool is_float = false;
		if (p + 1 < lx->len && s[p] == '.' && is_digit(s[p + 1])) {
			is_float = true;
			for (p++; p < lx->len && (is_digit(s[p]) || s[p] == '_'); p++)
				;
		}
		if (p < lx->len && (s[p] == 'e' || s[p] == 'E')) {
			size_t q = p + 1;
			if (q < lx->len && (s[q] == '+' || s[q] == '-'))
				q++;
			if (q < lx->len && is_digit(s[q])) {
				is_float = true;
				for (p = q; p < lx->len && is_digit(s[p]); p++)
					;
			}
		}
		if (is_float) {
			char buf[128];
			size_t n = 0;
			for (size_t i = lx->pos; i < p; i++)
				if (s[i] != '_') {
					if (n + 1 >= sizeof buf)
						return lex_fail(lx, t->off, "float literal too long");
					buf[n++] = s[i];
				}
			if (!nc_ncs_parse_float(buf, n, &t->f))
				return lex_fail(lx, t->off, "malformed float literal");
			t->kind = T_FLOAT;
			lx->pos = p;
			return true;
		}
	}
	if (p < lx->len && is_ident_start(s[p]))
		return lex_fail(lx, (uint32_t)p, "malformed number");
	if (overflow || v > (uint64_t)INT64_MAX)
		return lex_fail(lx, t->off, "integer literal does not fit in Int (64-bit)");
	t->kind = T_INT;
	t->i = (int64_t)v;
	lx->pos = p;
	return true;
}

static size_t put_utf8(char *out, uint32_t cp)
{
	if (cp < 0x80) { out[0] = (char)cp; return 1; }
	if (cp < 0x800) { out[0] = (char)(0xc0 | cp >> 6); out[1] = (char)(0x80 | (cp & 63)); return 2; }
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12); out[1] = (char)(0x80 | ((cp >> 6) & 63));
		out[2] = (char)(0x80 | (cp & 63));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18); out[1] = (char)(0x80 | ((cp >> 12) & 63));
	out[2] = (char)(0x80 | ((cp >> 6) & 63)); out[3] = (char)(0x80 | (cp & 63));
	return 4;
}

static bool lex_string(ncs_lexer_t *lx, ncs_tok_t *t)
{
	const char *s = lx->src;
	size_t p = lx->pos + 1, end = p;
	while (end < lx->len && s[end] != '"')
		end += s[end] == '\\' ? 2 : 1;
	if (end >= lx->len)
		return lex_fail(lx, t->off, "unterminated string literal");
	if (!ncs_utf8_valid(s + p, end - p))
		return lex_fail(lx, t->off, "string literal is not valid UTF-8");
	char *out = ncs_arena_alloc(lx->arena, end - p + 1);
	if (!out)
		return false;
	size_t n = 0;
	while (p < end) {
		char c = s[p++];
		if (c != '\\') {
			out[n++] = c;
			continue;
		}
		uint32_t esc_off = (uint32_t)p - 1;
		c = s[p++];
		switch (c) {
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case 'r': out[n++] = '\r'; break;
		case '0': out[n++] = 0; break;
		case '\\': out[n++] = '\\'; break;
		case '"': out[n++] = '"'; break;
		case 'u': {
			uint32_t cp = 0, digits = 0;
			if (p >= end || s[p] != '{')
				return lex_fail(lx, esc_off, "expected { after \\u");
			for (p++; p < end && s[p] != '}'; p++, digits++) {
				if (nc_hex_digit_value(s[p]) < 0 || digits >= 6)
					return lex_fail(lx, esc_off, "bad \\u{...} escape");
				cp = cp * 16 + (uint32_t)nc_hex_digit_value(s[p]);
			}
			if (p >= end || !digits || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
				return lex_fail(lx, esc_off, "bad \\u{...} escape");
			p++;
			if (n + 4 > end - lx->pos)
				return lex_fail(lx, esc_off, "bad \\u{...} escape");
			n += put_utf8(out + n, cp);
			break;
		}
		default:
			return lex_fail(lx, esc_off, "unknown escape sequence");
		}
	}
	out[n] = 0;
	t->kind = T_STRING;
	t->str = out;
	t->str_len = (uint32_t)n;
	lx->pos = end + 1;
	return true;
}

/* Punctuation, longest first. */
static const struct { const char *s; ncs_tok_kind_t k; } puncts[] = {
	{ "..=", T_DOTDOTEQ }, { "<<=", T_SHLEQ }, { ">>=", T_SHREQ }, { "::", T_COLONCOLON }, { "..", T_DOTDOT }, { "->", T_ARROW },
	{ "=>", T_FATARROW }, { "==", T_EQEQ }, { "!=", T_NE }, { "<=", T_LE }, { ">=", T_GE },
	{ "&&", T_ANDAND }, { "||", T_OROR }, { "+=", T_PLUSEQ }, { "-=", T_MINUSEQ },
	{ "*=", T_STAREQ }, { "/=", T_SLASHEQ }, { "%=", T_PERCENTEQ }, { "&=", T_AMPEQ },
	{ "|=", T_PIPEEQ }, { "^=", T_CARETEQ }, { "<<", T_SHL }, { ">>", T_SHR },
	{ "(", T_LPAREN }, { ")", T_RPAREN }, { "{", T_LBRACE }, { "}", T_RBRACE },
	{ "[", T_LBRACKET }, { "]", T_RBRACKET }, { ",", T_COMMA }, { ";", T_SEMI },
	{ ":", T_COLON }, { ".", T_DOT }, { "#", T_HASH }, { "!", T_BANG }, { "?", T_QUESTION },
	{ "+", T_PLUS }, { "-", T_MINUS }, { "*", T_STAR }, { "/", T_SLASH }, { "%", T_PERCENT },
	{ "=", T_EQ }, { "<", T_LT }, { ">", T_GT }, { "|", T_PIPE }, { "&", T_AMP },
	{ "^", T_CARET },
};

bool ncs_lex_next(ncs_lexer_t *lx, ncs_tok_t *t)
{
	nc_mem_set(t, 0, sizeof *t);
	if (!skip_space(lx))
		return false;
	t->off = (uint32_t)lx->pos;
	if (lx->pos >= lx->len) {
		t->kind = T_EOF;
		return true;
	}
	const char *s = lx->src + lx->pos;
	char c = s[0];
	bool ok = true;
	if (is_ident_start(c)) {
		size_t n = 1;
		while (lx->pos + n < lx->len && (is_ident_start(s[n]) || is_digit(s[n])))
			n++;
		t->kind = T_IDENT;
		for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
			if (nc_str_len(keywords[i].w) == n && nc_mem_compare(keywords[i].w, s, n) == 0)
				t->kind = keywords[i].k;
		lx->pos += n;
	} else if (is_digit(c)) {
		ok = lex_number(lx, t);
	} else if (c == '"') {
		ok = lex_string(lx, t);
	} else {
		size_t left = lx->len - lx->pos;
		size_t i;
		for (i = 0; i < sizeof puncts / sizeof puncts[0]; i++) {
			size_t n = nc_str_len(puncts[i].s);
			if (n <= left && nc_mem_compare(puncts[i].s, s, n) == 0) {
				t->kind = puncts[i].k;
				lx->pos += n;
				break;
			}
		}
		if (i == sizeof puncts / sizeof puncts[0])
			return lex_fail(lx, t->off, "unexpected character");
	}
	t->len = (uint32_t)(lx->pos - t->off);
	return ok;
}
