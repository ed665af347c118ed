/* map:: module (map::new, map::from) and the Map methods, plus map indexing
 * (m[k], m[k] = v) for the VM. Pure. Mutating methods (insert, remove, clear)
 * receive their receiver by place in args[0] and copy it first when shared
 * (copy-on-write, charged one step per entry copied). Work over all entries
 * is charged per entry slot in use, removed ones included (holes left by
 * remove until the next rebuild). Keys are Int, Bool,
 * String, or tuples/arrays of them (NC_NCS_ERR_TYPE otherwise). Every lookup
 * charges the work ncs_map_* report (extra probes, hashing, rebuilds), so
 * colliding keys cost steps, never unbounded time. */
#include "builtins.h"
#include <nc/fmt.h>
#include <nc/mem.h>

static bool charge(ncs_vm_t *vm, uint64_t work) { return ncs_vm_charge(vm, work); }

static bool key_ok(ncs_vm_t *vm, ncs_value_t k)
{
	const char *bad;
	nc_ncs_err_t e = ncs_map_key_check(k, &bad);
	if (e == NC_NCS_ERR_TYPE)
		return ncs_vm_fail(vm, e, "map keys must be Int, Bool, String or tuples/arrays of them, not %s", bad);
	if (e != NC_NCS_OK)
		return ncs_vm_fail(vm, e, "map key too large: more than %u parts (shared parts count each time)",
				   NCS_MAP_KEY_PARTS_MAX);
	return true;
}

/* Make the map in *slot unique for an update, charging the copy. */
static bool unique(ncs_vm_t *vm, ncs_value_t *slot)
{
	if (slot->u.o->rc > 1 && !charge(vm, ((ncs_map_t *)slot->u.o)->used))
		return false;
	return ncs_make_unique(ncs_vm_state(vm), slot);
}

static bool recv(ncs_vm_t *vm, ncs_value_t *args, const char *fn, bool mutate, ncs_map_t **m)
{
	*m = NULL;
	if (args[0].tag != V_MAP)
		return ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "%s: argument 1 must be Map, not %s", fn, ncs_type_name(args[0]));
	if (mutate && !unique(vm, &args[0]))
		return false;
	*m = (ncs_map_t *)args[0].u.o;
	return true;
}

/* Entry of key in m (UINT32_MAX when absent), charging the lookup. */
static bool lookup(ncs_vm_t *vm, const ncs_map_t *m, ncs_value_t key, uint32_t *e)
{
	uint64_t work = 0;
	if (!key_ok(vm, key))
		return false;
	*e = ncs_map_find(m, key, &work);
	return charge(vm, work);
}

/* Set the checked key to val in the unique map m (references borrowed); *old
 * as ncs_map_set. */
static bool set(ncs_vm_t *vm, ncs_map_t *m, ncs_value_t key, ncs_value_t val, ncs_value_t *old, bool *had)
{
	uint64_t work = 0;
	ncs_ref(key);
	ncs_ref(val);
	if (!ncs_map_set(ncs_vm_state(vm), m, key, val, old, had, &work))
		return false;
	if (charge(vm, work))
		return true;
	if (*had) /* the value was replaced, but the run stops here: drop the old one */
		ncs_unref(ncs_vm_state(vm), *old);
	*had = false;
	return false;
}

/* Bounded text for messages: what does not fit is dropped and marked. */
typedef struct {
	char *buf;
	size_t len, cap;               /* cap excludes the NUL */
	bool cut;
	char dropped;                  /* the first byte that did not fit */
} key_text_t;

static void put(key_text_t *t, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (t->len == t->cap) {
			if (!t->cut)
				t->dropped = s[i];
			t->cut = true;
			return;
		}
		t->buf[t->len++] = s[i];
	}
}

/* The key in its printed form (Strings quoted and escaped), e.g. ("a", 1). */
static void put_key(key_text_t *t, ncs_value_t k)
{
	char num[24];
	switch (k.tag) {
	case V_INT: put(t, num, ncs_format_int(k.u.i, num)); break;
	case V_BOOL: put(t, k.u.b ? "true" : "false", k.u.b ? 4 : 5); break;
	case V_STR: {
		const ncs_str_t *s = (const ncs_str_t *)k.u.o;
		put(t, "\"", 1);
		for (uint32_t i = 0; i < s->len_bytes && !t->cut; i++) {
			char c = s->bytes[i];
			const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n" : c == '\t' ? "\\t"
					: c == '\r' ? "\\r" : NULL;
			if (esc)
				put(t, esc, 2);
			else
				put(t, &c, 1);
		}
		put(t, "\"", 1);
		break;
	}
	default: { /* a tuple or an array of keys */
		const ncs_arr_t *a = (const ncs_arr_t *)k.u.o;
		put(t, k.tag == V_TUPLE ? "(" : "[", 1);
		for (uint32_t i = 0; i < a->len && !t->cut; i++) {
			if (i)
				put(t, ", ", 2);
			put_key(t, a->items[i]);
		}
		if (k.tag == V_TUPLE && a->len == 1)
			put(t, ",", 1);
		put(t, k.tag == V_TUPLE ? ")" : "]", 1);
		break;
	}
	}
}

/* The key as messages show it, cut to 48 bytes (at a character boundary) and
 * then marked with "...". */
static void key_text(ncs_value_t k, char *buf, size_t size)
{
	key_text_t t = { buf, 0, size - 4, false, 0 };
	put_key(&t, k);
	if (t.cut) { /* when the first byte dropped continues a character, drop its start too */
		unsigned char next = (unsigned char)t.dropped;
		while (t.len && (next & 0xc0) == 0x80)
			next = (unsigned char)buf[--t.len];
		buf[t.len++] = '.';
		buf[t.len++] = '.';
		buf[t.len++] = '.';
	}
	buf[t.len] = 0;
}

bool ncs_map_index_get(ncs_vm_t *vm, const ncs_map_t *m, ncs_value_t key, ncs_value_t *out)
{
	uint32_t e;
	if (!lookup(vm, m, key, &e))
		return false;
	if (e == UINT32_MAX) {
		char text[52];
		key_text(key, text, sizeof text);
		return ncs_vm_fail(vm, NC_NCS_ERR_INDEX, "map has no key %s", text);
	}
	*out = m->ent[2 * e + 1];
	ncs_ref(*out);
	return true;
}

bool ncs_map_index_set(ncs_vm_t *vm, ncs_value_t *slot, ncs_value_t key, ncs_value_t val)
{
	ncs_value_t old;
	bool had;
	if (!key_ok(vm, key) || !unique(vm, slot) || !set(vm, (ncs_map_t *)slot->u.o, key, val, &old, &had))
		return false;
	if (had)
		ncs_unref(ncs_vm_state(vm), old);
	return true;
}

NCS_BUILTIN(ncs_b_map_new)
{
	(void)args;
	(void)n;
	return ncs_map_new(ncs_vm_state(vm), out);
}

NCS_BUILTIN(ncs_b_map_from)
{
	(void)n;
	ncs_arr_t *pairs;
	ncs_state_t *st = ncs_vm_state(vm);
	if (!ncs_arg_arr(vm, args, 0, "map::from", &pairs) || !ncs_map_new(st, out))
		return false;
	for (uint32_t i = 0; i < pairs->len; i++) {
		ncs_value_t p = pairs->items[i], old;
		bool had;
		if (p.tag != V_TUPLE || ((ncs_arr_t *)p.u.o)->len != 2) {
			ncs_vm_fail(vm, NC_NCS_ERR_TYPE, "map::from: element %u must be a (key, value) tuple, not %s", i,
				    ncs_type_name(p));
			goto fail;
		}
		ncs_value_t *kv = ((ncs_arr_t *)p.u.o)->items;
		if (!charge(vm, 1) || !key_ok(vm, kv[0]) || !set(vm, (ncs_map_t *)out->u.o, kv[0], kv[1], &old, &had))
			goto fail;
		if (had)
			ncs_unref(st, old);
	}
	return true;
fail:
	ncs_unref(st, *out);
	*out = ncs_unit();
	return false;
}

NCS_BUILTIN(ncs_b_map_len)
{
	ncs_map_t *m;
	(void)n;
	if (!recv(vm, args, "len", false, &m))
		return false;
	*out = ncs_int(m->len);
	return true;
}

NCS_BUILTIN(ncs_b_map_is_empty)
{
	ncs_map_t *m;
	(void)n;
	if (!recv(vm, args, "is_empty", false, &m))
		return false;
	*out = ncs_bool(m->len == 0);
	return true;
}

NCS_BUILTIN(ncs_b_map_insert)
{
	ncs_map_t *m;
	ncs_value_t old;
	bool had;
	(void)n;
	if (!key_ok(vm, args[1]) || !recv(vm, args, "insert", true, &m) || !set(vm, m, args[1], args[2], &old, &had))
		return false;
	return had ? ncs_make_variant(vm, NCS_VAR_SOME, old, out) : ncs_make_variant(vm, NCS_VAR_NONE, ncs_unit(), out);
}

NCS_BUILTIN(ncs_b_map_get)
{
	ncs_map_t *m;
	uint32_t e;
	(void)n;
	if (!recv(vm, args, "get", false, &m) || !lookup(vm, m, args[1], &e))
		return false;
	if (e == UINT32_MAX)
		return ncs_make_variant(vm, NCS_VAR_NONE, ncs_unit(), out);
	ncs_ref(m->ent[2 * e + 1]);
	return ncs_make_variant(vm, NCS_VAR_SOME, m->ent[2 * e + 1], out);
}

NCS_BUILTIN(ncs_b_map_get_or)
{
	ncs_map_t *m;
	uint32_t e;
	(void)n;
	if (!recv(vm, args, "get_or", false, &m) || !lookup(vm, m, args[1], &e))
		return false;
	*out = e == UINT32_MAX ? args[2] : m->ent[2 * e + 1];
	ncs_ref(*out);
	return true;
}

NCS_BUILTIN(ncs_b_map_contains_key)
{
	ncs_map_t *m;
	uint32_t e;
	(void)n;
	if (!recv(vm, args, "contains_key", false, &m) || !lookup(vm, m, args[1], &e))
		return false;
	*out = ncs_bool(e != UINT32_MAX);
	return true;
}

NCS_BUILTIN(ncs_b_map_remove)
{
	ncs_map_t *m;
	ncs_value_t old;
	bool had;
	uint64_t work = 0;
	(void)n;
	if (!key_ok(vm, args[1]) || !recv(vm, args, "remove", true, &m))
		return false;
	ncs_map_remove(ncs_vm_state(vm), m, args[1], &old, &had, &work);
	if (!charge(vm, work)) {
		if (had)
			ncs_unref(ncs_vm_state(vm), old);
		return false;
	}
	return had ? ncs_make_variant(vm, NCS_VAR_SOME, old, out) : ncs_make_variant(vm, NCS_VAR_NONE, ncs_unit(), out);
}

NCS_BUILTIN(ncs_b_map_clear)
{
	ncs_map_t *m;
	(void)n;
	if (!recv(vm, args, "clear", true, &m) || !charge(vm, m->used))
		return false;
	ncs_map_clear(ncs_vm_state(vm), m);
	return true;
}

/* keys() / values(): an array in insertion order. */
static bool column(ncs_vm_t *vm, ncs_value_t *args, const char *fn, uint32_t col, ncs_value_t *out)
{
	ncs_map_t *m;
	if (!recv(vm, args, fn, false, &m) || !charge(vm, m->used) || !ncs_arr_new(ncs_vm_state(vm), V_ARR, m->len, out))
		return false;
	ncs_arr_t *a = (ncs_arr_t *)out->u.o;
	ncs_value_t kv[2];
	for (uint32_t pos = 0; ncs_map_next(m, &pos, &kv[0], &kv[1]);) {
		a->items[a->len++] = kv[col];
		ncs_ref(kv[col]);
	}
	a->h.depth = m->h.depth;
	return true;
}

NCS_BUILTIN(ncs_b_map_keys)
{
	(void)n;
	return column(vm, args, "keys", 0, out);
}

NCS_BUILTIN(ncs_b_map_values)
{
	(void)n;
	return column(vm, args, "values", 1, out);
}
