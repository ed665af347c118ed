/* Job control (ABI v2): ProcessSuspend and ProcessResume. A suspended child
 * uses no CPU time until resumed, then runs on; suspending and resuming
 * twice changes nothing; killing a suspended child ends it; a suspended
 * orphan is resumed when init adopts it; each error. */
#include "ut_sys.h"

enum { SETTLE_NS = 50 * 1000 * 1000, WATCH_NS = 150 * 1000 * 1000, MAX_PROCS = 64 };

static nc_sys_process_info_t procs[MAX_PROCS];

/* ProcessList's entry for pid, or NULL when it is not listed. */
static const nc_sys_process_info_t *info_of(uint64_t pid)
{
	uint64_t n;
	if (nc_sys_process_list(procs, MAX_PROCS, &n))
		return NULL;
	for (uint64_t i = 0; i < n && i < MAX_PROCS; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

/* CPU time of process pid so far, or ~0 when it is not listed. */
static uint64_t cpu_time_of(uint64_t pid)
{
	const nc_sys_process_info_t *p = info_of(pid);
	return p ? p->cpu_time_ns : ~0ull;
}

static bool spawn_spinner(uint64_t *pid)
{
	static const char self[] = "usertests", arg[] = "child:spin";
	NC_EXPECT_SYS(nc_sys_process_spawn(self, sizeof self - 1, arg, sizeof arg - 1, NULL, NC_SYS_SPAWN_INHERIT, pid),
		  NC_SYS_OK);
	return true;
}

/* The checks on a running spinner pid; the caller kills it whatever they give
 * (a spinner left behind would keep init waiting for ever). */
static bool suspend_resume_checks(uint64_t pid)
{
	uint64_t status, reaped;
	nc_sys_sleep(SETTLE_NS);
	NC_EXPECT_SYS(nc_sys_process_suspend(pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_suspend(pid), NC_SYS_OK); /* again: nothing changes */
	nc_sys_sleep(SETTLE_NS); /* past the next timer tick: the spinner has stopped */
	uint64_t t1 = cpu_time_of(pid);
	nc_sys_sleep(WATCH_NS);
	uint64_t t2 = cpu_time_of(pid);
	NC_REQUIRE(t1 != ~0ull && t1 > 0 && t2 == t1);
	NC_EXPECT_SYS(nc_sys_process_resume(pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_resume(pid), NC_SYS_OK);
	nc_sys_sleep(WATCH_NS);
	uint64_t t3 = cpu_time_of(pid);
	NC_REQUIRE(t3 != ~0ull && t3 > t2);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &status, 0, &reaped), NC_SYS_ERR_TIMED_OUT); /* still running */
	NC_EXPECT_SYS(nc_sys_process_suspend(pid), NC_SYS_OK); /* killed below while suspended */
	nc_sys_sleep(SETTLE_NS);
	nc_print("# jobctl: spinner CPU time %llu ns stopped, %llu ns after resuming\n", (unsigned long long)t2,
		 (unsigned long long)t3);
	return true;
}

static bool t_suspend_resume(void)
{
	uint64_t pid, status, reaped;
	if (!spawn_spinner(&pid))
		return false;
	bool ok = suspend_resume_checks(pid);
	/* a suspended child still dies when killed */
	NC_EXPECT_SYS(nc_sys_process_kill(pid), NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	NC_REQUIRE(reaped == pid && status == NC_SYS_EXIT_KILLED);
	return ok;
}

/* A child suspended while it sleeps in a system call finishes the call when
 * resumed, and ends normally. */
static int child_sleep_then_exit(void)
{
	nc_sys_sleep(SETTLE_NS);
	return 7;
}

static bool t_suspend_in_system_call(void)
{
	static const char self[] = "usertests", arg[] = "child:sleep_then_exit";
	uint64_t pid, status, reaped;
	NC_EXPECT_SYS(nc_sys_process_spawn(self, sizeof self - 1, arg, sizeof arg - 1, NULL, NC_SYS_SPAWN_INHERIT, &pid),
		  NC_SYS_OK);
	NC_EXPECT_SYS(nc_sys_process_suspend(pid), NC_SYS_OK);
	/* its sleep ends meanwhile, but it does not get back to user mode to exit */
	nc_sys_err_t waited = nc_sys_process_wait(pid, &status, 3 * SETTLE_NS, &reaped);
	NC_EXPECT_SYS(nc_sys_process_resume(pid), NC_SYS_OK); /* first: never leave it stopped */
	NC_REQUIRE(waited == NC_SYS_ERR_TIMED_OUT);
	NC_EXPECT_SYS(nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped), NC_SYS_OK);
	NC_REQUIRE(status == 7);
	return true;
}

/* Spawn a sleep_then_exit grandchild, suspend it and end: exit code =
 * PID_BASE + its pid (a failure gives a line number, below PID_BASE). */
enum { PID_BASE = 1000000 };

static int child_orphan_stopped(void)
{
	static const char self[] = "usertests", arg[] = "child:sleep_then_exit";
	uint64_t pid;
	NC_EXPECT_CHILD(nc_sys_process_spawn(self, sizeof self - 1, arg, sizeof arg - 1, NULL,
					     NC_SYS_SPAWN_INHERIT, &pid), NC_SYS_OK);
	NC_EXPECT_CHILD(nc_sys_process_suspend(pid), NC_SYS_OK);
	return (int)(PID_BASE + pid);
}

/* The stopped grandchild, adopted by init when its parent ends, is resumed:
 * it finishes its sleep and exits (init reaps it when its programs are done). */
static bool t_orphan_resumed(void)
{
	uint64_t status;
	if (!ut_run_child("orphan_stopped", &status))
		return false;
	NC_REQUIRE(status > PID_BASE);
	uint64_t pid = status - PID_BASE;
	const nc_sys_process_info_t *p = info_of(pid);
	for (int i = 0; i < 100 && p && p->state != NC_SYS_PROC_ZOMBIE; i++) {
		nc_sys_sleep(SETTLE_NS);
		p = info_of(pid);
	}
	NC_REQUIRE(p && p->state == NC_SYS_PROC_ZOMBIE && p->parent_pid == 1); /* ended, init's to reap */
	return true;
}

static int child_no_capability(void)
{
	NC_EXPECT_CHILD(nc_sys_process_suspend(1), NC_SYS_ERR_DENIED);
	NC_EXPECT_CHILD(nc_sys_process_resume(1), NC_SYS_ERR_DENIED);
	return 0;
}

static bool t_errors(void)
{
	uint64_t self_pid, status;
	NC_EXPECT_SYS(nc_sys_system_info(NC_SYS_INFO_PID, &self_pid), NC_SYS_OK);
	static const uint64_t not_children[] = { 0, 1, 999999, 1ull << 32, ~0ull };
	for (size_t i = 0; i < sizeof not_children / sizeof not_children[0]; i++) {
		NC_EXPECT_SYS(nc_sys_process_suspend(not_children[i]), NC_SYS_ERR_NO_CHILD);
		NC_EXPECT_SYS(nc_sys_process_resume(not_children[i]), NC_SYS_ERR_NO_CHILD);
	}
	NC_EXPECT_SYS(nc_sys_process_suspend(self_pid), NC_SYS_ERR_NO_CHILD); /* not its own child */
	if (!ut_spawn_with("jobctl_no_capability", NULL, 0, &status))
		return false;
	NC_REQUIRE(status == 0);
	return true;
}

const nc_test_case_t ut_jobctl_tests[] = {
	{ "jobctl.suspend_resume_kill", t_suspend_resume },
	{ "jobctl.suspend_in_system_call", t_suspend_in_system_call },
	{ "jobctl.orphan_resumed_by_adoption", t_orphan_resumed },
	{ "jobctl.errors", t_errors },
	{ NULL, NULL },
};

const nc_test_child_t ut_jobctl_children[] = {
	{ "sleep_then_exit", child_sleep_then_exit },
	{ "jobctl_no_capability", child_no_capability },
	{ "orphan_stopped", child_orphan_stopped },
	{ NULL, NULL },
};
