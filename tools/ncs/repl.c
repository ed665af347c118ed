/* ncs REPL. Each input is either an item (fn, struct, enum, use: kept for later
 * inputs) or a statement/expression. An input continues over several lines while
 * its ( [ { are open. Inputs ending in ';', and block-like ones ending in '}'
 * whose value is (), are statements and are kept; the session re-runs all kept
 * statements plus the new input inside `fn main()`, which is deterministic, so
 * the output of earlier inputs is a prefix and only the new part is shown,
 * followed by "=> VALUE" for a non-unit value. */
#include "repl.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
	char *s;
	size_t len;
} text_t;

static void append(text_t *t, const char *s)
{
	size_t n = strlen(s);
	char *ns = realloc(t->s, t->len + n + 1);
	if (!ns)
		return;
	memcpy(ns + t->len, s, n + 1);
	t->s = ns;
	t->len += n;
}

/* Open brackets in s, ignoring string literals and // comments. */
static int open_depth(const char *s)
{
	int depth = 0;
	bool str = false;
	for (; *s; s++) {
		if (str) {
			if (*s == '\\' && s[1])
				s++;
			else if (*s == '"')
				str = false;
		} else if (*s == '"') {
			str = true;
		} else if (s[0] == '/' && s[1] == '/') {
			while (s[1] && s[1] != '\n')
				s++;
		} else if (*s == '(' || *s == '[' || *s == '{') {
			depth++;
		} else if (*s == ')' || *s == ']' || *s == '}') {
			depth--;
		}
	}
	return depth;
}

static bool is_item(const char *line)
{
	static const char *const starts[] = { "fn ", "struct ", "enum ", "use ", "pub " };
	while (*line == ' ' || *line == '\t')
		line++;
	for (size_t i = 0; i < sizeof starts / sizeof starts[0]; i++)
		if (!strncmp(line, starts[i], strlen(starts[i])))
			return true;
	return false;
}

int ncs_repl(const nc_ncs_config_t *cfg)
{
	text_t items = { 0 }, stmts = { 0 };
	size_t shown = 0;
	char line[4096];
	append(&items, "");
	append(&stmts, "");
	for (;;) {
		text_t input = { 0 };
		append(&input, "");
		fputs("ncs> ", stdout);
		while (fflush(stdout), fgets(line, sizeof line, stdin)) {
			line[strcspn(line, "\r\n")] = 0;
			append(&input, line);
			append(&input, "\n");
			if (open_depth(input.s) <= 0)
				break;
			fputs("...> ", stdout);
		}
		size_t l = input.len;
		while (l && (input.s[l - 1] == '\n' || input.s[l - 1] == ' ' || input.s[l - 1] == '\t'))
			l--;
		if (l == 0) {
			free(input.s);
			if (feof(stdin))
				break;
			continue;
		}
		input.s[l] = 0;
		input.len = l;
		const char *entry = input.s;
		bool item = is_item(entry);
		bool stmt = !item && entry[l - 1] == ';';
		text_t src = { 0 };
		append(&src, items.s);
		if (item) {
			append(&src, entry);
			append(&src, "\n");
		}
		append(&src, "fn main() {\n");
		append(&src, stmts.s);
		if (!item) {
			append(&src, entry);
			append(&src, "\n");
		}
		append(&src, "}\n");
		nc_ncs_result_t r;
		nc_ncs_err_t err = nc_ncs_run(cfg, "<repl>", src.s, src.len, &r);
		if (r.output_len > shown)
			fwrite(r.output + shown, 1, r.output_len - shown, stdout);
		if (err) {
			fputs(r.message ? r.message : nc_ncs_err_name(err), stderr);
		} else {
			if (r.value && r.kind != NC_NCS_VAL_UNIT)
				printf("=> %s\n", r.value);
			if (item) {
				append(&items, entry);
				append(&items, "\n");
			} else if (stmt || (entry[l - 1] == '}' && r.kind == NC_NCS_VAL_UNIT)) {
				append(&stmts, entry);
				append(&stmts, stmt ? "\n" : ";\n");
				shown = r.output_len;
			}
		}
		nc_ncs_result_fini(cfg, &r);
		free(src.s);
		free(input.s);
	}
	free(items.s);
	free(stmts.s);
	return 0;
}
