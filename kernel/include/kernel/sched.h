/* The scheduler: one FIFO run queue per CPU, round robin with a one-tick
 * quantum, and load balancing (a new or woken thread goes to the CPU with the
 * shortest queue; an idle CPU steals from the longest; every
 * SCHED_BALANCE_TICKS a CPU whose load, queued plus running, is two or more
 * above the lightest CPU's pushes one queued thread there). The kernel is not
 * preemptible: a thread switches only in schedule(), which is called when it
 * blocks, yields, exits, or returns to user mode with need_resched set. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <kernel/cpu.h>
#include <kernel/process.h>
#include <kernel/thread.h>

enum { SCHED_BALANCE_TICKS = 8 };

/* Set up this CPU's scheduler state with idle as its idle thread. */
void sched_init_cpu(thread_t *idle);
/* Queue a RUNNABLE thread on a CPU chosen by load; may IPI that CPU. */
void sched_enqueue(thread_t *t);
/* Switch to the next runnable thread (or keep running if none and the
 * current one is still RUNNING/RUNNABLE). */
void sched_yield(void);
/* Direct hand-off (the IPC call/reply fast path, kernel/channel.c): switch
 * straight to next without the run queues. The caller has claimed next (it
 * was BLOCKED, off every CPU and last ran on this one, on no run queue; the
 * caller made it RUNNING and on_cpu under its lock, so no other waker can
 * queue it and no other CPU can run it) and has marked the current thread
 * BLOCKED. Interrupts off, no spinlock held; returns, with interrupts still
 * off, when the current thread runs again. */
void sched_handoff(thread_t *next);
/* Called by the switch code right after each switch, on the new stack. */
void sched_finish_switch(void);
/* Timer tick on this CPU: request preemption, balance now and then. */
void sched_tick(void);
/* Run before returning to user mode (interrupts off): honour need_resched,
 * end the thread if its process is being killed, wait while it is suspended.
 * The check is inline (every system call ends with it); the work is in the
 * _slow part. */
void sched_return_to_user_slow(void);

static inline void sched_return_to_user(void)
{
	cpu_t *c = cpu_this();
	process_t *p = c->current->proc;
	if (c->need_resched || (p && p->attention))
		sched_return_to_user_slow();
}
/* CPU time of t in TSC ticks, including the slice it may be running right
 * now on any CPU (read without t's lock: a report, exact only for the
 * current thread). */
uint64_t sched_runtime_tsc(const thread_t *t);
/* This CPU's idle loop. Never returns. */
void sched_idle_loop(void) __attribute__((noreturn));

#endif
