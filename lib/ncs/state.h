/* ncScript run state (state.c): one compile+run's allocator, accounting,
 * arena and first error. Internal to lib/ncs. Prefix: ncs_ for functions
 * shared across files, static helpers unprefixed. */
#ifndef NCS_STATE_H
#define NCS_STATE_H

#include <nc/ncs.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One caller of the failing function, for the error message's call trace. */
typedef struct {
	const struct ncs_module *mod;
	uint32_t off;              /* the call's source offset */
	const char *fn; uint32_t fn_len; /* the calling function */
} ncs_trace_entry_t;

#define NCS_TRACE_MAX 8u

/* One compile+run. All allocation goes through ncs_mem_* so live script bytes
 * are exact; errors are recorded once (the first wins) with a source offset. */
typedef struct ncs_state {
	const nc_ncs_config_t *cfg;
	uint64_t live_bytes;       /* bytes of script objects and the VM stack */
	uint64_t peak_bytes;
	bool counting;             /* runtime phase: enforce max_alloc_bytes */
	nc_ncs_err_t err;
	uint32_t err_off;          /* byte offset in err_src */
	const struct ncs_module *err_mod;
	char msg[192];             /* short description of the error */
	ncs_trace_entry_t trace[NCS_TRACE_MAX]; /* innermost caller first */
	uint32_t n_trace;
	uint64_t trace_more;       /* callers left out of trace */
	char *out;                 /* print output */
	size_t out_len, out_cap;
	uint64_t steps;
	struct ncs_program *prog;
} ncs_state_t;

void *ncs_mem_alloc(ncs_state_t *st, size_t n);            /* untracked (compile data) */
void *ncs_mem_realloc(ncs_state_t *st, void *p, size_t old, size_t n);
void ncs_mem_free(ncs_state_t *st, void *p, size_t n);
void *ncs_mem_alloc_tracked(ncs_state_t *st, size_t n);    /* script memory, limit */
void *ncs_mem_realloc_tracked(ncs_state_t *st, void *p, size_t old, size_t n);
void ncs_mem_free_tracked(ncs_state_t *st, void *p, size_t n);

/* Record an error (only the first one sticks; off UINT32_MAX: the VM fills in the
 * current instruction). Returns the recorded error. */
nc_ncs_err_t ncs_vfail(ncs_state_t *st, nc_ncs_err_t err, uint32_t off, const char *fmt, va_list ap);
nc_ncs_err_t ncs_fail(ncs_state_t *st, nc_ncs_err_t err, uint32_t off, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Arena: chunk list freed at once (AST and token strings of a module). */
typedef struct ncs_arena_chunk ncs_arena_chunk_t;
typedef struct {
	ncs_state_t *st;
	ncs_arena_chunk_t *head;
	size_t used, cap;
} ncs_arena_t;
void *ncs_arena_alloc(ncs_arena_t *ar, size_t n);
void ncs_arena_free(ncs_arena_t *ar);

/* Integer text; returns length (buf >= 21 bytes). */
size_t ncs_format_int(int64_t v, char *buf);

#endif
