/* TLB shootdown: after changing a mapping, invalidate it on every CPU that
 * may cache it, and return only when they all have. Callers must have
 * interrupts enabled and hold no spinlock (the wait services other CPUs'
 * requests); the stale frame may be freed once the call returns. */
#ifndef KERNEL_TLB_H
#define KERNEL_TLB_H

#include <stdint.h>
#include <kernel/vm.h>

/* Pages [va, va + n_pages * 4K) of vs (NULL: the kernel half, all CPUs). */
void tlb_shootdown(vspace_t *vs, uint64_t va, uint64_t n_pages);
/* IPI handler side (called from the trap dispatcher). */
void tlb_handle_ipi(void);
/* Shootdowns that needed other CPUs, since boot (for tests). */
uint64_t tlb_remote_shootdowns(void);

#endif
