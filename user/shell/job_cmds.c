/* The job commands (`jobs`, `fg`, `bg`, `wait`) and the jobs' life after
 * their start (run.c starts them): reporting those that ended before each
 * prompt, and ending them all when the shell leaves. The table itself is
 * jobs.c's bookkeeping. */
#include "nexacore.h"
#include <nc/fmt.h>
#include <nc/mem.h>

/* END_WAIT_NS: how long leaving the shell waits for each killed background job. */
enum { END_WAIT_NS = 1000 * 1000 * 1000 };

shell_jobs_t shell_job_table;

/* Forget job n, closing its standard input. */
static void forget_job(shell_t *sh, int n)
{
	shell_job_t *job = shell_jobs_find(&shell_job_table, n);
	if (job)
		shell_stdin_close(sh, &job->in, false);
	shell_jobs_remove(&shell_job_table, n);
}

/* Report and forget every background job that has ended, waiting up to
 * timeout_ns for each (0: only look). */
static void reap_jobs(shell_t *sh, uint64_t timeout_ns)
{
	for (int n = 1; n <= SHELL_MAX_JOBS; n++) {
		shell_job_t *job = shell_jobs_find(&shell_job_table, n);
		uint64_t status, got;
		if (!job)
			continue;
		nc_sys_err_t err = nc_sys_process_wait(job->pid, &status, timeout_ns, &got);
		if (err == NC_SYS_ERR_TIMED_OUT)
			continue;
		char how[SHELL_STATUS_TEXT_MAX];
		if (err == NC_SYS_OK)
			shell_format_status(status, how, sizeof how);
		else
			nc_fmt_format(how, sizeof how, "ProcessWait failed: %s", nc_sys_err_name(err));
		shell_printf(sh, "[%d] done, %s  %s\n", n, how, job->text);
		forget_job(sh, n);
	}
}

void shell_run_before_prompt(shell_t *sh)
{
	reap_jobs(sh, 0);
	if (sh->typeahead.n_dropped) {
		shell_printf(sh, "shell: %llu typed keys dropped (type-ahead holds %d)\n",
			     (unsigned long long)sh->typeahead.n_dropped, SHELL_TYPEAHEAD_BYTES);
		sh->typeahead.n_dropped = 0;
	}
}

bool shell_run_is_stopped(uint64_t pid)
{
	for (int n = 1; n <= SHELL_MAX_JOBS; n++) {
		const shell_job_t *job = shell_jobs_find(&shell_job_table, n);
		if (job && job->pid == pid)
			return job->stopped;
	}
	return false;
}

void shell_run_end_jobs(shell_t *sh)
{
	for (int n = 1; n <= SHELL_MAX_JOBS; n++) {
		const shell_job_t *job = shell_jobs_find(&shell_job_table, n);
		if (job)
			nc_sys_process_kill(job->pid);
	}
	reap_jobs(sh, END_WAIT_NS);
}

static shell_err_t cmd_jobs(shell_t *sh, int argc, char **argv)
{
	if (argc != 1)
		return SHELL_ERR_USAGE;
	reap_jobs(sh, 0);
	for (int n = 1; n <= SHELL_MAX_JOBS; n++) {
		const shell_job_t *job = shell_jobs_find(&shell_job_table, n);
		if (job)
			shell_printf(sh, "[%d] %s  pid %llu  %s\n", n, job->stopped ? "stopped" : "running",
				     (unsigned long long)job->pid, job->text);
	}
	return SHELL_OK;
}

/* The job `fg`/`bg` [N] names (default: the newest); NULL: said why. */
static shell_job_t *named_job(shell_t *sh, int argc, char **argv, shell_err_t *err)
{
	int n = 0;
	*err = SHELL_ERR_USAGE;
	if (argc > 2 || (argc == 2 && !shell_jobs_parse(argv[1], &n)))
		return NULL;
	shell_job_t *job = shell_jobs_find(&shell_job_table, n);
	if (!job) {
		shell_printf(sh, "%s: no such job\n", argv[0]);
		*err = SHELL_ERR_NOT_FOUND;
	}
	return job;
}

/* Continue a stopped job; false when ProcessResume failed (said why). */
static bool resume_job(shell_t *sh, shell_job_t *job)
{
	nc_sys_err_t err = job->stopped ? nc_sys_process_resume(job->pid) : NC_SYS_OK;
	if (err) {
		shell_os_fail(sh, "ProcessResume", err);
		return false;
	}
	job->stopped = false;
	return true;
}

/* fg [N]: continue job N if stopped and wait for it as for a foreground program. */
static shell_err_t cmd_fg(shell_t *sh, int argc, char **argv)
{
	shell_err_t err;
	shell_job_t *job = named_job(sh, argc, argv, &err);
	if (!job)
		return err;
	char text[SHELL_JOB_TEXT_MAX];
	nc_mem_copy(text, job->text, sizeof text);
	shell_fg_t fg = { text, text, job->pid, job->in };
	if (!resume_job(sh, job))
		return SHELL_ERR_SYSTEM;
	shell_jobs_remove(&shell_job_table, shell_jobs_number(&shell_job_table, job)); /* its input goes with fg */
	shell_printf(sh, "%s\n", text);
	return shell_run_wait(sh, &fg);
}

/* bg [N]: continue stopped job N in the background. */
static shell_err_t cmd_bg(shell_t *sh, int argc, char **argv)
{
	shell_err_t err;
	shell_job_t *job = named_job(sh, argc, argv, &err);
	if (!job)
		return err;
	if (!job->stopped) {
		shell_printf(sh, "bg: job %d is already running\n", shell_jobs_number(&shell_job_table, job));
		return SHELL_ERR_USAGE;
	}
	if (!resume_job(sh, job))
		return SHELL_ERR_SYSTEM;
	shell_printf(sh, "[%d] %s &\n", shell_jobs_number(&shell_job_table, job), job->text);
	return SHELL_OK;
}

/* Whether a job is running (not stopped). */
static bool any_running(void)
{
	for (int n = 1; n <= SHELL_MAX_JOBS; n++) {
		const shell_job_t *job = shell_jobs_find(&shell_job_table, n);
		if (job && !job->stopped)
			return true;
	}
	return false;
}

/* Read what was typed: true on Ctrl-C, every other key is type-ahead. */
static bool ctrl_c_typed(shell_t *sh)
{
	char buf[SHELL_KEYS_PER_POLL];
	uint64_t got = shell_run_read_keys(sh, buf);
	bool hit = false;
	for (uint64_t i = 0; i < got; i++) {
		if (buf[i] == SHELL_KEY_CTRL_C)
			hit = true;
		else
			shell_typeahead_push(&sh->typeahead, (uint8_t)buf[i]);
	}
	return hit;
}

/* wait: until every running job has ended, reporting each; Ctrl-C stops
 * waiting (the jobs run on). Stopped jobs are not waited for. */
static shell_err_t cmd_wait(shell_t *sh, int argc, char **argv)
{
	if (argc != 1)
		return SHELL_ERR_USAGE;
	for (;;) {
		reap_jobs(sh, 0);
		if (!any_running())
			return SHELL_OK;
		if (ctrl_c_typed(sh)) {
			shell_printf(sh, "^C\n");
			return SHELL_OK;
		}
		nc_sys_sleep(SHELL_POLL_NS);
	}
}

const shell_cmd_t shell_job_cmds[] = {
	{ "jobs", "jobs", "list the jobs, running or stopped (report those that ended)", cmd_jobs, false },
	{ "fg", "fg [N]", "continue job N (default: the newest) in the foreground; Ctrl-C kills it, Ctrl-Z stops it",
	  cmd_fg, false },
	{ "bg", "bg [N]", "continue stopped job N (default: the newest) in the background", cmd_bg, false },
	{ "wait", "wait", "wait until every running job has ended (Ctrl-C stops waiting)", cmd_wait, false },
};
const size_t shell_n_job_cmds = sizeof shell_job_cmds / sizeof shell_job_cmds[0];
