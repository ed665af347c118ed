/* Processes: an address space, threads, a parent and children. The kernel's
 * bookkeeping per process (struct, threads, stacks, FPU areas, page tables,
 * user frames) is released when the parent reaps it with process_wait, so a
 * spawn/exit/wait cycle returns every frame (tests/user check this).
 *
 * Death: the process dies when its last thread ends (exit code of that
 * thread), on process_exit, on a CPU exception in user mode, or when killed.
 * Killing marks the process; its threads end at their next return to user
 * mode, and blocked ones are woken to do so. Orphans are adopted by init
 * (and resumed if suspended: nobody else could continue them). */
#ifndef KERNEL_PROCESS_H
#define KERNEL_PROCESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/spinlock.h>
#include <kernel/thread.h>
#include <kernel/vm.h>
#include <nc/abi.h>

enum { PROCESS_NAME_MAX = 32, PROCESS_MAX_THREADS = 64 };

typedef struct process {
	uint32_t pid;
	char name[PROCESS_NAME_MAX];
	vspace_t *vs;
	const uint8_t *image;          /* its executable in the initrd (lives for ever) */
	size_t image_bytes;
	struct quota *quota;           /* what it may hold (kernel/quota.h); one reference */
	/* Everything below is guarded by the one process lock (process.c): process
	 * life-cycle events are rare next to the work in between. */
	thread_t *threads;             /* all threads, live or dead and unreaped */
	uint32_t n_threads, n_live;
	uint32_t next_tid;
	bool dying;                    /* killed or exiting: threads end at their next chance */
	bool stopped;                  /* ProcessSuspend: threads wait at their next return to user */
	bool attention;                /* dying or stopped: the return-to-user check's one flag */
	bool zombie;                   /* every thread has ended; waiting for the parent */
	uint64_t status;               /* wait status (NC_SYS_EXIT_*) once dying */
	uint64_t map_next;             /* next address MemMap picks (grows up) */
	struct process *parent;        /* guarded by the global process lock */
	uint32_t depth;                /* in the tree when spawned (init 0; adoption leaves it: never below the real one) */
	struct process *children, *sibling;
	waitq_t child_waiters;         /* its threads blocked in process_wait */
	waitq_t join_waiters;          /* its threads blocked in process_join_thread */
	waitq_t resume_waiters;        /* its threads stopped by ProcessSuspend */
	/* Handles (kernel/handle.h); closed when the process becomes a zombie
	 * (NULL from then on; read it under the process lock from other processes). */
	struct handle_table *handles;
	char cwd[NC_SYS_PATH_MAX + 1];   /* working directory, absolute and normalised */
	struct kpolicy *policy;        /* its tokenization policy (kernel/privacy.h; NULL: the default) */
	struct kpsess *privacy;        /* its tokenization session, from its first model call (atomic) */
} process_t;

/* Create a process running the initrd executable at path with an argument
 * string; child of parent (NULL: the first process, init, which gets pid 1
 * even when other processes ran before it). It starts with the handle
 * table handles (ownership passes to process_spawn, also on error) and the
 * parent's working directory ("/" for the first). Its memory quota is
 * quota_bytes carved out of the parent's, or the parent's own, shared,
 * for 0; without a parent, a root quota of quota_bytes.
 * Everything the new process is made of is charged to its quota. Its
 * tokenization policy is policy (a reference that passes to process_spawn,
 * also on error; NULL: the default, kernel/privacy.h).
 * Errors: NOT_FOUND, BAD_EXECUTABLE, NO_MEMORY, LIMIT (the parent's quota
 * cannot give quota_bytes, the new quota cannot hold the process, it would
 * lie deeper than NC_SYS_PROCESS_DEPTH_MAX or be one more than
 * NC_SYS_PROCESSES_MAX). */
nc_sys_err_t process_spawn(process_t *parent, const char *path, const char *arg, uint64_t arg_len,
			   struct handle_table *handles, uint64_t quota_bytes, struct kpolicy *policy, process_t **out);
/* process_spawn for an executable already in kernel memory (a verified
 * driver image) and a quota the caller made (quota_create_child, or
 * quota_share; the process takes over that reference, also on error):
 * file[0..file_bytes) is copied, the caller keeps it; the process is named
 * after name's last path component. Errors as process_spawn but NOT_FOUND. */
nc_sys_err_t process_spawn_image(process_t *parent, const char *name, const uint8_t *file, size_t file_bytes,
				 const char *arg, uint64_t arg_len, struct handle_table *handles, struct quota *quota,
				 struct kpolicy *policy, process_t **out);
/* Wait as process_wait, but give up with TIMED_OUT once clock_now_ns()
 * reaches deadline_ns (UINT64_MAX: never). */
nc_sys_err_t process_wait_until(process_t *parent, uint32_t pid, uint64_t deadline_ns,
				uint32_t *pid_out, uint64_t *status_out);
/* Call fn(p, ctx) for every process that exists (live or zombie), with the
 * process lock held: fn must not sleep or take the process lock. */
void process_for_each(void (*fn)(process_t *p, void *ctx), void *ctx);
/* Find process pid and call fn(p, ctx) with the process lock held; false
 * when there is no such process. */
bool process_with(uint32_t pid, void (*fn)(process_t *p, void *ctx), void *ctx);
/* Wait for the child pid (0: any) to become a zombie, reap it, return its
 * status. Errors: NO_CHILD. Interrupts on, no spinlock held. */
nc_sys_err_t process_wait(process_t *parent, uint32_t pid, uint32_t *pid_out, uint64_t *status_out);
/* Kill a child. Errors: NO_CHILD. */
nc_sys_err_t process_kill(process_t *parent, uint32_t pid);
/* Stop (stop true) or continue a child: a stopped process's threads wait in
 * process_stop_point at their next return to user mode. Errors: NO_CHILD. */
nc_sys_err_t process_set_stopped(process_t *parent, uint32_t pid, bool stop);
/* Where the current thread of stopped process p waits (return to user mode,
 * interrupts off) until p is resumed or dying. */
void process_stop_point(process_t *p);
/* End the current process with status (NC_SYS_EXIT_* form). Never returns. */
void process_exit(uint64_t status) __attribute__((noreturn));
/* The current thread took a user-mode CPU exception: end the process. */
void process_kill_on_fault(process_t *p, uint8_t vector) __attribute__((noreturn));
/* Called by thread_exit for a user thread t (the caller): marks it DEAD, wakes
 * joiners; true when it was the last one (the process is then a zombie). */
bool process_thread_ended(process_t *p, thread_t *t);
/* Start a new thread in p. Errors: NO_MEMORY, LIMIT. */
nc_sys_err_t process_add_thread(process_t *p, uint64_t entry, uint64_t stack_top, uint64_t arg,
				uint32_t *tid_out);
/* Wait for thread tid of p (not the caller) to end, reap it. Errors: NOT_FOUND, INVALID. */
nc_sys_err_t process_join_thread(process_t *p, uint32_t tid, uint64_t *code_out);
/* Called when the first process (init) ends: the kernel's last word. */
extern void (*process_init_exited)(uint64_t status);
/* Live processes (not yet reaped), for tests. */
uint32_t process_count(void);

/* True when t's process is being ended (killed, or a thread exited it):
 * blocking calls give up and t leaves at its next return to user mode. The
 * scheduler, clock, channels, services and console input ask this; only
 * process.c writes the flag. */
static inline bool thread_dying(const thread_t *t)
{
	return t->proc && __atomic_load_n(&t->proc->dying, __ATOMIC_RELAXED);
}

/* Mark t (the current thread, about to switch away) BLOCKED, unless its
 * process is dying: then false, and t stays RUNNING. Checked under t's lock,
 * which the killer takes to wake t after setting dying, so a kill racing with
 * a thread going to sleep is never lost: either the thread sees dying here or
 * the killer sees it BLOCKED. The caller holds a spinlock (the one its
 * waker takes), so interrupts are off. Inline: the IPC hand-off's path. */
static inline bool thread_mark_blocked(thread_t *t)
{
	spin_lock_irqs_off(&t->lock);
	bool doomed = thread_dying(t);
	if (!doomed)
		t->state = THREAD_BLOCKED;
	spin_unlock_irqs_off(&t->lock);
	return !doomed;
}

#endif
