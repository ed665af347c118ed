/* Kernel heap: power-of-two size classes from 16 to 2048 bytes in one-frame
 * slabs, larger blocks as contiguous frames. A slab whose objects are all free
 * goes back to the frame allocator at once, so freeing everything a subsystem
 * allocated restores the free-frame count. Objects are aligned to their size
 * class (at least 16 bytes; large blocks to 64). SMP-safe; may be called with
 * interrupts off; never sleeps. */
#ifndef KERNEL_HEAP_H
#define KERNEL_HEAP_H

#include <stddef.h>
#include <stdint.h>

/* Zeroed memory, or NULL when out of memory or len_bytes is 0. */
void *heap_alloc(size_t len_bytes);
/* Free a block from heap_alloc; NULL is ignored. */
void heap_free(void *p);
/* What a block of len_bytes takes from the heap: its size class, or the
 * frames of a large block (0 for 0). */
uint64_t heap_block_bytes(size_t len_bytes);

typedef struct {
	uint64_t bytes_in_use;   /* each live block at its size class (large: its frames) */
	uint64_t blocks_in_use;
} heap_stats_t;

/* What is allocated right now: freeing every block returns both to where
 * they were (the leak checks of tests/kernel compare them). */
heap_stats_t heap_stats(void);

#endif
