/* Expression parser (recursive descent, precedence climbing); patterns are in
 * parse_pat.c.
 * Precedence, low to high (Rust's): assignment (= += ... <<= >>=), range
 * (.. ..=), ||, &&, comparisons (non-associative), |, ^, &, << >>, + -, * / %,
 * `as`, unary - !, postfix
 * (call, .field, .method(), [index], ?). Every recursive entry goes through
 * ncs_p_enter, so nesting depth is capped and the C stack stays bounded. */
#include "parse.h"
#include <nc/mem.h>

static bool can_start_expr(ncs_tok_kind_t k)
{
	switch (k) {
	case T_SEMI: case T_RBRACE: case T_RPAREN: case T_RBRACKET: case T_COMMA: case T_EOF:
	case T_FATARROW:
		return false;
	default:
		return true;
	}
}

ncs_node_t *ncs_p_finish_list(ncs_parser_t *p, ncs_node_t *n, ncs_nodes_t *l)
{
	n->list = l->v;
	n->n = l->n;
	return n;
}

/* Comma-separated expressions up to the closing token (consumed). */
static bool parse_args(ncs_parser_t *p, ncs_nodes_t *l, ncs_tok_kind_t close)
{
	bool saved = p->no_struct;
	p->no_struct = false;
	while (p->tok.kind != close) {
		ncs_node_t *e = ncs_p_expr(p);
		if (!e || !ncs_p_push(p, l, e))
			return false;
		if (!ncs_p_accept(p, T_COMMA))
			break;
	}
	p->no_struct = saved;
	return ncs_p_expect(p, close, close == T_RPAREN ? "`)`" : "`]`");
}

/* ident ( :: ident )* joined into one arena string. */
bool ncs_p_path(ncs_parser_t *p, const char **name, uint32_t *len)
{
	char buf[256];
	uint32_t n = 0;
	for (;;) {
		if (p->tok.kind != T_IDENT)
			return ncs_p_error(p, p->tok.off, "expected a name");
		if (n + p->tok.len + 2 >= sizeof buf)
			return ncs_p_error(p, p->tok.off, "path too long");
		nc_mem_copy(buf + n, p->lx.src + p->tok.off, p->tok.len);
		n += p->tok.len;
		if (!ncs_p_advance(p))
			return false;
		if (p->tok.kind != T_COLONCOLON || ncs_p_peek(p)->kind != T_IDENT)
			break;
		if (!ncs_p_advance(p))
			return false;
		buf[n++] = ':';
		buf[n++] = ':';
	}
	char *s = ncs_arena_alloc(&p->m->arena, n + 1);
	if (!s)
		return false;
	nc_mem_copy(s, buf, n);
	*name = s;
	*len = n;
	return true;
}

bool ncs_p_is_upper(const char *s) { return s[0] >= 'A' && s[0] <= 'Z'; }

ncs_node_t *ncs_p_field(ncs_parser_t *p, ncs_node_kind_t field, ncs_node_kind_t shorthand,
			 ncs_node_t *(*value)(ncs_parser_t *p))
{
	if (p->tok.kind != T_IDENT)
		return ncs_p_error(p, p->tok.off, "expected a field name"), NULL;
	ncs_node_t *f = ncs_p_node(p, field, p->tok.off);
	if (!f)
		return NULL;
	f->name = p->lx.src + p->tok.off;
	f->name_len = p->tok.len;
	if (!ncs_p_advance(p))
		return NULL;
	if (ncs_p_accept(p, T_COLON)) {
		f->a = value(p);
	} else if ((f->a = ncs_p_node(p, shorthand, f->off))) {
		f->a->name = f->name;
		f->a->name_len = f->name_len;
	}
	return f->a ? f : NULL;
}

static ncs_node_t *parse_struct_lit(ncs_parser_t *p, ncs_node_t *n)
{
	ncs_nodes_t l = { 0 };
	n->kind = N_STRUCT_LIT;
	bool saved = p->no_struct;
	p->no_struct = false;
	if (!ncs_p_advance(p)) /* { */
		return NULL;
	while (p->tok.kind != T_RBRACE) {
		if (p->tok.kind == T_DOTDOT) {
			if (!ncs_p_advance(p) || !(n->c = ncs_p_expr(p)))
				return NULL;
			break;
		}
		ncs_node_t *f = ncs_p_field(p, N_FIELD_INIT, N_NAME, ncs_p_expr);
		if (!f || !ncs_p_push(p, &l, f))
			return NULL;
		if (!ncs_p_accept(p, T_COMMA))
			break;
	}
	p->no_struct = saved;
	if (!ncs_p_expect(p, T_RBRACE, "`}`"))
		return NULL;
	return ncs_p_finish_list(p, n, &l);
}

/* |a, b| expr  or  || expr  (parameters are patterns, types optional) */
static ncs_node_t *parse_closure(ncs_parser_t *p, ncs_node_t *n)
{
	ncs_nodes_t params = { 0 };
	n->kind = N_CLOSURE;
	if (p->tok.kind == T_PIPE) {
		if (!ncs_p_advance(p))
			return NULL;
		while (p->tok.kind != T_PIPE) {
			ncs_node_t *pat = ncs_p_pattern_no_or(p);
			if (!pat || !ncs_p_push(p, &params, pat))
				return NULL;
			if (ncs_p_accept(p, T_COLON) && !ncs_p_skip_type(p))
				return NULL;
			if (!ncs_p_accept(p, T_COMMA))
				break;
		}
		if (!ncs_p_expect(p, T_PIPE, "`|` closing the parameters"))
			return NULL;
	} else if (!ncs_p_advance(p)) { /* || */
		return NULL;
	}
	bool saved = p->no_struct;
	p->no_struct = false;
	n->a = ncs_p_expr(p);
	p->no_struct = saved;
	return n->a ? ncs_p_finish_list(p, n, &params) : NULL;
}

static ncs_node_t *parse_if(ncs_parser_t *p)
{
	ncs_node_t *n = ncs_p_node(p, N_IF, p->tok.off);
	if (!n || !ncs_p_advance(p))
		return NULL;
	bool saved = p->no_struct;
	p->no_struct = true;
	if (ncs_p_accept(p, T_LET)) {
		n->kind = N_IF_LET;
		if (!(n->a = ncs_p_pattern(p)) || !ncs_p_expect(p, T_EQ, "`=`"))
			return NULL;
		n->b = ncs_p_expr(p);
	} else {
		n->b = ncs_p_expr(p);
	}
	p->no_struct = saved;
	if (!n->b || !(n->c = ncs_p_block(p)))
		return NULL;
	if (ncs_p_accept(p, T_ELSE)) {
		if (p->tok.kind == T_IF) {
			if (!ncs_p_enter(p))
				return NULL;
			n->d = parse_if(p);
			ncs_p_leave(p);
		} else {
			n->d = ncs_p_block(p);
		}
		if (!n->d)
			return NULL;
	}
	return n;
}

static ncs_node_t *parse_match(ncs_parser_t *p)
{
	ncs_node_t *n = ncs_p_node(p, N_MATCH, p->tok.off);
	ncs_nodes_t arms = { 0 };
	if (!n || !ncs_p_advance(p))
		return NULL;
	bool saved = p->no_struct;
	p->no_struct = true;
	n->a = ncs_p_expr(p);
	p->no_struct = saved;
	if (!n->a || !ncs_p_expect(p, T_LBRACE, "`{`"))
		return NULL;
	while (p->tok.kind != T_RBRACE) {
		ncs_node_t *arm = ncs_p_node(p, N_ARM, p->tok.off);
		if (!arm || !(arm->a = ncs_p_pattern(p)))
			return NULL;
		if (ncs_p_accept(p, T_IF) && !(arm->b = ncs_p_expr(p)))
			return NULL;
		if (!ncs_p_expect(p, T_FATARROW, "`=>`") || !(arm->c = ncs_p_expr(p)))
			return NULL;
		if (!ncs_p_push(p, &arms, arm))
			return NULL;
		if (!ncs_p_accept(p, T_COMMA) && !ncs_p_blocklike(arm->c))
			break;
	}
	if (!ncs_p_expect(p, T_RBRACE, "`}` closing the match"))
		return NULL;
	return ncs_p_finish_list(p, n, &arms);
}

static ncs_node_t *parse_loopish(ncs_parser_t *p)
{
	ncs_node_t *n = ncs_p_node(p, N_LOOP, p->tok.off);
	ncs_tok_kind_t k = p->tok.kind;
	if (!n || !ncs_p_advance(p))
		return NULL;
	bool saved = p->no_struct;
	p->no_struct = true;
	if (k == T_WHILE) {
		n->kind = N_WHILE;
		if (ncs_p_accept(p, T_LET)) {
			n->kind = N_WHILE_LET;
			if (!(n->a = ncs_p_pattern(p)) || !ncs_p_expect(p, T_EQ, "`=`"))
				return NULL;
		}
		if (!(n->b = ncs_p_expr(p)))
			return NULL;
	} else if (k == T_FOR) {
		n->kind = N_FOR;
		if (!(n->a = ncs_p_pattern(p)) || !ncs_p_expect(p, T_IN, "`in`") || !(n->b = ncs_p_expr(p)))
			return NULL;
	}
	p->no_struct = saved;
	if (!(n->c = ncs_p_block(p)))
		return NULL;
	return n;
}

ncs_node_t *ncs_p_primary(ncs_parser_t *p)
{
	ncs_tok_t t = p->tok;
	ncs_node_t *n = ncs_p_node(p, N_INT, t.off);
	if (!n)
		return NULL;
	switch (t.kind) {
	case T_INT: n->i = t.i; return ncs_p_advance(p) ? n : NULL;
	case T_FLOAT: n->kind = N_FLOAT; n->f = t.f; return ncs_p_advance(p) ? n : NULL;
	case T_STRING:
		n->kind = N_STR; n->name = t.str; n->name_len = t.str_len;
		return ncs_p_advance(p) ? n : NULL;
	case T_TRUE: case T_FALSE:
		n->kind = N_BOOL; n->i = t.kind == T_TRUE;
		return ncs_p_advance(p) ? n : NULL;
	case T_IDENT:
		if (!ncs_p_path(p, &n->name, &n->name_len))
			return NULL;
		n->kind = n->name_len != t.len ? N_PATH : N_NAME;
		if (p->tok.kind == T_LBRACE && !p->no_struct && ncs_p_is_upper(n->name))
			return parse_struct_lit(p, n);
		return n;
	case T_LPAREN: {
		ncs_nodes_t l = { 0 };
		bool saved = p->no_struct;
		p->no_struct = false;
		if (!ncs_p_advance(p))
			return NULL;
		if (ncs_p_accept(p, T_RPAREN)) {
			n->kind = N_UNIT;
			p->no_struct = saved;
			return n;
		}
		ncs_node_t *e = ncs_p_expr(p);
		if (!e)
			return NULL;
		if (ncs_p_accept(p, T_RPAREN)) {
			p->no_struct = saved;
			return e;
		}
		n->kind = N_TUPLE;
		if (!ncs_p_push(p, &l, e) || !ncs_p_expect(p, T_COMMA, "`,` or `)`"))
			return NULL;
		if (!parse_args(p, &l, T_RPAREN))
			return NULL;
		p->no_struct = saved;
		return ncs_p_finish_list(p, n, &l);
	}
	case T_LBRACKET: {
		ncs_nodes_t l = { 0 };
		n->kind = N_ARRAY;
		if (!ncs_p_advance(p))
			return NULL;
		if (p->tok.kind != T_RBRACKET) {
			bool saved = p->no_struct;
			p->no_struct = false;
			ncs_node_t *e = ncs_p_expr(p);
			if (!e || !ncs_p_push(p, &l, e))
				return NULL;
			if (ncs_p_accept(p, T_SEMI)) { /* [value; count] */
				n->flag = 1;
				if (!(n->a = ncs_p_expr(p)) || !ncs_p_expect(p, T_RBRACKET, "`]`"))
					return NULL;
				p->no_struct = saved;
				return ncs_p_finish_list(p, n, &l);
			}
			p->no_struct = saved;
			if (p->tok.kind != T_RBRACKET && !ncs_p_expect(p, T_COMMA, "`,` or `]`"))
				return NULL;
		}
		if (!parse_args(p, &l, T_RBRACKET))
			return NULL;
		return ncs_p_finish_list(p, n, &l);
	}
	case T_LBRACE: return ncs_p_block(p);
	case T_PIPE: case T_OROR: return parse_closure(p, n);
	case T_IF: return parse_if(p);
	case T_MATCH: return parse_match(p);
	case T_WHILE: case T_LOOP: case T_FOR: return parse_loopish(p);
	case T_BREAK: case T_RETURN: case T_CONTINUE:
		n->kind = t.kind == T_BREAK ? N_BREAK : t.kind == T_RETURN ? N_RETURN : N_CONTINUE;
		if (!ncs_p_advance(p))
			return NULL;
		if (t.kind != T_CONTINUE && can_start_expr(p->tok.kind) && !(n->a = ncs_p_expr(p)))
			return NULL;
		return n;
	default:
		return ncs_p_error(p, t.off, "expected an expression"), NULL;
	}
}

/* `t.0.1` lexes as t . 0.1 (a Float): read it back as two tuple indices. n is
 * the outer N_FIELD under construction; returns it with n->a the inner index. */
static ncs_node_t *split_tuple_index(ncs_parser_t *p, ncs_node_t *n)
{
	const char *s = p->lx.src + p->tok.off;
	int64_t idx[2] = { 0, 0 };
	uint32_t part = 0;
	for (uint32_t i = 0; i < p->tok.len; i++) {
		if (s[i] == '.' && part == 0 && i > 0 && i + 1 < p->tok.len) {
			part = 1;
		} else if (s[i] >= '0' && s[i] <= '9' && idx[part] < 100000000) {
			idx[part] = idx[part] * 10 + (s[i] - '0');
		} else {
			return ncs_p_error(p, p->tok.off, "expected a tuple index"), NULL;
		}
	}
	if (part != 1)
		return ncs_p_error(p, p->tok.off, "expected a tuple index"), NULL;
	ncs_node_t *inner = ncs_p_node(p, N_FIELD, p->tok.off);
	if (!inner)
		return NULL;
	inner->a = n->a;
	inner->flag = 1;
	inner->i = idx[0];
	n->a = inner;
	n->flag = 1;
	n->i = idx[1];
	return n;
}

/* Each postfix or binary operator adds one AST level, so chains count toward the
 * nesting limit too: the compiler recurses along them. */
static ncs_node_t *parse_postfix(ncs_parser_t *p)
{
	ncs_node_t *e = ncs_p_primary(p);
	uint32_t levels = 0;
	while (e) {
		if (p->tok.kind == T_LPAREN || p->tok.kind == T_DOT || p->tok.kind == T_LBRACKET ||
		    p->tok.kind == T_QUESTION) {
			if (!ncs_p_enter(p))
				return NULL;
			levels++;
		}
		uint32_t off = p->tok.off;
		ncs_node_t *n;
		if (p->tok.kind == T_LPAREN) {
			ncs_nodes_t l = { 0 };
			if (!(n = ncs_p_node(p, N_CALL, off)) || !ncs_p_advance(p) || !parse_args(p, &l, T_RPAREN))
				return NULL;
			n->a = e;
			e = ncs_p_finish_list(p, n, &l);
		} else if (p->tok.kind == T_DOT) {
			if (!(n = ncs_p_node(p, N_FIELD, off)) || !ncs_p_advance(p))
				return NULL;
			n->a = e;
			if (p->tok.kind == T_INT) {
				n->i = p->tok.i;
				n->flag = 1; /* tuple index */
			} else if (p->tok.kind == T_FLOAT) {
				if (!split_tuple_index(p, n) || !ncs_p_enter(p)) /* one more AST level */
					return NULL;
				levels++;
			} else if (p->tok.kind == T_IDENT) {
				n->name = p->lx.src + p->tok.off;
				n->name_len = p->tok.len;
			} else {
				return ncs_p_error(p, p->tok.off, "expected a field or method name"), NULL;
			}
			n->off = p->tok.off;
			if (!ncs_p_advance(p))
				return NULL;
			if (!n->flag && p->tok.kind == T_LPAREN) {
				ncs_nodes_t l = { 0 };
				n->kind = N_METHOD;
				if (!ncs_p_advance(p) || !parse_args(p, &l, T_RPAREN))
					return NULL;
				ncs_p_finish_list(p, n, &l);
			}
			e = n;
		} else if (p->tok.kind == T_LBRACKET) {
			if (!(n = ncs_p_node(p, N_INDEX, off)) || !ncs_p_advance(p))
				return NULL;
			bool saved = p->no_struct;
			p->no_struct = false;
			n->a = e;
			if (!(n->b = ncs_p_expr(p)) || !ncs_p_expect(p, T_RBRACKET, "`]`"))
				return NULL;
			p->no_struct = saved;
			e = n;
		} else if (p->tok.kind == T_QUESTION) {
			if (!(n = ncs_p_node(p, N_TRY, off)) || !ncs_p_advance(p))
				return NULL;
			n->a = e;
			e = n;
		} else {
			break;
		}
	}
	p->depth -= levels;
	return e;
}

static ncs_node_t *parse_unary(ncs_parser_t *p)
{
	if (p->tok.kind != T_MINUS && p->tok.kind != T_BANG) {
		ncs_node_t *e = parse_postfix(p);
		uint32_t levels = 0;
		while (e && p->tok.kind == T_AS) {
			ncs_node_t *n = ncs_p_node(p, N_CAST, p->tok.off);
			if (!n || !ncs_p_enter(p) || !ncs_p_advance(p))
				return NULL;
			levels++;
			if (p->tok.kind != T_IDENT)
				return ncs_p_error(p, p->tok.off, "expected Int, Float or String after `as`"), NULL;
			n->a = e;
			n->name = p->lx.src + p->tok.off;
			n->name_len = p->tok.len;
			if (!ncs_p_advance(p))
				return NULL;
			e = n;
		}
		p->depth -= levels;
		return e;
	}
	ncs_node_t *n = ncs_p_node(p, N_UNARY, p->tok.off);
	if (!n)
		return NULL;
	n->op = (uint8_t)p->tok.kind;
	if (!ncs_p_advance(p) || !ncs_p_enter(p))
		return NULL;
	n->a = parse_unary(p);
	ncs_p_leave(p);
	if (!n->a)
		return NULL;
	/* fold -literal so i64::MIN-adjacent constants and patterns stay simple */
	if (n->op == T_MINUS && n->a->kind == N_FLOAT) {
		n->a->f = -n->a->f;
		n->a->off = n->off;
		return n->a;
	}
	return n;
}

static int prec_of(ncs_tok_kind_t k)
{
	switch (k) {
	case T_OROR: return 1;
	case T_ANDAND: return 2;
	case T_EQEQ: case T_NE: case T_LT: case T_LE: case T_GT: case T_GE: return 3;
	case T_PIPE: return 4;
	case T_CARET: return 5;
	case T_AMP: return 6;
	case T_SHL: case T_SHR: return 7;
	case T_PLUS: case T_MINUS: return 8;
	case T_STAR: case T_SLASH: case T_PERCENT: return 9;
	default: return 0;
	}
}

static ncs_node_t *parse_binary(ncs_parser_t *p, int min_prec)
{
	ncs_node_t *lhs = parse_unary(p);
	uint32_t levels = 0;
	while (lhs) {
		int prec = prec_of(p->tok.kind);
		if (prec < min_prec || prec == 0)
			break;
		if (!ncs_p_enter(p))
			return NULL;
		levels++;
		ncs_tok_kind_t op = p->tok.kind;
		ncs_node_t *n = ncs_p_node(p, op == T_OROR ? N_OR : op == T_ANDAND ? N_AND : N_BINARY, p->tok.off);
		if (!n || !ncs_p_advance(p) || !ncs_p_enter(p))
			return NULL;
		n->op = (uint8_t)op;
		n->a = lhs;
		n->b = parse_binary(p, prec + 1);
		ncs_p_leave(p);
		if (!n->b)
			return NULL;
		if (prec == 3 && prec_of(p->tok.kind) == 3)
			return ncs_p_error(p, p->tok.off, "comparison operators cannot be chained"), NULL;
		lhs = n;
	}
	p->depth -= levels;
	return lhs;
}

ncs_node_t *ncs_p_expr(ncs_parser_t *p)
{
	if (!ncs_p_enter(p))
		return NULL;
	ncs_node_t *e = parse_binary(p, 1);
	if (e && (p->tok.kind == T_DOTDOT || p->tok.kind == T_DOTDOTEQ)) {
		ncs_node_t *n = ncs_p_node(p, N_RANGE, p->tok.off);
		if (!n)
			return NULL;
		n->flag = p->tok.kind == T_DOTDOTEQ;
		n->a = e;
		if (!ncs_p_advance(p) || !(n->b = parse_binary(p, 1)))
			return NULL;
		e = n;
	}
	if (e) {
		ncs_tok_kind_t k = p->tok.kind;
		if (k == T_EQ || k == T_PLUSEQ || k == T_MINUSEQ || k == T_STAREQ || k == T_SLASHEQ ||
		    k == T_PERCENTEQ || (k >= T_AMPEQ && k <= T_SHREQ)) {
			ncs_node_t *n = ncs_p_node(p, N_ASSIGN, p->tok.off);
			if (!n || !ncs_p_advance(p))
				return NULL;
			n->op = (uint8_t)k;
			n->a = e;
			if (!(n->b = ncs_p_expr(p)))
				return NULL;
			e = n;
		}
	}
	ncs_p_leave(p);
	return e;
}
