/* array:: module (the Array methods). Pure. Mutating methods (push, pop, insert,
 * remove, sort, sort_by, reverse, clear) receive their receiver by place in
 * args[0] and copy it first when shared (copy-on-write). sort is a stable merge
 * sort over the total order of ncs_value_compare; mixed or unordered elements
 * are NC_NCS_ERR_TYPE. sort_by is the same merge sort with a script comparator
 * called back through ncs_vm_call (the one builtin that re-enters the VM).
 * Work is charged per element touched. */
#include "builtins.h"
#include <nc/mem.h>

static bool recv(ncs_vm_t *vm, ncs_value_t *args, const char *fn, bool mutate, ncs_arr_t **a)
{
	if (!ncs_arg_arr(vm, args, 0, fn, a))
		return false;
	if (mutate) {
		if (!ncs_make_unique(ncs_vm_state(vm), &args[0]))
			return false;
		*a = (ncs_arr_t *)args[0].u.o;
	}
	return true;
}

static bool some_of(ncs_vm_t *vm, ncs_arr_t *a, int64_t i, ncs_value_t *out)
{
	if (i < 0 || (uint64_t)i >= a->len)
		return ncs_make_variant(vm, NCS_VAR_NONE, ncs_unit(), out);
	ncs_ref(a->items[i]);
	return ncs_make_variant(vm, NCS_VAR_SOME, a->items[i], out);
}

NCS_BUILTIN(ncs_b_arr_len)
{
	ncs_arr_t *a;
	if (!recv(vm, args, "len", false, &a))
		return false;
	*out = ncs_int(a->len);
	return true;
}

NCS_BUILTIN(ncs_b_arr_is_empty)
{
	ncs_arr_t *a;
	if (!recv(vm, args, "is_empty", false, &a))
		return false;
	*out = ncs_bool(a->len == 0);
	return true;
}

NCS_BUILTIN(ncs_b_arr_push)
{
	ncs_arr_t *a;
	if (!recv(vm, args, "push", true, &a))
		return false;
	ncs_ref(args[1]);
	return ncs_arr_push(ncs_vm_state(vm), a, args[1]);
}

NCS_BUILTIN(ncs_b_arr_pop)
{
	ncs_arr_t *a;
	if (!recv(vm, args, "pop", true, &a))
		return false;
	if (a->len == 0)
		return ncs_make_variant(vm, NCS_VAR_NONE, ncs_unit(), out);
	return ncs_make_variant(vm, NCS_VAR_SOME, a->items[--a->len], out);
}

NCS_BUILTIN(ncs_b_arr_get)
{
	ncs_arr_t *a;
	int64_t i;
	return recv(vm, args, "get", false, &a) && ncs_arg_int(vm, args, 1, "get", &i) && some_of(vm, a, i, out);
}

NCS_BUILTIN(ncs_b_arr_first)
{
	ncs_arr_t *a;
	return recv(vm, args, "first", false, &a) && some_of(vm, a, 0, out);
}

NCS_BUILTIN(ncs_b_arr_last)
{
	ncs_arr_t *a;
	return recv(vm, args, "last", false, &a) && some_of(vm, a, (int64_t)a->len - 1, out);
}

NCS_BUILTIN(ncs_b_arr_insert)
{
	ncs_arr_t *a;
	int64_t i;
	if (!ncs_arg_int(vm, args, 1, "insert", &i) || !recv(vm, args, "insert", true, &a))
		return false;
	if (i < 0 || (uint64_t)i > a->len)
		return ncs_vm_fail(vm, NC_NCS_ERR_INDEX, "insert index %lld out of bounds (length %u)", (long long)i, a->len);
	if (!ncs_vm_charge(vm, a->len - (uint64_t)i))
		return false;
	ncs_ref(args[2]);
	if (!ncs_arr_push(ncs_vm_state(vm), a, args[2]))
		return false;
	ncs_value_t v = a->items[a->len - 1];
	nc_mem_move(&a->items[i + 1], &a->items[i], (a->len - 1 - (uint64_t)i) * sizeof(ncs_value_t));
	a->items[i] = v;
	return true;
}

NCS_BUILTIN(ncs_b_arr_remove)
{
	ncs_arr_t *a;
	int64_t i;
	if (!ncs_arg_int(vm, args, 1, "remove", &i) || !recv(vm, args, "remove", true, &a))
		return false;
	if (i < 0 || (uint64_t)i >= a->len)
		return ncs_vm_fail(vm, NC_NCS_ERR_INDEX, "remove index %lld out of bounds (length %u)", (long long)i, a->len);
	if (!ncs_vm_charge(vm, a->len - (uint64_t)i))
		return false;
	*out = a->items[i];
	nc_mem_move(&a->items[i], &a->items[i + 1], (a->len - 1 - (uint64_t)i) * sizeof(ncs_value_t));
	a->len--;
	return true;
}

NCS_BUILTIN(ncs_b_arr_clear)
{
	ncs_arr_t *a;
	if (!recv(vm, args, "clear", true, &a))
		return false;
	while (a->len)
		ncs_unref(ncs_vm_state(vm), a->items[--a->len]);
	return true;
}

/* The first index of v in a, or -1; false when the comparisons ran over
 * the steps left (the step-limit error is set). */
static bool index_of(ncs_vm_t *vm, ncs_arr_t *a, ncs_value_t v, int64_t *at)
{
	ncs_walk_t w = ncs_vm_walk(vm, a->len); /* the callers charged one step per element */
	*at = -1;
	for (uint32_t i = 0; i < a->len && *at < 0 && w.parts <= w.budget; i++)
		if (ncs_value_equal(a->items[i], v, &w))
			*at = i;
	return ncs_vm_walked(vm, &w, a->len);
}

NCS_BUILTIN(ncs_b_arr_contains)
{
	ncs_arr_t *a;
	if (!recv(vm, args, "contains", false, &a) || !ncs_vm_charge(vm, a->len))
		return false;
	int64_t i;
	if (!index_of(vm, a, args[1], &i))
		return false;
	*out = ncs_bool(i >= 0);
	return true;
}

NCS_BUILTIN(ncs_b_arr_index_of)
{
	ncs_arr_t *a;
	if (!recv(vm, args, "index_of", false, &a) || !ncs_vm_charge(vm, a->len))
		return false;
	int64_t i;
	if (!index_of(vm, a, args[1], &i))
		return false;
	return i < 0 ? ncs_make_variant(vm, NCS_VAR_NONE, ncs_unit(), out)
		     : ncs_make_variant(vm, NCS_VAR_SOME, ncs_int(i), out);
}

NCS_BUILTIN(ncs_b_arr_reverse)
{
	ncs_arr_t *a;
	if (!recv(vm, args, "reverse", true, &a) || !ncs_vm_charge(vm, a->len))
		return false;
	for (uint32_t i = 0, j = a->len; i + 1 < j; i++, j--) {
		ncs_value_t t = a->items[i];
		a->items[i] = a->items[j - 1];
		a->items[j - 1] = t;
	}
	return true;
}

NCS_BUILTIN(ncs_b_arr_slice)
{
	ncs_arr_t *a;
	int64_t lo, hi;
	if (!recv(vm, args, "slice", false, &a) || !ncs_arg_int(vm, args, 1, "slice", &lo) ||
	    !ncs_arg_int(vm, args, 2, "slice", &hi))
		return false;
	if (lo < 0 || hi < lo || (uint64_t)hi > a->len)
		return ncs_vm_fail(vm, NC_NCS_ERR_INDEX, "slice %lld..%lld out of bounds (length %u)", (long long)lo,
				   (long long)hi, a->len);
	if (!ncs_vm_charge(vm, (uint64_t)(hi - lo)) || !ncs_arr_new(ncs_vm_state(vm), V_ARR, (uint32_t)(hi - lo), out))
		return false;
	ncs_arr_t *r = (ncs_arr_t *)out->u.o;
	for (int64_t i = lo; i < hi; i++) {
		r->items[r->len++] = a->items[i];
		ncs_ref(a->items[i]);
	}
	r->h.depth = a->h.depth;
	return true;
}

NCS_BUILTIN(ncs_b_arr_sum)
{
	ncs_arr_t *a;
	if (!recv(vm, args, "sum", false, &a) || !ncs_vm_charge(vm, a->len))
		return false;
	int64_t si = 0;
	double sf = 0;
	bool flt = a->len && a->items[0].tag == V_FLOAT;
	for (uint32_t i = 0; i < a->len; i++) {
		ncs_value_t v = a->items[i];
		if (flt && v.tag == V_FLOAT)
			sf += v.u.f;
		else if (!flt && v.tag == V_INT) {
			if (__builtin_add_overflow(si, v.u.i, &si))
				return ncs_vm_fail(vm, NC_NCS_ERR_OVERFLOW, "Int overflow in sum");
		} else {
			return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "sum needs all Ints or all Floats");
		}
	}
	*out = flt ? ncs_float(sf) : ncs_int(si);
	return true;
}

NCS_BUILTIN(ncs_b_arr_join)
{
	ncs_arr_t *a;
	ncs_str_t *sep;
	if (!ncs_arg_arr(vm, args, 0, "join", &a) || !ncs_arg_str(vm, args, 1, "join", &sep) ||
	    !ncs_vm_charge(vm, a->len))
		return false;
	ncs_buf_t b = { ncs_vm_state(vm), NULL, 0, 0, false };
	for (uint32_t i = 0; i < a->len && !b.failed; i++) {
		if (i)
			ncs_buf_put(&b, sep->bytes, sep->len_bytes);
		ncs_value_write(&b, a->items[i], false);
	}
	return ncs_buf_to_value(&b, out);
}

/* Ordering used by merge_sort: *before set when a must come before b; false
 * (error recorded by the caller or the callee) stops the sort. */
typedef bool (*before_fn)(ncs_vm_t *vm, ncs_value_t cmp, ncs_value_t a, ncs_value_t b, bool *before);

/* Stable bottom-up merge sort of v[0..n) using tmp[0..n). Each merge step moves
 * the right element first only when before(right, left), so equal elements keep
 * their order, and any ordering, even an inconsistent one, ends after at most
 * n * ceil(log2 n) comparisons. tmp only ever holds copies: v stays a
 * permutation of its elements when a comparison fails part way. */
static bool merge_sort(ncs_vm_t *vm, before_fn before, ncs_value_t cmp, ncs_value_t *v, ncs_value_t *tmp, uint32_t n)
{
	for (uint32_t w = 1; w < n; w *= 2) {
		for (uint32_t lo = 0; lo < n; lo += 2 * w) {
			uint32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			uint32_t i = lo, j = mid, o = lo;
			while (i < mid && j < hi) {
				bool right_first;
				if (!before(vm, cmp, v[j], v[i], &right_first))
					return false;
				tmp[o++] = right_first ? v[j++] : v[i++];
			}
			while (i < mid)
				tmp[o++] = v[i++];
			while (j < hi)
				tmp[o++] = v[j++];
		}
		nc_mem_copy(v, tmp, (size_t)n * sizeof *v);
	}
	return true;
}

static bool natural_before(ncs_vm_t *vm, ncs_value_t cmp, ncs_value_t a, ncs_value_t b, bool *before)
{
	bool ok;
	(void)cmp;
	ncs_walk_t w = ncs_vm_walk(vm, 1); /* sort charged about one step per comparison */
	*before = ncs_value_compare(a, b, &ok, &w) < 0;
	if (!ncs_vm_walked(vm, &w, 1))
		return false;
	return ok || ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "sort: %s values have no order", ncs_type_name(a));
}

static bool script_before(ncs_vm_t *vm, ncs_value_t cmp, ncs_value_t a, ncs_value_t b, bool *before)
{
	ncs_value_t args[2] = { a, b }, r;
	if (!ncs_vm_call(vm, cmp, args, 2, &r))
		return false;
	if (r.tag != V_BOOL) {
		ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "sort_by: the comparator must return Bool, not %s", ncs_type_name(r));
		ncs_unref(ncs_vm_state(vm), r);
		return false;
	}
	*before = r.u.b;
	return true;
}

/* Sort the receiver args[0] in place; cmp is () for the natural order. */
static bool sort_with(ncs_vm_t *vm, ncs_value_t *args, const char *name, before_fn before, ncs_value_t cmp)
{
	ncs_arr_t *a;
	ncs_state_t *st = ncs_vm_state(vm);
	if (!recv(vm, args, name, true, &a))
		return false;
	uint64_t log = 1;
	while ((1ull << log) < a->len)
		log++;
	if (!ncs_vm_charge(vm, a->len * log))
		return false;
	if (a->len < 2)
		return true;
	if (before == natural_before)
		for (uint32_t i = 1; i < a->len; i++)
			if (a->items[i].tag != a->items[0].tag)
				return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "sort: cannot order %s against %s",
						   ncs_type_name(a->items[0]), ncs_type_name(a->items[i]));
	uint32_t n = a->len;
	ncs_value_t *tmp = ncs_mem_alloc_tracked(st, (size_t)n * sizeof *tmp);
	if (!tmp)
		return false;
	/* A comparator runs script code while the array is half sorted: hold a
	 * reference so that any write reaching the array would copy it first. */
	ncs_value_t hold = ncs_obj_val(&a->h);
	ncs_ref(hold);
	bool ok = merge_sort(vm, before, cmp, a->items, tmp, n);
	ncs_unref(st, hold);
	ncs_mem_free_tracked(st, tmp, (size_t)n * sizeof *tmp);
	return ok;
}

NCS_BUILTIN(ncs_b_arr_sort)
{
	(void)n;
	return sort_with(vm, args, "sort", natural_before, ncs_unit());
}

NCS_BUILTIN(ncs_b_arr_sort_by)
{
	(void)n;
	ncs_value_t cmp = args[1]; /* copied out: the comparator may move the stack that args lives on */
	if (cmp.tag != V_FUNC && cmp.tag != V_CLOSURE)
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "sort_by: the comparator must be a function, not %s",
				   ncs_type_name(cmp));
	ncs_ref(cmp);
	bool ok = sort_with(vm, args, "sort_by", script_before, cmp);
	ncs_unref(ncs_vm_state(vm), cmp);
	return ok;
}
