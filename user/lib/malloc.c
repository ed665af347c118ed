/* User heap (see nc/ulib.h): size classes 16..2048 bytes, each block
 * preceded by a 16-byte header naming its class; free blocks of a class form a
 * list. Arenas of ARENA_BYTES come from MemMap and are never returned;
 * blocks over 2048 bytes get a mapping of their own, unmapped on free. */
#include <nc/mem.h>
#include <nc/ulib.h>

enum { MIN_SHIFT = 4, MAX_SHIFT = 11, N_CLASSES = MAX_SHIFT - MIN_SHIFT + 1, HEADER = 16,
       ARENA_BYTES = 256 * 1024, PAGE = 4096, LARGE_CLASS = 0xff };

typedef struct {
	uint64_t cls;          /* class index, or LARGE_CLASS */
	uint64_t map_bytes;    /* large blocks: mapping size */
} header_t;

static nc_lock_t lock;
static void *free_lists[N_CLASSES];
static uint8_t *arena_cur, *arena_end;

static void *map(size_t len)
{
	uint64_t addr;
	if (nc_sys_mem_map(0, len, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &addr) != NC_SYS_OK)
		return NULL;
	return (void *)addr;
}

static void *alloc_large(size_t len_bytes)
{
	size_t total = (len_bytes + HEADER + PAGE - 1) & ~(size_t)(PAGE - 1);
	header_t *h = map(total);
	if (!h)
		return NULL;
	h->cls = LARGE_CLASS;
	h->map_bytes = total;
	return (uint8_t *)h + HEADER;
}

void *nc_malloc(size_t len_bytes)
{
	if (len_bytes == 0)
		return NULL;
	if (len_bytes + HEADER > (1u << MAX_SHIFT))
		return alloc_large(len_bytes);
	unsigned cls = 0;
	while (((size_t)1 << (cls + MIN_SHIFT)) < len_bytes + HEADER)
		cls++;
	size_t size = (size_t)1 << (cls + MIN_SHIFT);
	nc_lock_acquire(&lock);
	header_t *h = free_lists[cls];
	if (h) {
		free_lists[cls] = *(void **)h;
	} else {
		if (!arena_cur || arena_cur + size > arena_end) {
			arena_cur = map(ARENA_BYTES);
			arena_end = arena_cur ? arena_cur + ARENA_BYTES : NULL;
		}
		if (arena_cur) {
			h = (header_t *)arena_cur;
			arena_cur += size;
		}
	}
	nc_lock_release(&lock);
	if (!h)
		return NULL;
	nc_mem_set(h, 0, size);
	h->cls = cls;
	return (uint8_t *)h + HEADER;
}

void nc_free(void *p)
{
	if (!p)
		return;
	header_t *h = (header_t *)((uint8_t *)p - HEADER);
	if (h->cls == LARGE_CLASS) {
		nc_sys_mem_unmap((uint64_t)h, h->map_bytes);
		return;
	}
	nc_lock_acquire(&lock);
	*(void **)h = free_lists[h->cls];
	free_lists[h->cls] = h;
	nc_lock_release(&lock);
}
