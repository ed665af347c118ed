/* `ncs` without a file: an ncScript REPL inside the shell (lib/ncs's session,
 * nc/ncs_repl.h). It installs no effect handlers, so effects evaluate to inert
 * values and the REPL can touch nothing outside the script; every input runs
 * under fixed limits, so a runaway input ends by itself and the shell stays.
 * Ctrl-D returns to the shell. */
#include "nexacore.h"
#include <nc/mem.h>
#include <nc/ncs_repl.h>
#include <nc/ulib.h>

enum { INPUT_MAX = 8192 };

static const nc_ncs_limits_t repl_limits = {
	.max_steps = 20000000, .max_alloc_bytes = 16u << 20, .deadline_micros = 10000000,
	.max_call_depth = 200,
};

static struct {
	nc_ncs_config_t cfg;
	nc_ncs_repl_t *repl;
	char input[INPUT_MAX];
	size_t len;
} session;

static void print_result(shell_t *sh, nc_ncs_err_t err, const nc_ncs_result_t *r, size_t shown)
{
	if (r->output_len > shown)
		shell_printf(sh, "%.*s", (int)(r->output_len - shown), r->output + shown);
	if (err)
		shell_printf(sh, "%s", r->message ? r->message : nc_ncs_err_name(err));
	else if (r->value && r->kind != NC_NCS_VAL_UNIT)
		shell_printf(sh, "=> %s\n", r->value);
}

static void on_line(shell_t *sh, const char *line)
{
	if (!line) {
		nc_ncs_repl_destroy(session.repl);
		session.repl = NULL;
		return;
	}
	size_t n = nc_str_len(line);
	if (session.len + n + 2 > INPUT_MAX) {
		shell_printf(sh, "ncs: input longer than %d bytes; dropped\n", INPUT_MAX);
		session.len = 0;
		shell_set_prompt(sh, "ncs> ");
		return;
	}
	nc_mem_copy(session.input + session.len, line, n);
	session.len += n;
	session.input[session.len++] = '\n';
	if (nc_ncs_repl_needs_more(session.input, session.len)) {
		shell_set_prompt(sh, "...> ");
		return;
	}
	nc_ncs_result_t r;
	size_t shown;
	nc_ncs_err_t err = nc_ncs_repl_eval(session.repl, session.input, session.len, &r, &shown);
	print_result(sh, err, &r, shown);
	nc_ncs_result_fini(&session.cfg, &r);
	session.len = 0;
	shell_set_prompt(sh, "ncs> ");
}

shell_err_t shell_ncs_repl(shell_t *sh)
{
	session.cfg = (nc_ncs_config_t){ .alloc = nc_heap_realloc, .clock = nc_clock_micros, .limits = repl_limits };
	session.len = 0;
	if (nc_ncs_repl_create(&session.cfg, &session.repl) != NC_NCS_OK) {
		shell_printf(sh, "ncs: out of memory\n");
		return SHELL_ERR_SYSTEM;
	}
	shell_printf(sh, "ncScript REPL (pure: no effects; Ctrl-D returns to the shell)\n");
	shell_enter_mode(sh, on_line, "ncs> ");
	return SHELL_OK;
}
