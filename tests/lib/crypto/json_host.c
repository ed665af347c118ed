/* Minimal recursive-descent JSON reader (RFC 8259) for host tests; see json_host.h. */
#include "json_host.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ };

struct json {
	enum kind kind;
	double num;
	char *str; /* J_STR value */
	size_t str_len;
	size_t n;     /* J_ARR / J_OBJ: element count */
	char **keys;  /* J_OBJ */
	json_t **items;
};

typedef struct {
	const char *p, *end;
	int failed;
} parser_t;

static json_t *parse_value(parser_t *ps);

static void skip_ws(parser_t *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
		ps->p++;
}

static json_t *new_node(enum kind k)
{
	json_t *v = calloc(1, sizeof *v);
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

static char *parse_string(parser_t *ps, size_t *len_out)
{
	ps->p++; /* opening quote */
	char *out = malloc((size_t)(ps->end - ps->p) + 1);
	size_t n = 0;
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
		case 'u': {
			unsigned cp = 0;
			for (int i = 0; i < 4 && ps->p < ps->end; i++)
				cp = cp * 16 + (unsigned)hexval(*ps->p++);
			if (cp < 0x80) {
				out[n++] = (char)cp;
			} else if (cp < 0x800) {
				out[n++] = (char)(0xc0 | (cp >> 6));
				out[n++] = (char)(0x80 | (cp & 0x3f));
			} else {
				out[n++] = (char)(0xe0 | (cp >> 12));
				out[n++] = (char)(0x80 | ((cp >> 6) & 0x3f));
				out[n++] = (char)(0x80 | (cp & 0x3f));
			}
			break;
		}
		default: out[n++] = c; break; /* \" \\ \/ */
		}
	}
	if (ps->p >= ps->end)
		ps->failed = 1;
	else
		ps->p++; /* closing quote */
	out[n] = '\0';
	*len_out = n;
	return out;
}

static void push(json_t *v, char *key, json_t *item)
{
	v->items = realloc(v->items, (v->n + 1) * sizeof *v->items);
	v->items[v->n] = item;
	if (v->kind == J_OBJ) {
		v->keys = realloc(v->keys, (v->n + 1) * sizeof *v->keys);
		v->keys[v->n] = key;
	}
	v->n++;
}

static json_t *parse_container(parser_t *ps, enum kind k, char close)
{
	json_t *v = new_node(k);
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return v;
	}
	while (!ps->failed) {
		char *key = NULL;
		skip_ws(ps);
		if (k == J_OBJ) {
			size_t kl;
			if (ps->p >= ps->end || *ps->p != '"') {
				ps->failed = 1;
				break;
			}
			key = parse_string(ps, &kl);
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p++ != ':') {
				free(key);
				ps->failed = 1;
				break;
			}
		}
		push(v, key, parse_value(ps));
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			break;
		}
		ps->failed = 1;
	}
	return v;
}

static json_t *parse_value(parser_t *ps)
{
	skip_ws(ps);
	if (ps->p >= ps->end) {
		ps->failed = 1;
		return new_node(J_NULL);
	}
	char c = *ps->p;
	if (c == '{')
		return parse_container(ps, J_OBJ, '}');
	if (c == '[')
		return parse_container(ps, J_ARR, ']');
	if (c == '"') {
		json_t *v = new_node(J_STR);
		v->str = parse_string(ps, &v->str_len);
		return v;
	}
	if (ps->end - ps->p >= 4 && memcmp(ps->p, "null", 4) == 0) {
		ps->p += 4;
		return new_node(J_NULL);
	}
	if (ps->end - ps->p >= 4 && memcmp(ps->p, "true", 4) == 0) {
		ps->p += 4;
		json_t *v = new_node(J_BOOL);
		v->num = 1;
		return v;
	}
	if (ps->end - ps->p >= 5 && memcmp(ps->p, "false", 5) == 0) {
		ps->p += 5;
		return new_node(J_BOOL);
	}
	char *stop;
	json_t *v = new_node(J_NUM);
	v->num = strtod(ps->p, &stop);
	if (stop == ps->p)
		ps->failed = 1;
	ps->p = stop;
	return v;
}

json_t *json_load_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "json: cannot open %s\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	long size = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)size + 1);
	size_t got = fread(buf, 1, (size_t)size, f);
	fclose(f);
	buf[got] = '\0';
	parser_t ps = { buf, buf + got, 0 };
	json_t *v = parse_value(&ps);
	skip_ws(&ps);
	int bad = ps.failed || ps.p != ps.end;
	free(buf);
	if (bad) {
		fprintf(stderr, "json: %s does not parse\n", path);
		json_free(v);
		return NULL;
	}
	return v;
}

void json_free(json_t *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		json_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

const json_t *json_get(const json_t *v, const char *key)
{
	if (!v || v->kind != J_OBJ)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return v->items[i];
	return NULL;
}

size_t json_len(const json_t *v) { return v && v->kind == J_ARR ? v->n : 0; }
const json_t *json_at(const json_t *v, size_t i) { return i < json_len(v) ? v->items[i] : NULL; }
const char *json_str(const json_t *v) { return v && v->kind == J_STR ? v->str : NULL; }
size_t json_str_len(const json_t *v) { return v && v->kind == J_STR ? v->str_len : 0; }
double json_num(const json_t *v) { return v && v->kind == J_NUM ? v->num : 0; }

uint8_t *json_hex(const json_t *v, const char *key, size_t *len_out)
{
	const json_t *s = json_get(v, key);
	if (!json_str(s) || s->str_len % 2)
		return NULL;
	size_t n = s->str_len / 2;
	uint8_t *out = malloc(n + 1);
	for (size_t i = 0; i < n; i++) {
		int hi = hexval(s->str[2 * i]), lo = hexval(s->str[2 * i + 1]);
		if (hi < 0 || lo < 0) {
			free(out);
			return NULL;
		}
		out[i] = (uint8_t)(hi * 16 + lo);
	}
	*len_out = n;
	return out;
}

int json_has_flag(const json_t *v, const char *flag)
{
	const json_t *flags = json_get(v, "flags");
	for (size_t i = 0; i < json_len(flags); i++)
		if (json_str(json_at(flags, i)) && strcmp(json_str(json_at(flags, i)), flag) == 0)
			return 1;
	return 0;
}
