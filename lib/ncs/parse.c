/* Parser core: the token cursor, node allocation and nesting guard every parse
 * file uses, types (skipped), blocks and statements. The module level (header,
 * items) is in parse_item.c, expressions in parse_expr.c, patterns in
 * parse_pat.c. Errors stop the parse at the first problem (NC_NCS_ERR_SYNTAX
 * or _NESTING). */
#include "parse.h"
#include <nc/mem.h>

bool ncs_p_error(ncs_parser_t *p, uint32_t off, const char *what)
{
	ncs_fail(p->st, NC_NCS_ERR_SYNTAX, off, "%s", what);
	p->failed = true;
	return false;
}

bool ncs_p_advance(ncs_parser_t *p)
{
	if (p->failed)
		return false;
	if (p->has_peek) {
		p->tok = p->peek;
		p->has_peek = false;
		return true;
	}
	if (!ncs_lex_next(&p->lx, &p->tok)) {
		p->failed = true;
		return false;
	}
	return true;
}

const ncs_tok_t *ncs_p_peek(ncs_parser_t *p)
{
	if (!p->has_peek) {
		if (!ncs_lex_next(&p->lx, &p->peek)) {
			p->failed = true;
			p->peek.kind = T_EOF;
		}
		p->has_peek = true;
	}
	return &p->peek;
}

bool ncs_p_accept(ncs_parser_t *p, ncs_tok_kind_t k)
{
	if (p->tok.kind != k)
		return false;
	return ncs_p_advance(p);
}

bool ncs_p_expect(ncs_parser_t *p, ncs_tok_kind_t k, const char *what)
{
	if (p->tok.kind == k)
		return ncs_p_advance(p);
	ncs_fail(p->st, NC_NCS_ERR_SYNTAX, p->tok.off, "expected %s", what);
	p->failed = true;
	return false;
}

bool ncs_p_enter(ncs_parser_t *p)
{
	if (++p->depth > p->max_depth) {
		ncs_fail(p->st, NC_NCS_ERR_NESTING, p->tok.off, "nesting deeper than %u levels",
			 p->max_depth);
		p->failed = true;
		return false;
	}
	return true;
}

ncs_node_t *ncs_p_node(ncs_parser_t *p, ncs_node_kind_t kind, uint32_t off)
{
	ncs_node_t *n = ncs_arena_alloc(&p->m->arena, sizeof *n);
	if (!n) {
		p->failed = true;
		return NULL;
	}
	n->kind = (uint8_t)kind;
	n->off = off;
	return n;
}

bool ncs_p_push(ncs_parser_t *p, ncs_nodes_t *l, ncs_node_t *n)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 4;
		ncs_node_t **v = ncs_arena_alloc(&p->m->arena, cap * sizeof *v);
		if (!v) {
			p->failed = true;
			return false;
		}
		if (l->n)
			nc_mem_copy(v, l->v, l->n * sizeof *v);
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = n;
	return true;
}

bool ncs_p_blocklike(const ncs_node_t *n)
{
	switch (n->kind) {
	case N_BLOCK: case N_IF: case N_IF_LET: case N_WHILE: case N_WHILE_LET: case N_LOOP:
	case N_FOR: case N_MATCH:
		return true;
	default:
		return false;
	}
}

/* Types are accepted for readability and not checked (the language is dynamically
 * typed): Name, a::Name, Name<T, U>, [T], [T; n], (T, U), fn(T) -> U. */
bool ncs_p_skip_type(ncs_parser_t *p)
{
	if (!ncs_p_enter(p))
		return false;
	bool ok = true;
	if (ncs_p_accept(p, T_LBRACKET)) {
		ok = ncs_p_skip_type(p);
		if (ok && ncs_p_accept(p, T_SEMI))
			ok = ncs_p_expect(p, T_INT, "array length");
		ok = ok && ncs_p_expect(p, T_RBRACKET, "`]`");
	} else if (ncs_p_accept(p, T_LPAREN)) {
		while (ok && p->tok.kind != T_RPAREN) {
			ok = ncs_p_skip_type(p);
			if (!ncs_p_accept(p, T_COMMA))
				break;
		}
		ok = ok && ncs_p_expect(p, T_RPAREN, "`)`");
	} else if (ncs_p_accept(p, T_FN)) {
		ok = ncs_p_expect(p, T_LPAREN, "`(`");
		while (ok && p->tok.kind != T_RPAREN) {
			ok = ncs_p_skip_type(p);
			if (!ncs_p_accept(p, T_COMMA))
				break;
		}
		ok = ok && ncs_p_expect(p, T_RPAREN, "`)`");
		if (ok && ncs_p_accept(p, T_ARROW))
			ok = ncs_p_skip_type(p);
	} else {
		ok = ncs_p_expect(p, T_IDENT, "a type");
		while (ok && p->tok.kind == T_COLONCOLON)
			ok = ncs_p_advance(p) && ncs_p_expect(p, T_IDENT, "a type name");
		if (ok && ncs_p_accept(p, T_LT)) {
			while (ok && p->tok.kind != T_GT) {
				ok = ncs_p_skip_type(p);
				if (!ncs_p_accept(p, T_COMMA))
					break;
			}
			if (ok && p->tok.kind == T_SHR) { /* `Vec<Vec<Int>>`: the first `>` closes the inner list */
				p->tok.kind = T_GT;
				p->tok.off++;
				p->tok.len = 1;
			} else {
				ok = ok && ncs_p_expect(p, T_GT, "`>`");
			}
		}
	}
	ncs_p_leave(p);
	return ok;
}

static ncs_node_t *parse_let(ncs_parser_t *p)
{
	ncs_node_t *n = ncs_p_node(p, N_LET, p->tok.off);
	if (!n || !ncs_p_advance(p) || !(n->a = ncs_p_pattern(p)))
		return NULL;
	if (ncs_p_accept(p, T_COLON) && !ncs_p_skip_type(p))
		return NULL;
	if (!ncs_p_expect(p, T_EQ, "`=` (a let needs a value)") || !(n->b = ncs_p_expr(p)))
		return NULL;
	if (ncs_p_accept(p, T_ELSE) && !(n->c = ncs_p_block(p)))
		return NULL;
	if (!ncs_p_expect(p, T_SEMI, "`;` after let"))
		return NULL;
	return n;
}

ncs_node_t *ncs_p_block(ncs_parser_t *p)
{
	ncs_node_t *b = ncs_p_node(p, N_BLOCK, p->tok.off);
	ncs_nodes_t stmts = { 0 };
	if (!b || !ncs_p_enter(p))
		return NULL;
	bool saved = p->no_struct;
	p->no_struct = false;
	if (!ncs_p_expect(p, T_LBRACE, "`{`"))
		return NULL;
	while (p->tok.kind != T_RBRACE) {
		if (ncs_p_accept(p, T_SEMI))
			continue;
		if (p->tok.kind == T_EOF)
			return ncs_p_error(p, b->off, "unclosed block"), NULL;
		ncs_node_t *s;
		if (p->tok.kind == T_LET) {
			s = parse_let(p);
		} else {
			/* as in Rust, a statement that starts with if/match/while/loop/for/{
			 * ends with it: `while c { } (x)` is a loop and then `(x)`, not a call */
			ncs_tok_kind_t k = p->tok.kind;
			bool blocklike = k == T_IF || k == T_MATCH || k == T_WHILE || k == T_LOOP || k == T_FOR ||
					 k == T_LBRACE;
			ncs_node_t *e = blocklike ? ncs_p_primary(p) : ncs_p_expr(p);
			if (!e)
				return NULL;
			if (p->tok.kind == T_RBRACE) {
				b->a = e; /* tail expression: the block's value */
				break;
			}
			if (!blocklike && !ncs_p_expect(p, T_SEMI, "`;` or `}`"))
				return NULL;
			if (!(s = ncs_p_node(p, N_EXPR_STMT, e->off)))
				return NULL;
			s->a = e;
		}
		if (!s || !ncs_p_push(p, &stmts, s))
			return NULL;
	}
	if (!ncs_p_expect(p, T_RBRACE, "`}`"))
		return NULL;
	p->no_struct = saved;
	ncs_p_leave(p);
	b->list = stmts.v;
	b->n = stmts.n;
	return b;
}
