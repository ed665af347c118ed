/* The table of background jobs and the wording of how a process ended (see
 * shell.h). Pure bookkeeping: run.c starts, waits for and kills the
 * processes; this file only remembers them. */
#include "shell.h"
#include <nc/abi.h>
#include <nc/fmt.h>
#include <nc/mem.h>

enum { FAULT_VECTOR_SHIFT = 40, FAULT_VECTOR_MASK = 0xff };

int shell_jobs_add(shell_jobs_t *j, uint64_t pid, const char *text)
{
	for (int i = 0; i < SHELL_MAX_JOBS; i++) {
		shell_job_t *job = &j->slots[i];
		if (job->pid)
			continue;
		size_t n = nc_str_len_max(text, SHELL_JOB_TEXT_MAX - 1);
		job->pid = pid;
		job->seq = ++j->next_seq;
		nc_mem_copy(job->text, text, n);
		job->text[n] = 0;
		return i + 1;
	}
	return 0;
}

bool shell_jobs_full(const shell_jobs_t *j)
{
	for (int i = 0; i < SHELL_MAX_JOBS; i++)
		if (!j->slots[i].pid)
			return false;
	return true;
}

shell_job_t *shell_jobs_find(shell_jobs_t *j, int n)
{
	if (n >= 1 && n <= SHELL_MAX_JOBS)
		return j->slots[n - 1].pid ? &j->slots[n - 1] : NULL;
	if (n != 0)
		return NULL;
	shell_job_t *newest = NULL;
	for (int i = 0; i < SHELL_MAX_JOBS; i++)
		if (j->slots[i].pid && (!newest || j->slots[i].seq > newest->seq))
			newest = &j->slots[i];
	return newest;
}

int shell_jobs_number(const shell_jobs_t *j, const shell_job_t *job)
{
	return (int)(job - j->slots) + 1;
}

void shell_jobs_remove(shell_jobs_t *j, int n)
{
	if (n >= 1 && n <= SHELL_MAX_JOBS)
		nc_mem_set(&j->slots[n - 1], 0, sizeof j->slots[n - 1]);
}

bool shell_jobs_parse(const char *text, int *n)
{
	if (*text == '%')
		text++;
	int v = 0;
	if (!*text)
		return false;
	for (; *text; text++) {
		if (*text < '0' || *text > '9' || v > SHELL_MAX_JOBS)
			return false;
		v = v * 10 + (*text - '0');
	}
	if (v < 1 || v > SHELL_MAX_JOBS)
		return false;
	*n = v;
	return true;
}

void shell_format_status(uint64_t status, char *out, size_t cap)
{
	if (status & NC_SYS_EXIT_FAULT)
		nc_fmt_format(out, cap, "crashed: CPU exception %llu",
			      (unsigned long long)((status >> FAULT_VECTOR_SHIFT) & FAULT_VECTOR_MASK));
	else if (status & NC_SYS_EXIT_KILLED)
		nc_fmt_format(out, cap, "killed");
	else
		nc_fmt_format(out, cap, "exit status %llu",
			      (unsigned long long)(status & NC_SYS_EXIT_CODE_MASK));
}
