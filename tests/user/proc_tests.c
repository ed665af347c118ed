/* Processes, threads and time: spawn/exit/wait cycles return every frame,
 * kill ends running and sleeping children, threads start and join with their
 * codes, the clock is monotonic and Sleep sleeps. */
#include "usertests.h"
#include <nc/fmt.h>
#include <nc/mem.h>

enum { SPAWN_CYCLES = 1000, SLEEP_NS = 20 * 1000 * 1000, N_THREADS = 6 };

static int child_exit_42(void) { return 42; }
static int child_spin(void)
{
	for (;;)
		__asm__ volatile("pause");
	__builtin_unreachable();
}
static int spin_thread(void *arg)
{
	(void)arg;
	return child_spin();
}
static int child_sleep_long(void)
{
	nc_sys_sleep(60ull * 1000 * 1000 * 1000);
	return 0;
}
static int child_threads_then_exit(void)
{
	/* a thread blocked in join and one spinning must both end with the process */
	static nc_thread_t t;
	nc_thread_start(&t, spin_thread, NULL);
	return 7;
}

const nc_test_child_t ut_proc_children[] = {
	{ "exit_42", child_exit_42 }, { "spin", child_spin }, { "sleep_long", child_sleep_long },
	{ "threads_then_exit", child_threads_then_exit }, { NULL, NULL },
};

static uint64_t free_frames(void)
{
	uint64_t v = 0;
	nc_sys_system_info(NC_SYS_INFO_FREE_FRAMES, &v);
	return v;
}

static bool t_exit_code(void)
{
	uint64_t status;
	if (!ut_run_child("exit_42", &status))
		return false;
	return status == 42 ? true : NC_FAIL("status %#llx, expected 42", (unsigned long long)status);
}

/* SPAWN_CYCLES spawn/exit/wait cycles: the free-frame count returns to its start. */
static bool t_spawn_exit_cycles(void)
{
	static const char self[] = "usertests", arg[] = "child:exit_42";
	uint64_t before = free_frames();
	for (int i = 0; i < SPAWN_CYCLES; i++) {
		uint64_t pid, reaped, status;
		nc_sys_err_t err = nc_sys_process_spawn(self, sizeof self - 1, arg, sizeof arg - 1, NULL, NC_SYS_SPAWN_INHERIT, &pid);
		if (err)
			return NC_FAIL("cycle %d: spawn: %s", i, nc_sys_err_name(err));
		if (nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped) || status != 42)
			return NC_FAIL("cycle %d: wait status %#llx", i, (unsigned long long)status);
	}
	uint64_t after = free_frames();
	nc_print("# spawn_exit_cycles: %d cycles, free frames %llu before, %llu after\n", SPAWN_CYCLES,
		 (unsigned long long)before, (unsigned long long)after);
	return after == before ? true : NC_FAIL("free frames %llu -> %llu", (unsigned long long)before,
					       (unsigned long long)after);
}

/* Every way a process can end (exit with a thread still running, kill while
 * running, fault) frees everything at reap: LEAK_CYCLES rounds of each return
 * the free-frame count to its start. */
static bool t_end_paths_free_everything(void)
{
	enum { LEAK_CYCLES = 60 };
	static const char self[] = "usertests", spin[] = "child:spin";
	uint64_t before = free_frames();
	for (int i = 0; i < LEAK_CYCLES; i++) {
		uint64_t status, pid, reaped;
		if (!ut_run_child("threads_then_exit", &status))
			return false;
		if (status != 7)
			return NC_FAIL("cycle %d: exit status %#llx", i, (unsigned long long)status);
		if (!ut_run_child("null_read", &status))
			return false;
		if (status != ut_fault_status(14))
			return NC_FAIL("cycle %d: fault status %#llx", i, (unsigned long long)status);
		if (nc_sys_process_spawn(self, sizeof self - 1, spin, sizeof spin - 1, NULL, NC_SYS_SPAWN_INHERIT,
					 &pid))
			return NC_FAIL("cycle %d: spawn failed", i);
		if (nc_sys_process_kill(pid) || nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped) ||
		    status != NC_SYS_EXIT_KILLED)
			return NC_FAIL("cycle %d: kill status %#llx", i, (unsigned long long)status);
	}
	uint64_t after = free_frames();
	nc_print("# end_paths: %d x (exit with threads, fault, kill), free frames %llu before, %llu after\n",
		 LEAK_CYCLES, (unsigned long long)before, (unsigned long long)after);
	return after == before ? true : NC_FAIL("free frames %llu -> %llu", (unsigned long long)before,
					       (unsigned long long)after);
}

static bool kill_child(const char *name)
{
	static const char self[] = "usertests";
	char arg[32];
	size_t n = nc_fmt_format(arg, sizeof arg, "child:%s", name);
	uint64_t pid, reaped, status;
	if (nc_sys_process_spawn(self, sizeof self - 1, arg, n, NULL, NC_SYS_SPAWN_INHERIT, &pid))
		return NC_FAIL("spawn failed");
	nc_sys_sleep(SLEEP_NS);
	nc_sys_err_t err = nc_sys_process_kill(pid);
	if (err)
		return NC_FAIL("kill: %s", nc_sys_err_name(err));
	if (nc_sys_process_wait(pid, &status, NC_SYS_TIMEOUT_INFINITE, &reaped))
		return NC_FAIL("wait failed");
	return status == NC_SYS_EXIT_KILLED ? true : NC_FAIL("status %#llx", (unsigned long long)status);
}

static bool t_kill_running(void) { return kill_child("spin"); }
static bool t_kill_sleeping(void) { return kill_child("sleep_long"); }

static bool t_exit_ends_all_threads(void)
{
	uint64_t status;
	if (!ut_run_child("threads_then_exit", &status))
		return false;
	return status == 7 ? true : NC_FAIL("status %#llx, expected 7", (unsigned long long)status);
}

static int thread_sum(void *arg)
{
	uint64_t n = (uint64_t)arg, sum = 0;
	for (uint64_t i = 1; i <= n; i++)
		sum += i;
	return (int)(sum % 1000);
}

static bool t_threads_join(void)
{
	nc_thread_t t[N_THREADS];
	for (uint64_t i = 0; i < N_THREADS; i++) {
		nc_sys_err_t err = nc_thread_start(&t[i], thread_sum, (void *)(1000 * (i + 1)));
		if (err)
			return NC_FAIL("thread %llu: %s", (unsigned long long)i, nc_sys_err_name(err));
	}
	for (uint64_t i = 0; i < N_THREADS; i++) {
		uint64_t code, n = 1000 * (i + 1);
		if (nc_thread_join(&t[i], &code))
			return NC_FAIL("join %llu failed", (unsigned long long)i);
		if (code != (n * (n + 1) / 2) % 1000)
			return NC_FAIL("thread %llu returned %llu", (unsigned long long)i, (unsigned long long)code);
	}
	uint64_t code;
	if (nc_sys_task_join(t[0].tid, &code) != NC_SYS_ERR_NOT_FOUND)
		return NC_FAIL("second join of a reaped thread did not give NOT_FOUND");
	return true;
}

static bool t_clock_and_sleep(void)
{
	uint64_t t0, t1, t2;
	nc_sys_clock_get(&t0);
	nc_sys_clock_get(&t1);
	if (t1 < t0)
		return NC_FAIL("clock went back");
	nc_sys_sleep(SLEEP_NS);
	nc_sys_clock_get(&t2);
	if (t2 - t1 < SLEEP_NS)
		return NC_FAIL("slept %llu ns, asked %d", (unsigned long long)(t2 - t1), SLEEP_NS);
	if (nc_sys_sleep(2000000000000ull) != NC_SYS_ERR_INVALID)
		return NC_FAIL("Sleep beyond the limit accepted");
	return true;
}

static uint64_t process_frames(void)
{
	uint64_t v = 0;
	nc_sys_system_info(NC_SYS_INFO_PROCESS_FRAMES, &v);
	return v;
}

/* Frames charged to the process follow MemMap/MemUnmap (new page tables, at
 * most one per level, stay charged until the process ends). */
static bool t_process_frame_accounting(void)
{
	enum { PAGES = 8, MAX_TABLES = 3 };
	uint64_t before = process_frames(), addr;
	if (nc_sys_mem_map(0, PAGES * 4096, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr))
		return NC_FAIL("MemMap failed");
	uint64_t mapped = process_frames();
	nc_sys_mem_unmap(addr, PAGES * 4096);
	uint64_t after = process_frames();
	if (mapped < before + PAGES || mapped > before + PAGES + MAX_TABLES)
		return NC_FAIL("%llu frames after mapping %d pages (from %llu)", (unsigned long long)mapped, PAGES,
			       (unsigned long long)before);
	if (after != mapped - PAGES)
		return NC_FAIL("%llu frames after unmapping, want %llu", (unsigned long long)after,
			       (unsigned long long)(mapped - PAGES));
	return true;
}

const nc_test_case_t ut_proc_tests[] = {
	{ "proc.frame_accounting", t_process_frame_accounting },
	{ "proc.exit_code", t_exit_code }, { "proc.kill_running", t_kill_running },
	{ "proc.kill_sleeping", t_kill_sleeping }, { "proc.exit_ends_all_threads", t_exit_ends_all_threads },
	{ "proc.spawn_exit_1000_cycles_free_frames", t_spawn_exit_cycles },
	{ "proc.end_paths_free_everything", t_end_paths_free_everything },
	{ "thread.create_join", t_threads_join }, { "time.clock_and_sleep", t_clock_and_sleep },
	{ NULL, NULL },
};
