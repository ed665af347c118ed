/* VM element access: struct fields (with a one-entry cache per site), indexing,
 * tuple and pattern parts, `as` casts, for-loop iteration, and ncs_vm_run, which
 * owns a VM's lifetime. Mutation goes through ncs_make_unique (copy-on-write). */
#include "vm.h"
#include <nc/mem.h>

static bool field_index(ncs_vm_t *vm, ncs_value_t s, uint32_t site, uint32_t *idx)
{
	ncs_field_site_t *f = &vm->prog->fsites[site];
	if (s.tag != V_STRUCT)
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "%s has no field `%.*s`", ncs_type_name(s), (int)f->name_len,
				   f->name);
	uint32_t def = ((ncs_rec_t *)s.u.o)->id;
	if (f->cache_def == def) {
		*idx = f->cache_idx;
		return true;
	}
	const ncs_struct_def_t *d = &vm->prog->structs[def];
	for (uint32_t i = 0; i < d->n_fields; i++)
		if (d->field_lens[i] == f->name_len && nc_mem_compare(d->fields[i], f->name, f->name_len) == 0) {
			f->cache_def = def;
			f->cache_idx = i;
			*idx = i;
			return true;
		}
	return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "struct %.*s has no field `%.*s`", (int)d->name_len, d->name,
			   (int)f->name_len, f->name);
}

static bool index_of(ncs_vm_t *vm, ncs_value_t idx, uint32_t len, uint32_t *out)
{
	if (idx.tag != V_INT)
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "index must be Int, not %s", ncs_type_name(idx));
	if (idx.u.i < 0 || (uint64_t)idx.u.i >= len)
		return ncs_vm_fail(vm, NC_NCS_ERR_INDEX, "index %lld out of bounds (length %u)", (long long)idx.u.i, len);
	*out = (uint32_t)idx.u.i;
	return true;
}

/* Byte offset of character ci in s (ci < n_chars). */
static uint32_t char_offset(const ncs_str_t *s, uint32_t ci)
{
	uint32_t off = 0;
	while (ci) {
		off++;
		while (off < s->len_bytes && ((unsigned char)s->bytes[off] & 0xc0) == 0x80)
			off++;
		ci--;
	}
	return off;
}

static uint32_t char_len_at(const ncs_str_t *s, uint32_t off)
{
	uint32_t e = off + 1;
	while (e < s->len_bytes && ((unsigned char)s->bytes[e] & 0xc0) == 0x80)
		e++;
	return e - off;
}

static bool get_index(ncs_vm_t *vm, ncs_value_t c, ncs_value_t idx, ncs_value_t *out)
{
	uint32_t i;
	if (c.tag == V_ARR || c.tag == V_TUPLE) {
		ncs_arr_t *a = (ncs_arr_t *)c.u.o;
		if (!index_of(vm, idx, a->len, &i))
			return false;
		*out = a->items[i];
		ncs_ref(*out);
		return true;
	}
	if (c.tag == V_STR) {
		ncs_str_t *s = (ncs_str_t *)c.u.o;
		if (!index_of(vm, idx, s->n_chars, &i) || !ncs_vm_charge(vm, i / 16))
			return false;
		uint32_t off = char_offset(s, i);
		return ncs_str_new(vm->st, s->bytes + off, char_len_at(s, off), out);
	}
	if (c.tag == V_MAP)
		return ncs_map_index_get(vm, (const ncs_map_t *)c.u.o, idx, out);
	return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "cannot index %s", ncs_type_name(c));
}

static bool cast(ncs_vm_t *vm, uint32_t kind, ncs_value_t *v)
{
	ncs_value_t x = *v;
	if (kind == 0 && x.tag == V_INT)
		return true;
	if (kind == 0 && x.tag == V_FLOAT) {
		if (!(x.u.f > -9223372036854775808.0 - 1024 && x.u.f < 9223372036854775808.0))
			return ncs_vm_fail(vm, NC_NCS_ERR_VALUE, "Float out of Int range");
		*v = ncs_int((int64_t)x.u.f);
		return true;
	}
	if (kind == 1 && (x.tag == V_INT || x.tag == V_FLOAT)) {
		*v = ncs_float(x.tag == V_INT ? (double)x.u.i : x.u.f);
		return true;
	}
	if (kind == 2 && x.tag == V_INT) { /* the common case without a text builder */
		char text[24];
		return ncs_str_new(vm->st, text, ncs_format_int(x.u.i, text), v);
	}
	if (kind == 2) {
		ncs_buf_t b = { vm->st, NULL, 0, 0, false };
		ncs_value_t s;
		ncs_value_write(&b, x, false);
		if (!ncs_buf_to_value(&b, &s))
			return false;
		ncs_unref(vm->st, x);
		*v = s;
		return true;
	}
	return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "cannot convert %s with `as %s`", ncs_type_name(x),
			   kind == 0 ? "Int" : "Float");
}

bool ncs_vm_access(ncs_vm_t *vm, const ncs_ins_t *ins, ncs_value_t *base)
{
	ncs_state_t *st = vm->st;
	ncs_value_t *sp = vm->sp, out;
	uint32_t i = 0;
	switch (ins->op) {
	case OP_GETFIELD:
		if (!field_index(vm, sp[-1], ins->b, &i))
			return false;
		out = ((ncs_rec_t *)sp[-1].u.o)->f[i];
		ncs_ref(out);
		ncs_unref(st, sp[-1]);
		sp[-1] = out;
		return true;
	case OP_GETFIELDL:
		if (!field_index(vm, base[ins->a], ins->b, &i))
			return false;
		out = ((ncs_rec_t *)base[ins->a].u.o)->f[i];
		ncs_ref(out);
		*vm->sp++ = out;
		return true;
	case OP_SETFIELDL: {
		ncs_value_t *slot = &base[ins->a];
		if (!field_index(vm, *slot, ins->b, &i) || !ncs_make_unique(st, slot))
			return false;
		ncs_rec_t *r = (ncs_rec_t *)slot->u.o;
		if (!ncs_note_child(st, &r->h, sp[-1]))
			return false;
		ncs_value_t old = r->f[i];
		r->f[i] = sp[-1];
		vm->sp--;
		ncs_unref(st, old);
		return true;
	}
	case OP_GETINDEX:
		if (!get_index(vm, sp[-2], sp[-1], &out))
			return false;
		ncs_unref(st, sp[-1]);
		ncs_unref(st, sp[-2]);
		sp[-2] = out;
		vm->sp--;
		return true;
	case OP_SETINDEXL: {
		ncs_value_t *slot = &base[ins->a];
		if (slot->tag == V_MAP) {
			if (!ncs_map_index_set(vm, slot, sp[-2], sp[-1]))
				return false;
			ncs_unref(st, sp[-1]);
			ncs_unref(st, sp[-2]);
			vm->sp -= 2;
			return true;
		}
		if (slot->tag != V_ARR)
			return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "cannot assign into an element of %s", ncs_type_name(*slot));
		if (!index_of(vm, sp[-2], ((ncs_arr_t *)slot->u.o)->len, &i) || !ncs_make_unique(st, slot))
			return false;
		ncs_arr_t *a = (ncs_arr_t *)slot->u.o;
		if (!ncs_note_child(st, &a->h, sp[-1]))
			return false;
		ncs_value_t old = a->items[i];
		a->items[i] = sp[-1];
		vm->sp -= 2;
		ncs_unref(st, old);
		return true;
	}
	case OP_TUPLEGET:
		if (sp[-1].tag != V_TUPLE)
			return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "`.%u` needs a tuple, not %s", ins->b, ncs_type_name(sp[-1]));
		if (!index_of(vm, ncs_int(ins->b), ((ncs_arr_t *)sp[-1].u.o)->len, &i))
			return false;
		out = ((ncs_arr_t *)sp[-1].u.o)->items[i];
		ncs_ref(out);
		ncs_unref(st, sp[-1]);
		sp[-1] = out;
		return true;
	case OP_PART: {
		ncs_value_t c = base[ins->a];
		out = (c.tag == V_TUPLE || c.tag == V_ARR) ? ((ncs_arr_t *)c.u.o)->items[ins->b]
							   : ((ncs_rec_t *)c.u.o)->f[ins->b];
		ncs_ref(out);
		*vm->sp++ = out;
		return true;
	}
	default: /* OP_CAST */
		return cast(vm, ins->a, &sp[-1]);
	}
}

bool ncs_vm_for_next(ncs_vm_t *vm, ncs_value_t *slots, bool *done)
{
	ncs_value_t c = slots[0];
	int64_t i = slots[1].u.i;
	if (c.tag == V_ARR) {
		ncs_arr_t *a = (ncs_arr_t *)c.u.o;
		*done = (uint64_t)i >= a->len;
		if (!*done) {
			*vm->sp = a->items[i];
			ncs_ref(*vm->sp++);
			slots[1].u.i++;
		}
		return true;
	}
	if (c.tag == V_STR) { /* characters; slot 1 is a byte offset */
		ncs_str_t *s = (ncs_str_t *)c.u.o;
		*done = (uint64_t)i >= s->len_bytes;
		if (*done)
			return true;
		uint32_t n = char_len_at(s, (uint32_t)i);
		if (!ncs_str_new(vm->st, s->bytes + i, n, vm->sp))
			return false;
		vm->sp++;
		slots[1].u.i += n;
		return true;
	}
	if (c.tag == V_MAP) { /* (key, value) tuples in insertion order; slot 1 is an entry number */
		uint32_t pos = (uint32_t)i;
		ncs_value_t kv[2], t;
		*done = !ncs_map_next((const ncs_map_t *)c.u.o, &pos, &kv[0], &kv[1]);
		if (!ncs_vm_charge(vm, pos - (uint32_t)i - !*done)) /* removed entries skipped */
			return false;
		slots[1].u.i = pos;
		if (*done)
			return true;
		if (!ncs_arr_new(vm->st, V_TUPLE, 2, &t))
			return false;
		ncs_arr_t *a = (ncs_arr_t *)t.u.o;
		for (uint32_t j = 0; j < 2; j++) {
			ncs_note_child(vm->st, &a->h, kv[j]); /* the map is deeper than both: cannot fail */
			ncs_ref(kv[j]);
			a->items[a->len++] = kv[j];
		}
		*vm->sp++ = t;
		return true;
	}
	return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "cannot iterate over %s", ncs_type_name(c));
}

uint32_t ncs_vm_find_method(ncs_program_t *prog, ncs_method_site_t *site, uint32_t def)
{
	if (site->cache_def == def)
		return site->cache_fn;
	for (uint32_t i = 0; i < prog->n_methods; i++) {
		const ncs_method_t *m = &prog->methods[i];
		if (m->struct_def == def && m->name_len == site->name_len &&
		    nc_mem_compare(m->name, site->name, m->name_len) == 0) {
			site->cache_def = def;
			site->cache_fn = i;
			return i;
		}
	}
	return UINT32_MAX;
}

nc_ncs_err_t ncs_vm_run(ncs_state_t *st, ncs_program_t *p, ncs_value_t *result)
{
	ncs_vm_t vm;
	nc_mem_set(&vm, 0, sizeof vm);
	vm.st = st;
	vm.prog = p;
	vm.max_depth = st->cfg->limits.max_call_depth ? st->cfg->limits.max_call_depth : NC_NCS_CALL_DEPTH_DEFAULT;
	if (st->cfg->limits.deadline_micros)
		vm.start_micros = st->cfg->clock(st->cfg->clock_ud);
	nc_ncs_err_t err = ncs_vm_execute(&vm, result);
	if (err != NC_NCS_OK && vm.stack) {
		ncs_value_t *sp = vm.sp ? vm.sp : vm.stack;
		/* release every live value: slots of all frames and operands */
		while (sp > vm.stack)
			ncs_unref(st, *--sp);
	}
	ncs_mem_free_tracked(st, vm.stack, vm.cap * sizeof *vm.stack);
	ncs_mem_free_tracked(st, vm.frames, vm.cap_frames * sizeof *vm.frames);
	return err;
}
