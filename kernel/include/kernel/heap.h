/* Kernel heap: power-of-two size classes from 16 to 2048 bytes in one-frame
 * slabs, larger blocks as contiguous frames. A slab whose objects are all free
 * goes back to the frame allocator at once, so freeing everything a subsystem
 * allocated restores the free-frame count. Objects are aligned to their size
 * class (at least 16 bytes; large blocks to 64). SMP-safe; may be called with
 * interrupts off; never sleeps. */
#ifndef KERNEL_HEAP_H
#define KERNEL_HEAP_H

#include <stddef.h>

/* Zeroed memory, or NULL when out of memory or len_bytes is 0. */
void *heap_alloc(size_t len_bytes);
/* Free a block from heap_alloc; NULL is ignored. */
void heap_free(void *p);

#endif
