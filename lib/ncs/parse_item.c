/* Parser, module level: the capability header and the items (fn, impl,
 * struct, enum, use) a module declares; ncs_parse_module drives the parse.
 * Blocks and statements are in parse.c. */
#include "parse.h"
#include <nc/mem.h>

/* Grow one of the module's item arrays (arena; old copies are abandoned). */
static void *grow(ncs_parser_t *p, void *arr, uint32_t n, uint32_t *cap, size_t elem)
{
	if (n < *cap)
		return arr;
	uint32_t c = *cap ? *cap * 2 : 8;
	void *v = ncs_arena_alloc(&p->m->arena, c * elem);
	if (!v) {
		p->failed = true;
		return NULL;
	}
	if (n)
		nc_mem_copy(v, arr, n * elem);
	*cap = c;
	return v;
}

/* The identifier at the cursor into *name, *len (set even on failure). */
static bool take_ident(ncs_parser_t *p, const char **name, uint32_t *len, const char *what)
{
	*name = p->lx.src + p->tok.off;
	*len = p->tok.len;
	if (p->tok.kind != T_IDENT)
		return ncs_p_error(p, p->tok.off, what);
	return ncs_p_advance(p);
}

/* First parameter inside an impl: self, mut self, &self or &mut self (the receiver),
 * or `mut x`, an ordinary parameter already half-read. Returns its P_BIND node
 * (mutable for mut and &mut) and sets *kind; returns NULL with *none set when the
 * parameter starts otherwise (nothing consumed). */
static ncs_node_t *parse_self(ncs_parser_t *p, uint8_t *kind, bool *none)
{
	uint32_t off = p->tok.off;
	bool ref = ncs_p_accept(p, T_AMP), mut = ncs_p_accept(p, T_MUT);
	bool is_self = p->tok.kind == T_IDENT && p->tok.len == 4 &&
		       nc_mem_compare(p->lx.src + p->tok.off, "self", 4) == 0;
	*none = false;
	*kind = NCS_SELF_NONE;
	if (ref && !is_self)
		return ncs_p_error(p, p->tok.off, "expected `self` after `&`"), NULL;
	if (!is_self && !mut) {
		*none = true;
		return NULL;
	}
	if (p->tok.kind != T_IDENT)
		return ncs_p_error(p, p->tok.off, "expected a name after `mut`"), NULL;
	ncs_node_t *n = ncs_p_node(p, P_BIND, off);
	if (!n)
		return NULL;
	n->name = p->lx.src + p->tok.off;
	n->name_len = p->tok.len;
	n->flag = mut;
	if (is_self)
		*kind = ref && mut ? NCS_SELF_MUT_REF : NCS_SELF_VALUE;
	return ncs_p_advance(p) ? n : NULL;
}

/* fn name(params) [-> T] { body }; inside `impl Type` the name becomes "Type::name"
 * and the first parameter may be the receiver. */
static bool parse_fn(ncs_parser_t *p, bool is_pub, const char *impl_of, uint32_t impl_len)
{
	ncs_module_t *m = p->m;
	if (!(m->fns = grow(p, m->fns, m->n_fns, &m->cap_fns, sizeof *m->fns)))
		return false;
	ncs_fn_decl_t *f = &m->fns[m->n_fns];
	ncs_nodes_t params = { 0 };
	nc_mem_set(f, 0, sizeof *f);
	f->is_pub = is_pub;
	if (!ncs_p_advance(p))
		return false;
	f->off = p->tok.off;
	if (!take_ident(p, &f->name, &f->name_len, "expected a function name") ||
	    !ncs_p_expect(p, T_LPAREN, "`(`"))
		return false;
	if (impl_of) {
		char *full = ncs_arena_alloc(&m->arena, impl_len + 2 + f->name_len + 1);
		if (!full)
			return false;
		nc_mem_copy(full, impl_of, impl_len);
		nc_mem_copy(full + impl_len, "::", 2);
		nc_mem_copy(full + impl_len + 2, f->name, f->name_len);
		f->name = full;
		f->name_len += impl_len + 2;
		f->short_off = impl_len + 2;
		f->impl_of = impl_of;
		f->impl_of_len = impl_len;
		bool none;
		uint8_t kind = NCS_SELF_NONE;
		ncs_node_t *self = parse_self(p, &kind, &none);
		if (!self && !none)
			return false;
		if (self) {
			f->self_kind = kind;
			if (!ncs_p_push(p, &params, self))
				return false;
			if (ncs_p_accept(p, T_COLON) && !ncs_p_skip_type(p))
				return false;
			if (!ncs_p_accept(p, T_COMMA) && p->tok.kind != T_RPAREN)
				return ncs_p_error(p, p->tok.off, "expected `,` or `)`");
		}
	}
	while (p->tok.kind != T_RPAREN) {
		ncs_node_t *pat = ncs_p_pattern(p);
		if (!pat || !ncs_p_push(p, &params, pat))
			return false;
		if (ncs_p_accept(p, T_COLON) && !ncs_p_skip_type(p))
			return false;
		if (!ncs_p_accept(p, T_COMMA))
			break;
	}
	if (!ncs_p_expect(p, T_RPAREN, "`)`"))
		return false;
	if (ncs_p_accept(p, T_ARROW) && !ncs_p_skip_type(p))
		return false;
	if (!(f->body = ncs_p_block(p)))
		return false;
	f->params = params.v;
	f->n_params = params.n;
	m->n_fns++;
	return true;
}

/* impl Type { [pub] fn ... } */
static bool parse_impl(ncs_parser_t *p)
{
	const char *name;
	uint32_t len;
	if (!ncs_p_advance(p) || !take_ident(p, &name, &len, "expected a struct name after `impl`") ||
	    !ncs_p_expect(p, T_LBRACE, "`{`"))
		return false;
	while (p->tok.kind != T_RBRACE) {
		bool is_pub = ncs_p_accept(p, T_PUB);
		if (p->tok.kind != T_FN)
			return ncs_p_error(p, p->tok.off, "expected `fn` inside impl");
		if (!parse_fn(p, is_pub, name, len))
			return false;
	}
	return ncs_p_expect(p, T_RBRACE, "`}`");
}

/* `struct Name {` / `enum Name {`: skip the keyword, take the name, open the body. */
static bool item_head(ncs_parser_t *p, const char **name, uint32_t *len, uint32_t *off, const char *what)
{
	if (!ncs_p_advance(p))
		return false;
	*off = p->tok.off;
	return take_ident(p, name, len, what) && ncs_p_expect(p, T_LBRACE, "`{`");
}

static bool parse_struct(ncs_parser_t *p, bool is_pub)
{
	ncs_module_t *m = p->m;
	if (!(m->structs = grow(p, m->structs, m->n_structs, &m->cap_structs, sizeof *m->structs)))
		return false;
	ncs_struct_decl_t *s = &m->structs[m->n_structs];
	nc_mem_set(s, 0, sizeof *s);
	s->is_pub = is_pub;
	if (!item_head(p, &s->name, &s->name_len, &s->off, "expected a struct name"))
		return false;
	uint32_t cap = 0;
	while (p->tok.kind != T_RBRACE) {
		ncs_p_accept(p, T_PUB);
		const char *fname;
		uint32_t flen;
		if (!take_ident(p, &fname, &flen, "expected a field name"))
			return false;
		for (uint32_t i = 0; i < s->n_fields; i++)
			if (s->field_lens[i] == flen && nc_mem_compare(s->fields[i], fname, flen) == 0)
				return ncs_p_error(p, p->tok.off, "duplicate field");
		uint32_t c2 = cap;
		if (!(s->fields = grow(p, s->fields, s->n_fields, &cap, sizeof *s->fields)) ||
		    !(s->field_lens = grow(p, s->field_lens, s->n_fields, &c2, sizeof *s->field_lens)))
			return false;
		s->fields[s->n_fields] = fname;
		s->field_lens[s->n_fields++] = flen;
		if (ncs_p_accept(p, T_COLON) && !ncs_p_skip_type(p))
			return false;
		if (!ncs_p_accept(p, T_COMMA))
			break;
	}
	if (!ncs_p_expect(p, T_RBRACE, "`}`"))
		return false;
	m->n_structs++;
	return true;
}

static bool parse_enum(ncs_parser_t *p, bool is_pub)
{
	ncs_module_t *m = p->m;
	if (!(m->enums = grow(p, m->enums, m->n_enums, &m->cap_enums, sizeof *m->enums)))
		return false;
	ncs_enum_decl_t *e = &m->enums[m->n_enums];
	nc_mem_set(e, 0, sizeof *e);
	e->is_pub = is_pub;
	if (!item_head(p, &e->name, &e->name_len, &e->off, "expected an enum name"))
		return false;
	uint32_t cap = 0;
	while (p->tok.kind != T_RBRACE) {
		if (!(e->vars = grow(p, e->vars, e->n_vars, &cap, sizeof *e->vars)))
			return false;
		ncs_variant_decl_t *v = &e->vars[e->n_vars];
		v->off = p->tok.off;
		v->arity = 0;
		if (!take_ident(p, &v->name, &v->name_len, "expected a variant name"))
			return false;
		if (ncs_p_accept(p, T_LPAREN)) {
			while (p->tok.kind != T_RPAREN) {
				if (!ncs_p_skip_type(p))
					return false;
				v->arity++;
				if (!ncs_p_accept(p, T_COMMA))
					break;
			}
			if (!ncs_p_expect(p, T_RPAREN, "`)`"))
				return false;
		}
		e->n_vars++;
		if (!ncs_p_accept(p, T_COMMA))
			break;
	}
	if (!ncs_p_expect(p, T_RBRACE, "`}`"))
		return false;
	m->n_enums++;
	return true;
}

static bool add_use(ncs_parser_t *p, const char *mod, uint32_t mod_len, const char *name,
		    uint32_t name_len, uint32_t off)
{
	ncs_module_t *m = p->m;
	if (!(m->uses = grow(p, m->uses, m->n_uses, &m->cap_uses, sizeof *m->uses)))
		return false;
	ncs_use_decl_t *u = &m->uses[m->n_uses++];
	u->module = mod;
	u->module_len = mod_len;
	u->name = name;
	u->name_len = name_len;
	u->off = off;
	return true;
}

/* use a::b;  use a::b::{c, d};  (the last segment names the imported symbol) */
static bool parse_use(ncs_parser_t *p)
{
	char buf[256];
	uint32_t n = 0, off;
	const char *last = NULL;
	uint32_t last_len = 0, last_off = 0;
	if (!ncs_p_advance(p))
		return false;
	off = p->tok.off;
	for (;;) {
		if (p->tok.kind == T_LBRACE)
			break;
		if (last) {
			if (n + last_len + 2 >= sizeof buf)
				return ncs_p_error(p, off, "module path too long");
			if (n) {
				buf[n++] = ':';
				buf[n++] = ':';
			}
			nc_mem_copy(buf + n, last, last_len);
			n += last_len;
		}
		last_off = p->tok.off;
		if (!take_ident(p, &last, &last_len, "expected a module or symbol name"))
			return false;
		if (!ncs_p_accept(p, T_COLONCOLON))
			break;
	}
	if (!n && p->tok.kind != T_LBRACE && last)
		return ncs_p_error(p, off, "`use` needs module::symbol");
	if (p->tok.kind == T_LBRACE && last) {
		if (n + last_len + 2 >= sizeof buf)
			return ncs_p_error(p, off, "module path too long");
		if (n) {
			buf[n++] = ':';
			buf[n++] = ':';
		}
		nc_mem_copy(buf + n, last, last_len);
		n += last_len;
	}
	if (!n)
		return ncs_p_error(p, off, "`use` needs module::symbol");
	char *mod = ncs_arena_alloc(&p->m->arena, n + 1);
	if (!mod)
		return false;
	nc_mem_copy(mod, buf, n);
	if (ncs_p_accept(p, T_LBRACE)) {
		while (p->tok.kind != T_RBRACE) {
			const char *name;
			uint32_t len, noff = p->tok.off;
			if (!take_ident(p, &name, &len, "expected a symbol name") ||
			    !add_use(p, mod, n, name, len, noff))
				return false;
			if (!ncs_p_accept(p, T_COMMA))
				break;
		}
		if (!ncs_p_expect(p, T_RBRACE, "`}`"))
			return false;
	} else if (!add_use(p, mod, n, last, last_len, last_off)) {
		return false;
	}
	return ncs_p_expect(p, T_SEMI, "`;` after use");
}

/* #![capabilities(fs.read("/etc/nexacore"), ai.invoke)] */
static bool parse_header(ncs_parser_t *p)
{
	ncs_module_t *m = p->m;
	uint32_t cap = 0;
	if (!ncs_p_advance(p) || !ncs_p_expect(p, T_BANG, "`!`") || !ncs_p_expect(p, T_LBRACKET, "`[`"))
		return false;
	if (p->tok.kind != T_IDENT || p->tok.len != 12 ||
	    nc_mem_compare(p->lx.src + p->tok.off, "capabilities", 12) != 0)
		return ncs_p_error(p, p->tok.off, "expected `capabilities`");
	if (!ncs_p_advance(p) || !ncs_p_expect(p, T_LPAREN, "`(`"))
		return false;
	m->has_cap_header = true;
	while (p->tok.kind != T_RPAREN) {
		char name[32];
		uint32_t off = p->tok.off, nlen = 0;
		const char *a, *b;
		uint32_t al, bl;
		if (!take_ident(p, &a, &al, "expected a capability such as fs.read") ||
		    !ncs_p_expect(p, T_DOT, "`.`") || !take_ident(p, &b, &bl, "expected a capability name"))
			return false;
		if (al + bl + 1 < sizeof name) {
			nc_mem_copy(name, a, al);
			name[al] = '.';
			nc_mem_copy(name + al + 1, b, bl);
			nlen = al + bl + 1;
		}
		if (!(m->caps = grow(p, m->caps, m->n_caps, &cap, sizeof *m->caps)))
			return false;
		ncs_cap_decl_t *c = &m->caps[m->n_caps];
		c->present = true;
		c->off = off;
		c->scope = NULL;
		c->scope_len = 0;
		if (!nlen || !ncs_effect_from_name(name, nlen, &c->fx)) {
			ncs_fail(p->st, NC_NCS_ERR_CAP_DECL, off, "unknown capability");
			return p->failed = true, false;
		}
		if (ncs_p_accept(p, T_LPAREN)) {
			if (p->tok.kind != T_STRING) {
				ncs_fail(p->st, NC_NCS_ERR_CAP_DECL, p->tok.off, "capability scope must be a string");
				return p->failed = true, false;
			}
			c->scope = p->tok.str;
			c->scope_len = p->tok.str_len;
			if (!ncs_p_advance(p) || !ncs_p_expect(p, T_RPAREN, "`)`"))
				return false;
		}
		m->n_caps++;
		if (!ncs_p_accept(p, T_COMMA))
			break;
	}
	return ncs_p_expect(p, T_RPAREN, "`)`") && ncs_p_expect(p, T_RBRACKET, "`]`");
}

nc_ncs_err_t ncs_parse_module(ncs_state_t *st, ncs_module_t *m)
{
	ncs_parser_t p;
	nc_mem_set(&p, 0, sizeof p);
	p.st = st;
	p.m = m;
	p.lx.st = st;
	p.lx.arena = &m->arena;
	p.lx.src = m->src;
	p.lx.len = m->src_len;
	uint32_t lim = st->cfg->limits.max_nesting;
	p.max_depth = lim == 0 ? NC_NCS_NESTING_DEFAULT : lim > NC_NCS_NESTING_MAX ? NC_NCS_NESTING_MAX : lim;
	if (m->src_len >= UINT32_MAX)
		return ncs_fail(st, NC_NCS_ERR_SYNTAX, 0, "source too large");
	if (!ncs_p_advance(&p))
		return st->err;
	if (p.tok.kind == T_HASH && !parse_header(&p))
		return st->err;
	while (p.tok.kind != T_EOF) {
		bool is_pub = ncs_p_accept(&p, T_PUB), ok;
		switch (p.tok.kind) {
		case T_FN: ok = parse_fn(&p, is_pub, NULL, 0); break;
		case T_IMPL: ok = !is_pub ? parse_impl(&p) : ncs_p_error(&p, p.tok.off, "write `pub` on the impl's functions"); break;
		case T_STRUCT: ok = parse_struct(&p, is_pub); break;
		case T_ENUM: ok = parse_enum(&p, is_pub); break;
		case T_USE: ok = !is_pub ? parse_use(&p) : ncs_p_error(&p, p.tok.off, "`pub use` is not supported"); break;
		case T_HASH: ok = ncs_p_error(&p, p.tok.off, "the capabilities header must come first"); break;
		default: ok = ncs_p_error(&p, p.tok.off, "expected fn, struct, enum, impl or use"); break;
		}
		if (!ok)
			return st->err ? st->err : ncs_fail(st, NC_NCS_ERR_NOMEM, 0, "out of memory");
	}
	return st->err;
}
