/* What the AI engine needs from its host: memory and threads, both injected.
 * lib/ai never allocates on its own and never starts a thread; the host tool
 * supplies malloc and pthreads versions, NexaCore its own later. */
#ifndef NC_AI_ENV_H
#define NC_AI_ENV_H

#include <stddef.h>
#include <stdint.h>

/* Memory supplier (Lua's lua_Alloc idea). alloc returns size_bytes of memory
 * aligned to align_bytes (a power of two, at most 64), or NULL when out of
 * memory; the engine then fails with its NOMEM error. free gets back exactly
 * what alloc returned with the same size; free(NULL, ...) is never called.
 * Both are called only from the thread that calls the engine function. */
typedef struct {
	void *ctx;
	void *(*alloc)(void *ctx, size_t size_bytes, size_t align_bytes);
	void (*free)(void *ctx, void *ptr, size_t size_bytes);
} nc_ai_alloc_t;

/* A task body: run part i_task of n_tasks. Parts must be independent. */
typedef void (*nc_ai_task_fn)(void *arg, size_t i_task, size_t n_tasks);

/* Thread pool. run calls fn(arg, i, n_tasks) once for every i in [0, n_tasks),
 * on any of its n_threads threads (the caller's thread may take part), and
 * returns only when all calls have returned. The engine calls run from one
 * thread at a time, with n_tasks below 2^32. A NULL pool means: run everything
 * on the caller's thread. */
typedef struct {
	void *ctx;
	size_t n_threads;
	void (*run)(void *ctx, nc_ai_task_fn fn, void *arg, size_t n_tasks);
} nc_ai_pool_t;

#endif
