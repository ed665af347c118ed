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

/* Place the stack area at a random page inside [VM_KSTACK_BASE, +
 * VM_KSTACK_WINDOW) (KASLR; once, at boot, after random_init and before the
 * first kstack_alloc). */
void kstack_place(void);
/* The first byte of the stack area (slot i spans [area + i * (KSTACK_BYTES +
 * KSTACK_GUARD_BYTES), + that)). */
uint64_t kstack_area(void);
/* A new stack; returns its top (16-byte aligned) or 0 when out of memory. SMP-safe. */
uint64_t kstack_alloc(void);
/* Unmap and free the stack with this top, flushing every CPU's TLB. Must run
 * with interrupts enabled (it waits for other CPUs) and no spinlock held. */
void kstack_free(uint64_t top);

#endif
