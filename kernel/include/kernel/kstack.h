/* Kernel stacks: KSTACK_BYTES mapped in the kernel stack area with
 * KSTACK_GUARD_BYTES unmapped below each, so an overflow faults (and reaches
 * the double-fault handler on its IST stack) instead of corrupting memory. */
#ifndef KERNEL_KSTACK_H
#define KERNEL_KSTACK_H

#include <stdint.h>

#define KSTACK_BYTES (16ull << 10)
#define KSTACK_GUARD_BYTES (16ull << 10)
#define KSTACK_SLOTS 4096ull
#define KSTACK_AREA_BYTES (KSTACK_SLOTS * (KSTACK_BYTES + KSTACK_GUARD_BYTES))

/* A new stack; returns its top (16-byte aligned) or 0 when out of memory. SMP-safe. */
uint64_t kstack_alloc(void);
/* Unmap and free the stack with this top, flushing every CPU's TLB. Must run
 * with interrupts enabled (it waits for other CPUs) and no spinlock held. */
void kstack_free(uint64_t top);

#endif
