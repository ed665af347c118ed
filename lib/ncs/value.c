/* Heap values: construction, reference counting with copy-on-write, structural
 * equality and ordering, and the printed forms. Containers record their nesting
 * depth and refuse to exceed NC_NCS_VALUE_DEPTH_MAX, so every recursive walk in
 * this file (release, copy, equal, compare, write) has a fixed C stack bound. */
#include "map.h"
#include "program.h"
#include <nc/mem.h>

static size_t rec_bytes(uint32_t n) { return sizeof(ncs_rec_t) + (size_t)n * sizeof(ncs_value_t); }

/* A string object of len bytes (contents and n_chars left to the caller, the
 * NUL set), or NULL after ncs_fail. */
static ncs_str_t *str_alloc(ncs_state_t *st, size_t len)
{
	if (len > UINT32_MAX - 64)
		return ncs_fail(st, NC_NCS_ERR_LIMIT_ALLOC, UINT32_MAX, "string too long"), NULL;
	ncs_str_t *s = ncs_mem_alloc_tracked(st, sizeof(ncs_str_t) + len + 1);
	if (!s)
		return NULL;
	s->h.rc = 1;
	s->h.kind = V_STR;
	s->h.depth = 0;
	s->len_bytes = (uint32_t)len;
	s->bytes[len] = 0;
	return s;
}

bool ncs_str_new(ncs_state_t *st, const char *bytes, size_t len, ncs_value_t *out)
{
	ncs_str_t *s = str_alloc(st, len);
	if (!s)
		return false;
	if (len)
		nc_mem_copy(s->bytes, bytes, len);
	s->n_chars = ncs_utf8_count(s->bytes, len);
	*out = ncs_obj_val(&s->h);
	return true;
}

bool ncs_str_concat(ncs_state_t *st, const ncs_str_t *a, const ncs_str_t *b, ncs_value_t *out)
{
	ncs_str_t *s = str_alloc(st, (size_t)a->len_bytes + b->len_bytes);
	if (!s)
		return false;
	s->n_chars = a->n_chars + b->n_chars;
	nc_mem_copy(s->bytes, a->bytes, a->len_bytes);
	nc_mem_copy(s->bytes + a->len_bytes, b->bytes, b->len_bytes);
	*out = ncs_obj_val(&s->h);
	return true;
}

bool ncs_arr_new(ncs_state_t *st, uint16_t kind, uint32_t cap, ncs_value_t *out)
{
	ncs_arr_t *a = ncs_mem_alloc_tracked(st, sizeof(ncs_arr_t));
	if (!a)
		return false;
	a->h.rc = 1;
	a->h.kind = kind;
	a->h.depth = 1;
	a->len = 0;
	a->cap = cap;
	a->items = NULL;
	if (cap) {
		a->items = ncs_mem_alloc_tracked(st, (size_t)cap * sizeof(ncs_value_t));
		if (!a->items) {
			ncs_mem_free_tracked(st, a, sizeof(ncs_arr_t));
			return false;
		}
	}
	*out = ncs_obj_val(&a->h);
	return true;
}

bool ncs_note_child(ncs_state_t *st, ncs_obj_t *parent, ncs_value_t child)
{
	if (child.tag < V_ARR)
		return true;
	uint32_t d = (uint32_t)child.u.o->depth + 1;
	if (d > NC_NCS_VALUE_DEPTH_MAX) {
		ncs_fail(st, NC_NCS_ERR_LIMIT_VALUE_DEPTH, UINT32_MAX,
			 "value nested deeper than %u levels", NC_NCS_VALUE_DEPTH_MAX);
		return false;
	}
	if (d > parent->depth)
		parent->depth = (uint16_t)d;
	return true;
}

bool ncs_arr_push(ncs_state_t *st, ncs_arr_t *a, ncs_value_t v)
{
	if (!ncs_note_child(st, &a->h, v)) {
		ncs_unref(st, v);
		return false;
	}
	if (a->len == a->cap) {
		uint32_t cap = a->cap ? a->cap * 2 : 4;
		if (cap < a->cap) {
			ncs_unref(st, v);
			return ncs_fail(st, NC_NCS_ERR_LIMIT_ALLOC, UINT32_MAX, "array too long"), false;
		}
		ncs_value_t *items = ncs_mem_realloc_tracked(st, a->items, (size_t)a->cap * sizeof(ncs_value_t),
							     (size_t)cap * sizeof(ncs_value_t));
		if (!items) {
			ncs_unref(st, v);
			return false;
		}
		a->items = items;
		a->cap = cap;
	}
	a->items[a->len++] = v;
	return true;
}

bool ncs_rec_new(ncs_state_t *st, uint16_t kind, uint32_t id, uint32_t n, ncs_value_t *out)
{
	ncs_rec_t *r = ncs_mem_alloc_tracked(st, rec_bytes(n));
	if (!r)
		return false;
	r->h.rc = 1;
	r->h.kind = kind;
	r->h.depth = 1;
	r->id = id;
	r->n = n;
	for (uint32_t i = 0; i < n; i++)
		r->f[i] = ncs_unit();
	*out = ncs_obj_val(&r->h);
	return true;
}

void ncs_obj_release(ncs_state_t *st, ncs_obj_t *o)
{
	switch (o->kind) {
	case V_STR:
		ncs_mem_free_tracked(st, o, sizeof(ncs_str_t) + ((ncs_str_t *)o)->len_bytes + 1);
		break;
	case V_ARR:
	case V_TUPLE: {
		ncs_arr_t *a = (ncs_arr_t *)o;
		for (uint32_t i = 0; i < a->len; i++)
			ncs_unref(st, a->items[i]);
		ncs_mem_free_tracked(st, a->items, (size_t)a->cap * sizeof(ncs_value_t));
		ncs_mem_free_tracked(st, a, sizeof(ncs_arr_t));
		break;
	}
	case V_MAP:
		ncs_map_release(st, (ncs_map_t *)o);
		break;
	default: {
		ncs_rec_t *r = (ncs_rec_t *)o;
		for (uint32_t i = 0; i < r->n; i++)
			ncs_unref(st, r->f[i]);
		ncs_mem_free_tracked(st, r, rec_bytes(r->n));
		break;
	}
	}
}

bool ncs_make_unique(ncs_state_t *st, ncs_value_t *slot)
{
	if (!ncs_is_heap(*slot) || slot->u.o->rc == 1)
		return true;
	ncs_obj_t *o = slot->u.o;
	ncs_value_t copy;
	if (o->kind == V_ARR || o->kind == V_TUPLE) {
		ncs_arr_t *a = (ncs_arr_t *)o;
		if (!ncs_arr_new(st, o->kind, a->len, &copy))
			return false;
		ncs_arr_t *c = (ncs_arr_t *)copy.u.o;
		for (uint32_t i = 0; i < a->len; i++) {
			c->items[i] = a->items[i];
			ncs_ref(c->items[i]);
		}
		c->len = a->len;
		c->h.depth = o->depth;
	} else if (o->kind == V_STR) {
		return true;
	} else if (o->kind == V_MAP) {
		uint64_t work = 0; /* callers that charge steps charge the copy themselves */
		if (!ncs_map_copy(st, (ncs_map_t *)o, &copy, &work))
			return false;
	} else {
		ncs_rec_t *r = (ncs_rec_t *)o;
		if (!ncs_rec_new(st, o->kind, r->id, r->n, &copy))
			return false;
		ncs_rec_t *c = (ncs_rec_t *)copy.u.o;
		for (uint32_t i = 0; i < r->n; i++) {
			c->f[i] = r->f[i];
			ncs_ref(c->f[i]);
		}
		c->h.depth = o->depth;
	}
	o->rc--;
	*slot = copy;
	return true;
}

bool ncs_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	while (i < len) {
		unsigned c = p[i];
		size_t n;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xe0) == 0xc0) {
			n = 1; cp = c & 0x1f; min = 0x80;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2; cp = c & 0x0f; min = 0x800;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3; cp = c & 0x07; min = 0x10000;
		} else {
			return false;
		}
		if (len - i <= n)
			return false;
		for (size_t j = 1; j <= n; j++) {
			if ((p[i + j] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + j] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp < 0xe000))
			return false;
		i += n + 1;
	}
	return true;
}

uint32_t ncs_utf8_count(const char *s, size_t len)
{
	uint32_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += ((unsigned char)s[i] & 0xc0) != 0x80;
	return n;
}

const char *ncs_type_name(ncs_value_t v)
{
	static const char *const names[] = { "Unit", "Bool", "Int", "Float", "Fn", "Variant",
					     "String", "Array", "Tuple", "Struct", "Variant", "Effect", "Closure", "Map" };
	return v.tag < sizeof names / sizeof names[0] ? names[v.tag] : "?";
}

/* Count one more part of walk w; false when the walk must stop. */
static inline bool walk_on(ncs_walk_t *w)
{
	if (++w->parts > w->budget)
		return false;
	if (w->parts < w->next_check)
		return true;
	w->next_check += NCS_WALK_CHECK_EVERY;
	if (!w->late || !w->late(w->ctx))
		return true;
	w->timed_out = true;
	w->budget = 0; /* every later part stops too */
	return false;
}

bool ncs_value_equal(ncs_value_t a, ncs_value_t b, ncs_walk_t *w)
{
	if (!walk_on(w) || a.tag != b.tag)
		return false;
	switch (a.tag) {
	case V_UNIT: return true;
	case V_BOOL: return a.u.b == b.u.b;
	case V_INT: return a.u.i == b.u.i;
	case V_FLOAT: return a.u.f == b.u.f;
	case V_FUNC: return a.u.fn == b.u.fn;
	case V_TAG: return a.aux == b.aux;
	case V_STR: {
		ncs_str_t *x = (ncs_str_t *)a.u.o, *y = (ncs_str_t *)b.u.o;
		return x->len_bytes == y->len_bytes && nc_mem_compare(x->bytes, y->bytes, x->len_bytes) == 0;
	}
	case V_ARR:
	case V_TUPLE: {
		ncs_arr_t *x = (ncs_arr_t *)a.u.o, *y = (ncs_arr_t *)b.u.o;
		if (x->len != y->len)
			return false;
		for (uint32_t i = 0; i < x->len; i++)
			if (!ncs_value_equal(x->items[i], y->items[i], w))
				return false;
		return true;
	}
	case V_MAP: return ncs_map_equal((const ncs_map_t *)a.u.o, (const ncs_map_t *)b.u.o, w);
	default: {
		ncs_rec_t *x = (ncs_rec_t *)a.u.o, *y = (ncs_rec_t *)b.u.o;
		if (x->id != y->id || x->n != y->n)
			return false;
		for (uint32_t i = 0; i < x->n; i++)
			if (!ncs_value_equal(x->f[i], y->f[i], w))
				return false;
		return true;
	}
	}
}

int ncs_value_compare(ncs_value_t a, ncs_value_t b, bool *ok, ncs_walk_t *w)
{
	*ok = true;
	if (!walk_on(w))
		return 0;
	if (a.tag != b.tag) {
		*ok = false;
		return 0;
	}
	switch (a.tag) {
	case V_BOOL: return (int)a.u.b - (int)b.u.b;
	case V_INT: return a.u.i < b.u.i ? -1 : a.u.i > b.u.i;
	case V_FLOAT:
		if (a.u.f != a.u.f || b.u.f != b.u.f) { /* NaN sorts last */
			return (a.u.f != a.u.f) - (b.u.f != b.u.f);
		}
		return a.u.f < b.u.f ? -1 : a.u.f > b.u.f;
	case V_STR: {
		ncs_str_t *x = (ncs_str_t *)a.u.o, *y = (ncs_str_t *)b.u.o;
		uint32_t n = x->len_bytes < y->len_bytes ? x->len_bytes : y->len_bytes;
		int c = nc_mem_compare(x->bytes, y->bytes, n);
		if (c)
			return c;
		return x->len_bytes < y->len_bytes ? -1 : x->len_bytes > y->len_bytes;
	}
	case V_ARR:
	case V_TUPLE: {
		ncs_arr_t *x = (ncs_arr_t *)a.u.o, *y = (ncs_arr_t *)b.u.o;
		for (uint32_t i = 0; i < x->len && i < y->len; i++) {
			int c = ncs_value_compare(x->items[i], y->items[i], ok, w);
			if (c || !*ok)
				return c;
		}
		return x->len < y->len ? -1 : x->len > y->len;
	}
	default:
		*ok = false;
		return 0;
	}
}

/* ---------- text ---------- */

void ncs_buf_put(ncs_buf_t *b, const char *s, size_t n)
{
	if (b->failed || n == 0)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 32;
		while (cap < b->len + n + 1)
			cap *= 2;
		char *nb = ncs_mem_realloc_tracked(b->st, b->buf, b->cap, cap);
		if (!nb) {
			b->failed = true;
			return;
		}
		b->buf = nb;
		b->cap = cap;
	}
	nc_mem_copy(b->buf + b->len, s, n);
	b->len += n;
	b->buf[b->len] = 0;
}

void ncs_buf_puts(ncs_buf_t *b, const char *s) { ncs_buf_put(b, s, nc_str_len(s)); }

void ncs_buf_free(ncs_buf_t *b)
{
	ncs_mem_free_tracked(b->st, b->buf, b->cap);
	b->buf = NULL;
	b->len = b->cap = 0;
}

bool ncs_buf_to_value(ncs_buf_t *b, ncs_value_t *out)
{
	bool ok = !b->failed && ncs_str_new(b->st, b->buf ? b->buf : "", b->len, out);
	ncs_buf_free(b);
	return ok;
}

static void write_quoted(ncs_buf_t *b, const ncs_str_t *s)
{
	ncs_buf_put(b, "\"", 1);
	for (uint32_t i = 0; i < s->len_bytes; i++) {
		char c = s->bytes[i];
		const char *esc = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : c == '\n' ? "\\n"
				: c == '\t' ? "\\t" : c == '\r' ? "\\r" : NULL;
		if (esc)
			ncs_buf_puts(b, esc);
		else
			ncs_buf_put(b, &c, 1);
	}
	ncs_buf_put(b, "\"", 1);
}

static void write_list(ncs_buf_t *b, const ncs_value_t *v, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			ncs_buf_put(b, ", ", 2);
		ncs_value_write(b, v[i], true);
	}
}

static void write_variant_name(ncs_buf_t *b, uint32_t id)
{
	ncs_program_t *p = b->st->prog;
	if (p && id < p->n_vars)
		ncs_buf_put(b, p->vars[id].name, p->vars[id].name_len);
}

void ncs_value_write(ncs_buf_t *b, ncs_value_t v, bool quoted)
{
	char tmp[NC_NCS_FLOAT_TEXT_MAX];
	switch (v.tag) {
	case V_UNIT: ncs_buf_puts(b, "()"); break;
	case V_BOOL: ncs_buf_puts(b, v.u.b ? "true" : "false"); break;
	case V_INT: ncs_buf_put(b, tmp, ncs_format_int(v.u.i, tmp)); break;
	case V_FLOAT: ncs_buf_put(b, tmp, nc_ncs_format_float(v.u.f, tmp, sizeof tmp)); break;
	case V_FUNC:
		ncs_buf_puts(b, "<fn ");
		ncs_buf_put(b, v.u.fn->name, v.u.fn->name_len);
		ncs_buf_puts(b, ">");
		break;
	case V_TAG: write_variant_name(b, v.aux); break;
	case V_STR:
		if (quoted)
			write_quoted(b, (ncs_str_t *)v.u.o);
		else
			ncs_buf_put(b, ((ncs_str_t *)v.u.o)->bytes, ((ncs_str_t *)v.u.o)->len_bytes);
		break;
	case V_ARR:
	case V_TUPLE: {
		ncs_arr_t *a = (ncs_arr_t *)v.u.o;
		ncs_buf_puts(b, v.tag == V_ARR ? "[" : "(");
		write_list(b, a->items, a->len);
		if (v.tag == V_TUPLE && a->len == 1)
			ncs_buf_puts(b, ",");
		ncs_buf_puts(b, v.tag == V_ARR ? "]" : ")");
		break;
	}
	case V_STRUCT: {
		ncs_rec_t *r = (ncs_rec_t *)v.u.o;
		const ncs_struct_def_t *d = &b->st->prog->structs[r->id];
		ncs_buf_put(b, d->name, d->name_len);
		ncs_buf_puts(b, r->n ? " { " : " {}");
		for (uint32_t i = 0; i < r->n; i++) {
			if (i)
				ncs_buf_put(b, ", ", 2);
			ncs_buf_put(b, d->fields[i], d->field_lens[i]);
			ncs_buf_put(b, ": ", 2);
			ncs_value_write(b, r->f[i], true);
		}
		if (r->n)
			ncs_buf_puts(b, " }");
		break;
	}
	case V_VARIANT: {
		ncs_rec_t *r = (ncs_rec_t *)v.u.o;
		write_variant_name(b, r->id);
		ncs_buf_puts(b, "(");
		write_list(b, r->f, r->n);
		ncs_buf_puts(b, ")");
		break;
	}
	case V_CLOSURE: ncs_buf_puts(b, "<closure>"); break;
	case V_MAP: { /* {k: v, ...} in insertion order, like Rust's Debug form */
		const ncs_map_t *m = (const ncs_map_t *)v.u.o;
		ncs_value_t key, val;
		ncs_buf_puts(b, "{");
		for (uint32_t pos = 0, i = 0; ncs_map_next(m, &pos, &key, &val); i++) {
			if (i)
				ncs_buf_put(b, ", ", 2);
			ncs_value_write(b, key, true);
			ncs_buf_put(b, ": ", 2);
			ncs_value_write(b, val, true);
		}
		ncs_buf_puts(b, "}");
		break;
	}
	case V_EFFECT: {
		ncs_rec_t *r = (ncs_rec_t *)v.u.o;
		ncs_buf_puts(b, "<effect ");
		ncs_buf_puts(b, nc_ncs_effect_name((nc_ncs_effect_t)r->id));
		ncs_buf_puts(b, "(");
		write_list(b, r->f, r->n);
		ncs_buf_puts(b, ")>");
		break;
	}
	default: break;
	}
}
