/* string:: module (also the String methods). Pure. Lengths and indices count
 * characters (UTF-8 code points); upper/lower change ASCII letters only.
 * Work is charged to the step budget at one step per 16 bytes handled. */
#include "builtins.h"
#include <nc/mem.h>

static bool charge(ncs_vm_t *vm, size_t bytes) { return ncs_vm_charge(vm, bytes / 16); }

static bool new_str(ncs_vm_t *vm, const char *p, size_t n, ncs_value_t *out)
{
	return charge(vm, n) && ncs_str_new(ncs_vm_state(vm), p, n, out);
}

/* Byte offset of needle in hay at or after from, or -1. */
static int64_t find_bytes(const ncs_str_t *hay, const ncs_str_t *needle, uint32_t from)
{
	if (needle->len_bytes > hay->len_bytes)
		return -1;
	for (uint32_t i = from; i + needle->len_bytes <= hay->len_bytes; i++)
		if (nc_mem_compare(hay->bytes + i, needle->bytes, needle->len_bytes) == 0)
			return i;
	return -1;
}

NCS_BUILTIN(ncs_b_str_len)
{
	ncs_str_t *s;
	if (!ncs_arg_str(vm, args, 0, "len", &s))
		return false;
	*out = ncs_int(s->n_chars);
	return true;
}

NCS_BUILTIN(ncs_b_str_is_empty)
{
	ncs_str_t *s;
	if (!ncs_arg_str(vm, args, 0, "is_empty", &s))
		return false;
	*out = ncs_bool(s->len_bytes == 0);
	return true;
}

static bool map_case(ncs_vm_t *vm, ncs_value_t *args, ncs_value_t *out, bool upper)
{
	ncs_str_t *s;
	if (!ncs_arg_str(vm, args, 0, upper ? "upper" : "lower", &s) || !new_str(vm, s->bytes, s->len_bytes, out))
		return false;
	ncs_str_t *r = (ncs_str_t *)out->u.o;
	for (uint32_t i = 0; i < r->len_bytes; i++) {
		char c = r->bytes[i];
		if (upper && c >= 'a' && c <= 'z')
			r->bytes[i] = (char)(c - 32);
		else if (!upper && c >= 'A' && c <= 'Z')
			r->bytes[i] = (char)(c + 32);
	}
	return true;
}

NCS_BUILTIN(ncs_b_str_upper) { return map_case(vm, args, out, true); }
NCS_BUILTIN(ncs_b_str_lower) { return map_case(vm, args, out, false); }

NCS_BUILTIN(ncs_b_str_trim)
{
	ncs_str_t *s;
	if (!ncs_arg_str(vm, args, 0, "trim", &s))
		return false;
	uint32_t a = 0, b = s->len_bytes;
	while (a < b && (s->bytes[a] == ' ' || s->bytes[a] == '\t' || s->bytes[a] == '\n' || s->bytes[a] == '\r'))
		a++;
	while (b > a && (s->bytes[b - 1] == ' ' || s->bytes[b - 1] == '\t' || s->bytes[b - 1] == '\n' ||
			 s->bytes[b - 1] == '\r'))
		b--;
	return new_str(vm, s->bytes + a, b - a, out);
}

NCS_BUILTIN(ncs_b_str_chars)
{
	ncs_state_t *st = ncs_vm_state(vm);
	ncs_str_t *s;
	if (!ncs_arg_str(vm, args, 0, "chars", &s) || !charge(vm, s->len_bytes) ||
	    !ncs_arr_new(st, V_ARR, s->n_chars, out))
		return false;
	ncs_arr_t *a = (ncs_arr_t *)out->u.o;
	for (uint32_t i = 0; i < s->len_bytes;) {
		uint32_t e = i + 1;
		while (e < s->len_bytes && ((unsigned char)s->bytes[e] & 0xc0) == 0x80)
			e++;
		ncs_value_t c;
		if (!ncs_str_new(st, s->bytes + i, e - i, &c) || !ncs_arr_push(st, a, c))
			return false;
		i = e;
	}
	return true;
}

NCS_BUILTIN(ncs_b_str_split)
{
	ncs_state_t *st = ncs_vm_state(vm);
	ncs_str_t *s, *sep;
	if (!ncs_arg_str(vm, args, 0, "split", &s) || !ncs_arg_str(vm, args, 1, "split", &sep))
		return false;
	if (sep->len_bytes == 0)
		return ncs_b_str_chars(vm, args, 1, out);
	if (!charge(vm, s->len_bytes) || !ncs_arr_new(st, V_ARR, 0, out))
		return false;
	ncs_arr_t *a = (ncs_arr_t *)out->u.o;
	uint32_t start = 0;
	for (;;) {
		int64_t at = find_bytes(s, sep, start);
		uint32_t end = at < 0 ? s->len_bytes : (uint32_t)at;
		ncs_value_t part;
		if (!ncs_str_new(st, s->bytes + start, end - start, &part) || !ncs_arr_push(st, a, part))
			return false;
		if (at < 0)
			return true;
		start = end + sep->len_bytes;
	}
}

static bool two_strs(ncs_vm_t *vm, ncs_value_t *args, const char *fn, ncs_str_t **a, ncs_str_t **b)
{
	return ncs_arg_str(vm, args, 0, fn, a) && ncs_arg_str(vm, args, 1, fn, b) && charge(vm, (*a)->len_bytes);
}

NCS_BUILTIN(ncs_b_str_contains)
{
	ncs_str_t *a, *b;
	if (!two_strs(vm, args, "contains", &a, &b))
		return false;
	*out = ncs_bool(find_bytes(a, b, 0) >= 0);
	return true;
}

NCS_BUILTIN(ncs_b_str_starts_with)
{
	ncs_str_t *a, *b;
	if (!two_strs(vm, args, "starts_with", &a, &b))
		return false;
	*out = ncs_bool(b->len_bytes <= a->len_bytes && nc_mem_compare(a->bytes, b->bytes, b->len_bytes) == 0);
	return true;
}

NCS_BUILTIN(ncs_b_str_ends_with)
{
	ncs_str_t *a, *b;
	if (!two_strs(vm, args, "ends_with", &a, &b))
		return false;
	*out = ncs_bool(b->len_bytes <= a->len_bytes &&
			nc_mem_compare(a->bytes + a->len_bytes - b->len_bytes, b->bytes, b->len_bytes) == 0);
	return true;
}

NCS_BUILTIN(ncs_b_str_find)
{
	ncs_str_t *a, *b;
	if (!two_strs(vm, args, "find", &a, &b))
		return false;
	int64_t at = find_bytes(a, b, 0);
	if (at < 0)
		return ncs_make_variant(vm, NCS_VAR_NONE, ncs_unit(), out);
	return ncs_make_variant(vm, NCS_VAR_SOME, ncs_int(ncs_utf8_count(a->bytes, (size_t)at)), out);
}

NCS_BUILTIN(ncs_b_str_replace)
{
	ncs_str_t *s, *from, *to;
	if (!ncs_arg_str(vm, args, 0, "replace", &s) || !ncs_arg_str(vm, args, 1, "replace", &from) ||
	    !ncs_arg_str(vm, args, 2, "replace", &to) || !charge(vm, s->len_bytes))
		return false;
	if (from->len_bytes == 0)
		return ncs_vm_fail(vm, NC_NCS_ERR_VALUE, "replace: the pattern must not be empty");
	ncs_buf_t b = { ncs_vm_state(vm), NULL, 0, 0, false };
	uint32_t start = 0;
	for (;;) {
		int64_t at = find_bytes(s, from, start);
		uint32_t end = at < 0 ? s->len_bytes : (uint32_t)at;
		ncs_buf_put(&b, s->bytes + start, end - start);
		if (at < 0)
			break;
		ncs_buf_put(&b, to->bytes, to->len_bytes);
		if (!charge(vm, to->len_bytes)) {
			ncs_buf_free(&b);
			return false;
		}
		start = end + from->len_bytes;
	}
	return ncs_buf_to_value(&b, out);
}

NCS_BUILTIN(ncs_b_str_repeat)
{
	ncs_str_t *s;
	int64_t times;
	if (!ncs_arg_str(vm, args, 0, "repeat", &s) || !ncs_arg_int(vm, args, 1, "repeat", &times))
		return false;
	if (times < 0 || (s->len_bytes && (uint64_t)times > (UINT32_MAX / 2) / s->len_bytes))
		return ncs_vm_fail(vm, NC_NCS_ERR_VALUE, "repeat: count %lld out of range", (long long)times);
	if (!charge(vm, (size_t)times * s->len_bytes))
		return false;
	ncs_buf_t b = { ncs_vm_state(vm), NULL, 0, 0, false };
	for (int64_t i = 0; i < times && !b.failed; i++)
		ncs_buf_put(&b, s->bytes, s->len_bytes);
	return ncs_buf_to_value(&b, out);
}

NCS_BUILTIN(ncs_b_str_slice)
{
	ncs_str_t *s;
	int64_t a, b;
	if (!ncs_arg_str(vm, args, 0, "slice", &s) || !ncs_arg_int(vm, args, 1, "slice", &a) ||
	    !ncs_arg_int(vm, args, 2, "slice", &b))
		return false;
	if (a < 0 || b < a || b > s->n_chars)
		return ncs_vm_fail(vm, NC_NCS_ERR_INDEX, "slice %lld..%lld out of bounds (length %u)", (long long)a,
				   (long long)b, s->n_chars);
	uint32_t off = 0, ci = 0, start = 0;
	for (; off <= s->len_bytes; off++) {
		if (off < s->len_bytes && ((unsigned char)s->bytes[off] & 0xc0) == 0x80)
			continue;
		if (ci == a)
			start = off;
		if (ci == b)
			break;
		ci++;
	}
	return new_str(vm, s->bytes + start, off - start, out);
}

NCS_BUILTIN(ncs_b_str_from_int)
{
	int64_t v;
	char buf[24];
	if (!ncs_arg_int(vm, args, 0, "from_int", &v))
		return false;
	return ncs_str_new(ncs_vm_state(vm), buf, ncs_format_int(v, buf), out);
}

NCS_BUILTIN(ncs_b_str_from)
{
	ncs_buf_t b = { ncs_vm_state(vm), NULL, 0, 0, false };
	ncs_value_write(&b, args[0], false);
	return ncs_buf_to_value(&b, out);
}

NCS_BUILTIN(ncs_b_str_to_int)
{
	ncs_str_t *s;
	if (!ncs_arg_str(vm, args, 0, "to_int", &s))
		return false;
	const char *p = s->bytes;
	uint32_t len = s->len_bytes, i = 0;
	bool neg = len > 0 && (p[0] == '-' || p[0] == '+');
	uint64_t v = 0, lim = neg && p[0] == '-' ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	bool ok = len > (uint32_t)neg;
	for (i = neg; ok && i < len; i++) {
		if (p[i] < '0' || p[i] > '9' || v > (lim - (uint64_t)(p[i] - '0')) / 10)
			ok = false;
		else
			v = v * 10 + (uint64_t)(p[i] - '0');
	}
	if (!ok) {
		ncs_value_t msg;
		if (!ncs_str_new(ncs_vm_state(vm), "invalid Int", 11, &msg))
			return false;
		return ncs_make_variant(vm, NCS_VAR_ERR, msg, out);
	}
	int64_t r = neg && p[0] == '-' ? (int64_t)(0 - v) : (int64_t)v;
	return ncs_make_variant(vm, NCS_VAR_OK, ncs_int(r), out);
}

NCS_BUILTIN(ncs_b_str_to_float)
{
	ncs_str_t *s;
	double d;
	if (!ncs_arg_str(vm, args, 0, "to_float", &s))
		return false;
	const char *p = s->bytes;
	uint32_t len = s->len_bytes;
	bool neg = len > 0 && p[0] == '-';
	if (!nc_ncs_parse_float(p + neg, len - neg, &d)) {
		ncs_value_t msg;
		if (!ncs_str_new(ncs_vm_state(vm), "invalid Float", 13, &msg))
			return false;
		return ncs_make_variant(vm, NCS_VAR_ERR, msg, out);
	}
	return ncs_make_variant(vm, NCS_VAR_OK, ncs_float(neg ? -d : d), out);
}
