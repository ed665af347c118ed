/* VM operand helpers: the slower paths of arithmetic and comparison, method
 * dispatch, constructors, element access and iteration, and the entry point
 * ncs_vm_run that sets up and tears down a VM. Each helper works on vm->sp
 * (synced by the loop) and reports errors through ncs_fail. */
#include "vm.h"
#include <nc/mem.h>
#include <stdarg.h>

bool ncs_vm_fail(ncs_vm_t *vm, nc_ncs_err_t err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ncs_vfail(vm->st, err, UINT32_MAX, fmt, ap);
	va_end(ap);
	return false;
}

bool ncs_vm_print(ncs_vm_t *vm, const char *s, size_t n)
{
	ncs_state_t *st = vm->st;
	uint64_t lim = st->cfg->limits.max_output_bytes;
	if (lim && st->out_len + n > lim)
		return ncs_vm_fail(vm, NC_NCS_ERR_LIMIT_OUTPUT, "output limit of %llu bytes reached",
				   (unsigned long long)lim);
	if (st->out_len + n + 1 > st->out_cap) {
		size_t cap = st->out_cap ? st->out_cap : 256;
		while (cap < st->out_len + n + 1)
			cap *= 2;
		char *o = ncs_mem_realloc(st, st->out, st->out_cap, cap);
		if (!o)
			return false;
		st->out = o;
		st->out_cap = cap;
	}
	nc_mem_copy(st->out + st->out_len, s, n);
	st->out_len += n;
	st->out[st->out_len] = 0;
	return true;
}

static const char *op_text(ncs_op_t op)
{
	switch (op) {
	case OP_ADD: return "+";
	case OP_SUB: return "-";
	case OP_MUL: return "*";
	case OP_DIV: return "/";
	case OP_MOD: return "%";
	case OP_BAND: return "&";
	case OP_BOR: return "|";
	case OP_BXOR: return "^";
	case OP_SHL: return "<<";
	case OP_SHR: return ">>";
	case OP_LT: return "<";
	case OP_LE: return "<=";
	case OP_GT: return ">";
	default: return ">=";
	}
}

static bool concat(ncs_vm_t *vm, ncs_value_t *ab)
{
	ncs_value_t r;
	if (!ncs_str_concat(vm->st, (ncs_str_t *)ab[0].u.o, (ncs_str_t *)ab[1].u.o, &r))
		return false;
	ncs_unref(vm->st, ab[0]);
	ncs_unref(vm->st, ab[1]);
	ab[0] = r;
	return true;
}

/* Int bit operations: & | ^ on the two's complement bits; << and >> (arithmetic,
 * sign-extending) by 0 to 63 places, other amounts are NC_NCS_ERR_OVERFLOW.
 * As in Rust, bits shifted out are dropped: only the amount is checked. */
static bool bits(ncs_vm_t *vm, ncs_op_t op, int64_t x, int64_t y, int64_t *r)
{
	if ((op == OP_SHL || op == OP_SHR) && (y < 0 || y > 63))
		return ncs_vm_fail(vm, NC_NCS_ERR_OVERFLOW, "shift amount %lld out of range 0 to 63 in %s", (long long)y,
				   op_text(op));
	switch (op) {
	case OP_BAND: *r = x & y; break;
	case OP_BOR: *r = x | y; break;
	case OP_BXOR: *r = x ^ y; break;
	case OP_SHL: *r = (int64_t)((uint64_t)x << y); break;
	default: *r = x < 0 ? ~(int64_t)(~(uint64_t)x >> y) : (int64_t)((uint64_t)x >> y); break;
	}
	return true;
}

bool ncs_vm_arith(ncs_vm_t *vm, ncs_op_t op, ncs_value_t *ab)
{
	ncs_value_t a = ab[0], b = ab[1];
	if (a.tag == V_INT && b.tag == V_INT && op >= OP_BAND && op <= OP_SHR) {
		int64_t r = 0;
		if (!bits(vm, op, a.u.i, b.u.i, &r))
			return false;
		ab[0] = ncs_int(r);
		return true;
	}
	if (a.tag == V_BOOL && b.tag == V_BOOL && op >= OP_BAND && op <= OP_BXOR) { /* Rust's eager bool & | ^ */
		ab[0] = ncs_bool(op == OP_BAND ? a.u.b && b.u.b : op == OP_BOR ? a.u.b || b.u.b : a.u.b != b.u.b);
		return true;
	}
	if (a.tag == V_INT && b.tag == V_INT) {
		int64_t x = a.u.i, y = b.u.i, r = 0;
		if ((op == OP_DIV || op == OP_MOD) && y == 0)
			return ncs_vm_fail(vm, NC_NCS_ERR_DIV_ZERO, "Int %s by zero", op == OP_DIV ? "division" : "remainder");
		if (!(op == OP_MOD && x == INT64_MIN && y == -1) && !ncs_int_arith(op, x, y, &r))
			return ncs_vm_fail(vm, NC_NCS_ERR_OVERFLOW, "Int overflow in %s", op_text(op));
		ab[0] = ncs_int(r);
		return true;
	}
	if (a.tag == V_FLOAT && b.tag == V_FLOAT && op <= OP_DIV) {
		double x = a.u.f, y = b.u.f;
		ab[0] = ncs_float(op == OP_ADD ? x + y : op == OP_SUB ? x - y : op == OP_MUL ? x * y : x / y);
		return true;
	}
	if (a.tag == V_STR && b.tag == V_STR && op == OP_ADD)
		return concat(vm, ab);
	return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "cannot apply %s to %s and %s", op_text(op), ncs_type_name(a),
			   ncs_type_name(b));
}

bool ncs_vm_compare(ncs_vm_t *vm, ncs_op_t op, ncs_value_t *ab)
{
	bool ok = ab[0].tag == ab[1].tag && (ab[0].tag == V_INT || ab[0].tag == V_FLOAT || ab[0].tag == V_STR ||
					      ab[0].tag == V_BOOL);
	int c = ok ? ncs_value_compare(ab[0], ab[1], &ok, NCS_WALK_ANY) : 0; /* scalars */
	if (!ok)
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "cannot compare %s %s %s", ncs_type_name(ab[0]), op_text(op),
				   ncs_type_name(ab[1]));
	bool r;
	if (ab[0].tag == V_FLOAT) { /* IEEE: NaN compares false */
		double x = ab[0].u.f, y = ab[1].u.f;
		r = op == OP_LT ? x < y : op == OP_LE ? x <= y : op == OP_GT ? x > y : x >= y;
	} else {
		r = op == OP_LT ? c < 0 : op == OP_LE ? c <= 0 : op == OP_GT ? c > 0 : c >= 0;
	}
	ncs_unref(vm->st, ab[0]);
	ncs_unref(vm->st, ab[1]);
	ab[0] = ncs_bool(r);
	return true;
}

bool ncs_vm_unary(ncs_vm_t *vm, ncs_op_t op, ncs_value_t *a)
{
	if (op == OP_NOT) { /* logical on Bool, bitwise on Int (Rust's `!`) */
		if (a->tag == V_INT) {
			a->u.i = ~a->u.i;
			return true;
		}
		if (a->tag != V_BOOL)
			return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "`!` needs Bool or Int, not %s", ncs_type_name(*a));
		a->u.b = !a->u.b;
		return true;
	}
	if (a->tag == V_INT) {
		if (a->u.i == INT64_MIN)
			return ncs_vm_fail(vm, NC_NCS_ERR_OVERFLOW, "Int overflow in unary -");
		a->u.i = -a->u.i;
		return true;
	}
	if (a->tag == V_FLOAT) {
		a->u.f = -a->u.f;
		return true;
	}
	return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "unary - needs a number, not %s", ncs_type_name(*a));
}

bool ncs_vm_method(ncs_vm_t *vm, ncs_value_t *place, const ncs_method_site_t *site)
{
	ncs_value_t args[8], out = ncs_unit();
	uint32_t n = site->n_args, extra = n - 1;
	ncs_value_t *sp = vm->sp;
	ncs_value_t *recv = place ? place : sp - n;
	int b = recv->tag == V_STR ? site->for_str : recv->tag == V_ARR ? site->for_arr
		: recv->tag == V_MAP ? site->for_map : -1;
	if (b < 0)
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "%s has no method `%.*s`", ncs_type_name(*recv),
				   (int)site->name_len, site->name);
	const ncs_builtin_t *bi = &ncs_builtins[b];
	if (n < bi->min_args || n > bi->max_args)
		return ncs_vm_fail(vm, NC_NCS_ERR_ARGS, "wrong number of arguments to `%.*s`", (int)site->name_len,
				   site->name);
	args[0] = *recv; /* moved: keeps the reference count at 1 for in-place updates */
	for (uint32_t i = 0; i < extra; i++)
		args[1 + i] = sp[-(int)extra + (int)i];
	size_t recv_at = (size_t)(recv - vm->stack), sp_at = (size_t)(sp - vm->stack);
	bool ok = bi->fn(vm, args, n, &out);
	recv = vm->stack + recv_at; /* a callback into the script may have moved the stack */
	sp = vm->stack + sp_at;
	*recv = args[0];
	for (uint32_t i = 0; i < extra; i++)
		ncs_unref(vm->st, *--sp);
	if (!place)
		ncs_unref(vm->st, *--sp);
	*sp++ = out;
	vm->sp = sp;
	return ok;
}

static bool collect(ncs_vm_t *vm, ncs_value_t *dst, ncs_obj_t *parent, uint32_t n)
{
	ncs_value_t *src = vm->sp - n;
	bool ok = true;
	for (uint32_t i = 0; i < n; i++) {
		dst[i] = src[i];
		ok = ok && ncs_note_child(vm->st, parent, src[i]);
	}
	vm->sp -= n;
	return ok;
}

bool ncs_vm_build(ncs_vm_t *vm, const ncs_ins_t *ins)
{
	ncs_state_t *st = vm->st;
	ncs_value_t v;
	switch (ins->op) {
	case OP_ARRAY:
	case OP_TUPLE: {
		if (!ncs_arr_new(st, ins->op == OP_ARRAY ? V_ARR : V_TUPLE, ins->b, &v))
			return false;
		ncs_arr_t *a = (ncs_arr_t *)v.u.o;
		a->len = ins->b;
		bool ok = collect(vm, a->items, &a->h, ins->b);
		*vm->sp++ = v;
		return ok;
	}
	case OP_STRUCT:
	case OP_VARIANT:
	case OP_CLOSURE: {
		uint32_t n = ins->op == OP_STRUCT ? vm->prog->structs[ins->b].n_fields : ins->a;
		uint16_t kind = ins->op == OP_STRUCT ? V_STRUCT : ins->op == OP_VARIANT ? V_VARIANT : V_CLOSURE;
		if (!ncs_rec_new(st, kind, ins->b, n, &v))
			return false;
		ncs_rec_t *r = (ncs_rec_t *)v.u.o;
		bool ok = collect(vm, r->f, &r->h, n);
		*vm->sp++ = v;
		return ok;
	}
	case OP_CHECKSTRUCT: {
		ncs_value_t t = vm->sp[-1];
		if (t.tag != V_STRUCT || ((ncs_rec_t *)t.u.o)->id != ins->b)
			return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "struct update base must be a %.*s",
					   (int)vm->prog->structs[ins->b].name_len, vm->prog->structs[ins->b].name);
		return true;
	}
	case OP_ARRAYREP: {
		ncs_value_t cnt = vm->sp[-1], item = vm->sp[-2];
		if (cnt.tag != V_INT || cnt.u.i < 0 || cnt.u.i > UINT32_MAX / 2)
			return ncs_vm_fail(vm, NC_NCS_ERR_VALUE, "array length must be an Int from 0 to %u", UINT32_MAX / 2);
		if (!ncs_vm_charge(vm, (uint64_t)cnt.u.i) || !ncs_arr_new(st, V_ARR, (uint32_t)cnt.u.i, &v))
			return false;
		ncs_arr_t *a = (ncs_arr_t *)v.u.o;
		if (!ncs_note_child(st, &a->h, item)) {
			ncs_unref(st, v);
			return false;
		}
		for (uint32_t i = 0; i < (uint32_t)cnt.u.i; i++) {
			ncs_ref(item);
			a->items[a->len++] = item;
		}
		vm->sp -= 2;
		ncs_unref(st, item);
		*vm->sp++ = v;
		return true;
	}
	default: { /* OP_RANGE */
		ncs_value_t lo = vm->sp[-2], hi = vm->sp[-1];
		if (lo.tag != V_INT || hi.tag != V_INT)
			return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "range bounds must be Int");
		int64_t end = hi.u.i;
		if (ins->a && end == INT64_MAX)
			return ncs_vm_fail(vm, NC_NCS_ERR_OVERFLOW, "range end overflows");
		end += ins->a;
		uint64_t n = end > lo.u.i ? (uint64_t)end - (uint64_t)lo.u.i : 0;
		if (n > UINT32_MAX / 2)
			return ncs_vm_fail(vm, NC_NCS_ERR_LIMIT_ALLOC, "range too long to materialise");
		if (!ncs_vm_charge(vm, n) || !ncs_arr_new(st, V_ARR, (uint32_t)n, &v))
			return false;
		ncs_arr_t *a = (ncs_arr_t *)v.u.o;
		for (uint64_t i = 0; i < n; i++)
			a->items[a->len++] = ncs_int(lo.u.i + (int64_t)i);
		vm->sp -= 2;
		*vm->sp++ = v;
		return true;
	}
	}
}
