/* Starting programs: `run [--grant ACTION=SCOPE]... PROG [ARG]... [&]` and `ncs`,
 * in the foreground or as a job (the job commands are in job_cmds.c, the
 * grants' derivation in grant_derive.c). Deny by default: a child receives its
 * standard output as handle 1 (the terminal, write only, or the file of the
 * line's `> FILE`), console.write and its standard input (stdin.c), and
 * nothing else unless --grant asks; every grant is attenuated from a
 * capability the shell itself holds, so a child can never get more than the
 * shell has, in the foreground or the background alike. No child can read the console, so every key is the
 * shell's: while a child runs in the foreground the shell polls the console,
 * kills the child on Ctrl-C, suspends it on Ctrl-Z (it becomes a stopped job:
 * `bg` continues it in the background, `fg` in the foreground) and forwards
 * every other byte to the child's standard input (what the child leaves
 * unread becomes type-ahead for the next prompt). A job is checked
 * (ProcessWait, timeout 0) before each prompt and reported once it has ended;
 * leaving the shell kills the jobs still there, stopped ones included (init
 * would otherwise inherit and wait for them). Each program gets a memory
 * quota of 1/(SHELL_MAX_JOBS + 1) of what the shell has left (spawn). */
#include "nexacore.h"
#include <nc/fmt.h>
#include <nc/mem.h>

enum { KEY_CTRL_Z = 26 };

static void report_end(shell_t *sh, const char *prog, uint64_t pid, uint64_t status)
{
	char how[SHELL_STATUS_TEXT_MAX];
	if (!status)
		return;
	shell_format_status(status, how, sizeof how);
	shell_printf(sh, "%s (pid %llu) %s\n", prog, (unsigned long long)pid, how);
}

/* Suspend the foreground child into a stopped job (it keeps its standard
 * input); false when it cannot be (the job table is full, or ProcessSuspend
 * failed: said why). */
static bool stop_child(shell_t *sh, shell_fg_t *fg)
{
	shell_printf(sh, "^Z\n");
	if (shell_jobs_full(&shell_job_table)) {
		shell_printf(sh, "shell: already %d jobs; Ctrl-Z ignored\n", SHELL_MAX_JOBS);
		return false;
	}
	nc_sys_err_t err = nc_sys_process_suspend(fg->pid);
	if (err) {
		shell_os_fail(sh, "ProcessSuspend", err);
		return false;
	}
	int n = shell_jobs_add(&shell_job_table, fg->pid, fg->text);
	shell_job_t *job = shell_jobs_find(&shell_job_table, n);
	job->stopped = true;
	job->in = fg->in;
	shell_stdin_detach(sh);
	shell_printf(sh, "[%d] stopped  %s\n", n, fg->text);
	return true;
}

uint64_t shell_run_read_keys(shell_t *sh, char *buf)
{
	shell_os_t *os = sh->user;
	uint64_t got;
	return shell_tty_read(&os->tty, buf, SHELL_KEYS_PER_POLL, 0, &got) ? 0 : got;
}

/* Take what was typed since the last look: Ctrl-C kills the foreground
 * child, Ctrl-Z suspends it (true: it is a stopped job now; later keys are
 * type-ahead), every other key goes to its standard input. */
static bool take_keys(shell_t *sh, shell_fg_t *fg)
{
	char buf[SHELL_KEYS_PER_POLL];
	uint64_t got = shell_run_read_keys(sh, buf);
	for (uint64_t i = 0; i < got; i++) {
		if (buf[i] == SHELL_KEY_CTRL_C) {
			shell_printf(sh, "^C\n");
			nc_sys_process_kill(fg->pid);
		} else if (buf[i] == KEY_CTRL_Z) {
			if (stop_child(sh, fg)) {
				while (++i < got)
					shell_typeahead_push(&sh->typeahead, (uint8_t)buf[i]);
				return true;
			}
		} else {
			shell_stdin_key(&fg->in, (uint8_t)buf[i]);
		}
	}
	shell_stdin_flush(&fg->in);
	return false;
}

shell_err_t shell_run_wait(shell_t *sh, shell_fg_t *fg)
{
	for (;;) {
		uint64_t status, got;
		nc_sys_err_t err = nc_sys_process_wait(fg->pid, &status, SHELL_POLL_NS, &got);
		if (err == NC_SYS_OK) {
			shell_stdin_close(sh, &fg->in, true);
			report_end(sh, fg->prog, fg->pid, status);
			return status ? SHELL_ERR_SYSTEM : SHELL_OK;
		}
		if (err != NC_SYS_ERR_TIMED_OUT) {
			shell_stdin_close(sh, &fg->in, true);
			return shell_os_fail(sh, "ProcessWait", err);
		}
		if (take_keys(sh, fg))
			return SHELL_OK;
	}
}

/* Start prog with a memory quota of its own, 1/(SHELL_MAX_JOBS + 1) of
 * what the shell has left, so the shell keeps room of its own and every job
 * slot and a foreground program can still start (with ProcessSpawn's
 * default, the shell's quota shared, a job running out of memory would take
 * the shell's). */
static nc_sys_err_t spawn(const char *prog, const char *arg, const uint64_t *hs, uint64_t n, uint64_t *pid)
{
	uint64_t limit = 0, used = 0;
	nc_sys_system_info(NC_SYS_INFO_QUOTA_BYTES, &limit);
	nc_sys_system_info(NC_SYS_INFO_QUOTA_USED_BYTES, &used);
	nc_sys_spawn_spec_t s = { (uint64_t)prog, nc_str_len(prog), (uint64_t)arg, nc_str_len(arg), (uint64_t)hs, n,
				  (limit - used) / (SHELL_MAX_JOBS + 1), 0, 0 };
	return nc_sys_process_spawn_spec(&s, pid);
}

/* The child's standard output (user/lib/print.c), to pass first: a write-only copy of the file of
 * the line's `> FILE` (redirect.c), else of the terminal. Without a file to give, the child
 * still starts (it prints to the console); a file that cannot be given is an error (printed). */
static shell_err_t standard_output(shell_t *sh, uint64_t *h, bool *got)
{
	const shell_os_t *os = sh->user;
	*got = false;
	if (!os->out_file) {
		*got = shell_tty_output(&os->tty, h) == NC_SYS_OK;
		return SHELL_OK;
	}
	nc_sys_err_t err = nc_sys_handle_duplicate(os->out_file, NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_TRANSFER, h);
	if (err)
		return shell_os_fail(sh, "HandleDuplicate", err);
	*got = true;
	return SHELL_OK;
}

/* Record the started child as a background job and say its number. */
static shell_err_t start_job(shell_t *sh, const shell_fg_t *child)
{
	int n = shell_jobs_add(&shell_job_table, child->pid, child->text);
	shell_jobs_find(&shell_job_table, n)->in = child->in;
	shell_printf(sh, "[%d] %llu\n", n, (unsigned long long)child->pid);
	return SHELL_OK;
}

shell_err_t shell_run_program(shell_t *sh, const char *prog, const char *arg,
			      const shell_grant_t *grants, int n_grants)
{
	static const shell_grant_t console_write = { "console.write", "*" };
	uint64_t hs[NC_SYS_SPAWN_HANDLES_MAX];
	int n = 0;
	shell_err_t err = SHELL_OK;
	if (sh->background && shell_jobs_full(&shell_job_table)) {
		shell_printf(sh, "%s: already %d background jobs; wait for one (fg N)\n", prog,
			     SHELL_MAX_JOBS);
		return SHELL_ERR_SYSTEM;
	}
	bool got;
	err = standard_output(sh, &hs[n], &got);
	if (err)
		return err;
	n += got;
	err = shell_grant_derive(sh, &console_write, &hs[n]);
	if (!err)
		n++;
	char text[SHELL_JOB_TEXT_MAX];
	nc_fmt_format(text, sizeof text, "%s%s%s", prog, arg[0] ? " " : "", arg);
	shell_fg_t child = { prog, text, 0, { 0, 0, false } };
	if (!err && shell_stdin_open(&child.in, &hs[n]))
		n++;
	for (int i = 0; !err && i < n_grants && n < (int)NC_SYS_SPAWN_HANDLES_MAX; i++) {
		err = shell_grant_derive(sh, &grants[i], &hs[n]);
		if (!err)
			n++;
	}
	nc_sys_err_t serr = NC_SYS_OK;
	if (!err)
		serr = spawn(prog, arg, hs, (uint64_t)n, &child.pid);
	for (int i = 0; i < n; i++)
		nc_sys_handle_close(hs[i]);
	if (err || serr)
		shell_stdin_close(sh, &child.in, false);
	if (err)
		return err;
	if (serr == NC_SYS_ERR_NOT_FOUND) {
		shell_printf(sh, "%s: no such program\n", prog);
		return SHELL_ERR_NOT_FOUND;
	}
	if (serr)
		return shell_os_fail(sh, prog, serr);
	return sh->background ? start_job(sh, &child) : shell_run_wait(sh, &child);
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
	if (argc == 1 && (sh->background || ((shell_os_t *)sh->user)->out_file)) {
		shell_printf(sh, "ncs: the REPL cannot run in the background or into a file\n");
		return SHELL_ERR_USAGE;
	}
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

/* ai SUBCOMMAND [MODEL] ...: the `ai` program (docs/ai-service.md) granted
 * ai.invoke on the model named (every model for `ai models`) and, for
 * `ai transcribe MODEL FILE`, fs.read on the file: no more. */
static shell_err_t cmd_ai(shell_t *sh, int argc, char **argv)
{
	shell_grant_t grants[2];
	int n = 0;
	char text[SHELL_ACTION_MAX + SHELL_SCOPE_MAX], arg[NC_SYS_ARG_MAX + 1];
	if (argc < 2 || (nc_str_compare(argv[1], "models") && argc < 3))
		return SHELL_ERR_USAGE;
	nc_fmt_format(text, sizeof text, "ai.invoke=%s", argc > 2 ? argv[2] : "*");
	if (shell_parse_grant(text, &grants[n++]) != SHELL_OK)
		return SHELL_ERR_USAGE;
	if (!nc_str_compare(argv[1], "transcribe") && argc == 4) {
		nc_fmt_format(text, sizeof text, "fs.read=%s%s", argv[3][0] == '/' ? "" : "/", argv[3]);
		if (shell_parse_grant(text, &grants[n++]) != SHELL_OK)
			return SHELL_ERR_USAGE;
	}
	if (!join_args(1, argc, argv, arg, sizeof arg))
		return SHELL_ERR_USAGE;
	return shell_run_program(sh, "ai", arg, grants, n);
}

const shell_cmd_t shell_run_cmds[] = {
	{ "run", "run [--grant ACTION=SCOPE]... PROG [ARG]... [&]",
	  "start an initrd program (& : in the background); by default it gets only the console and its input",
	  cmd_run, true },
	{ "ncs", "ncs [[--grant ACTION=SCOPE]... FILE [&]]",
	  "run an ncScript (granted fs.read on FILE), or the REPL", cmd_ncs, true },
	{ "ai", "ai models | run MODEL PROMPT [-n N] [--temp T]... | chat MODEL | embed MODEL TEXT | classify MODEL --labels a,b TEXT | transcribe MODEL FILE.wav",
	  "the AI service: list models, generate (streamed; Ctrl-C cancels), chat, embed, classify, transcribe",
	  cmd_ai, true },
};
const size_t shell_n_run_cmds = sizeof shell_run_cmds / sizeof shell_run_cmds[0];
