/* Compiler, pattern side: match, let, if let, while let and for. A pattern is
 * tested against a value held in a frame slot; each failing test jumps along a
 * patch chain, bindings become new locals. Or-pattern alternatives must bind the
 * same names; later alternatives reuse the first one's slots. */
#include "compile.h"
#include <nc/mem.h>

static bool emit_fail(ncs_fstate_t *fs, uint32_t *fail, uint32_t off)
{
	return ncs_c_jump_chain(fs, OP_JMPF, fail, off, -1);
}

static bool bind_name(ncs_fstate_t *fs, const ncs_node_t *pat, uint16_t slot)
{
	uint16_t dst = NCS_NO_SLOT;
	if (fs->or_from != UINT32_MAX) {
		for (uint32_t i = fs->or_from; i < fs->n_locals; i++)
			if (fs->locals[i].len == pat->name_len &&
			    nc_mem_compare(fs->locals[i].name, pat->name, pat->name_len) == 0)
				dst = fs->locals[i].slot;
		if (dst == NCS_NO_SLOT)
			return ncs_c_error(fs, NC_NCS_ERR_RESOLVE, pat->off,
					   "`%.*s` must be bound in every alternative of the or-pattern",
					   (int)pat->name_len, pat->name);
	} else if (!ncs_c_declare(fs, pat->name, pat->name_len, pat->flag, pat->off, &dst)) {
		return false;
	}
	return ncs_c_emit(fs, OP_LOAD, slot, 0, pat->off, 1) && ncs_c_emit(fs, OP_STORE, dst, 0, pat->off, -1);
}

static bool push_lit(ncs_fstate_t *fs, const ncs_node_t *lit)
{
	return ncs_c_expr(fs, lit->a);
}

/* Extract part idx of slot into a temp (or straight into a binding) and test. */
static bool sub_pattern(ncs_fstate_t *fs, const ncs_node_t *sub, uint16_t slot, uint32_t idx, uint32_t *fail)
{
	if (sub->kind == P_WILD)
		return true;
	uint16_t tmp;
	if (!ncs_c_alloc_slot(fs, sub->off, &tmp) || !ncs_c_emit(fs, OP_PART, slot, idx, sub->off, 1) ||
	    !ncs_c_emit(fs, OP_STORE, tmp, 0, sub->off, -1))
		return false;
	return ncs_c_pattern(fs, sub, tmp, fail);
}

bool ncs_c_pattern(ncs_fstate_t *fs, const ncs_node_t *pat, uint16_t slot, uint32_t *fail)
{
	if (++fs->depth > NC_NCS_NESTING_MAX * 2)
		return ncs_c_error(fs, NC_NCS_ERR_NESTING, pat->off, "pattern nested too deeply");
	bool ok = true;
	switch (pat->kind) {
	case P_WILD:
		break;
	case P_BIND:
		ok = bind_name(fs, pat, slot);
		break;
	case P_LIT:
		ok = ncs_c_emit(fs, OP_LOAD, slot, 0, pat->off, 1) && push_lit(fs, pat) &&
		     ncs_c_emit(fs, OP_EQ, 0, 0, pat->off, -1) && emit_fail(fs, fail, pat->off);
		break;
	case P_RANGE:
		ok = ncs_c_emit(fs, OP_LOAD, slot, 0, pat->off, 1) && push_lit(fs, pat->a) &&
		     ncs_c_emit(fs, OP_GE, 0, 0, pat->off, -1) && emit_fail(fs, fail, pat->off) &&
		     ncs_c_emit(fs, OP_LOAD, slot, 0, pat->off, 1) && push_lit(fs, pat->b) &&
		     ncs_c_emit(fs, pat->flag ? OP_LE : OP_LT, 0, 0, pat->off, -1) && emit_fail(fs, fail, pat->off);
		break;
	case P_OR: {
		uint32_t done = NCS_NO_PATCH, saved_or = fs->or_from, first_local = fs->n_locals;
		for (uint32_t i = 0; ok && i < pat->n; i++) {
			uint32_t next = NCS_NO_PATCH;
			fs->or_from = i == 0 ? saved_or : first_local;
			ok = ncs_c_pattern(fs, pat->list[i], slot, i + 1 < pat->n ? &next : fail);
			if (ok && i + 1 < pat->n) {
				ok = ncs_c_jump_chain(fs, OP_JMP, &done, pat->off, 0);
				ncs_c_patch_chain(fs, next, ncs_c_here(fs));
			}
		}
		fs->or_from = saved_or;
		ncs_c_patch_chain(fs, done, ncs_c_here(fs));
		break;
	}
	case P_TUPLE:
		ok = ncs_c_emit(fs, OP_ISTUPLE, slot, pat->n, pat->off, 1) && emit_fail(fs, fail, pat->off);
		for (uint32_t i = 0; ok && i < pat->n; i++)
			ok = sub_pattern(fs, pat->list[i], slot, i, fail);
		break;
	case P_VARIANT: {
		uint32_t vid;
		if (!ncs_c_variant(fs, pat->name, pat->name_len, &vid)) {
			ok = ncs_c_error(fs, NC_NCS_ERR_RESOLVE, pat->off, "unknown variant `%.*s`", (int)pat->name_len,
					 pat->name);
			break;
		}
		if (fs->prog->vars[vid].arity != pat->n) {
			ok = ncs_c_error(fs, NC_NCS_ERR_RESOLVE, pat->off, "variant `%.*s` has %u values, pattern has %u",
					 (int)pat->name_len, pat->name, fs->prog->vars[vid].arity, pat->n);
			break;
		}
		ok = ncs_c_emit(fs, OP_ISVAR, slot, vid, pat->off, 1) && emit_fail(fs, fail, pat->off);
		for (uint32_t i = 0; ok && i < pat->n; i++)
			ok = sub_pattern(fs, pat->list[i], slot, i, fail);
		break;
	}
	case P_STRUCT: {
		ncs_sym_t sym = ncs_c_lookup(fs, pat->name, pat->name_len);
		if (sym.kind != SYM_STRUCT) {
			ok = ncs_c_error(fs, NC_NCS_ERR_RESOLVE, pat->off, "unknown struct `%.*s`", (int)pat->name_len,
					 pat->name);
			break;
		}
		const ncs_struct_def_t *d = &fs->prog->structs[sym.index];
		if (!pat->flag && pat->n != d->n_fields) {
			ok = ncs_c_error(fs, NC_NCS_ERR_RESOLVE, pat->off, "pattern must list every field or end with `..`");
			break;
		}
		ok = ncs_c_emit(fs, OP_ISSTRUCT, slot, sym.index, pat->off, 1) && emit_fail(fs, fail, pat->off);
		for (uint32_t i = 0; ok && i < pat->n; i++) {
			uint32_t idx;
			if (!ncs_c_struct_field(d, pat->list[i]->name, pat->list[i]->name_len, &idx))
				ok = ncs_c_error(fs, NC_NCS_ERR_RESOLVE, pat->list[i]->off, "no field `%.*s`",
						 (int)pat->list[i]->name_len, pat->list[i]->name);
			else
				ok = sub_pattern(fs, pat->list[i]->a, slot, idx, fail);
		}
		break;
	}
	default:
		ok = ncs_c_error(fs, NC_NCS_ERR_SYNTAX, pat->off, "not a pattern");
	}
	fs->depth--;
	return ok;
}

bool ncs_c_bind(ncs_fstate_t *fs, const ncs_node_t *pat, uint16_t slot, uint32_t off)
{
	uint32_t fail = NCS_NO_PATCH, skip = NCS_NO_PATCH;
	if (!ncs_c_pattern(fs, pat, slot, &fail))
		return false;
	if (fail == NCS_NO_PATCH)
		return true;
	if (!ncs_c_jump_chain(fs, OP_JMP, &skip, off, 0))
		return false;
	ncs_c_patch_chain(fs, fail, ncs_c_here(fs));
	if (!ncs_c_emit(fs, OP_NOMATCH, 0, 0, off, 0))
		return false;
	ncs_c_patch_chain(fs, skip, ncs_c_here(fs));
	return true;
}

bool ncs_c_let(ncs_fstate_t *fs, const ncs_node_t *n)
{
	const ncs_node_t *pat = n->a;
	if (!ncs_c_expr(fs, n->b))
		return false;
	if (pat->kind == P_BIND && !n->c) {
		uint16_t slot = NCS_NO_SLOT;
		return ncs_c_declare(fs, pat->name, pat->name_len, pat->flag, pat->off, &slot) &&
		       ncs_c_emit(fs, OP_STORE, slot, 0, n->off, -1);
	}
	uint16_t tmp;
	if (!ncs_c_alloc_slot(fs, n->off, &tmp) || !ncs_c_emit(fs, OP_STORE, tmp, 0, n->off, -1))
		return false;
	if (!n->c)
		return ncs_c_bind(fs, pat, tmp, n->off);
	/* let PAT = e else { diverge }; */
	uint32_t fail = NCS_NO_PATCH, skip = NCS_NO_PATCH;
	if (!ncs_c_pattern(fs, pat, tmp, &fail) || !ncs_c_jump_chain(fs, OP_JMP, &skip, n->off, 0))
		return false;
	ncs_c_patch_chain(fs, fail, ncs_c_here(fs));
	uint32_t saved = fs->n_locals;
	if (!ncs_c_block(fs, n->c) || !ncs_c_emit(fs, OP_POP, 0, 1, n->off, -1) ||
	    !ncs_c_emit(fs, OP_NOMATCH, 0, 0, n->c->off, 0))
		return false;
	fs->n_locals = saved;
	ncs_c_patch_chain(fs, skip, ncs_c_here(fs));
	return true;
}

bool ncs_c_match(ncs_fstate_t *fs, const ncs_node_t *n)
{
	uint16_t subj;
	uint32_t end = NCS_NO_PATCH;
	ncs_scope_t outer = ncs_c_scope_enter(fs);
	if (!ncs_c_expr(fs, n->a) || !ncs_c_alloc_slot(fs, n->off, &subj) ||
	    !ncs_c_emit(fs, OP_STORE, subj, 0, n->off, -1))
		return false;
	uint32_t base = fs->cur;
	for (uint32_t i = 0; i < n->n; i++) {
		const ncs_node_t *arm = n->list[i];
		uint32_t fail = NCS_NO_PATCH;
		ncs_scope_t sc = ncs_c_scope_enter(fs);
		fs->cur = base;
		if (!ncs_c_pattern(fs, arm->a, subj, &fail))
			return false;
		if (arm->b && (!ncs_c_expr(fs, arm->b) || !ncs_c_jump_chain(fs, OP_JMPF, &fail, arm->b->off, -1)))
			return false;
		if (!ncs_c_expr(fs, arm->c) || !ncs_c_scope_leave(fs, sc, arm->off) ||
		    !ncs_c_jump_chain(fs, OP_JMP, &end, arm->off, 0))
			return false;
		ncs_c_patch_chain(fs, fail, ncs_c_here(fs));
	}
	fs->cur = base;
	if (!ncs_c_emit(fs, OP_NOMATCH, 0, 0, n->off, 1))
		return false;
	ncs_c_patch_chain(fs, end, ncs_c_here(fs));
	return ncs_c_scope_leave(fs, outer, n->off);
}

bool ncs_c_if_let(ncs_fstate_t *fs, const ncs_node_t *n)
{
	uint16_t subj;
	uint32_t fail = NCS_NO_PATCH, end = NCS_NO_PATCH;
	ncs_scope_t outer = ncs_c_scope_enter(fs);
	if (!ncs_c_expr(fs, n->b) || !ncs_c_alloc_slot(fs, n->off, &subj) ||
	    !ncs_c_emit(fs, OP_STORE, subj, 0, n->off, -1))
		return false;
	ncs_scope_t sc = ncs_c_scope_enter(fs);
	if (!ncs_c_pattern(fs, n->a, subj, &fail) || !ncs_c_block(fs, n->c) || !ncs_c_scope_leave(fs, sc, n->off) ||
	    !ncs_c_jump_chain(fs, OP_JMP, &end, n->off, 0))
		return false;
	fs->cur--;
	ncs_c_patch_chain(fs, fail, ncs_c_here(fs));
	if (n->d ? !ncs_c_expr(fs, n->d) : !ncs_c_emit(fs, OP_PUSHUNIT, 0, 0, n->off, 1))
		return false;
	ncs_c_patch_chain(fs, end, ncs_c_here(fs));
	return ncs_c_scope_leave(fs, outer, n->off);
}

bool ncs_c_while_let(ncs_fstate_t *fs, const ncs_node_t *n)
{
	ncs_loop_t lp;
	uint16_t subj;
	uint32_t fail = NCS_NO_PATCH;
	ncs_scope_t outer = ncs_c_scope_enter(fs);
	if (!ncs_c_alloc_slot(fs, n->off, &subj))
		return false;
	ncs_c_loop_begin(fs, &lp, false);
	lp.cont_target = ncs_c_here(fs);
	if (!ncs_c_expr(fs, n->b) || !ncs_c_emit(fs, OP_STORE, subj, 0, n->off, -1))
		return false;
	ncs_scope_t sc = ncs_c_scope_enter(fs);
	if (!ncs_c_pattern(fs, n->a, subj, &fail) || !ncs_c_block_effect(fs, n->c) || !ncs_c_scope_leave(fs, sc, n->off) ||
	    !ncs_c_emit(fs, OP_JMP, 0, lp.cont_target, n->off, 0))
		return false;
	ncs_c_patch_chain(fs, fail, ncs_c_here(fs));
	if (!ncs_c_emit(fs, OP_PUSHUNIT, 0, 0, n->off, 1))
		return false;
	ncs_c_loop_end(fs, &lp, ncs_c_here(fs));
	return ncs_c_scope_leave(fs, outer, n->off);
}

/* for PAT in lo..hi / lo..=hi (counting loop) or in an array (index loop). */
bool ncs_c_for(ncs_fstate_t *fs, const ncs_node_t *n)
{
	ncs_loop_t lp;
	uint16_t s0, s1;
	uint32_t exit = NCS_NO_PATCH;
	bool range = n->b->kind == N_RANGE;
	ncs_scope_t outer = ncs_c_scope_enter(fs);
	if (!ncs_c_alloc_slot(fs, n->off, &s0) || !ncs_c_alloc_slot(fs, n->off, &s1))
		return false;
	if (range) {
		if (!ncs_c_expr(fs, n->b->a) || !ncs_c_emit(fs, OP_STORE, s0, 0, n->off, -1) ||
		    !ncs_c_expr(fs, n->b->b) || !ncs_c_emit(fs, OP_STORE, s1, 0, n->off, -1))
			return false;
	} else if (!ncs_c_expr(fs, n->b) || !ncs_c_emit(fs, OP_STORE, s0, 0, n->off, -1) ||
		   !ncs_c_emit(fs, OP_PUSHI, 0, 0, n->off, 1) || !ncs_c_emit(fs, OP_STORE, s1, 0, n->off, -1)) {
		return false;
	}
	ncs_c_loop_begin(fs, &lp, false);
	const ncs_node_t *pat = n->a;
	uint32_t top = ncs_c_here(fs), body;
	if (range) {
		/* entry test, then body ... FORSTEP back to the body (loop rotation) */
		if (!ncs_c_jump_chain(fs, n->b->flag ? OP_FORRANGEI : OP_FORRANGE, &exit, n->off, 0))
			return false;
		fs->proto->code[exit].a = s0;
	}
	body = ncs_c_here(fs);
	ncs_scope_t sc = ncs_c_scope_enter(fs);
	if (range) {
		if (pat->kind == P_BIND && !pat->flag) {
			uint16_t alias = s0;
			if (!ncs_c_declare(fs, pat->name, pat->name_len, false, pat->off, &alias))
				return false;
		} else if (!ncs_c_bind(fs, pat, s0, pat->off)) {
			return false;
		}
	} else {
		if (!ncs_c_jump_chain(fs, OP_FORARR, &exit, n->off, 1))
			return false;
		fs->proto->code[exit].a = s0;
		uint16_t item = NCS_NO_SLOT;
		if (pat->kind == P_BIND) {
			if (!ncs_c_declare(fs, pat->name, pat->name_len, pat->flag, pat->off, &item) ||
			    !ncs_c_emit(fs, OP_STORE, item, 0, pat->off, -1))
				return false;
		} else if (!ncs_c_alloc_slot(fs, pat->off, &item) || !ncs_c_emit(fs, OP_STORE, item, 0, pat->off, -1) ||
			   !ncs_c_bind(fs, pat, item, pat->off)) {
			return false;
		}
		lp.cont_target = top;
	}
	if (!ncs_c_block_effect(fs, n->c))
		return false;
	fs->n_locals = sc.n_locals;
	fs->slot_top = sc.slot_top;
	if (range) {
		ncs_c_patch_chain(fs, lp.cont_patches, ncs_c_here(fs));
		lp.cont_patches = NCS_NO_PATCH;
		if (!ncs_c_emit(fs, n->b->flag ? OP_FORSTEPI : OP_FORSTEP, s0, body, n->off, 0))
			return false;
	} else if (!ncs_c_emit(fs, OP_JMP, 0, top, n->off, 0)) {
		return false;
	}
	/* the exit chain holds exactly the loop-test jump */
	fs->proto->code[exit].b = ncs_c_here(fs);
	if (!ncs_c_emit(fs, OP_PUSHUNIT, 0, 0, n->off, 1))
		return false;
	ncs_c_loop_end(fs, &lp, ncs_c_here(fs));
	return ncs_c_scope_leave(fs, outer, n->off);
}
