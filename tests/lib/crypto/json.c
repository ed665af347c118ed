/* Minimal recursive-descent JSON reader (RFC 8259) for vector tests; see json.h. */
#include "json.h"
#include <nc/mem.h>

enum kind { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

typedef struct {
	char *key; /* J_OBJ only; key_cap bytes */
	size_t key_cap;
	json_t *item;
} member_t;

struct json {
	const json_alloc_t *alloc;
	enum kind kind;
	int64_t num;
	char *str; /* J_STR value, str_len + 1 bytes */
	size_t str_len;
	size_t str_cap;
	size_t n, cap;  /* J_ARR / J_OBJ: element count, slots allocated */
	member_t *members;
};

typedef struct {
	const json_alloc_t *alloc;
	const char *p, *end;
	bool failed;
} parser_t;

static json_t *parse_value(parser_t *ps);

static void *grow(const json_alloc_t *a, void *p, size_t old_bytes, size_t new_bytes)
{
	return a->fn(a->ud, p, old_bytes, new_bytes);
}

static void release(const json_alloc_t *a, void *p, size_t bytes)
{
	if (p)
		a->fn(a->ud, p, bytes, 0);
}

static void skip_ws(parser_t *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
		ps->p++;
}

static json_t *new_node(parser_t *ps, enum kind k)
{
	json_t *v = grow(ps->alloc, NULL, 0, sizeof *v);
	if (!v) {
		ps->failed = true;
		return NULL;
	}
	nc_mem_set(v, 0, sizeof *v);
	v->alloc = ps->alloc;
	v->kind = k;
	return v;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* Bytes from ps->p (after the opening quote) to the closing quote; the
 * unescaped string is never longer. */
static size_t raw_string_len(const parser_t *ps)
{
	const char *q = ps->p;
	while (q < ps->end && *q != '"')
		q += *q == '\\' ? 2 : 1;
	return q < ps->end ? (size_t)(q - ps->p) : (size_t)(ps->end - ps->p);
}

static size_t put_utf8(char *out, unsigned cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	out[0] = (char)(0xe0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[2] = (char)(0x80 | (cp & 0x3f));
	return 3;
}

/* The string at ps->p (on its opening quote), unescaped into a block of
 * *len_out + 1 bytes; *cap_out is the block's size. */
static char *parse_string(parser_t *ps, size_t *len_out, size_t *cap_out)
{
	ps->p++; /* opening quote */
	size_t cap = raw_string_len(ps) + 1, n = 0;
	char *out = grow(ps->alloc, NULL, 0, cap);
	*cap_out = cap;
	*len_out = 0;
	if (!out) {
		ps->failed = true;
		return NULL;
	}
	while (ps->p < ps->end && *ps->p != '"') {
		char c = *ps->p++;
		if (c != '\\') {
			out[n++] = c;
			continue;
		}
		if (ps->p >= ps->end)
			break;
		c = *ps->p++;
		switch (c) {
		case 'n': out[n++] = '\n'; break;
		case 't': out[n++] = '\t'; break;
		case 'r': out[n++] = '\r'; break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case '"': case '\\': case '/': out[n++] = c; break;
		case 'u': {
			unsigned cp = 0;
			for (int i = 0; i < 4; i++) {
				int d = ps->p < ps->end ? hexval(*ps->p++) : -1;
				if (d < 0)
					ps->failed = true;
				cp = cp * 16 + (unsigned)(d < 0 ? 0 : d);
			}
			n += put_utf8(out + n, cp); /* 6 escape bytes, at most 3 out */
			break;
		}
		default: ps->failed = true; break;
		}
	}
	if (ps->p >= ps->end)
		ps->failed = true;
	else
		ps->p++; /* closing quote */
	out[n] = '\0';
	*len_out = n;
	return out;
}

static bool push(parser_t *ps, json_t *v, char *key, size_t key_cap, json_t *item)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 4;
		member_t *m = grow(ps->alloc, v->members, v->cap * sizeof *m, cap * sizeof *m);
		if (!m) {
			ps->failed = true;
			return false;
		}
		v->members = m;
		v->cap = cap;
	}
	v->members[v->n++] = (member_t){ key, key_cap, item };
	return true;
}

static void free_tree(const json_alloc_t *a, json_t *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		free_tree(a, v->members[i].item);
		release(a, v->members[i].key, v->members[i].key_cap);
	}
	release(a, v->members, v->cap * sizeof *v->members);
	release(a, v->str, v->str_cap);
	release(a, v, sizeof *v);
}

static json_t *parse_container(parser_t *ps, enum kind k, char close)
{
	json_t *v = new_node(ps, k);
	ps->p++;
	skip_ws(ps);
	if (!v)
		return NULL;
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return v;
	}
	while (!ps->failed) {
		char *key = NULL;
		size_t key_len = 0, key_cap = 0;
		skip_ws(ps);
		if (k == J_OBJ) {
			if (ps->p >= ps->end || *ps->p != '"') {
				ps->failed = true;
				break;
			}
			key = parse_string(ps, &key_len, &key_cap);
			skip_ws(ps);
			if (ps->failed || ps->p >= ps->end || *ps->p++ != ':') {
				release(ps->alloc, key, key_cap);
				ps->failed = true;
				break;
			}
		}
		json_t *item = parse_value(ps);
		if (!push(ps, v, key, key_cap, item)) {
			release(ps->alloc, key, key_cap);
			free_tree(ps->alloc, item);
			break;
		}
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			break;
		}
		ps->failed = true;
	}
	return v;
}

static bool match_word(parser_t *ps, const char *word)
{
	size_t n = nc_str_len(word);
	if ((size_t)(ps->end - ps->p) < n || nc_mem_compare(ps->p, word, n) != 0)
		return false;
	ps->p += n;
	return true;
}

/* -?(0|[1-9][0-9]*) within int64_t; a fraction or exponent fails. */
static json_t *parse_int(parser_t *ps)
{
	json_t *v = new_node(ps, J_NUM);
	bool neg = ps->p < ps->end && *ps->p == '-';
	ps->p += neg;
	const char *digits = ps->p;
	uint64_t mag = 0, limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
		uint64_t d = (uint64_t)(*ps->p++ - '0');
		if (mag > (limit - d) / 10)
			ps->failed = true;
		mag = mag * 10 + d;
	}
	size_t n = (size_t)(ps->p - digits);
	if (n == 0 || (n > 1 && digits[0] == '0'))
		ps->failed = true;
	if (ps->p < ps->end && (*ps->p == '.' || *ps->p == 'e' || *ps->p == 'E'))
		ps->failed = true;
	if (v && !ps->failed)
		v->num = neg ? (int64_t)(0 - mag) : (int64_t)mag;
	return v;
}

static json_t *parse_value(parser_t *ps)
{
	skip_ws(ps);
	if (ps->p >= ps->end) {
		ps->failed = true;
		return NULL;
	}
	char c = *ps->p;
	if (c == '{')
		return parse_container(ps, J_OBJ, '}');
	if (c == '[')
		return parse_container(ps, J_ARR, ']');
	if (c == '"') {
		json_t *v = new_node(ps, J_STR);
		if (v)
			v->str = parse_string(ps, &v->str_len, &v->str_cap);
		return v;
	}
	if (match_word(ps, "null"))
		return new_node(ps, J_NULL);
	if (match_word(ps, "true")) {
		json_t *v = new_node(ps, J_BOOL);
		if (v)
			v->num = 1;
		return v;
	}
	if (match_word(ps, "false"))
		return new_node(ps, J_BOOL);
	return parse_int(ps);
}

json_t *json_parse(const json_alloc_t *alloc, const char *text, size_t len)
{
	parser_t ps = { alloc, text, text + len, false };
	json_t *v = parse_value(&ps);
	skip_ws(&ps);
	if (ps.failed || ps.p != ps.end) {
		free_tree(alloc, v);
		return NULL;
	}
	return v;
}

void json_free(json_t *root)
{
	if (root)
		free_tree(root->alloc, root);
}

const json_t *json_get(const json_t *v, const char *key)
{
	if (!v || v->kind != J_OBJ)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (nc_str_compare(v->members[i].key, key) == 0)
			return v->members[i].item;
	return NULL;
}

size_t json_len(const json_t *v) { return v && v->kind == J_ARR ? v->n : 0; }
const json_t *json_at(const json_t *v, size_t i)
{
	return i < json_len(v) ? v->members[i].item : NULL;
}
const char *json_str(const json_t *v) { return v && v->kind == J_STR ? v->str : NULL; }
size_t json_str_len(const json_t *v) { return v && v->kind == J_STR ? v->str_len : 0; }
int64_t json_int(const json_t *v) { return v && v->kind == J_NUM ? v->num : 0; }

uint8_t *json_hex(const json_alloc_t *alloc, const json_t *v, const char *key, size_t *len_out)
{
	const json_t *s = json_get(v, key);
	if (!json_str(s) || s->str_len % 2)
		return NULL;
	size_t n = s->str_len / 2;
	uint8_t *out = grow(alloc, NULL, 0, n + 1);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(s->str[2 * i]), lo = hexval(s->str[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			release(alloc, out, n + 1);
			return NULL;
		}
		out[i] = (uint8_t)(hi * 16 + lo);
	}
	*len_out = n;
	return out;
}

bool json_has_flag(const json_t *v, const char *flag)
{
	const json_t *flags = json_get(v, "flags");
	for (size_t i = 0; i < json_len(flags); i++)
		if (json_str(json_at(flags, i)) && nc_str_compare(json_str(json_at(flags, i)), flag) == 0)
			return true;
	return false;
}
