/* Threads: a kernel stack, saved registers, FPU/SIMD state (user threads) and
 * scheduling state. A user thread belongs to one process; kernel threads
 * (the per-CPU idle threads) to none.
 *
 * Lifetime: created RUNNABLE; DEAD after thread_exit. A DEAD thread's memory
 * is released by whoever reaps it (TaskJoin, or the parent reaping the whole
 * process) once it is off its CPU (on_cpu false): a thread never frees its
 * own stack.
 *
 * Locking: t->lock guards state, on_cpu and wake-ups; the process lock guards
 * the process's thread list. Blocking follows xv6's sleep/wakeup rule: the
 * waiter checks its condition and calls thread_block while holding the lock
 * that the waker takes before calling thread_wake. */
#ifndef KERNEL_THREAD_H
#define KERNEL_THREAD_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/cpu.h>
#include <kernel/spinlock.h>
#include <nc/abi.h>

struct process;
struct ipc_msg;
struct quota;

typedef enum { THREAD_RUNNABLE, THREAD_RUNNING, THREAD_BLOCKED, THREAD_DEAD } thread_state_t;

typedef struct thread {
	uint64_t ctx_rsp;              /* saved kernel rsp while switched out */
	uint64_t kstack_top;
	bool owns_kstack;              /* false for the boot CPU's idle thread (boot stack) */
	void *fpu;                     /* XSAVE area (user threads), heap, 64-byte aligned */
	struct process *proc;          /* NULL for kernel threads */
	struct quota *quota;           /* charged for this thread (NULL: kernel thread) */
	uint32_t tid;                  /* unique within the process */
	spinlock_t lock;
	volatile thread_state_t state;
	volatile bool on_cpu;          /* its registers are live on some CPU */
	uint32_t cpu;                  /* CPU it last ran on / whose queue holds it */
	struct thread *rq_next;        /* run queue link (guarded by the queue's lock) */
	struct thread *proc_next;      /* process thread list (process lock) */
	struct thread *sleep_next;     /* clock sleep list (clock lock) */
	struct thread *wait_next;      /* a waitq_t (the waitq's owner's lock) */
	uint64_t sleep_deadline_ns;
	uint64_t exit_code;
	uint64_t runtime_tsc;          /* TSC ticks spent running */
	/* IPC call/reply (kernel/channel.c). While the thread waits in
	 * channel_call, ipc_accept is 1 + the largest payload it takes and a
	 * sender may hand it a message directly in ipc_msg; in a short call
	 * (ABI v2) ipc_short also names its message registers, where a short
	 * sender writes its message before setting ipc_short_in (all guarded by
	 * the channel's lock). ipc_spare is one freed message buffer kept for
	 * the thread's next message (touched only by the thread itself). */
	uint32_t ipc_accept;
	bool ipc_short_in;
	struct ipc_msg *ipc_msg;
	uint64_t *ipc_short;
	struct ipc_msg *ipc_spare;
} thread_t;

/* Threads blocked on one condition, guarded by the lock of the object that
 * owns the queue. */
typedef struct {
	thread_t *head;
} waitq_t;

static inline void waitq_add(waitq_t *q, thread_t *t)
{
	t->wait_next = q->head;
	q->head = t;
}

void waitq_remove(waitq_t *q, thread_t *t);
/* Wake every thread on q and empty it. */
void waitq_wake_all(waitq_t *q);

/* The thread running on this CPU. */
static inline thread_t *thread_current(void)
{
	return cpu_this()->current;
}
/* A new user thread of p starting at entry with rdi = arg0, rsi = arg1, on the
 * user stack stack_top; RUNNABLE but not yet queued (sched_enqueue it). Its
 * memory (struct, kernel stack, FPU area, a spare message buffer) is charged
 * to p's quota until thread_destroy. Errors: LIMIT, NO_MEMORY. Caller holds
 * no locks. */
nc_sys_err_t thread_create_user(struct process *p, uint64_t entry, uint64_t stack_top, uint64_t arg0,
				uint64_t arg1, thread_t **out);
/* A kernel thread running fn(arg) on a fresh stack. NULL when out of memory. */
thread_t *thread_create_kernel(void (*fn)(void *), void *arg);
/* A thread with only a stack, for an AP that starts running on that stack as
 * its idle thread. NULL when out of memory. */
thread_t *thread_create_idle(void);
/* Wrap the running boot context as this CPU's idle thread (stack_top: its stack). */
thread_t *thread_adopt_boot(uint64_t stack_top);
/* Free a DEAD thread's stack, FPU area and struct; waits until it is off its
 * CPU. Interrupts on, no spinlock held (frees a kernel stack). */
void thread_destroy(thread_t *t);
/* End the current thread with code. Never returns. */
void thread_exit(uint64_t code) __attribute__((noreturn));

/* Block the current thread: mark it BLOCKED (thread_mark_blocked, kernel/process.h), release held (taken with
 * spin_lock, giving flags), switch away; returns once thread_wake ran (or at
 * once when its process is dying), with held released and interrupts
 * restored to flags. Callers re-check their condition and dying. */
void thread_block(spinlock_t *held, uint64_t flags);
/* Make t RUNNABLE if BLOCKED and queue it. Any context. */
void thread_wake(thread_t *t);

#endif
