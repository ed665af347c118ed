/* Pattern parser: literals (with a leading minus), ranges a..=b and a..b, `_`,
 * bindings (`x`, `mut x`), tuples, variants (`Some(x)`, `E::V`, `None`), structs
 * (`P { x, y: 0, .. }`) and or-patterns `a | b`. Nesting goes through
 * ncs_p_enter like expressions. */
#include "parse.h"


static ncs_node_t *parse_pat_lit(ncs_parser_t *p)
{
	ncs_node_t *n = ncs_p_node(p, P_LIT, p->tok.off);
	if (!n)
		return NULL;
	bool neg = ncs_p_accept(p, T_MINUS);
	if (neg && p->tok.kind != T_INT && p->tok.kind != T_FLOAT)
		return ncs_p_error(p, p->tok.off, "expected a number after `-` in a pattern"), NULL;
	if (!(n->a = ncs_p_primary(p)))
		return NULL;
	if (neg) {
		if (n->a->kind == N_INT)
			n->a->i = -n->a->i;
		else
			n->a->f = -n->a->f;
	}
	return n;
}

/* Patterns up to `)` (consumed), comma-separated; *trailing_comma tells (x,) from (x). */
static bool parse_pat_list(ncs_parser_t *p, ncs_nodes_t *l, bool *trailing_comma)
{
	bool comma = false;
	while (p->tok.kind != T_RPAREN) {
		ncs_node_t *e = ncs_p_pattern(p);
		if (!e || !ncs_p_push(p, l, e))
			return false;
		if (!(comma = ncs_p_accept(p, T_COMMA)))
			break;
	}
	*trailing_comma = comma;
	return ncs_p_expect(p, T_RPAREN, "`)`");
}

/* Name { field, field: pat, .. } after the name; the `{` is current. */
static ncs_node_t *parse_struct_pat(ncs_parser_t *p, ncs_node_t *n)
{
	ncs_nodes_t l = { 0 };
	n->kind = P_STRUCT;
	if (!ncs_p_advance(p))
		return NULL;
	while (p->tok.kind != T_RBRACE) {
		if (ncs_p_accept(p, T_DOTDOT)) {
			n->flag = 1;
			break;
		}
		/* shorthand: the field binds its own name */
		ncs_node_t *f = ncs_p_field(p, P_FIELD, P_BIND, ncs_p_pattern);
		if (!f || !ncs_p_push(p, &l, f))
			return NULL;
		if (!ncs_p_accept(p, T_COMMA))
			break;
	}
	if (!ncs_p_expect(p, T_RBRACE, "`}`"))
		return NULL;
	return ncs_p_finish_list(p, n, &l);
}

/* A literal, or a range lo..=hi / lo..hi of literals. */
static ncs_node_t *parse_lit_or_range(ncs_parser_t *p)
{
	ncs_node_t *n = parse_pat_lit(p);
	if (!n || (p->tok.kind != T_DOTDOTEQ && p->tok.kind != T_DOTDOT))
		return n;
	ncs_node_t *r = ncs_p_node(p, P_RANGE, n->off);
	if (!r)
		return NULL;
	r->flag = p->tok.kind == T_DOTDOTEQ;
	r->a = n;
	if (!ncs_p_advance(p) || !(r->b = parse_pat_lit(p)))
		return NULL;
	return r;
}

/* A name-led pattern: binding, unit variant, Variant(...), Struct { ... }. */
static ncs_node_t *parse_named_pat(ncs_parser_t *p)
{
	ncs_node_t *n = ncs_p_node(p, P_BIND, p->tok.off);
	uint32_t first_len = p->tok.len;
	if (!n || !ncs_p_path(p, &n->name, &n->name_len))
		return NULL;
	if (p->tok.kind == T_LPAREN) {
		ncs_nodes_t l = { 0 };
		bool comma;
		n->kind = P_VARIANT;
		if (!ncs_p_advance(p) || !parse_pat_list(p, &l, &comma))
			return NULL;
		return ncs_p_finish_list(p, n, &l);
	}
	if (p->tok.kind == T_LBRACE)
		return parse_struct_pat(p, n);
	if (n->name_len != first_len || ncs_p_is_upper(n->name))
		n->kind = P_VARIANT; /* unit variant: None, Color::Red */
	return n;
}

static ncs_node_t *parse_pat_primary(ncs_parser_t *p)
{
	ncs_tok_t t = p->tok;
	ncs_node_t *n;
	switch (t.kind) {
	case T_UNDERSCORE:
		n = ncs_p_node(p, P_WILD, t.off);
		return n && ncs_p_advance(p) ? n : NULL;
	case T_INT: case T_FLOAT: case T_STRING: case T_TRUE: case T_FALSE: case T_MINUS:
		return parse_lit_or_range(p);
	case T_LPAREN: {
		ncs_nodes_t l = { 0 };
		bool comma;
		if (!(n = ncs_p_node(p, P_TUPLE, t.off)) || !ncs_p_advance(p) || !parse_pat_list(p, &l, &comma))
			return NULL;
		if (l.n == 1 && !comma)
			return l.v[0]; /* parenthesised pattern */
		return ncs_p_finish_list(p, n, &l);
	}
	case T_MUT:
		if (!(n = ncs_p_node(p, P_BIND, t.off)) || !ncs_p_advance(p))
			return NULL;
		if (p->tok.kind != T_IDENT)
			return ncs_p_error(p, p->tok.off, "expected a name after `mut`"), NULL;
		n->flag = 1;
		n->name = p->lx.src + p->tok.off;
		n->name_len = p->tok.len;
		return ncs_p_advance(p) ? n : NULL;
	case T_IDENT:
		return parse_named_pat(p);
	default:
		return ncs_p_error(p, t.off, "expected a pattern"), NULL;
	}
}

ncs_node_t *ncs_p_pattern(ncs_parser_t *p)
{
	if (!ncs_p_enter(p))
		return NULL;
	ncs_node_t *first = parse_pat_primary(p);
	if (first && p->tok.kind == T_PIPE) {
		ncs_nodes_t l = { 0 };
		ncs_node_t *n = ncs_p_node(p, P_OR, first->off);
		if (!n || !ncs_p_push(p, &l, first))
			return NULL;
		while (ncs_p_accept(p, T_PIPE)) {
			ncs_node_t *alt = parse_pat_primary(p);
			if (!alt || !ncs_p_push(p, &l, alt))
				return NULL;
		}
		first = ncs_p_finish_list(p, n, &l);
	}
	ncs_p_leave(p);
	return first;
}

ncs_node_t *ncs_p_pattern_no_or(ncs_parser_t *p)
{
	if (!ncs_p_enter(p))
		return NULL;
	ncs_node_t *n = parse_pat_primary(p);
	ncs_p_leave(p);
	return n;
}
