/* The background-job table and the wording of wait statuses (user/shell/jobs.c).
 * Status words are built by hand from the ABI's layout (abi/syscalls.abi:
 * EXIT_KILLED bit 32, EXIT_FAULT bit 33, vector in bits 40-47, code in bits 0-31). */
#include "nc_test.h"
#include "shell.h"

NC_TEST(shell_jobs, numbers_are_lowest_free_and_reused)
{
	shell_jobs_t j = { 0 };
	NC_CHECK_EQ(shell_jobs_add(&j, 11, "spin"), 1);
	NC_CHECK_EQ(shell_jobs_add(&j, 12, "hello"), 2);
	NC_CHECK_EQ(shell_jobs_add(&j, 13, "ncs hello.ncs"), 3);
	shell_jobs_remove(&j, 2);
	NC_CHECK(shell_jobs_find(&j, 2) == NULL);
	NC_CHECK_EQ(shell_jobs_add(&j, 14, "readfile /motd"), 2);
	shell_job_t *job = shell_jobs_find(&j, 2);
	NC_CHECK(job != NULL);
	NC_CHECK_EQ(job->pid, 14u);
	NC_CHECK_STR(job->text, "readfile /motd");
	NC_CHECK_EQ(shell_jobs_number(&j, job), 2);
	NC_CHECK_EQ(shell_jobs_find(&j, 3)->pid, 13u);
}

NC_TEST(shell_jobs, zero_means_the_newest)
{
	shell_jobs_t j = { 0 };
	NC_CHECK(shell_jobs_find(&j, 0) == NULL);
	shell_jobs_add(&j, 21, "a");
	shell_jobs_add(&j, 22, "b");
	shell_jobs_add(&j, 23, "c");
	NC_CHECK_EQ(shell_jobs_find(&j, 0)->pid, 23u);
	shell_jobs_remove(&j, 1);
	shell_jobs_add(&j, 24, "d"); /* takes number 1 but is the newest */
	shell_job_t *newest = shell_jobs_find(&j, 0);
	NC_CHECK_EQ(newest->pid, 24u);
	NC_CHECK_EQ(shell_jobs_number(&j, newest), 1);
	shell_jobs_remove(&j, 1);
	NC_CHECK_EQ(shell_jobs_find(&j, 0)->pid, 23u);
}

NC_TEST(shell_jobs, full_table_refuses_and_bad_numbers_find_nothing)
{
	shell_jobs_t j = { 0 };
	for (int i = 0; i < SHELL_MAX_JOBS; i++) {
		NC_CHECK(!shell_jobs_full(&j));
		NC_CHECK_EQ(shell_jobs_add(&j, 100 + (uint64_t)i, "x"), i + 1);
	}
	NC_CHECK(shell_jobs_full(&j));
	NC_CHECK_EQ(shell_jobs_add(&j, 999, "y"), 0);
	NC_CHECK(shell_jobs_find(&j, -1) == NULL);
	NC_CHECK(shell_jobs_find(&j, SHELL_MAX_JOBS + 1) == NULL);
	shell_jobs_remove(&j, SHELL_MAX_JOBS + 1); /* no effect, no crash */
	shell_jobs_remove(&j, 0);
	NC_CHECK(shell_jobs_full(&j));
}

NC_TEST(shell_jobs, text_is_cut_to_fit)
{
	shell_jobs_t j = { 0 };
	char long_text[SHELL_JOB_TEXT_MAX * 2];
	for (size_t i = 0; i < sizeof long_text - 1; i++)
		long_text[i] = 'a';
	long_text[sizeof long_text - 1] = 0;
	shell_jobs_add(&j, 5, long_text);
	const shell_job_t *job = shell_jobs_find(&j, 1);
	NC_CHECK_EQ(job->text[SHELL_JOB_TEXT_MAX - 2], 'a');
	NC_CHECK_EQ(job->text[SHELL_JOB_TEXT_MAX - 1], 0);
}

NC_TEST(shell_jobs, parses_job_references)
{
	int n = 0;
	NC_CHECK(shell_jobs_parse("1", &n));
	NC_CHECK_EQ(n, 1);
	NC_CHECK(shell_jobs_parse("%8", &n));
	NC_CHECK_EQ(n, 8);
	NC_CHECK(!shell_jobs_parse("0", &n));
	NC_CHECK(!shell_jobs_parse("9", &n));
	NC_CHECK(!shell_jobs_parse("", &n));
	NC_CHECK(!shell_jobs_parse("%", &n));
	NC_CHECK(!shell_jobs_parse("1x", &n));
	NC_CHECK(!shell_jobs_parse("-1", &n));
	NC_CHECK(!shell_jobs_parse("99999999999999999999", &n));
}

NC_TEST(shell_jobs, formats_wait_statuses)
{
	char out[SHELL_STATUS_TEXT_MAX];
	shell_format_status(0, out, sizeof out);
	NC_CHECK_STR(out, "exit status 0");
	shell_format_status(3, out, sizeof out);
	NC_CHECK_STR(out, "exit status 3");
	shell_format_status(0xffffffffull, out, sizeof out);
	NC_CHECK_STR(out, "exit status 4294967295");
	shell_format_status(0x100000000ull, out, sizeof out);
	NC_CHECK_STR(out, "killed");
	shell_format_status(0x100000000ull | 0x200000000ull | (14ull << 40), out, sizeof out);
	NC_CHECK_STR(out, "crashed: CPU exception 14");
	shell_format_status(0x300000000ull | (0ull << 40), out, sizeof out);
	NC_CHECK_STR(out, "crashed: CPU exception 0");
	char small[8];
	shell_format_status(0x100000000ull | 0x200000000ull | (13ull << 40), small, sizeof small);
	NC_CHECK_STR(small, "crashed");
}
