/* Compiler, expressions and statements: AST -> stack bytecode. Every expression
 * leaves exactly one value on the operand stack; fs->cur tracks the depth so
 * break/continue can drop temporaries and each function knows its stack need.
 * Recursion follows the AST, whose depth the parser already bounded. */
#include "compile.h"
#include <nc/mem.h>

static bool is_name(const ncs_node_t *n, const char *s)
{
	size_t len = nc_str_len(s);
	return n->name_len == len && nc_mem_compare(n->name, s, len) == 0;
}

static bool fits_i32(int64_t v) { return v >= INT32_MIN && v <= INT32_MAX; }

static bool push_int(ncs_fstate_t *fs, int64_t v, uint32_t off)
{
	if (fits_i32(v))
		return ncs_c_emit(fs, OP_PUSHI, 0, (uint32_t)(int32_t)v, off, 1);
	uint32_t k;
	return ncs_c_const(fs, ncs_int(v), &k) && ncs_c_emit(fs, OP_PUSHK, 0, k, off, 1);
}

static bool compile_args(ncs_fstate_t *fs, const ncs_node_t *n)
{
	for (uint32_t i = 0; i < n->n; i++)
		if (!ncs_c_expr(fs, n->list[i]))
			return false;
	return true;
}

static ncs_op_t binop(uint8_t tok)
{
	switch (tok) {
	case T_PLUS: case T_PLUSEQ: return OP_ADD;
	case T_MINUS: case T_MINUSEQ: return OP_SUB;
	case T_STAR: case T_STAREQ: return OP_MUL;
	case T_SLASH: case T_SLASHEQ: return OP_DIV;
	case T_PERCENT: case T_PERCENTEQ: return OP_MOD;
	case T_AMP: case T_AMPEQ: return OP_BAND;
	case T_PIPE: case T_PIPEEQ: return OP_BOR;
	case T_CARET: case T_CARETEQ: return OP_BXOR;
	case T_SHL: case T_SHLEQ: return OP_SHL;
	case T_SHR: case T_SHREQ: return OP_SHR;
	case T_EQEQ: return OP_EQ;
	case T_NE: return OP_NE;
	case T_LT: return OP_LT;
	case T_LE: return OP_LE;
	case T_GT: return OP_GT;
	default: return OP_GE;
	}
}

/* ---------- assignment ---------- */

/* Root local of a place expression (x, x.f, x[i].g ...), or NULL. */
static const ncs_node_t *place_root(const ncs_node_t *n)
{
	while (n->kind == N_FIELD || n->kind == N_INDEX)
		n = n->a;
	return n->kind == N_NAME ? n : NULL;
}

/* Store the value on top of the stack into place (pops it). */
static bool store_place(ncs_fstate_t *fs, const ncs_node_t *place)
{
	if (place->kind == N_NAME) {
		ncs_local_t *l = ncs_c_find_local(fs, place->name, place->name_len);
		return ncs_c_emit(fs, OP_STORE, l->slot, 0, place->off, -1);
	}
	const ncs_node_t *base = place->a;
	uint16_t slot, tmp = NCS_NO_SLOT;
	if (base->kind == N_NAME) {
		slot = ncs_c_find_local(fs, base->name, base->name_len)->slot;
	} else {
		/* value on top; bring the base into a temp, update it, store it back */
		if (!ncs_c_alloc_slot(fs, place->off, &tmp) || !ncs_c_expr(fs, base) ||
		    !ncs_c_emit(fs, OP_STORE, tmp, 0, place->off, -1))
			return false;
		slot = tmp;
	}
	if (place->kind == N_FIELD) {
		if (place->flag)
			return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, place->off, "tuples are immutable");
		uint32_t site;
		if (!ncs_c_field_site(fs, place->name, place->name_len, &site) ||
		    !ncs_c_emit(fs, OP_SETFIELDL, slot, site, place->off, -1))
			return false;
	} else {
		/* SETINDEXL wants index below value: compute index, swap via temp */
		uint16_t vtmp;
		if (!ncs_c_alloc_slot(fs, place->off, &vtmp) || !ncs_c_emit(fs, OP_STORE, vtmp, 0, place->off, -1) ||
		    !ncs_c_expr(fs, place->b) || !ncs_c_emit(fs, OP_LOAD, vtmp, 0, place->off, 1) ||
		    !ncs_c_emit(fs, OP_SETINDEXL, slot, 0, place->off, -2) ||
		    !ncs_c_emit(fs, OP_CLEAR, vtmp, 1, place->off, 0))
			return false;
		fs->slot_top--;
	}
	if (tmp != NCS_NO_SLOT) {
		if (!ncs_c_emit(fs, OP_LOAD, tmp, 0, place->off, 1) || !store_place(fs, base) ||
		    !ncs_c_emit(fs, OP_CLEAR, tmp, 1, place->off, 0))
			return false;
		fs->slot_top--;
	}
	return true;
}

/* x = e, x op= e; pushes () when want_value. */
static bool compile_assign(ncs_fstate_t *fs, const ncs_node_t *n, bool want_value)
{
	const ncs_node_t *root = place_root(n->a);
	if (!root)
		return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, n->a->off, "cannot assign to this expression");
	ncs_local_t *l = ncs_c_find_local(fs, root->name, root->name_len);
	if (!l && ncs_c_capture(fs, root->name, root->name_len) >= 0)
		return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, root->off,
				   "`%.*s` is captured by value and cannot be assigned in the closure",
				   (int)root->name_len, root->name);
	if (!l)
		return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, root->off, "unknown variable `%.*s`",
				   (int)root->name_len, root->name);
	if (!l->mut)
		return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, root->off,
				   "cannot assign twice to immutable variable `%.*s` (declare it with `let mut`)",
				   (int)root->name_len, root->name);
	const ncs_node_t *rhs = n->b;
	bool compound = n->op != T_EQ;
	/* x += k / x = x + k on a local: in place */
	if (n->a->kind == N_NAME) {
		const ncs_node_t *k = NULL;
		int sign = 1;
		if (compound && (n->op == T_PLUSEQ || n->op == T_MINUSEQ) && rhs->kind == N_INT) {
			k = rhs;
			sign = n->op == T_MINUSEQ ? -1 : 1;
		} else if (!compound && rhs->kind == N_BINARY && (rhs->op == T_PLUS || rhs->op == T_MINUS) &&
			   rhs->a->kind == N_NAME && rhs->a->name_len == root->name_len &&
			   nc_mem_compare(rhs->a->name, root->name, root->name_len) == 0 && rhs->b->kind == N_INT) {
			k = rhs->b;
			sign = rhs->op == T_MINUS ? -1 : 1;
		}
		if (k && fits_i32(k->i) && k->i != INT32_MIN) {
			if (!ncs_c_emit(fs, OP_INCLI, l->slot, (uint32_t)(int32_t)(sign * k->i), n->off, 0))
				return false;
			return !want_value || ncs_c_emit(fs, OP_PUSHUNIT, 0, 0, n->off, 1);
		}
	}
	if (compound) {
		if (!ncs_c_expr(fs, n->a) || !ncs_c_expr(fs, rhs) || !ncs_c_emit(fs, binop(n->op), 0, 0, n->off, -1))
			return false;
	} else if (!ncs_c_expr(fs, rhs)) {
		return false;
	}
	if (!store_place(fs, n->a))
		return false;
	return !want_value || ncs_c_emit(fs, OP_PUSHUNIT, 0, 0, n->off, 1);
}

/* ---------- calls ---------- */

static bool compile_call(ncs_fstate_t *fs, const ncs_node_t *n)
{
	const ncs_node_t *callee = n->a;
	if (callee->kind == N_NAME && !ncs_c_is_var(fs, callee->name, callee->name_len)) {
		ncs_sym_t sym = ncs_c_lookup(fs, callee->name, callee->name_len);
		if (sym.kind == SYM_FN) {
			ncs_proto_t *p = fs->prog->fns[sym.index];
			if (p->n_params != n->n)
				return ncs_c_error(fs, NC_NCS_ERR_ARGS, n->off, "`%.*s` takes %u arguments, %u given",
						   (int)callee->name_len, callee->name, p->n_params, n->n);
			return compile_args(fs, n) && ncs_c_emit(fs, OP_CALLG, n->n, sym.index, n->off, 1 - (int)n->n);
		}
		if (is_name(callee, "print")) {
			int b = ncs_builtin_find("", 0, "print", 5);
			if (n->n != 1)
				return ncs_c_error(fs, NC_NCS_ERR_ARGS, n->off, "print takes 1 argument");
			return compile_args(fs, n) && ncs_c_emit(fs, OP_CALLB, 1, (uint32_t)b, n->off, 0);
		}
	}
	if (callee->kind == N_NAME || callee->kind == N_PATH) {
		uint32_t vid;
		if ((callee->kind == N_PATH || !ncs_c_is_var(fs, callee->name, callee->name_len)) &&
		    ncs_c_variant(fs, callee->name, callee->name_len, &vid)) {
			uint32_t arity = fs->prog->vars[vid].arity;
			if (arity != n->n || arity == 0)
				return ncs_c_error(fs, NC_NCS_ERR_ARGS, n->off, "variant `%.*s` takes %u values, %u given",
						   (int)callee->name_len, callee->name, arity, n->n);
			return compile_args(fs, n) && ncs_c_emit(fs, OP_VARIANT, n->n, vid, n->off, 1 - (int)n->n);
		}
	}
	if (callee->kind == N_PATH) {
		ncs_sym_t sym = ncs_c_lookup(fs, callee->name, callee->name_len);
		if (sym.kind == SYM_FN) { /* Type::f of an impl block */
			ncs_proto_t *p = fs->prog->fns[sym.index];
			if (p->n_params != n->n)
				return ncs_c_error(fs, NC_NCS_ERR_ARGS, n->off, "`%.*s` takes %u arguments, %u given",
						   (int)callee->name_len, callee->name, p->n_params, n->n);
			return compile_args(fs, n) && ncs_c_emit(fs, OP_CALLG, n->n, sym.index, n->off, 1 - (int)n->n);
		}
		uint32_t split = 0;
		for (uint32_t i = callee->name_len; i-- > 1;)
			if (callee->name[i] == ':' && callee->name[i - 1] == ':') {
				split = i - 1;
				break;
			}
		int b = ncs_builtin_find(callee->name, split, callee->name + split + 2, callee->name_len - split - 2);
		if (b < 0)
			return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, callee->off, "unknown function `%.*s`",
					   (int)callee->name_len, callee->name);
		const ncs_builtin_t *bi = &ncs_builtins[b];
		if (bi->mutates) /* the function form would change a copy of its first argument */
			return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, callee->off,
					   "`%.*s` changes its receiver: call it as a method (`x.%s(...)` on a `let mut` x)",
					   (int)callee->name_len, callee->name, bi->name);
		if (n->n < bi->min_args || n->n > bi->max_args)
			return ncs_c_error(fs, NC_NCS_ERR_ARGS, n->off, "`%.*s` takes %u to %u arguments, %u given",
					   (int)callee->name_len, callee->name, bi->min_args, bi->max_args, n->n);
		return compile_args(fs, n) && ncs_c_emit(fs, OP_CALLB, n->n, (uint32_t)b, n->off, 1 - (int)n->n);
	}
	return ncs_c_expr(fs, callee) && compile_args(fs, n) &&
	       ncs_c_emit(fs, OP_CALL, n->n, 0, n->off, -(int)n->n);
}

/* Struct methods (impl blocks) named name: *any set when there is one, *mut_ref
 * when one of them takes `&mut self`. */
static void user_methods(ncs_fstate_t *fs, const char *name, uint32_t len, bool *any, bool *mut_ref)
{
	*any = *mut_ref = false;
	for (uint32_t i = 0; i < fs->prog->n_methods; i++) {
		const ncs_method_t *m = &fs->prog->methods[i];
		if (m->name_len == len && nc_mem_compare(m->name, name, len) == 0) {
			*any = true;
			*mut_ref |= m->self_kind == NCS_SELF_MUT_REF;
		}
	}
}

bool ncs_c_method_site(ncs_fstate_t *fs, const char *name, uint32_t name_len, uint32_t nargs, uint32_t off,
		       uint32_t *site, bool *mutates)
{
	int s = ncs_builtin_find_method(1, name, name_len);
	int a = ncs_builtin_find_method(2, name, name_len);
	int m = ncs_builtin_find_method(3, name, name_len);
	bool user, user_mut;
	user_methods(fs, name, name_len, &user, &user_mut);
	if (s < 0 && a < 0 && m < 0 && !user)
		return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, off, "no method named `%.*s`", (int)name_len, name);
	*mutates = (s >= 0 && ncs_builtins[s].mutates) || (a >= 0 && ncs_builtins[a].mutates) ||
		   (m >= 0 && ncs_builtins[m].mutates) || user_mut;
	bool arity_ok = user || (s >= 0 && nargs >= ncs_builtins[s].min_args && nargs <= ncs_builtins[s].max_args) ||
			(a >= 0 && nargs >= ncs_builtins[a].min_args && nargs <= ncs_builtins[a].max_args) ||
			(m >= 0 && nargs >= ncs_builtins[m].min_args && nargs <= ncs_builtins[m].max_args);
	if (!arity_ok)
		return ncs_c_error(fs, NC_NCS_ERR_ARGS, off, "wrong number of arguments to `%.*s`", (int)name_len, name);
	ncs_program_t *p = fs->prog;
	if (p->n_sites == p->cap_sites) {
		uint32_t cap = p->cap_sites ? p->cap_sites * 2 : 16;
		ncs_method_site_t *v = ncs_mem_realloc(fs->st, p->sites, p->cap_sites * sizeof *v, cap * sizeof *v);
		if (!v)
			return false;
		p->sites = v;
		p->cap_sites = cap;
	}
	ncs_method_site_t *ms = &p->sites[p->n_sites];
	ms->for_str = (int16_t)s;
	ms->for_arr = (int16_t)a;
	ms->for_map = (int16_t)m;
	ms->n_args = nargs;
	ms->name = name;
	ms->name_len = name_len;
	ms->user = user;
	ms->cache_def = UINT32_MAX;
	ms->cache_fn = 0;
	*site = p->n_sites++;
	return true;
}

static bool compile_method(ncs_fstate_t *fs, const ncs_node_t *n)
{
	uint32_t site = 0;
	bool mutates = false, handled = false;
	if (!ncs_c_iter_method(fs, n, &handled) || handled)
		return !fs->st->err;
	if (!ncs_c_method_site(fs, n->name, n->name_len, n->n + 1, n->off, &site, &mutates))
		return false;
	/* CALLM: struct methods first, then the builtin of the receiver's family */
	ncs_op_t op = fs->prog->sites[site].user ? OP_CALLM : OP_METHOD;
	const ncs_node_t *recv = n->a;
	ncs_local_t *l = recv->kind == N_NAME ? ncs_c_find_local(fs, recv->name, recv->name_len) : NULL;
	if (l) {
		if (mutates && !l->mut)
			return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, recv->off,
					   "`%.*s` changes `%.*s`, which is not `let mut`", (int)n->name_len, n->name,
					   (int)recv->name_len, recv->name);
		return compile_args(fs, n) && ncs_c_emit(fs, op, l->slot, site, n->off, 1 - (int)n->n);
	}
	const ncs_node_t *root = mutates ? place_root(recv) : NULL;
	if (root) { /* p.items.push(x): update a temp, then store it back */
		ncs_local_t *rl = ncs_c_find_local(fs, root->name, root->name_len);
		if (!rl || !rl->mut)
			return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, root->off, "`%.*s` is not a `let mut` variable",
					   (int)root->name_len, root->name);
		uint16_t tmp;
		if (!ncs_c_alloc_slot(fs, n->off, &tmp) || !ncs_c_expr(fs, recv) ||
		    !ncs_c_emit(fs, OP_STORE, tmp, 0, n->off, -1) || !compile_args(fs, n) ||
		    !ncs_c_emit(fs, op, tmp, site, n->off, 1 - (int)n->n) ||
		    !ncs_c_emit(fs, OP_LOAD, tmp, 0, n->off, 1) || !store_place(fs, recv) ||
		    !ncs_c_emit(fs, OP_CLEAR, tmp, 1, n->off, 0))
			return false;
		fs->slot_top--;
		return true;
	}
	return ncs_c_expr(fs, recv) && compile_args(fs, n) && ncs_c_emit(fs, op, NCS_NO_SLOT, site, n->off, -(int)n->n);
}

/* ---------- control flow ---------- */

static bool compile_if(ncs_fstate_t *fs, const ncs_node_t *n)
{
	uint32_t to_else = NCS_NO_PATCH, to_end = NCS_NO_PATCH;
	if (!ncs_c_expr(fs, n->b) || !ncs_c_jump_chain(fs, OP_JMPF, &to_else, n->off, -1) ||
	    !ncs_c_block(fs, n->c) || !ncs_c_jump_chain(fs, OP_JMP, &to_end, n->off, 0))
		return false;
	fs->cur--;
	ncs_c_patch_chain(fs, to_else, ncs_c_here(fs));
	if (n->d ? !ncs_c_expr(fs, n->d) : !ncs_c_emit(fs, OP_PUSHUNIT, 0, 0, n->off, 1))
		return false;
	ncs_c_patch_chain(fs, to_end, ncs_c_here(fs));
	return true;
}

static bool compile_while(ncs_fstate_t *fs, const ncs_node_t *n)
{
	ncs_loop_t lp;
	uint32_t exit = NCS_NO_PATCH;
	ncs_c_loop_begin(fs, &lp, false);
	lp.cont_target = ncs_c_here(fs);
	if (!ncs_c_expr(fs, n->b) || !ncs_c_jump_chain(fs, OP_JMPF, &exit, n->off, -1) ||
	    !ncs_c_block_effect(fs, n->c) || !ncs_c_emit(fs, OP_JMP, 0, lp.cont_target, n->off, 0))
		return false;
	ncs_c_patch_chain(fs, exit, ncs_c_here(fs));
	if (!ncs_c_emit(fs, OP_PUSHUNIT, 0, 0, n->off, 1))
		return false;
	ncs_c_loop_end(fs, &lp, ncs_c_here(fs));
	return true;
}

static bool compile_loop(ncs_fstate_t *fs, const ncs_node_t *n)
{
	ncs_loop_t lp;
	ncs_c_loop_begin(fs, &lp, true);
	lp.cont_target = ncs_c_here(fs);
	if (!ncs_c_block_effect(fs, n->c) || !ncs_c_emit(fs, OP_JMP, 0, lp.cont_target, n->off, 0))
		return false;
	fs->cur++; /* only a break leaves, carrying one value */
	ncs_c_loop_end(fs, &lp, ncs_c_here(fs));
	return true;
}

static bool compile_jump(ncs_fstate_t *fs, const ncs_node_t *n)
{
	if (n->kind == N_RETURN) {
		if (n->a ? !ncs_c_expr(fs, n->a) : !ncs_c_emit(fs, OP_PUSHUNIT, 0, 0, n->off, 1))
			return false;
		return ncs_c_emit(fs, OP_RET, 0, 0, n->off, 0);
	}
	ncs_loop_t *lp = fs->loop;
	if (!lp)
		return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, n->off, "`%s` outside a loop",
				   n->kind == N_BREAK ? "break" : "continue");
	uint32_t depth = fs->cur;
	if (n->kind == N_CONTINUE) {
		if (depth > lp->stack_depth && !ncs_c_emit(fs, OP_POP, 0, depth - lp->stack_depth, n->off, 0))
			return false;
		bool ok = lp->cont_target != NCS_NO_PATCH
				  ? ncs_c_emit(fs, OP_JMP, 0, lp->cont_target, n->off, 0)
				  : ncs_c_jump_chain(fs, OP_JMP, &lp->cont_patches, n->off, 0);
		fs->cur = depth + 1;
		return ok;
	}
	if (n->a && !lp->value)
		return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, n->off, "only `loop` can break with a value");
	if (n->a ? !ncs_c_expr(fs, n->a) : !ncs_c_emit(fs, OP_PUSHUNIT, 0, 0, n->off, 1))
		return false;
	if (fs->cur - 1 > lp->stack_depth && !ncs_c_emit(fs, OP_SLIDE, 0, fs->cur - 1 - lp->stack_depth, n->off, 0))
		return false;
	bool ok = ncs_c_jump_chain(fs, OP_JMP, &lp->break_patches, n->off, 0);
	fs->cur = depth + 1;
	return ok;
}

/* An expression whose value is not needed. */
static bool compile_effect(ncs_fstate_t *fs, const ncs_node_t *e)
{
	if (e->kind == N_ASSIGN)
		return compile_assign(fs, e, false);
	return ncs_c_expr(fs, e) && ncs_c_emit(fs, OP_POP, 0, 1, e->off, -1);
}

static bool block_body(ncs_fstate_t *fs, const ncs_node_t *n, bool want_value)
{
	ncs_scope_t sc = ncs_c_scope_enter(fs);
	for (uint32_t i = 0; i < n->n; i++) {
		const ncs_node_t *s = n->list[i];
		if (s->kind == N_LET ? !ncs_c_let(fs, s) : !compile_effect(fs, s->a))
			return false;
	}
	if (!want_value) {
		if (n->a && !compile_effect(fs, n->a))
			return false;
	} else if (n->a ? !ncs_c_expr(fs, n->a) : !ncs_c_emit(fs, OP_PUSHUNIT, 0, 0, n->off, 1)) {
		return false;
	}
	return ncs_c_scope_leave(fs, sc, n->off);
}

bool ncs_c_block(ncs_fstate_t *fs, const ncs_node_t *n) { return block_body(fs, n, true); }
bool ncs_c_block_effect(ncs_fstate_t *fs, const ncs_node_t *n) { return block_body(fs, n, false); }

/* ---------- expressions ---------- */

static bool compile_name(ncs_fstate_t *fs, const ncs_node_t *n)
{
	if (n->kind == N_NAME) {
		ncs_local_t *l = ncs_c_find_local(fs, n->name, n->name_len);
		if (l)
			return ncs_c_emit(fs, OP_LOAD, l->slot, 0, n->off, 1);
		int cap = ncs_c_capture(fs, n->name, n->name_len);
		if (cap >= 0)
			return ncs_c_emit(fs, OP_LOADCAP, 0, (uint32_t)cap, n->off, 1);
		if (fs->st->err)
			return false;
	}
	ncs_sym_t sym = ncs_c_lookup(fs, n->name, n->name_len);
	if (sym.kind == SYM_FN) /* a named function (or Type::f) as a value */
		return ncs_c_emit(fs, OP_PUSHFN, 0, sym.index, n->off, 1);
	uint32_t vid;
	if (ncs_c_variant(fs, n->name, n->name_len, &vid)) {
		if (fs->prog->vars[vid].arity != 0)
			return ncs_c_error(fs, NC_NCS_ERR_ARGS, n->off, "variant `%.*s` needs %u values",
					   (int)n->name_len, n->name, fs->prog->vars[vid].arity);
		return ncs_c_emit(fs, OP_PUSHTAG, 0, vid, n->off, 1);
	}
	return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, n->off, "unknown name `%.*s`", (int)n->name_len, n->name);
}

static bool compile_struct_lit(ncs_fstate_t *fs, const ncs_node_t *n)
{
	ncs_sym_t sym = ncs_c_lookup(fs, n->name, n->name_len);
	if (sym.kind != SYM_STRUCT)
		return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, n->off, "unknown struct `%.*s`", (int)n->name_len, n->name);
	const ncs_struct_def_t *d = &fs->prog->structs[sym.index];
	uint16_t base = NCS_NO_SLOT;
	for (uint32_t i = 0; i < n->n; i++) {
		uint32_t idx;
		if (!ncs_c_struct_field(d, n->list[i]->name, n->list[i]->name_len, &idx))
			return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, n->list[i]->off, "struct `%.*s` has no field `%.*s`",
					   (int)d->name_len, d->name, (int)n->list[i]->name_len, n->list[i]->name);
		for (uint32_t j = 0; j < i; j++)
			if (n->list[j]->name_len == n->list[i]->name_len &&
			    nc_mem_compare(n->list[j]->name, n->list[i]->name, n->list[i]->name_len) == 0)
				return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, n->list[i]->off, "field given twice");
	}
	if (n->c) {
		if (!ncs_c_alloc_slot(fs, n->off, &base) || !ncs_c_expr(fs, n->c) ||
		    !ncs_c_emit(fs, OP_CHECKSTRUCT, 0, sym.index, n->c->off, 0) ||
		    !ncs_c_emit(fs, OP_STORE, base, 0, n->off, -1))
			return false;
	} else if (n->n != d->n_fields) {
		return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, n->off, "struct `%.*s` needs all %u fields",
				   (int)d->name_len, d->name, d->n_fields);
	}
	/* evaluate in declaration order (documented: field initialisers run in that order) */
	for (uint32_t f = 0; f < d->n_fields; f++) {
		const ncs_node_t *init = NULL;
		for (uint32_t i = 0; i < n->n; i++)
			if (n->list[i]->name_len == d->field_lens[f] &&
			    nc_mem_compare(n->list[i]->name, d->fields[f], d->field_lens[f]) == 0)
				init = n->list[i]->a;
		if (init ? !ncs_c_expr(fs, init) : !ncs_c_emit(fs, OP_PART, base, f, n->off, 1))
			return false;
	}
	if (!ncs_c_emit(fs, OP_STRUCT, 0, sym.index, n->off, 1 - (int)d->n_fields))
		return false;
	if (base != NCS_NO_SLOT) {
		if (!ncs_c_emit(fs, OP_CLEAR, base, 1, n->off, 0))
			return false;
		fs->slot_top--;
	}
	return true;
}

static bool compile_cast(ncs_fstate_t *fs, const ncs_node_t *n)
{
	uint32_t kind = is_name(n, "Int") ? 0 : is_name(n, "Float") ? 1 : is_name(n, "String") ? 2 : 3;
	if (kind == 3)
		return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, n->off, "`as` converts to Int, Float or String only");
	return ncs_c_expr(fs, n->a) && ncs_c_emit(fs, OP_CAST, kind, 0, n->off, 0);
}

static bool compile_binary(ncs_fstate_t *fs, const ncs_node_t *n)
{
	const ncs_node_t *a = n->a, *b = n->b;
	bool arith = n->op == T_PLUS || n->op == T_MINUS || n->op == T_STAR || n->op == T_SLASH || n->op == T_PERCENT;
	if (arith && a->kind == N_NAME && b->kind == N_INT && b->i >= -(1 << 23) && b->i < (1 << 23)) {
		ncs_local_t *l = ncs_c_find_local(fs, a->name, a->name_len);
		if (l) /* slot op imm24 in one instruction */
			return ncs_c_emit(fs, OP_ARITHLI, l->slot,
					  (uint32_t)binop(n->op) << 24 | ((uint32_t)b->i & 0xffffffu), n->off, 1);
	}
	ncs_op_t op = binop(n->op);
	bool cmp = op >= OP_EQ && op <= OP_GE;
	if (b->kind == N_INT && fits_i32(b->i) && (arith || cmp)) {
		return ncs_c_expr(fs, a) &&
		       ncs_c_emit(fs, cmp ? OP_CMPI : OP_ARITHI, op, (uint32_t)(int32_t)b->i, n->off, 0);
	}
	return ncs_c_expr(fs, a) && ncs_c_expr(fs, b) && ncs_c_emit(fs, op, 0, 0, n->off, -1);
}

static bool compile_logic(ncs_fstate_t *fs, const ncs_node_t *n)
{
	bool is_and = n->kind == N_AND;
	ncs_op_t jump = is_and ? OP_JMPF : OP_JMPT;
	uint32_t short_c = NCS_NO_PATCH, end = NCS_NO_PATCH;
	if (!ncs_c_expr(fs, n->a) || !ncs_c_jump_chain(fs, jump, &short_c, n->off, -1) ||
	    !ncs_c_expr(fs, n->b) || !ncs_c_jump_chain(fs, jump, &short_c, n->off, -1) ||
	    !ncs_c_emit(fs, OP_PUSHBOOL, 0, is_and, n->off, 1) ||
	    !ncs_c_jump_chain(fs, OP_JMP, &end, n->off, 0))
		return false;
	fs->cur--;
	ncs_c_patch_chain(fs, short_c, ncs_c_here(fs));
	if (!ncs_c_emit(fs, OP_PUSHBOOL, 0, !is_and, n->off, 1))
		return false;
	ncs_c_patch_chain(fs, end, ncs_c_here(fs));
	return true;
}

bool ncs_c_expr(ncs_fstate_t *fs, const ncs_node_t *n)
{
	uint32_t k;
	switch (n->kind) {
	case N_INT: return push_int(fs, n->i, n->off);
	case N_FLOAT: return ncs_c_const(fs, ncs_float(n->f), &k) && ncs_c_emit(fs, OP_PUSHK, 0, k, n->off, 1);
	case N_STR: {
		ncs_value_t s;
		return ncs_str_new(fs->st, n->name, n->name_len, &s) && ncs_c_const(fs, s, &k) &&
		       ncs_c_emit(fs, OP_PUSHK, 0, k, n->off, 1);
	}
	case N_BOOL: return ncs_c_emit(fs, OP_PUSHBOOL, 0, (uint32_t)n->i, n->off, 1);
	case N_UNIT: return ncs_c_emit(fs, OP_PUSHUNIT, 0, 0, n->off, 1);
	case N_NAME: case N_PATH: return compile_name(fs, n);
	case N_ARRAY:
		if (n->flag)
			return ncs_c_expr(fs, n->list[0]) && ncs_c_expr(fs, n->a) &&
			       ncs_c_emit(fs, OP_ARRAYREP, 0, 0, n->off, -1);
		return compile_args(fs, n) && ncs_c_emit(fs, OP_ARRAY, 0, n->n, n->off, 1 - (int)n->n);
	case N_TUPLE: return compile_args(fs, n) && ncs_c_emit(fs, OP_TUPLE, 0, n->n, n->off, 1 - (int)n->n);
	case N_STRUCT_LIT: return compile_struct_lit(fs, n);
	case N_UNARY:
		if (n->op == T_MINUS && n->a->kind == N_INT)
			return push_int(fs, -n->a->i, n->off);
		return ncs_c_expr(fs, n->a) && ncs_c_emit(fs, n->op == T_MINUS ? OP_NEG : OP_NOT, 0, 0, n->off, 0);
	case N_BINARY: return compile_binary(fs, n);
	case N_AND: case N_OR: return compile_logic(fs, n);
	case N_ASSIGN: return compile_assign(fs, n, true);
	case N_CALL: return compile_call(fs, n);
	case N_METHOD: return compile_method(fs, n);
	case N_FIELD:
		if (n->flag)
			return ncs_c_expr(fs, n->a) && ncs_c_emit(fs, OP_TUPLEGET, 0, (uint32_t)n->i, n->off, 0);
		if (!ncs_c_field_site(fs, n->name, n->name_len, &k))
			return false;
		if (n->a->kind == N_NAME) {
			ncs_local_t *l = ncs_c_find_local(fs, n->a->name, n->a->name_len);
			if (l)
				return ncs_c_emit(fs, OP_GETFIELDL, l->slot, k, n->off, 1);
		}
		return ncs_c_expr(fs, n->a) && ncs_c_emit(fs, OP_GETFIELD, 0, k, n->off, 0);
	case N_INDEX:
		return ncs_c_expr(fs, n->a) && ncs_c_expr(fs, n->b) && ncs_c_emit(fs, OP_GETINDEX, 0, 0, n->off, -1);
	case N_TRY: return ncs_c_expr(fs, n->a) && ncs_c_emit(fs, OP_TRY, 0, 0, n->off, 0);
	case N_CAST: return compile_cast(fs, n);
	case N_RANGE:
		return ncs_c_expr(fs, n->a) && ncs_c_expr(fs, n->b) && ncs_c_emit(fs, OP_RANGE, n->flag, 0, n->off, -1);
	case N_BLOCK: return ncs_c_block(fs, n);
	case N_IF: return compile_if(fs, n);
	case N_IF_LET: return ncs_c_if_let(fs, n);
	case N_WHILE: return compile_while(fs, n);
	case N_WHILE_LET: return ncs_c_while_let(fs, n);
	case N_LOOP: return compile_loop(fs, n);
	case N_FOR: return ncs_c_for(fs, n);
	case N_BREAK: case N_CONTINUE: case N_RETURN: return compile_jump(fs, n);
	case N_MATCH: return ncs_c_match(fs, n);
	case N_CLOSURE: return ncs_c_closure(fs, n);
	default:
		return ncs_c_error(fs, NC_NCS_ERR_SYNTAX, n->off, "unexpected construct");
	}
}
