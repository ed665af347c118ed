/* Windows of routed calls (svc_call_t.window in kernel/service.h,
 * docs/services.md): the bytes of a large FdReadBulk or FdWriteBulk move
 * between the caller and the service through a shared memory object the
 * kernel makes for the request (charged to the caller's quota) and maps into
 * the service while the request is in progress. The service never sees a
 * page of the caller, and keeps no access to the window once it answers.
 *
 * The addresses where windows are mapped are reused: each service keeps up to
 * SVC_WINDOW_SLOTS free ones of one process (the one that received its
 * windows), each SVC_WINDOW_PAGES pages followed by an unmapped guard page,
 * so a busy service does not use up its MemMap area. A slot the service
 * mapped something else into meanwhile is dropped for a fresh one. */
#ifndef KERNEL_SERVICE_WINDOW_H
#define KERNEL_SERVICE_WINDOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/shm.h>
#include <kernel/spinlock.h>
#include <kernel/vm.h>

enum {
	SVC_WINDOW_PAGES = NC_SYS_IO_BULK_MAX_BYTES / VM_PAGE_BYTES,
	SVC_WINDOW_SLOTS = 8,
};

/* A service's free window addresses; guarded by lock (the service's). */
typedef struct {
	spinlock_t *lock;
	uint32_t pid;                   /* the process they belong to (0: none yet) */
	uint32_t n_free;
	uint64_t free[SVC_WINDOW_SLOTS];
} svc_window_slots_t;

/* The caller's side, in its context: a window for len bytes (1..IO_BULK_MAX)
 * at user address user; fill: copy them in, else check that the caller may
 * write them (each page is probed). Errors: INVALID (len), NO_MEMORY, LIMIT
 * (the caller's quota), BAD_ADDRESS. */
nc_sys_err_t svc_window_make(uint64_t user, size_t len, bool fill, kshm_t **out);
/* Copy the window's first n bytes to the caller's user address user (in its
 * context); false on a fault. */
bool svc_window_copy_out(const kshm_t *w, uint64_t user, size_t n);

/* The service's side, in its context (interrupts on, no spinlock held): map
 * w's first len bytes (rounded up to pages) into the current process,
 * writable or read-only; *va_out gets where. Errors: LIMIT (no address left,
 * or the quota), NO_MEMORY (page tables). */
nc_sys_err_t svc_window_map(svc_window_slots_t *slots, kshm_t *w, size_t len, bool writable, uint64_t *va_out);
/* Unmap w from the current process (TLB shot down when it returns) and keep
 * va for a later window. */
void svc_window_unmap(svc_window_slots_t *slots, kshm_t *w, uint64_t va);

#endif
