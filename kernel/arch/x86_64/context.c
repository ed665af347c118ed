/* Thread contexts on x86-64: initial kernel stacks for new threads, and the
 * switch itself (FPU/SSE/AVX state, TSS rsp0 and syscall stack, CR3, then the
 * register switch in switch.S). */
#include <kernel/process.h>
#include <kernel/arch.h>
#include <kernel/cpu.h>
#include <kernel/thread.h>
#include <kernel/vm.h>
#include <nc/mem.h>
#include "x86.h"

void arch_context_switch(uint64_t *save_rsp, uint64_t load_rsp);
extern char arch_kthread_start[], arch_uthread_start[];

/* The six callee-saved slots arch_context_switch pops, then its return address. */
typedef struct {
	uint64_t r15, r14, r13, r12, rbx, rbp, ret;
} switch_frame_t;

void arch_thread_init_kernel(thread_t *t, void (*fn)(void *), void *arg)
{
	switch_frame_t *sf = (switch_frame_t *)(t->kstack_top - sizeof *sf);
	nc_mem_set(sf, 0, sizeof *sf);
	sf->r12 = (uint64_t)fn;
	sf->r13 = (uint64_t)arg;
	sf->ret = (uint64_t)arch_kthread_start;
	t->ctx_rsp = (uint64_t)sf;
}

void arch_thread_init_user(thread_t *t, uint64_t entry, uint64_t stack_top, uint64_t arg0,
			   uint64_t arg1)
{
	trap_frame_t *f = (trap_frame_t *)(t->kstack_top - sizeof *f);
	nc_mem_set(f, 0, sizeof *f);
	f->rip = entry;
	f->rsp = stack_top;
	f->rdi = arg0;
	f->rsi = arg1;
	f->cs = GDT_USER_CS | 3;
	f->ss = GDT_USER_DS | 3;
	f->rflags = RFLAGS_IF | 2;
	switch_frame_t *sf = (switch_frame_t *)f - 1;
	nc_mem_set(sf, 0, sizeof *sf);
	sf->ret = (uint64_t)arch_uthread_start;
	t->ctx_rsp = (uint64_t)sf;
}

static inline void fpu_save(void *area)
{
	if (cpu_has_xsave)
		__asm__ volatile("xsave64 (%0)" ::"r"(area), "a"(0xffffffffu), "d"(0xffffffffu) : "memory");
	else
		__asm__ volatile("fxsave64 (%0)" ::"r"(area) : "memory");
}

static inline void fpu_restore(const void *area)
{
	if (cpu_has_xsave)
		__asm__ volatile("xrstor64 (%0)" ::"r"(area), "a"(0xffffffffu), "d"(0xffffffffu) : "memory");
	else
		__asm__ volatile("fxrstor64 (%0)" ::"r"(area) : "memory");
}

void arch_switch_to(thread_t *prev, thread_t *next)
{
	cpu_t *c = cpu_this();
	if (prev->fpu)
		fpu_save(prev->fpu);
	gdt_set_kernel_stack(c, next->kstack_top);
	vspace_t *vs = next->proc ? next->proc->vs : NULL;
	if (vs != c->vspace) /* threads of one process share it */
		vspace_switch(c->vspace, vs);
	if (next->fpu)
		fpu_restore(next->fpu);
	arch_context_switch(&prev->ctx_rsp, next->ctx_rsp);
}
