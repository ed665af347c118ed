/* User threads over TaskCreate/TaskJoin: the function and argument travel at
 * the top of the new stack; the entry trampoline calls fn(arg) and ends the
 * thread with its return value. The kernel enters the trampoline with
 * rsp = stack_top - 8, as if it had been called. */
#include <nc/ulib.h>

typedef struct {
	int (*fn)(void *);
	void *arg;
} start_t;

static void __attribute__((noreturn)) trampoline(start_t *s)
{
	int code = s->fn(s->arg);
	nc_sys_task_exit((uint64_t)code);
	__builtin_unreachable();
}

nc_sys_err_t nc_thread_start(nc_thread_t *t, int (*fn)(void *), void *arg)
{
	uint64_t stack;
	nc_sys_err_t err = nc_sys_mem_map(0, NC_THREAD_STACK_BYTES, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE,
					  &stack);
	if (err)
		return err;
	uint64_t top = stack + NC_THREAD_STACK_BYTES - 64;
	start_t *s = (start_t *)top;
	s->fn = fn;
	s->arg = arg;
	t->stack = stack;
	t->stack_bytes = NC_THREAD_STACK_BYTES;
	err = nc_sys_task_create((uint64_t)trampoline, top, (uint64_t)s, &t->tid);
	if (err)
		nc_sys_mem_unmap(stack, NC_THREAD_STACK_BYTES);
	return err;
}

nc_sys_err_t nc_thread_join(nc_thread_t *t, uint64_t *code)
{
	nc_sys_err_t err = nc_sys_task_join(t->tid, code);
	if (err == NC_SYS_OK)
		nc_sys_mem_unmap(t->stack, t->stack_bytes);
	return err;
}
