/* User mappings of frames the address space does not own: pages of a shared
 * memory object (kernel/shm.h), DMA buffers and device registers. Such pages
 * are mapped VM_FOREIGN, so the vspace never frees them; each mapped range
 * has a record here holding a counted reference to the object that owns the
 * frames, dropped when the last page of the range is unmapped (MemUnmap, a
 * replacing MemMap, process exit). The object, and so its frames, therefore
 * outlives every translation to them, and is released only after the TLB
 * shootdown that ends the last one.
 *
 * Records of one vspace never overlap, and a record stays until every page
 * counted in it has been released, even when the pages were unmapped by
 * another thread meanwhile; umap_map refuses a range that overlaps one
 * (EXISTS), so a page's release always finds the record it was counted in.
 *
 * Locking: vs->umap_lock (a spinlock) guards the list and counts; it is taken
 * before vs->lock and never held across a TLB shootdown. */
#ifndef KERNEL_UMAP_H
#define KERNEL_UMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <kernel/handle.h>
#include <kernel/vm.h>
#include <nc/abi.h>

struct process;

typedef struct umap {
	struct umap *next;
	uint64_t va, n_pages;   /* the range mapped */
	uint64_t n_live;        /* pages of it still counted as mapped */
	kobj_t *owner;          /* counted; NULL: device memory, owned by nobody */
	bool revoked;           /* umap_revoke_owner has unmapped it */
} umap_t;

/* Reserve n_pages of p's MemMap area followed by an unmapped guard page
 * (addresses are never reused): *va_out. Errors: LIMIT (the area is used up).
 * Lock-free; safe from several threads of p. */
nc_sys_err_t umap_reserve(struct process *p, uint64_t n_pages, uint64_t *va_out);

/* A fixed mapping of n_pages at va in p's MemMap area: later picks of
 * umap_reserve start above it, so they never land on it. Lock-free. */
void umap_claim_fixed(struct process *p, uint64_t va, uint64_t n_pages);

/* Map n_pages at user address va of vs, VM_FOREIGN with flags (VM_WRITE,
 * VM_UNCACHED): page i is frames[i], or phys + i pages when frames is NULL.
 * owner (NULL: none) gets a reference for the range. All or nothing.
 * Errors: EXISTS (a page of the range is mapped, or a range still being
 * released overlaps it), NO_MEMORY (a page table), LIMIT (vs's quota
 * cannot take the range's record, charged while it lives, or a page table), INVALID (va out of the user half). Interrupts on, no spinlock held (a failure shoots the TLB down). */
nc_sys_err_t umap_map(vspace_t *vs, uint64_t va, uint64_t n_pages, unsigned flags, const uint64_t *frames,
		      uint64_t phys, kobj_t *owner);

/* Release a frame vspace_unmap or vspace_replace returned for va, after its
 * TLB shootdown: an owned frame goes back to the frame allocator (and its
 * charge to vs's quota, vspace_free_frame), a foreign
 * one leaves its range (whose owner is released with the range's last page).
 * 0 is ignored. No spinlock held. */
void umap_release_page(vspace_t *vs, uint64_t va, uint64_t frame);

/* Unmap every page of vs that owner's ranges still map, shoot them down and
 * release them (a DMA buffer given back, a device taken from its driver).
 * Interrupts on, no spinlock held. */
void umap_revoke_owner(vspace_t *vs, kobj_t *owner);

/* Drop every range of vs (its vspace is being destroyed: no CPU uses it). */
void umap_release_all(vspace_t *vs);

#endif
