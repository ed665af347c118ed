/* A thread pool for lib/ai on NexaCore threads (user/lib/ai_pool.c): the
 * engine's nc_ai_pool_t (nc/ai_env.h), so one generation, embedding or prompt
 * uses several CPUs. The protocol is the host pool's (tools/nc-ai/host_env.c):
 * a job is one 64-bit word (task count, next task), tasks are claimed by
 * compare-and-swap, the caller runs tasks too and returns when every task is
 * finished. Threads that wait for a job spin while jobs keep coming (a
 * thread woken by IPC would run on its waker's CPU), then sleep on an IPC
 * channel of their own (NexaCore has no futex) and are woken by a one-byte
 * message.
 *
 * The threads that help are the pool's "slots". Either the pool starts a
 * thread per slot (nc_ai_upool_create with start_threads: a program that
 * runs the engine itself), or the program's own threads lend themselves:
 * a thread with nothing else to do calls nc_ai_upool_idle for its slot and
 * helps with the jobs published meanwhile (the AI service's workers: a
 * worker without a request of its own helps another worker's request, so
 * one request uses every CPU the service has while several requests still
 * get a worker each).
 *
 * Jobs from several threads: one job runs at a time; a run called while
 * another thread's job is in progress runs its tasks on its caller alone
 * (the engine's results do not depend on how its tasks are spread). */
#ifndef NC_AI_POOL_H
#define NC_AI_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <nc/ai_env.h>
#include <nc/syscalls.h>

enum { NC_AI_UPOOL_SLOTS_MAX = 16 };

typedef struct nc_ai_upool nc_ai_upool_t;

/* A pool with n_slots helper slots (at most NC_AI_UPOOL_SLOTS_MAX), in
 * nc_malloc memory; with start_threads, a thread is started for each (they
 * end in nc_ai_upool_destroy). *iface gets the engine's view: n_threads is
 * n_slots + 1 with started threads (the caller of run works too), n_slots
 * when the slots are lent by threads that also call run (the service's
 * workers). Errors: INVALID (n_slots 0 or too many), NO_MEMORY, those of
 * IpcCreateChannel and of thread creation. */
nc_sys_err_t nc_ai_upool_create(size_t n_slots, bool start_threads, nc_ai_upool_t **out, nc_ai_pool_t *iface);

/* Slot `slot` waits for work: it runs the tasks of a job published while it
 * waits and returns after that job, when nc_ai_upool_wake names it, or after
 * timeout_ns (NC_SYS_TIMEOUT_INFINITE: no limit). For threads that lent the
 * slot; one thread per slot. */
void nc_ai_upool_idle(nc_ai_upool_t *p, size_t slot, uint64_t timeout_ns);

/* Make slot's nc_ai_upool_idle return (now, or at once when it is next
 * called). */
void nc_ai_upool_wake(nc_ai_upool_t *p, size_t slot);

/* Stop and join the started threads, close the channels, free the pool. No
 * job may be running; lent slots must no longer be used. */
void nc_ai_upool_destroy(nc_ai_upool_t *p);

#endif
