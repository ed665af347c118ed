/* Starting programs: `run [--grant ACTION=SCOPE]... PROG [ARG]...`, `ncs`,
 * and any initrd program typed by name. Deny by default: a child receives the
 * console (write only) and console.write, and nothing else unless --grant asks;
 * every grant is attenuated from a capability the shell itself holds, so a
 * child can never get more than the shell has. The shell keeps the console's
 * input: while a child runs it watches for Ctrl-C, which kills the child. */
#include "nexacore.h"
#include <nc/cap.h>
#include <nc/fmt.h>
#include <nc/mem.h>
#include <nc/scope.h>

enum { POLL_NS = 20 * 1000 * 1000, KEY_CTRL_C = 3 };

static nc_sys_handle_info_t held[NC_SYS_HANDLES_MAX];

/* A capability handle of the shell that covers action on scope, or 0. */
static uint64_t find_cap(const char *action, const char *scope)
{
	uint64_t n;
	if (nc_sys_handle_list(0, held, NC_SYS_HANDLES_MAX, &n))
		return 0;
	for (uint64_t i = 0; i < n && i < NC_SYS_HANDLES_MAX; i++) {
		const nc_sys_handle_info_t *h = &held[i];
		if (h->type == NC_SYS_HANDLE_CAP && !h->state &&
		    nc_cap_action_covers(h->action, nc_str_len(h->action), action, nc_str_len(action)) &&
		    nc_scope_matches(h->scope, nc_str_len(h->scope), scope, nc_str_len(scope)))
			return h->handle;
	}
	return 0;
}

/* Derive the child's copy of a grant. Errors are printed. */
static shell_err_t derive(shell_t *sh, const shell_grant_t *g, uint64_t *out)
{
	uint64_t parent = find_cap(g->action, g->scope);
	if (!parent) {
		shell_printf(sh, "run: this shell holds no capability for %s on %s\n", g->action,
			     g->scope);
		return SHELL_ERR_DENIED;
	}
	nc_sys_cap_spec_t spec = {
		.action = (uint64_t)g->action, .action_len = nc_str_len(g->action),
		.scope = (uint64_t)g->scope, .scope_len = nc_str_len(g->scope),
		.rights = NC_SYS_RIGHT_TRANSFER | NC_SYS_RIGHT_DUPLICATE,
	};
	nc_sys_err_t err = nc_sys_cap_attenuate(parent, &spec, out);
	return err ? shell_os_fail(sh, "CapAttenuate", err) : SHELL_OK;
}

static void report_end(shell_t *sh, const char *prog, uint64_t pid, uint64_t status)
{
	if (status & NC_SYS_EXIT_FAULT)
		shell_printf(sh, "%s (pid %llu) crashed: CPU exception %llu\n", prog,
			     (unsigned long long)pid, (unsigned long long)((status >> 40) & 0xff));
	else if (status & NC_SYS_EXIT_KILLED)
		shell_printf(sh, "%s (pid %llu) killed\n", prog, (unsigned long long)pid);
	else if (status & NC_SYS_EXIT_CODE_MASK)
		shell_printf(sh, "%s (pid %llu) exited with status %llu\n", prog, (unsigned long long)pid,
			     (unsigned long long)(status & NC_SYS_EXIT_CODE_MASK));
}

/* True when Ctrl-C arrived on the console (other keys are dropped: the child
 * has no console input while it runs in the foreground). */
static bool ctrl_c_pressed(const shell_os_t *os)
{
	char buf[32];
	uint64_t got;
	if (nc_sys_fd_read(os->console, buf, sizeof buf, 0, &got))
		return false;
	for (uint64_t i = 0; i < got; i++)
		if (buf[i] == KEY_CTRL_C)
			return true;
	return false;
}

static shell_err_t wait_child(shell_t *sh, const char *prog, uint64_t pid)
{
	const shell_os_t *os = sh->user;
	for (;;) {
		uint64_t status, got;
		nc_sys_err_t err = nc_sys_process_wait(pid, &status, POLL_NS, &got);
		if (err == NC_SYS_OK) {
			report_end(sh, prog, pid, status);
			return status ? SHELL_ERR_SYSTEM : SHELL_OK;
		}
		if (err != NC_SYS_ERR_TIMED_OUT)
			return shell_os_fail(sh, "ProcessWait", err);
		if (ctrl_c_pressed(os)) {
			shell_printf(sh, "^C\n");
			nc_sys_process_kill(pid);
		}
	}
}

shell_err_t shell_run_program(shell_t *sh, const char *prog, const char *arg,
			      const shell_grant_t *grants, int n_grants)
{
	const shell_os_t *os = sh->user;
	static const shell_grant_t console_write = { "console.write", "*" };
	uint64_t hs[NC_SYS_SPAWN_HANDLES_MAX];
	int n = 0;
	shell_err_t err = SHELL_OK;
	if (nc_sys_handle_duplicate(os->console, NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_TRANSFER, &hs[n]) ==
	    NC_SYS_OK)
		n++;
	err = derive(sh, &console_write, &hs[n]);
	if (!err)
		n++;
	for (int i = 0; !err && i < n_grants && n < (int)NC_SYS_SPAWN_HANDLES_MAX; i++) {
		err = derive(sh, &grants[i], &hs[n]);
		if (!err)
			n++;
	}
	uint64_t pid = 0;
	nc_sys_err_t serr = NC_SYS_OK;
	if (!err)
		serr = nc_sys_process_spawn(prog, nc_str_len(prog), arg, nc_str_len(arg), hs,
					    (uint64_t)n, &pid);
	for (int i = 0; i < n; i++)
		nc_sys_handle_close(hs[i]);
	if (err)
		return err;
	if (serr == NC_SYS_ERR_NOT_FOUND) {
		shell_printf(sh, "%s: no such program\n", prog);
		return SHELL_ERR_NOT_FOUND;
	}
	if (serr)
		return shell_os_fail(sh, prog, serr);
	return wait_child(sh, prog, pid);
}

/* Join argv[from..argc) into one argument string, quoting words that need it
 * so the child's lib/args split gives the same words back. */
static bool join_args(int from, int argc, char **argv, char *out, size_t cap)
{
	size_t k = 0;
	for (int i = from; i < argc; i++) {
		bool quote = argv[i][0] == 0;
		for (const char *c = argv[i]; *c; c++)
			quote |= *c == ' ' || *c == '\t' || *c == '\'' || *c == '"' || *c == '\\';
		if (k + nc_str_len(argv[i]) * 2 + 4 >= cap)
			return false;
		if (i > from)
			out[k++] = ' ';
		if (quote)
			out[k++] = '"';
		for (const char *c = argv[i]; *c; c++) {
			if (quote && (*c == '"' || *c == '\\'))
				out[k++] = '\\';
			out[k++] = *c;
		}
		if (quote)
			out[k++] = '"';
	}
	out[k] = 0;
	return true;
}

/* Leading "--grant ACTION=SCOPE" pairs of argv into grants; *first gets the
 * index of the first other word. */
static shell_err_t parse_grants(shell_t *sh, int argc, char **argv, shell_grant_t *grants,
				int *n, int *first)
{
	int i = 1;
	*n = 0;
	for (; i + 1 < argc && nc_str_compare(argv[i], "--grant") == 0; i += 2) {
		if (*n == SHELL_MAX_GRANTS - 1 || shell_parse_grant(argv[i + 1], &grants[*n])) {
			shell_printf(sh, "%s: %s\n", argv[0], shell_err_name(SHELL_ERR_GRANT));
			return SHELL_ERR_GRANT;
		}
		(*n)++;
	}
	*first = i;
	return i < argc ? SHELL_OK : SHELL_ERR_USAGE;
}

static shell_err_t cmd_run(shell_t *sh, int argc, char **argv)
{
	shell_grant_t grants[SHELL_MAX_GRANTS];
	int n, i;
	char arg[NC_SYS_ARG_MAX + 1];
	shell_err_t err = parse_grants(sh, argc, argv, grants, &n, &i);
	if (err)
		return err;
	if (!join_args(i + 1, argc, argv, arg, sizeof arg))
		return SHELL_ERR_USAGE;
	return shell_run_program(sh, argv[i], arg, grants, n);
}

/* ncs [--grant ACTION=SCOPE]... FILE [OPTION]...: the ncScript runner, granted
 * fs.read on FILE besides the explicit grants. Without a FILE: the REPL. */
static shell_err_t cmd_ncs(shell_t *sh, int argc, char **argv)
{
	shell_grant_t grants[SHELL_MAX_GRANTS];
	int n, i;
	char text[SHELL_ACTION_MAX + SHELL_SCOPE_MAX], arg[NC_SYS_ARG_MAX + 1];
	if (argc == 1)
		return shell_ncs_repl(sh);
	shell_err_t err = parse_grants(sh, argc, argv, grants, &n, &i);
	if (err)
		return err;
	nc_fmt_format(text, sizeof text, "fs.read=%s%s", argv[i][0] == '/' ? "" : "/", argv[i]);
	if (shell_parse_grant(text, &grants[n++]) != SHELL_OK || !join_args(i, argc, argv, arg, sizeof arg))
		return SHELL_ERR_USAGE;
	return shell_run_program(sh, "ncs", arg, grants, n);
}

const shell_cmd_t shell_run_cmds[] = {
	{ "run", "run [--grant ACTION=SCOPE]... PROG [ARG]...",
	  "start an initrd program; by default it gets only the console", cmd_run },
	{ "ncs", "ncs [[--grant ACTION=SCOPE]... FILE]",
	  "run an ncScript (granted fs.read on FILE), or the REPL", cmd_ncs },
};
const size_t shell_n_run_cmds = sizeof shell_run_cmds / sizeof shell_run_cmds[0];
