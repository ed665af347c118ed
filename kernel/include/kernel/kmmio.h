/* Device registers in the kernel's address space: uncached kernel mappings of
 * physical ranges that are not RAM (an MSI-X table in a BAR, the IOMMU's
 * registers), in a window of their own above the kernel stacks' slots. The
 * window only grows: mappings are made at boot or when a device is first
 * claimed and kept for the kernel's lifetime, which bounds it by the number
 * of devices. SMP-safe; never sleeps. */
#ifndef KERNEL_KMMIO_H
#define KERNEL_KMMIO_H

#include <stdint.h>

/* [phys, phys + len_bytes) mapped read-write and uncached; the returned
 * pointer addresses phys itself (any offset inside the page kept). NULL when
 * out of memory for page tables or the window is full. */
volatile void *kmmio_map(uint64_t phys, uint64_t len_bytes);

#endif
