/* Compiler, program level: registers every module's structs, enum variants and
 * functions in program-wide tables (modules arrive in dependency order), resolves
 * names through a module's own items and its `use` imports, then compiles each
 * function body. */
#include "compile.h"
#include <nc/mem.h>

static bool same(const char *a, uint32_t al, const char *b, uint32_t bl)
{
	return al == bl && nc_mem_compare(a, b, al) == 0;
}

static ncs_module_t *find_module(ncs_program_t *p, const char *path, uint32_t len)
{
	for (uint32_t i = 0; i < p->n_mods; i++)
		if (same(p->mods[i]->path, (uint32_t)nc_str_len(p->mods[i]->path), path, len))
			return p->mods[i];
	return NULL;
}

/* A module's own item called name (pub_only: exported items only). */
static ncs_sym_t own_symbol(const ncs_module_t *m, const char *name, uint32_t len, bool pub_only)
{
	ncs_sym_t s = { SYM_NONE, 0, 0, NULL };
	for (uint32_t i = 0; i < m->n_fns; i++)
		if (same(m->fns[i].name, m->fns[i].name_len, name, len) && (!pub_only || m->fns[i].is_pub)) {
			s.kind = SYM_FN;
			s.index = m->first_fn + i;
			return s;
		}
	for (uint32_t i = 0; i < m->n_structs; i++)
		if (same(m->structs[i].name, m->structs[i].name_len, name, len) && (!pub_only || m->structs[i].is_pub)) {
			s.kind = SYM_STRUCT;
			s.index = m->first_struct + i;
			return s;
		}
	uint32_t var = m->first_var;
	for (uint32_t i = 0; i < m->n_enums; i++) {
		if (same(m->enums[i].name, m->enums[i].name_len, name, len) && (!pub_only || m->enums[i].is_pub)) {
			s.kind = SYM_ENUM;
			s.index = var;
			s.count = m->enums[i].n_vars;
			s.en = &m->enums[i];
			return s;
		}
		var += m->enums[i].n_vars;
	}
	return s;
}

ncs_sym_t ncs_c_lookup(ncs_fstate_t *fs, const char *name, uint32_t len)
{
	ncs_sym_t s = own_symbol(fs->mod, name, len, false);
	if (s.kind != SYM_NONE)
		return s;
	/* Type::f where Type is imported: look for the pub fn "Type::f" in its module */
	uint32_t head = len;
	for (uint32_t i = 0; i + 1 < len; i++)
		if (name[i] == ':' && name[i + 1] == ':') {
			head = i;
			break;
		}
	for (uint32_t i = 0; i < fs->mod->n_uses; i++) {
		const ncs_use_decl_t *u = &fs->mod->uses[i];
		if (!same(u->name, u->name_len, name, head))
			continue;
		ncs_module_t *m = find_module(fs->prog, u->module, u->module_len);
		if (m)
			return own_symbol(m, name, len, true);
	}
	return s;
}

bool ncs_c_variant(ncs_fstate_t *fs, const char *name, uint32_t len, uint32_t *id)
{
	static const char *const builtin[] = { "Some", "None", "Ok", "Err" };
	for (uint32_t i = 0; i < NCS_VAR_BUILTIN_COUNT; i++)
		if (same(builtin[i], (uint32_t)nc_str_len(builtin[i]), name, len)) {
			*id = i;
			return true;
		}
	uint32_t split = 0;
	for (uint32_t i = len; i-- > 1;)
		if (name[i] == ':' && name[i - 1] == ':') {
			split = i - 1;
			break;
		}
	if (!split)
		return false;
	ncs_sym_t s = ncs_c_lookup(fs, name, split);
	if (s.kind != SYM_ENUM)
		return false;
	for (uint32_t i = 0; i < s.count; i++)
		if (same(s.en->vars[i].name, s.en->vars[i].name_len, name + split + 2, len - split - 2)) {
			*id = s.index + i;
			return true;
		}
	return false;
}

bool ncs_c_struct_field(const ncs_struct_def_t *d, const char *name, uint32_t len, uint32_t *idx)
{
	for (uint32_t i = 0; i < d->n_fields; i++)
		if (same(d->fields[i], d->field_lens[i], name, len)) {
			*idx = i;
			return true;
		}
	return false;
}

bool ncs_c_field_site(ncs_fstate_t *fs, const char *name, uint32_t len, uint32_t *site)
{
	ncs_program_t *p = fs->prog;
	for (uint32_t i = 0; i < p->n_fsites; i++)
		if (same(p->fsites[i].name, p->fsites[i].name_len, name, len)) {
			*site = i;
			return true;
		}
	if (p->n_fsites == p->cap_fsites) {
		uint32_t cap = p->cap_fsites ? p->cap_fsites * 2 : 16;
		ncs_field_site_t *v = ncs_mem_realloc(fs->st, p->fsites, p->cap_fsites * sizeof *v, cap * sizeof *v);
		if (!v)
			return false;
		p->fsites = v;
		p->cap_fsites = cap;
	}
	ncs_field_site_t *f = &p->fsites[p->n_fsites];
	f->name = name;
	f->name_len = len;
	f->cache_def = UINT32_MAX;
	f->cache_idx = 0;
	*site = p->n_fsites++;
	return true;
}

/* Make room for need more elements in *arr (n used, *cap allocated). */
static bool grow(ncs_state_t *st, void *arr, uint32_t n, uint32_t *cap, size_t elem, uint32_t need)
{
	void **p = arr;
	if (n + need <= *cap)
		return true;
	uint32_t c = *cap ? *cap : 8;
	while (c < n + need)
		c *= 2;
	void *v = ncs_mem_realloc(st, *p, *cap * elem, c * elem);
	if (!v)
		return false;
	*p = v;
	*cap = c;
	return true;
}

/* Methods of `impl T` blocks: T must be a struct of the same module. Functions
 * with a receiver go into the program's method table (dispatch by struct). */
static nc_ncs_err_t register_methods(ncs_state_t *st, ncs_program_t *p, ncs_module_t *m)
{
	for (uint32_t i = 0; i < m->n_fns; i++) {
		const ncs_fn_decl_t *d = &m->fns[i];
		if (!d->impl_of)
			continue;
		uint32_t def = UINT32_MAX;
		for (uint32_t j = 0; j < m->n_structs; j++)
			if (same(m->structs[j].name, m->structs[j].name_len, d->impl_of, d->impl_of_len))
				def = m->first_struct + j;
		if (def == UINT32_MAX) {
			st->err_mod = m;
			return ncs_fail(st, NC_NCS_ERR_RESOLVE, d->off, "impl for `%.*s`, which is not a struct of this module",
					(int)d->impl_of_len, d->impl_of);
		}
		if (d->self_kind == NCS_SELF_NONE)
			continue;
		if (!grow(st, &p->methods, p->n_methods, &p->cap_methods, sizeof *p->methods, 1))
			return st->err;
		ncs_method_t *mt = &p->methods[p->n_methods++];
		mt->struct_def = def;
		mt->name = d->name + d->short_off;
		mt->name_len = d->name_len - d->short_off;
		mt->fn = m->first_fn + i;
		mt->self_kind = d->self_kind;
	}
	return NC_NCS_OK;
}

static nc_ncs_err_t register_module(ncs_state_t *st, ncs_program_t *p, ncs_module_t *m)
{
	static const char *const builtin[] = { "Some", "None", "Ok", "Err" };
	if (p->n_vars == 0) {
		if (!grow(st, &p->vars, 0, &p->cap_vars, sizeof *p->vars, NCS_VAR_BUILTIN_COUNT))
			return st->err;
		for (uint32_t i = 0; i < NCS_VAR_BUILTIN_COUNT; i++) {
			p->vars[i].name = builtin[i];
			p->vars[i].name_len = (uint32_t)nc_str_len(builtin[i]);
			p->vars[i].arity = i == NCS_VAR_NONE ? 0 : 1;
		}
		p->n_vars = NCS_VAR_BUILTIN_COUNT;
	}
	/* duplicate item names inside one module */
	for (uint32_t i = 0; i < m->n_fns; i++) {
		ncs_sym_t s = own_symbol(m, m->fns[i].name, m->fns[i].name_len, false);
		if (s.kind != SYM_FN || s.index != m->first_fn + i) {
			st->err_mod = m;
			return ncs_fail(st, NC_NCS_ERR_RESOLVE, m->fns[i].off, "`%.*s` is defined twice",
					(int)m->fns[i].name_len, m->fns[i].name);
		}
	}
	m->first_struct = p->n_structs;
	if (!grow(st, &p->structs, p->n_structs, &p->cap_structs, sizeof *p->structs, m->n_structs))
		return st->err;
	for (uint32_t i = 0; i < m->n_structs; i++) {
		ncs_struct_def_t *d = &p->structs[p->n_structs++];
		d->name = m->structs[i].name;
		d->name_len = m->structs[i].name_len;
		d->fields = m->structs[i].fields;
		d->field_lens = m->structs[i].field_lens;
		d->n_fields = m->structs[i].n_fields;
	}
	m->first_var = p->n_vars;
	for (uint32_t i = 0; i < m->n_enums; i++) {
		const ncs_enum_decl_t *e = &m->enums[i];
		if (!grow(st, &p->vars, p->n_vars, &p->cap_vars, sizeof *p->vars, e->n_vars))
			return st->err;
		for (uint32_t j = 0; j < e->n_vars; j++) {
			ncs_variant_def_t *v = &p->vars[p->n_vars++];
			v->name = e->vars[j].name;
			v->name_len = e->vars[j].name_len;
			v->arity = e->vars[j].arity;
		}
	}
	m->first_fn = p->n_fns;
	if (!grow(st, &p->fns, p->n_fns, &p->cap_fns, sizeof *p->fns, m->n_fns))
		return st->err;
	if (register_methods(st, p, m))
		return st->err;
	for (uint32_t i = 0; i < m->n_fns; i++) {
		ncs_proto_t *f = ncs_mem_alloc(st, sizeof *f);
		if (!f)
			return st->err;
		nc_mem_set(f, 0, sizeof *f);
		f->name = m->fns[i].name;
		f->name_len = m->fns[i].name_len;
		f->mod = m;
		f->n_params = m->fns[i].n_params;
		p->fns[p->n_fns++] = f;
	}
	return NC_NCS_OK;
}

/* Parameters in slots 0..n-1 (patterns destructured from there), then the body,
 * then RET. fs is set up by the caller; its buffers are released here. */
static bool compile_function(ncs_fstate_t *fs, ncs_node_t *const *params, uint32_t n, const ncs_node_t *body,
			     uint32_t off)
{
	bool ok = true;
	fs->or_from = UINT32_MAX;
	for (uint32_t j = 0; ok && j < n; j++) {
		uint16_t slot;
		ok = ncs_c_alloc_slot(fs, off, &slot);
	}
	for (uint32_t j = 0; ok && j < n; j++) {
		const ncs_node_t *pat = params[j];
		uint16_t slot = (uint16_t)j;
		if (pat->kind == P_BIND)
			ok = ncs_c_declare(fs, pat->name, pat->name_len, pat->flag, pat->off, &slot);
		else
			ok = ncs_c_bind(fs, pat, slot, pat->off);
	}
	ok = ok && ncs_c_expr(fs, body) && ncs_c_emit(fs, OP_RET, 0, 0, body->off, 0);
	ncs_mem_free(fs->st, fs->locals, fs->cap_locals * sizeof *fs->locals);
	fs->locals = NULL;
	fs->cap_locals = 0;
	return ok;
}

static nc_ncs_err_t compile_fn(ncs_state_t *st, ncs_program_t *p, ncs_module_t *m, uint32_t i)
{
	const ncs_fn_decl_t *d = &m->fns[i];
	ncs_fstate_t fs;
	nc_mem_set(&fs, 0, sizeof fs);
	fs.st = st;
	fs.prog = p;
	fs.mod = m;
	fs.proto = p->fns[m->first_fn + i];
	if (!compile_function(&fs, d->params, d->n_params, d->body, d->off)) {
		if (!st->err_mod)
			st->err_mod = m;
		return st->err ? st->err : ncs_fail(st, NC_NCS_ERR_NOMEM, 0, "out of memory");
	}
	return NC_NCS_OK;
}

bool ncs_c_closure(ncs_fstate_t *fs, const ncs_node_t *n)
{
	ncs_program_t *p = fs->prog;
	if (++fs->depth > NC_NCS_NESTING_MAX)
		return ncs_c_error(fs, NC_NCS_ERR_NESTING, n->off, "closures nested too deeply");
	if (!grow(fs->st, &p->fns, p->n_fns, &p->cap_fns, sizeof *p->fns, 1))
		return false;
	ncs_proto_t *f = ncs_mem_alloc(fs->st, sizeof *f);
	if (!f)
		return false;
	nc_mem_set(f, 0, sizeof *f);
	f->name = "<closure>";
	f->name_len = 9;
	f->mod = fs->mod;
	f->n_params = n->n;
	uint32_t index = p->n_fns;
	p->fns[p->n_fns++] = f;
	ncs_fstate_t inner;
	nc_mem_set(&inner, 0, sizeof inner);
	inner.st = fs->st;
	inner.prog = p;
	inner.mod = fs->mod;
	inner.proto = f;
	inner.parent = fs;
	inner.depth = fs->depth;
	bool ok = compile_function(&inner, n->list, n->n, n->a, n->off);
	f->n_caps = inner.n_caps;
	/* push the captured values in capture order, then build the closure */
	for (uint32_t i = 0; ok && i < inner.n_caps; i++)
		ok = ncs_c_emit(fs, inner.caps[i].from_capture ? OP_LOADCAP : OP_LOAD,
				inner.caps[i].from_capture ? 0 : inner.caps[i].src,
				inner.caps[i].from_capture ? inner.caps[i].src : 0, n->off, 1);
	if (ok)
		ok = inner.n_caps ? ncs_c_emit(fs, OP_CLOSURE, inner.n_caps, index, n->off, 1 - (int)inner.n_caps)
				  : ncs_c_emit(fs, OP_PUSHFN, 0, index, n->off, 1);
	ncs_mem_free(fs->st, inner.caps, inner.cap_caps * sizeof *inner.caps);
	fs->depth--;
	return ok;
}

nc_ncs_err_t ncs_compile_program(ncs_state_t *st, ncs_program_t *p)
{
	for (uint32_t i = 0; i < p->n_mods; i++)
		if (register_module(st, p, p->mods[i]))
			return st->err;
	for (uint32_t i = 0; i < p->n_mods; i++)
		for (uint32_t j = 0; j < p->mods[i]->n_fns; j++)
			if (compile_fn(st, p, p->mods[i], j))
				return st->err;
	ncs_module_t *main_mod = p->mods[p->n_mods - 1];
	ncs_sym_t s = own_symbol(main_mod, "main", 4, false);
	if (s.kind != SYM_FN) {
		st->err_mod = main_mod;
		return ncs_fail(st, NC_NCS_ERR_NO_MAIN, 0, "no `fn main()` in %s", main_mod->file);
	}
	p->main = p->fns[s.index];
	if (p->main->n_params) {
		st->err_mod = main_mod;
		return ncs_fail(st, NC_NCS_ERR_NO_MAIN, main_mod->fns[s.index - main_mod->first_fn].off,
				"`main` takes no parameters");
	}
	return NC_NCS_OK;
}

void ncs_program_free(ncs_state_t *st, ncs_program_t *p)
{
	for (uint32_t i = 0; i < p->n_fns; i++) {
		ncs_proto_t *f = p->fns[i];
		for (uint32_t k = 0; k < f->n_k; k++)
			ncs_unref(st, f->k[k]);
		ncs_mem_free(st, f->k, f->cap_k * sizeof *f->k);
		ncs_mem_free(st, f->code, f->cap_code * sizeof *f->code);
		ncs_mem_free(st, f->offs, f->cap_offs * sizeof *f->offs);
		ncs_mem_free(st, f, sizeof *f);
	}
	ncs_mem_free(st, p->fns, p->cap_fns * sizeof *p->fns);
	ncs_mem_free(st, p->structs, p->cap_structs * sizeof *p->structs);
	ncs_mem_free(st, p->vars, p->cap_vars * sizeof *p->vars);
	ncs_mem_free(st, p->sites, p->cap_sites * sizeof *p->sites);
	ncs_mem_free(st, p->fsites, p->cap_fsites * sizeof *p->fsites);
	ncs_mem_free(st, p->methods, p->cap_methods * sizeof *p->methods);
}
