/* Thread and scheduling system calls: TaskCreate, TaskExit, TaskJoin, Yield,
 * Sleep (docs/abi.md). */
#include <kernel/clock.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/sys_table.h>

enum { SLEEP_MAX_NS = 1000000000000ull };

nc_sys_err_t sys_task_create(uint64_t entry, uint64_t stack_top, uint64_t arg, uint64_t *tid_out)
{
	if (entry < VM_USER_BASE || entry >= VM_USER_TOP || stack_top <= VM_USER_BASE ||
	    stack_top > VM_USER_TOP || stack_top % 16)
		return NC_SYS_ERR_INVALID;
	uint32_t tid;
	nc_sys_err_t err = process_add_thread(thread_current()->proc, entry, stack_top - 8, arg, &tid);
	if (err == NC_SYS_OK)
		*tid_out = tid;
	return err;
}

nc_sys_err_t sys_task_exit(uint64_t code)
{
	thread_exit(code & NC_SYS_EXIT_CODE_MASK);
}

nc_sys_err_t sys_task_join(uint64_t tid, uint64_t *code_out)
{
	if (tid > UINT32_MAX)
		return NC_SYS_ERR_NOT_FOUND;
	return process_join_thread(thread_current()->proc, (uint32_t)tid, code_out);
}

nc_sys_err_t sys_yield(void)
{
	sched_yield();
	return NC_SYS_OK;
}

nc_sys_err_t sys_sleep(uint64_t duration_ns)
{
	if (duration_ns > SLEEP_MAX_NS)
		return NC_SYS_ERR_INVALID;
	clock_sleep_until(clock_now_ns() + duration_ns);
	return NC_SYS_OK;
}
