/* The builtin table: every module function and method the compiler can resolve,
 * with its arity. Methods are the functions whose first argument is the receiver
 * (recv 1: String, 2: Array, 3: Map); `mutates` marks methods that change the receiver
 * in place (the compiler then requires a `let mut` receiver). */
#include "builtins.h"
#include <nc/mem.h>

const ncs_builtin_t ncs_builtins[] = {
	{ "", "print", ncs_b_print, 1, 1, 0, 0 },
	{ "string", "len", ncs_b_str_len, 1, 1, 0, 1 },
	{ "string", "upper", ncs_b_str_upper, 1, 1, 0, 1 },
	{ "string", "lower", ncs_b_str_lower, 1, 1, 0, 1 },
	{ "string", "trim", ncs_b_str_trim, 1, 1, 0, 1 },
	{ "string", "split", ncs_b_str_split, 2, 2, 0, 1 },
	{ "string", "contains", ncs_b_str_contains, 2, 2, 0, 1 },
	{ "string", "starts_with", ncs_b_str_starts_with, 2, 2, 0, 1 },
	{ "string", "ends_with", ncs_b_str_ends_with, 2, 2, 0, 1 },
	{ "string", "replace", ncs_b_str_replace, 3, 3, 0, 1 },
	{ "string", "find", ncs_b_str_find, 2, 2, 0, 1 },
	{ "string", "from_int", ncs_b_str_from_int, 1, 1, 0, 0 },
	{ "string", "from", ncs_b_str_from, 1, 1, 0, 0 },
	{ "string", "to_int", ncs_b_str_to_int, 1, 1, 0, 1 },
	{ "string", "to_float", ncs_b_str_to_float, 1, 1, 0, 1 },
	{ "string", "chars", ncs_b_str_chars, 1, 1, 0, 1 },
	{ "string", "repeat", ncs_b_str_repeat, 2, 2, 0, 1 },
	{ "string", "slice", ncs_b_str_slice, 3, 3, 0, 1 },
	{ "string", "is_empty", ncs_b_str_is_empty, 1, 1, 0, 1 },
	{ "string", "join", ncs_b_arr_join, 2, 2, 0, 0 },
	{ "math", "abs", ncs_b_math_abs, 1, 1, 0, 0 },
	{ "math", "min", ncs_b_math_min, 2, 2, 0, 0 },
	{ "math", "max", ncs_b_math_max, 2, 2, 0, 0 },
	{ "math", "pow", ncs_b_math_pow, 2, 2, 0, 0 },
	{ "math", "sqrt", ncs_b_math_sqrt, 1, 1, 0, 0 },
	{ "math", "floor", ncs_b_math_floor, 1, 1, 0, 0 },
	{ "math", "ceil", ncs_b_math_ceil, 1, 1, 0, 0 },
	{ "math", "round", ncs_b_math_round, 1, 1, 0, 0 },
	{ "math", "pi", ncs_b_math_pi, 0, 0, 0, 0 },
	{ "math", "clamp", ncs_b_math_clamp, 3, 3, 0, 0 },
	{ "array", "len", ncs_b_arr_len, 1, 1, 0, 2 },
	{ "array", "is_empty", ncs_b_arr_is_empty, 1, 1, 0, 2 },
	{ "array", "push", ncs_b_arr_push, 2, 2, 1, 2 },
	{ "array", "pop", ncs_b_arr_pop, 1, 1, 1, 2 },
	{ "array", "get", ncs_b_arr_get, 2, 2, 0, 2 },
	{ "array", "insert", ncs_b_arr_insert, 3, 3, 1, 2 },
	{ "array", "remove", ncs_b_arr_remove, 2, 2, 1, 2 },
	{ "array", "contains", ncs_b_arr_contains, 2, 2, 0, 2 },
	{ "array", "index_of", ncs_b_arr_index_of, 2, 2, 0, 2 },
	{ "array", "sort", ncs_b_arr_sort, 1, 1, 1, 2 },
	{ "array", "sort_by", ncs_b_arr_sort_by, 2, 2, 1, 2 },
	{ "array", "reverse", ncs_b_arr_reverse, 1, 1, 1, 2 },
	{ "array", "join", ncs_b_arr_join, 2, 2, 0, 2 },
	{ "array", "first", ncs_b_arr_first, 1, 1, 0, 2 },
	{ "array", "last", ncs_b_arr_last, 1, 1, 0, 2 },
	{ "array", "slice", ncs_b_arr_slice, 3, 3, 0, 2 },
	{ "array", "clear", ncs_b_arr_clear, 1, 1, 1, 2 },
	{ "array", "sum", ncs_b_arr_sum, 1, 1, 0, 2 },
	{ "map", "new", ncs_b_map_new, 0, 0, 0, 0 },
	{ "map", "from", ncs_b_map_from, 1, 1, 0, 0 },
	{ "map", "len", ncs_b_map_len, 1, 1, 0, 3 },
	{ "map", "is_empty", ncs_b_map_is_empty, 1, 1, 0, 3 },
	{ "map", "insert", ncs_b_map_insert, 3, 3, 1, 3 },
	{ "map", "get", ncs_b_map_get, 2, 2, 0, 3 },
	{ "map", "get_or", ncs_b_map_get_or, 3, 3, 0, 3 },
	{ "map", "contains_key", ncs_b_map_contains_key, 2, 2, 0, 3 },
	{ "map", "contains", ncs_b_map_contains_key, 2, 2, 0, 3 },
	{ "map", "remove", ncs_b_map_remove, 2, 2, 1, 3 },
	{ "map", "clear", ncs_b_map_clear, 1, 1, 1, 3 },
	{ "map", "keys", ncs_b_map_keys, 1, 1, 0, 3 },
	{ "map", "values", ncs_b_map_values, 1, 1, 0, 3 },
	{ "fs", "read", ncs_b_fs_read, 1, 1, 0, 0 },
	{ "fs", "write", ncs_b_fs_write, 2, 2, 0, 0 },
	{ "fs", "list", ncs_b_fs_list, 1, 1, 0, 0 },
	{ "fs", "append", ncs_b_fs_append, 2, 2, 0, 0 },
	{ "fs", "remove", ncs_b_fs_remove, 1, 1, 0, 0 },
	{ "fs", "mkdir", ncs_b_fs_mkdir, 1, 1, 0, 0 },
	{ "net", "connect", ncs_b_net_connect, 1, 1, 0, 0 },
	{ "net", "send", ncs_b_net_send, 2, 2, 0, 0 },
	{ "net", "recv", ncs_b_net_recv, 1, 1, 0, 0 },
	{ "net", "fetch", ncs_b_net_fetch, 1, 2, 0, 0 },
	{ "ai", "invoke", ncs_b_ai_invoke, 2, 2, 0, 0 },
	{ "ai", "stream", ncs_b_ai_stream, 2, 2, 0, 0 },
	{ "ai", "embed", ncs_b_ai_embed, 2, 2, 0, 0 },
	{ "ai", "classify", ncs_b_ai_classify, 2, 3, 0, 0 },
	{ "ai", "transcribe", ncs_b_ai_transcribe, 2, 2, 0, 0 },
	{ "agent", "task", ncs_b_agent_task, 1, 1, 0, 0 },
};
const uint32_t ncs_n_builtins = sizeof ncs_builtins / sizeof ncs_builtins[0];

static bool eq(const char *s, const char *p, size_t n) { return nc_str_len(s) == n && nc_mem_compare(s, p, n) == 0; }

int ncs_builtin_find(const char *module, size_t mlen, const char *name, size_t nlen)
{
	for (uint32_t i = 0; i < ncs_n_builtins; i++)
		if (eq(ncs_builtins[i].module, module, mlen) && eq(ncs_builtins[i].name, name, nlen))
			return (int)i;
	return -1;
}

int ncs_builtin_find_method(uint8_t recv, const char *name, size_t nlen)
{
	for (uint32_t i = 0; i < ncs_n_builtins; i++)
		if (ncs_builtins[i].recv == recv && eq(ncs_builtins[i].name, name, nlen))
			return (int)i;
	return -1;
}

bool ncs_arg_str(ncs_vm_t *vm, const ncs_value_t *args, uint32_t i, const char *fn, ncs_str_t **out)
{
	if (args[i].tag != V_STR)
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "%s: argument %u must be String, not %s", fn, i + 1,
				   ncs_type_name(args[i]));
	*out = (ncs_str_t *)args[i].u.o;
	return true;
}

bool ncs_arg_int(ncs_vm_t *vm, const ncs_value_t *args, uint32_t i, const char *fn, int64_t *out)
{
	if (args[i].tag != V_INT)
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "%s: argument %u must be Int, not %s", fn, i + 1,
				   ncs_type_name(args[i]));
	*out = args[i].u.i;
	return true;
}

bool ncs_arg_arr(ncs_vm_t *vm, const ncs_value_t *args, uint32_t i, const char *fn, ncs_arr_t **out)
{
	if (args[i].tag != V_ARR)
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "%s: argument %u must be Array, not %s", fn, i + 1,
				   ncs_type_name(args[i]));
	*out = (ncs_arr_t *)args[i].u.o;
	return true;
}

bool ncs_make_variant(ncs_vm_t *vm, uint32_t id, ncs_value_t v, ncs_value_t *out)
{
	if (id == NCS_VAR_NONE) {
		ncs_value_t t = { V_TAG, NCS_VAR_NONE, { .i = 0 } };
		*out = t;
		return true;
	}
	if (!ncs_rec_new(ncs_vm_state(vm), V_VARIANT, id, 1, out)) {
		ncs_unref(ncs_vm_state(vm), v);
		return false;
	}
	ncs_rec_t *r = (ncs_rec_t *)out->u.o;
	if (!ncs_note_child(ncs_vm_state(vm), &r->h, v)) {
		ncs_unref(ncs_vm_state(vm), v);
		return false;
	}
	r->f[0] = v;
	return true;
}

NCS_BUILTIN(ncs_b_print)
{
	ncs_buf_t b = { ncs_vm_state(vm), NULL, 0, 0, false };
	ncs_value_write(&b, args[0], false);
	ncs_buf_put(&b, "\n", 1);
	bool ok = !b.failed && ncs_vm_print(vm, b.buf, b.len);
	ncs_buf_free(&b);
	*out = ncs_unit();
	return ok;
}
