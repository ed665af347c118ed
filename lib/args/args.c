/* Command-line word splitting (see nc/args.h). */
#include <nc/args.h>
#include <stdbool.h>

typedef struct {
	const char *s, *end;    /* input still to read */
	char *buf;
	size_t cap, len;        /* output */
} split_t;

static bool put(split_t *p, char c)
{
	if (p->len >= p->cap)
		return false;
	p->buf[p->len++] = c;
	return true;
}

static bool at_blank(const split_t *p) { return *p->s == ' ' || *p->s == '\t'; }
static bool more(const split_t *p) { return p->s < p->end && *p->s; }

/* Copy one word into the output, NUL-terminated. */
static nc_args_err_t read_word(split_t *p)
{
	char quote = 0;
	for (; more(p) && (quote || !at_blank(p)); p->s++) {
		char c = *p->s;
		if (quote && c == quote) {
			quote = 0;
			continue;
		}
		if (!quote && (c == '\'' || c == '"')) {
			quote = c;
			continue;
		}
		bool next = p->s + 1 < p->end && p->s[1];
		if (c == '\\' && quote != '\'' && next && (!quote || p->s[1] == '"' || p->s[1] == '\\'))
			c = *++p->s;
		if (!put(p, c))
			return NC_ARGS_ERR_NO_ROOM;
	}
	if (quote)
		return NC_ARGS_ERR_QUOTE;
	return put(p, 0) ? NC_ARGS_OK : NC_ARGS_ERR_NO_ROOM;
}

nc_args_err_t nc_args_split(const char *line, size_t len_bytes, char *buf, size_t cap_bytes,
			    char **argv, int max_args, int *argc)
{
	split_t p = { line, line + len_bytes, buf, cap_bytes, 0 };
	*argc = 0;
	argv[0] = NULL;
	for (;;) {
		while (more(&p) && at_blank(&p))
			p.s++;
		if (!more(&p))
			return NC_ARGS_OK;
		if (*argc == max_args)
			return NC_ARGS_ERR_TOO_MANY;
		argv[*argc] = buf + p.len;
		nc_args_err_t err = read_word(&p);
		if (err)
			return err;
		argv[++*argc] = NULL;
	}
}

const char *nc_args_err_name(nc_args_err_t err)
{
	switch (err) {
	case NC_ARGS_OK: return "ok";
	case NC_ARGS_ERR_QUOTE: return "unterminated quote";
	case NC_ARGS_ERR_TOO_MANY: return "too many arguments";
	case NC_ARGS_ERR_NO_ROOM: return "arguments too long";
	}
	return "unknown argument error";
}
