/* System-call dispatch: the number in rax indexes the table generated from
 * abi/syscalls.abi; arguments come from rdi rsi rdx r10 r8 r9; the error goes
 * back in rax and the result in rdx (docs/abi.md). A return rip sysret
 * cannot take (frame_sysret_ok) ends the process as a #GP would. */
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/sys_table.h>
#include <arch/cpu.h>
#include <arch/frame.h>
#include <stddef.h>

_Static_assert(offsetof(trap_frame_t, r9) - offsetof(trap_frame_t, rdi) == 5 * sizeof(uint64_t),
	       "the argument registers are contiguous");

void syscall_dispatch(trap_frame_t *f);
void syscall_dispatch(trap_frame_t *f)
{
	uint64_t *args = &f->rdi; /* rdi..r9 lie in argument order in the frame */
	uint64_t result = 0;
	nc_sys_err_t err = NC_SYS_ERR_UNKNOWN_CALL;
	if (f->rax < NC_SYS_COUNT)
		err = sys_table[f->rax].fn(args, &result);
	f->rax = err;
	f->rdx = err == NC_SYS_OK ? result : 0;
	if (!frame_sysret_ok(f))
		process_kill_on_fault(thread_current()->proc, FRAME_GP_VECTOR);
	cpu_irq_disable();
	sched_return_to_user();
}
