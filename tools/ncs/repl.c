/* ncs REPL. Each line is either an item (fn, struct, enum, use: kept for later
 * lines) or a statement/expression. Lines ending in ';' are statements and are
 * kept; the session re-runs all kept statements plus the new line inside
 * `fn main()`, which is deterministic, so the output of earlier lines is a prefix
 * and only the new part is shown, followed by "=> VALUE" for a non-unit value. */
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
		fputs("ncs> ", stdout);
		fflush(stdout);
		if (!fgets(line, sizeof line, stdin))
			break;
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0])
			continue;
		bool item = is_item(line);
		size_t l = strlen(line);
		bool stmt = !item && l && line[l - 1] == ';';
		text_t src = { 0 };
		append(&src, items.s);
		if (item) {
			append(&src, line);
			append(&src, "\n");
		}
		append(&src, "fn main() {\n");
		append(&src, stmts.s);
		if (!item) {
			append(&src, line);
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
				append(&items, line);
				append(&items, "\n");
			} else if (stmt) {
				append(&stmts, line);
				append(&stmts, "\n");
				shown = r.output_len;
			}
		}
		nc_ncs_result_fini(cfg, &r);
		free(src.s);
	}
	free(items.s);
	free(stmts.s);
	return 0;
}
