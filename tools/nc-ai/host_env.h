/* Host (Linux) implementations of what lib/ai needs injected: a malloc-based
 * allocator, a pthreads thread pool, and read-only file mapping. Shared by the
 * nc-ai tool, the lib/ai host tests and the benchmark. */
#ifndef NC_AI_HOST_ENV_H
#define NC_AI_HOST_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include <nc/ai_env.h>

/* An allocator over aligned_alloc/free. fail_after >= 0 makes allocation
 * number fail_after (counting from 0) and every later one return NULL, for
 * failure-injection tests; -1 never fails. live_bytes tracks what is out. */
typedef struct {
	long fail_after;
	long n_allocs;
	size_t live_bytes;
} host_alloc_state_t;

nc_ai_alloc_t host_alloc(host_alloc_state_t *st);

/* A pool of n_threads threads (the caller counts as one: n_threads - 1 are
 * started). Returns false when threads cannot be created. */
typedef struct host_pool host_pool_t;
bool host_pool_create(size_t n_threads, host_pool_t **out, nc_ai_pool_t *iface);
void host_pool_destroy(host_pool_t *p);

/* Map path read-only. Returns false (errno set) on failure. */
bool host_map_file(const char *path, const void **data, size_t *len);
void host_unmap_file(const void *data, size_t len);

#endif
