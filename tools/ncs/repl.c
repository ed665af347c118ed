/* ncs REPL on the host: terminal I/O around the session of lib/ncs
 * (nc/ncs_repl.h). An input continues over several lines while its ( [ { are
 * open; what it printed is shown, then "=> VALUE" for a non-unit value. */
#include "repl.h"
#include <nc/ncs_repl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read one input (several lines while brackets are open) into a malloc'd
 * string; NULL at end of input with nothing read. */
static char *read_input(bool *eof)
{
	char line[4096];
	size_t len = 0;
	char *in = calloc(1, 1);
	fputs("ncs> ", stdout);
	*eof = true;
	while (in && (fflush(stdout), fgets(line, sizeof line, stdin))) {
		*eof = false;
		line[strcspn(line, "\r\n")] = 0;
		size_t n = strlen(line);
		char *grown = realloc(in, len + n + 2);
		if (!grown)
			break;
		in = grown;
		memcpy(in + len, line, n);
		len += n;
		in[len++] = '\n';
		in[len] = 0;
		if (!nc_ncs_repl_needs_more(in, len))
			return in;
		fputs("...> ", stdout);
	}
	return in;
}

int ncs_repl(const nc_ncs_config_t *cfg)
{
	nc_ncs_repl_t *repl;
	if (nc_ncs_repl_create(cfg, &repl) != NC_NCS_OK)
		return 2;
	for (;;) {
		bool eof;
		char *in = read_input(&eof);
		if (!in)
			break;
		nc_ncs_result_t r;
		size_t shown;
		nc_ncs_err_t err = nc_ncs_repl_eval(repl, in, strlen(in), &r, &shown);
		if (r.output_len > shown)
			fwrite(r.output + shown, 1, r.output_len - shown, stdout);
		if (err)
			fputs(r.message ? r.message : nc_ncs_err_name(err), stderr);
		else if (r.value && r.kind != NC_NCS_VAL_UNIT)
			printf("=> %s\n", r.value);
		nc_ncs_result_fini(cfg, &r);
		free(in);
		if (eof)
			break;
	}
	nc_ncs_repl_destroy(repl);
	return 0;
}
