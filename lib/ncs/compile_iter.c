/* Compiler: iteration methods that take a function, compiled inline as loops
 * (no builtin call-back into the VM, which only sort_by needs: ncs_vm_call):
 *   xs.map(f)  xs.filter(f)  xs.fold(init, f)  xs.any(f)  xs.all(f)  xs.for_each(f)
 * xs is an array (or a string, iterated by character, like `for`). Each element
 * costs the steps of the loop and of the call, like the loop written by hand. */
#include "compile.h"
#include <nc/mem.h>

typedef enum { IT_MAP, IT_FILTER, IT_FOLD, IT_ANY, IT_ALL, IT_FOR_EACH } iter_kind_t;

static const struct { const char *name; iter_kind_t kind; uint32_t n_args; } iters[] = {
	{ "map", IT_MAP, 1 }, { "filter", IT_FILTER, 1 }, { "fold", IT_FOLD, 2 },
	{ "any", IT_ANY, 1 }, { "all", IT_ALL, 1 }, { "for_each", IT_FOR_EACH, 1 },
};

/* Slots: A (sequence) and A+1 (position) for FORARR, F (function), O (result or
 * accumulator), X (current element). */
enum { S_A, S_I, S_F, S_O, S_X, S_COUNT };

static bool emit_start(ncs_fstate_t *fs, const ncs_node_t *n, iter_kind_t kind, const uint16_t *s)
{
	uint32_t off = n->off;
	const ncs_node_t *f = n->list[n->n - 1];
	if (!ncs_c_expr(fs, n->a) || !ncs_c_emit(fs, OP_STORE, s[S_A], 0, off, -1) ||
	    !ncs_c_emit(fs, OP_PUSHI, 0, 0, off, 1) || !ncs_c_emit(fs, OP_STORE, s[S_I], 0, off, -1) ||
	    !ncs_c_expr(fs, f) || !ncs_c_emit(fs, OP_STORE, s[S_F], 0, off, -1))
		return false;
	bool ok;
	switch (kind) {
	case IT_MAP: case IT_FILTER: ok = ncs_c_emit(fs, OP_ARRAY, 0, 0, off, 1); break;
	case IT_FOLD: ok = ncs_c_expr(fs, n->list[0]); break;
	case IT_ANY: ok = ncs_c_emit(fs, OP_PUSHBOOL, 0, 0, off, 1); break;
	case IT_ALL: ok = ncs_c_emit(fs, OP_PUSHBOOL, 0, 1, off, 1); break;
	default: ok = ncs_c_emit(fs, OP_PUSHUNIT, 0, 0, off, 1); break;
	}
	return ok && ncs_c_emit(fs, OP_STORE, s[S_O], 0, off, -1);
}

/* Loop body: the element is in X; the call's result is on the stack after this. */
static bool emit_call(ncs_fstate_t *fs, iter_kind_t kind, const uint16_t *s, uint32_t off)
{
	uint32_t nargs = kind == IT_FOLD ? 2 : 1;
	return ncs_c_emit(fs, OP_LOAD, s[S_F], 0, off, 1) &&
	       (kind != IT_FOLD || ncs_c_emit(fs, OP_LOAD, s[S_O], 0, off, 1)) &&
	       ncs_c_emit(fs, OP_LOAD, s[S_X], 0, off, 1) && ncs_c_emit(fs, OP_CALL, nargs, 0, off, -(int)nargs);
}

static bool emit_push(ncs_fstate_t *fs, const uint16_t *s, uint32_t off)
{
	uint32_t site;
	bool mutates;
	return ncs_c_method_site(fs, "push", 4, 2, off, &site, &mutates) &&
	       ncs_c_emit(fs, OP_METHOD, s[S_O], site, off, 0) && ncs_c_emit(fs, OP_POP, 0, 1, off, -1);
}

bool ncs_c_iter_method(ncs_fstate_t *fs, const ncs_node_t *n, bool *handled)
{
	uint32_t which = sizeof iters / sizeof iters[0];
	for (uint32_t i = 0; i < which; i++)
		if (nc_str_len(iters[i].name) == n->name_len && nc_mem_compare(iters[i].name, n->name, n->name_len) == 0)
			which = i;
	if (which == sizeof iters / sizeof iters[0])
		return true;
	*handled = true;
	iter_kind_t kind = iters[which].kind;
	uint32_t off = n->off;
	if (n->n != iters[which].n_args)
		return ncs_c_error(fs, NC_NCS_ERR_ARGS, off, "`%.*s` takes %u arguments, %u given", (int)n->name_len,
				   n->name, iters[which].n_args, n->n);
	uint16_t s[S_COUNT];
	uint32_t first = fs->slot_top;
	for (int i = 0; i < S_COUNT; i++)
		if (!ncs_c_alloc_slot(fs, off, &s[i]))
			return false;
	uint32_t exit = NCS_NO_PATCH, done = NCS_NO_PATCH;
	if (!emit_start(fs, n, kind, s))
		return false;
	uint32_t top = ncs_c_here(fs);
	if (!ncs_c_jump_chain(fs, OP_FORARR, &exit, off, 1))
		return false;
	fs->proto->code[exit].a = s[S_A];
	if (!ncs_c_emit(fs, OP_STORE, s[S_X], 0, off, -1) || !emit_call(fs, kind, s, off))
		return false;
	bool ok;
	switch (kind) {
	case IT_MAP: ok = emit_push(fs, s, off); break;
	case IT_FILTER:
		ok = ncs_c_emit(fs, OP_JMPF, 0, top, off, -1) && ncs_c_emit(fs, OP_LOAD, s[S_X], 0, off, 1) &&
		     emit_push(fs, s, off);
		break;
	case IT_FOLD: ok = ncs_c_emit(fs, OP_STORE, s[S_O], 0, off, -1); break;
	case IT_ANY: case IT_ALL: /* stop at the first true (any) / false (all) */
		ok = ncs_c_emit(fs, kind == IT_ANY ? OP_JMPF : OP_JMPT, 0, top, off, -1) &&
		     ncs_c_emit(fs, OP_PUSHBOOL, 0, kind == IT_ANY, off, 1) &&
		     ncs_c_emit(fs, OP_STORE, s[S_O], 0, off, -1) && ncs_c_jump_chain(fs, OP_JMP, &done, off, 0);
		break;
	default: ok = ncs_c_emit(fs, OP_POP, 0, 1, off, -1); break;
	}
	if (!ok || !ncs_c_emit(fs, OP_JMP, 0, top, off, 0))
		return false;
	/* the exit chain holds exactly the FORARR test */
	fs->proto->code[exit].b = ncs_c_here(fs);
	ncs_c_patch_chain(fs, done, ncs_c_here(fs));
	if (!ncs_c_emit(fs, OP_LOAD, s[S_O], 0, off, 1) || !ncs_c_emit(fs, OP_CLEAR, first, S_COUNT, off, 0))
		return false;
	fs->slot_top = first;
	return true;
}
