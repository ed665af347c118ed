/* Shared memory objects (Zircon's VMOs, docs/shm.md): a fixed set of zeroed
 * frames reached through HANDLE_SHM handles and mapped into any number of
 * address spaces (kernel/umap.h keeps the object alive while a page of it is
 * mapped). The frames are charged to the process that created the object for
 * the object's whole life, wherever its handles travel.
 *
 * Handle rights: RIGHT_MAP maps read-only, RIGHT_MAP | RIGHT_WRITE read-write;
 * RIGHT_DUPLICATE and RIGHT_TRANSFER as for every handle. */
#ifndef KERNEL_SHM_H
#define KERNEL_SHM_H

#include <stdint.h>
#include <kernel/handle.h>
#include <nc/abi.h>

struct process;
struct quota;

typedef struct kshm {
	kobj_t obj;                 /* NC_SYS_HANDLE_SHM */
	uint64_t n_pages;
	struct quota *quota;        /* charged for the frames and this block (the creator's) */
	uint64_t frames[];          /* n_pages physical frames */
} kshm_t;

/* A new object of n_pages zeroed frames charged to p, with one reference for
 * the caller. Errors: NO_MEMORY, LIMIT (p's quota). Never sleeps. */
nc_sys_err_t shm_create(struct process *p, uint64_t n_pages, kshm_t **out);

#endif
