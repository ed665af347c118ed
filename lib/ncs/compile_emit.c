/* Compiler plumbing: instruction and constant emission, jump patch chains,
 * local slots and scopes, errors. One ncs_fstate_t per function being compiled. */
#include "compile.h"
#include <nc/mem.h>
#include <stdarg.h>

bool ncs_c_error(ncs_fstate_t *fs, nc_ncs_err_t err, uint32_t off, const char *fmt, ...)
{
	va_list ap;
	if (fs->st->err == NC_NCS_OK)
		fs->st->err_mod = fs->mod;
	va_start(ap, fmt);
	ncs_vfail(fs->st, err, off, fmt, ap);
	va_end(ap);
	return false;
}

bool ncs_c_emit(ncs_fstate_t *fs, ncs_op_t op, uint32_t a, uint32_t b, uint32_t off, int delta)
{
	ncs_proto_t *p = fs->proto;
	if (p->n_code == p->cap_code || p->n_code == p->cap_offs) {
		uint32_t cap = p->cap_code ? p->cap_code * 2 : 64;
		ncs_ins_t *code = ncs_mem_realloc(fs->st, p->code, p->cap_code * sizeof *code, cap * sizeof *code);
		if (!code)
			return false;
		p->code = code;
		p->cap_code = cap;
		uint32_t *offs = ncs_mem_realloc(fs->st, p->offs, p->cap_offs * sizeof *offs, cap * sizeof *offs);
		if (!offs)
			return false;
		p->offs = offs;
		p->cap_offs = cap;
	}
	p->code[p->n_code].op = (uint16_t)op;
	p->code[p->n_code].a = (uint16_t)a;
	p->code[p->n_code].b = b;
	p->offs[p->n_code++] = off;
	fs->cur = (uint32_t)((int)fs->cur + delta);
	if (fs->cur > p->max_stack)
		p->max_stack = fs->cur;
	return true;
}

uint32_t ncs_c_here(ncs_fstate_t *fs) { return fs->proto->n_code; }

bool ncs_c_jump_chain(ncs_fstate_t *fs, ncs_op_t op, uint32_t *chain, uint32_t off, int delta)
{
	uint32_t at = ncs_c_here(fs);
	if (!ncs_c_emit(fs, op, 0, *chain, off, delta))
		return false;
	*chain = at;
	return true;
}

void ncs_c_patch_chain(ncs_fstate_t *fs, uint32_t chain, uint32_t target)
{
	while (chain != NCS_NO_PATCH) {
		uint32_t next = fs->proto->code[chain].b;
		fs->proto->code[chain].b = target;
		chain = next;
	}
}

bool ncs_c_const(ncs_fstate_t *fs, ncs_value_t v, uint32_t *idx)
{
	ncs_proto_t *p = fs->proto;
	for (uint32_t i = 0; i < p->n_k; i++)
		if (p->k[i].tag == v.tag && (v.tag == V_FLOAT ? nc_mem_compare(&p->k[i].u.f, &v.u.f, sizeof v.u.f) == 0
							      : ncs_value_equal(p->k[i], v, NCS_WALK_ANY))) {
			ncs_unref(fs->st, v);
			*idx = i;
			return true;
		}
	if (p->n_k == p->cap_k) {
		uint32_t cap = p->cap_k ? p->cap_k * 2 : 8;
		ncs_value_t *k = ncs_mem_realloc(fs->st, p->k, p->cap_k * sizeof *k, cap * sizeof *k);
		if (!k) {
			ncs_unref(fs->st, v);
			return false;
		}
		p->k = k;
		p->cap_k = cap;
	}
	*idx = p->n_k;
	p->k[p->n_k++] = v;
	return true;
}

bool ncs_c_alloc_slot(ncs_fstate_t *fs, uint32_t off, uint16_t *slot)
{
	if (fs->slot_top >= NCS_NO_SLOT - 1)
		return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, off, "too many local variables in one function");
	*slot = (uint16_t)fs->slot_top++;
	if (fs->slot_top > fs->proto->n_slots)
		fs->proto->n_slots = fs->slot_top;
	return true;
}

bool ncs_c_declare(ncs_fstate_t *fs, const char *name, uint32_t len, bool mut, uint32_t off,
		   uint16_t *slot)
{
	if (fs->n_locals == fs->cap_locals) {
		uint32_t cap = fs->cap_locals ? fs->cap_locals * 2 : 16;
		ncs_local_t *l = ncs_mem_realloc(fs->st, fs->locals, fs->cap_locals * sizeof *l, cap * sizeof *l);
		if (!l)
			return false;
		fs->locals = l;
		fs->cap_locals = cap;
	}
	if (*slot == NCS_NO_SLOT && !ncs_c_alloc_slot(fs, off, slot))
		return false;
	ncs_local_t *l = &fs->locals[fs->n_locals++];
	l->name = name;
	l->len = len;
	l->slot = *slot;
	l->mut = mut;
	return true;
}

ncs_local_t *ncs_c_find_local(ncs_fstate_t *fs, const char *name, uint32_t len)
{
	for (uint32_t i = fs->n_locals; i-- > 0;)
		if (fs->locals[i].len == len && nc_mem_compare(fs->locals[i].name, name, len) == 0)
			return &fs->locals[i];
	return NULL;
}

int ncs_c_capture(ncs_fstate_t *fs, const char *name, uint32_t len)
{
	for (uint32_t i = 0; i < fs->n_caps; i++)
		if (fs->caps[i].len == len && nc_mem_compare(fs->caps[i].name, name, len) == 0)
			return (int)i;
	if (!fs->parent)
		return -1;
	ncs_capture_t c = { name, len, false, 0 };
	ncs_local_t *l = ncs_c_find_local(fs->parent, name, len);
	if (l) {
		c.src = l->slot;
	} else {
		int pi = ncs_c_capture(fs->parent, name, len);
		if (pi < 0)
			return -1;
		c.from_capture = true;
		c.src = (uint32_t)pi;
	}
	if (fs->n_caps == fs->cap_caps) {
		uint32_t cap = fs->cap_caps ? fs->cap_caps * 2 : 4;
		ncs_capture_t *v = ncs_mem_realloc(fs->st, fs->caps, fs->cap_caps * sizeof *v, cap * sizeof *v);
		if (!v)
			return -1;
		fs->caps = v;
		fs->cap_caps = cap;
	}
	fs->caps[fs->n_caps] = c;
	return (int)fs->n_caps++;
}

bool ncs_c_is_var(ncs_fstate_t *fs, const char *name, uint32_t len)
{
	return ncs_c_find_local(fs, name, len) || ncs_c_capture(fs, name, len) >= 0;
}

ncs_scope_t ncs_c_scope_enter(ncs_fstate_t *fs)
{
	ncs_scope_t sc = { fs->n_locals, fs->slot_top };
	return sc;
}

bool ncs_c_scope_leave(ncs_fstate_t *fs, ncs_scope_t sc, uint32_t off)
{
	bool ok = true;
	if (fs->slot_top > sc.slot_top)
		ok = ncs_c_emit(fs, OP_CLEAR, sc.slot_top, fs->slot_top - sc.slot_top, off, 0);
	fs->n_locals = sc.n_locals;
	fs->slot_top = sc.slot_top;
	return ok;
}

void ncs_c_loop_begin(ncs_fstate_t *fs, ncs_loop_t *lp, bool value)
{
	lp->up = fs->loop;
	lp->cont_target = NCS_NO_PATCH;
	lp->cont_patches = NCS_NO_PATCH;
	lp->break_patches = NCS_NO_PATCH;
	lp->stack_depth = fs->cur;
	lp->value = value;
	fs->loop = lp;
}

void ncs_c_loop_end(ncs_fstate_t *fs, ncs_loop_t *lp, uint32_t exit_target)
{
	ncs_c_patch_chain(fs, lp->break_patches, exit_target);
	fs->loop = lp->up;
}
