/* A process for in-kernel tests that call system-call handlers directly.
 * Its "threads" are kernel threads whose thread->proc points at it, so the
 * handlers take it for the caller and the scheduler runs them in its address
 * space (copy_to_user/copy_from_user reach its user pages). It holds what
 * init starts with (cap_root_table: a console handle, then one root
 * capability per top-level action), has TPROC_DATA_PAGES writable user pages
 * at TPROC_DATA and one code page at TPROC_CODE whose user threads end at
 * once with TaskExit(0). It has a root memory quota of TPROC_QUOTA_BYTES
 * (uncharged: the process struct and handle table). It is not in the process tree (ProcessList does not
 * show it); whatever it spawns is its child and must be reaped, and every
 * thread TaskCreate started joined, before tproc_destroy. */
#ifndef TESTS_KERNEL_TPROC_H
#define TESTS_KERNEL_TPROC_H

#include <stdbool.h>
#include <kernel/process.h>

#define TPROC_DATA 0x20000000ull
#define TPROC_CODE 0x30000000ull
enum { TPROC_DATA_PAGES = 4 };
/* Its memory quota (a root quota of its own, kernel/quota.h). */
#define TPROC_QUOTA_BYTES (64ull << 20)

/* NULL when out of memory. */
process_t *tproc_create(void);
/* Free p, its handles and its pages. */
void tproc_destroy(process_t *p);
/* Run fn(ctx) on a new kernel thread of p and wait until it returns.
 * false when no thread could be made. */
bool tproc_run(process_t *p, void (*fn)(void *ctx), void *ctx);
/* The same in two steps, for threads of p that run at once: start fn(ctx)
 * (NULL when no thread could be made), then wait for it and free it. *run
 * is the caller's and must live until tproc_finish. */
typedef struct {
	void (*fn)(void *ctx);
	void *ctx;
} tproc_call_t;
thread_t *tproc_start(process_t *p, tproc_call_t *run);
void tproc_finish(thread_t *t);

#endif
