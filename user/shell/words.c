/* Word splitting and --grant parsing for the shell (see shell.h). */
#include "shell.h"
#include <nc/cap.h>
#include <nc/mem.h>
#include <nc/scope.h>
#include <stdbool.h>

typedef struct {
	char *buf;
	size_t cap, len;
} out_t;

static bool put(out_t *o, char c)
{
	if (o->len >= o->cap)
		return false;
	o->buf[o->len++] = c;
	return true;
}

/* Copy one word starting at *p into o (NUL-terminated); advance *p. */
static shell_err_t read_word(const char **p, out_t *o)
{
	const char *s = *p;
	char quote = 0;
	for (; *s && (quote || (*s != ' ' && *s != '\t')); s++) {
		char c = *s;
		if (quote == '\'' && c == '\'') {
			quote = 0;
			continue;
		}
		if (quote == '"' && c == '"') {
			quote = 0;
			continue;
		}
		if (!quote && (c == '\'' || c == '"')) {
			quote = c;
			continue;
		}
		if (c == '\\' && quote != '\'' && s[1] &&
		    (!quote || s[1] == '"' || s[1] == '\\'))
			c = *++s;
		if (!put(o, c))
			return SHELL_ERR_USAGE;
	}
	*p = s;
	if (quote)
		return SHELL_ERR_QUOTE;
	return put(o, 0) ? SHELL_OK : SHELL_ERR_USAGE;
}

shell_err_t shell_split(const char *line, char *buf, size_t cap, char **argv, int max_args,
			int *argc)
{
	out_t o = { buf, cap, 0 };
	*argc = 0;
	for (;;) {
		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line)
			break;
		if (*argc == max_args)
			return SHELL_ERR_TOO_MANY_ARGS;
		argv[*argc] = buf + o.len;
		shell_err_t err = read_word(&line, &o);
		if (err)
			return err;
		(*argc)++;
	}
	argv[*argc] = NULL;
	return SHELL_OK;
}

shell_err_t shell_parse_grant(const char *text, shell_grant_t *out)
{
	size_t n = nc_str_len(text), eq = 0;
	while (eq < n && text[eq] != '=')
		eq++;
	if (eq == 0 || eq == n || eq >= SHELL_ACTION_MAX || !nc_cap_action_covers(text, eq, text, eq))
		return SHELL_ERR_GRANT;
	const char *scope = text + eq + 1;
	size_t slen = n - eq - 1;
	if (nc_scope_validate(scope, slen) != NC_SCOPE_OK || slen >= SHELL_SCOPE_MAX)
		return SHELL_ERR_GRANT;
	nc_mem_copy(out->action, text, eq);
	out->action[eq] = 0;
	if (scope[0] == '/')
		return nc_scope_normalize(scope, slen, out->scope, sizeof out->scope, NULL) == NC_SCOPE_OK
			       ? SHELL_OK
			       : SHELL_ERR_GRANT;
	nc_mem_copy(out->scope, scope, slen);
	out->scope[slen] = 0;
	return SHELL_OK;
}
