/* Per-CPU data. Each CPU's GS base points at its cpu_t while in the kernel
 * (user GS is swapped in with swapgs); the first three fields are read by
 * assembly (syscall entry) at fixed offsets. A cpu_t's fields are touched only
 * by its own CPU, except rq (its lock) and need_resched (atomic). */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/spinlock.h>
#include <arch/percpu.h>

enum { CPU_MAX = 16 };

struct thread;

typedef struct {
	spinlock_t lock;
	struct thread *head, *tail;    /* runnable threads, FIFO; linked by rq_next */
	volatile uint32_t length;
} runqueue_t;

typedef struct cpu {
	struct cpu *self;              /* GS:0 */
	uint64_t syscall_rsp;          /* GS:8  kernel stack top of the running thread */
	uint64_t user_rsp;             /* GS:16 scratch for the syscall entry */
	uint32_t index;                /* 0 .. cpu_count-1; 0 is the boot CPU */
	uint32_t apic_id;
	struct thread *current;
	struct thread *idle;
	struct thread *prev;           /* the thread switched away from, until sched_finish_switch */
	struct vspace *vspace;         /* address space loaded in CR3 (NULL: kernel) */
	runqueue_t rq;
	volatile bool need_resched;
	bool wake_here;                /* an IPC send is waking its reader: it may join this CPU (sched_enqueue) */
	volatile bool online;
	uint64_t ticks;                /* timer interrupts taken */
	uint64_t switch_tsc;           /* TSC when current started running */
	arch_cpu_t arch;
} cpu_t;

extern cpu_t cpus[CPU_MAX];
extern volatile unsigned cpu_count;   /* CPUs online */

static inline cpu_t *cpu_this(void)
{
	cpu_t *c;
	__asm__ volatile("mov %%gs:0, %0" : "=r"(c));
	return c;
}

#endif
