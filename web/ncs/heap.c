/* Size-class allocator over WebAssembly linear memory (see heap.h).
 *
 * No block headers: the lua_Alloc contract gives the old size on every free and
 * realloc, so a block's class is recomputed from it. Classes: 16-byte steps up to
 * 512 bytes, then four steps per power of two (at most 25% slack). Freed blocks
 * go on their class's list (the first word links them); a miss takes fresh bytes
 * from the top of the heap, growing the memory by whole 64 KiB pages. A realloc
 * that stays in its class keeps its block, so growing strings and arrays mostly
 * move only when they change class. */
#include "heap.h"
#include <nc/mem.h>
#include <stdint.h>

enum {
	ALIGN_BYTES = 16,
	SMALL_MAX_BYTES = 512,
	N_SMALL = SMALL_MAX_BYTES / ALIGN_BYTES,
	LARGE_MIN_LOG2 = 9,   /* a large block has more than 2^9 bytes */
	LARGE_MAX_LOG2 = 29,  /* and at most 2^30 */
	N_CLASSES = N_SMALL + 4 * (LARGE_MAX_LOG2 - LARGE_MIN_LOG2 + 1),
	PAGE_BYTES = 65536,
};

extern unsigned char __heap_base; /* wasm-ld: first byte after the data and stack */

static void *free_lists[N_CLASSES];
static uintptr_t heap_top, heap_end; /* next fresh byte; end of the grown memory */

void nc_wasm_heap_reset(void)
{
	nc_mem_set(free_lists, 0, sizeof free_lists);
	heap_top = ((uintptr_t)&__heap_base + ALIGN_BYTES - 1) & ~(uintptr_t)(ALIGN_BYTES - 1);
	heap_end = __builtin_wasm_memory_size(0) * (uintptr_t)PAGE_BYTES;
}

/* Class of an n-byte request (n >= 1) and its block size; false when too large. */
static bool class_of(size_t n, unsigned *cls, size_t *size)
{
	if (n <= SMALL_MAX_BYTES) {
		size_t steps = (n + ALIGN_BYTES - 1) / ALIGN_BYTES;
		*cls = (unsigned)steps - 1;
		*size = steps * ALIGN_BYTES;
		return true;
	}
	unsigned k = 31u - (unsigned)__builtin_clz((unsigned)(n - 1)); /* 2^k < n <= 2^(k+1) */
	if (k > LARGE_MAX_LOG2)
		return false;
	size_t base = (size_t)1 << k, quarter = base >> 2;
	size_t j = (n - base + quarter - 1) / quarter; /* 1..4 */
	*cls = N_SMALL + 4 * (k - LARGE_MIN_LOG2) + (unsigned)(j - 1);
	*size = base + j * quarter;
	return true;
}

static void *take(size_t n)
{
	unsigned cls;
	size_t size;
	if (!class_of(n, &cls, &size))
		return NULL;
	void *b = free_lists[cls];
	if (b) {
		free_lists[cls] = *(void **)b;
		return b;
	}
	if (heap_end - heap_top < size) {
		size_t pages = (size - (heap_end - heap_top) + PAGE_BYTES - 1) / PAGE_BYTES;
		if (__builtin_wasm_memory_grow(0, pages) == SIZE_MAX)
			return NULL;
		heap_end += pages * PAGE_BYTES;
	}
	b = (void *)heap_top;
	heap_top += size;
	return b;
}

static void give_back(void *b, size_t n)
{
	unsigned cls;
	size_t size;
	if (class_of(n, &cls, &size)) {
		*(void **)b = free_lists[cls];
		free_lists[cls] = b;
	}
}

void *nc_wasm_heap_alloc(void *ud, void *ptr, size_t old_bytes, size_t new_bytes)
{
	(void)ud;
	if (new_bytes == 0) {
		if (ptr)
			give_back(ptr, old_bytes);
		return NULL;
	}
	if (!ptr)
		return take(new_bytes);
	unsigned old_cls, new_cls;
	size_t old_size, new_size;
	if (class_of(old_bytes, &old_cls, &old_size) && class_of(new_bytes, &new_cls, &new_size) &&
	    old_cls == new_cls)
		return ptr;
	void *b = take(new_bytes);
	if (!b)
		return NULL;
	nc_mem_copy(b, ptr, old_bytes < new_bytes ? old_bytes : new_bytes);
	give_back(ptr, old_bytes);
	return b;
}
