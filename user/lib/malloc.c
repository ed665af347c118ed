/* User heap (see nc/ulib.h). Small blocks: size classes 32..2048 bytes,
 * each preceded by a 16-byte header naming its class, carved from arenas of
 * ARENA_BYTES that MemMap gives and that are never returned; a freed block
 * goes on its class's free list and is given out again.
 *
 * Large blocks (over 2048 bytes with the header) get pages of their own,
 * unmapped when freed. The kernel never gives a MemMap address out twice and
 * keeps the page tables behind every address a process has used, so the
 * address ranges of freed large blocks are kept here (sorted, adjacent ones
 * joined) and mapped again (MemMap at that address) for later large blocks
 * that fit: a process that allocates and frees large blocks for ever walks
 * no new addresses and grows no page tables once its ranges cover its peak.
 * A range whose record cannot be allocated is forgotten (its addresses are
 * never used again, as if it had not been kept). */
#include <nc/mem.h>
#include <nc/ulib.h>

enum { MIN_SHIFT = 5, MAX_SHIFT = 11, N_CLASSES = MAX_SHIFT - MIN_SHIFT + 1, HEADER = 16,
       ARENA_BYTES = 256 * 1024, PAGE = 4096, LARGE_CLASS = 0xff };

typedef struct header {
	uint64_t cls;                    /* class index, or LARGE_CLASS */
	union {
		uint64_t map_bytes;      /* large blocks: the mapping's size */
		struct header *next;     /* free small blocks: the next on its class's list */
	};
} header_t;

_Static_assert(sizeof(header_t) == HEADER, "the header keeps blocks 16-byte aligned");

/* Addresses of freed large blocks, nothing mapped there. */
typedef struct range {
	struct range *next;              /* the next range up */
	uint64_t va, len_bytes;
} range_t;

static nc_lock_t lock;                   /* guards everything below */
static header_t *free_lists[N_CLASSES];
static uint8_t *arena_cur, *arena_end;
static range_t *ranges;                  /* sorted by address, none adjacent */

static void *map(uint64_t addr, size_t len)
{
	uint64_t got;
	if (nc_sys_mem_map(addr, len, NC_SYS_PROT_READ | NC_SYS_PROT_WRITE, &got) != NC_SYS_OK)
		return NULL;
	return (void *)got;
}

/* ---- small blocks (lock held) ---- */

static unsigned class_of(size_t len_bytes)
{
	unsigned cls = 0;
	while (((size_t)1 << (cls + MIN_SHIFT)) < len_bytes + HEADER)
		cls++;
	return cls;
}

/* A block of class cls (its header names it; the rest is not zeroed), or NULL. */
static header_t *take_block(unsigned cls)
{
	size_t size = (size_t)1 << (cls + MIN_SHIFT);
	header_t *h = free_lists[cls];
	if (h) {
		free_lists[cls] = h->next;
	} else {
		if (!arena_cur || arena_cur + size > arena_end) {
			arena_cur = map(0, ARENA_BYTES);
			arena_end = arena_cur ? arena_cur + ARENA_BYTES : NULL;
		}
		if (!arena_cur)
			return NULL;
		h = (header_t *)arena_cur;
		arena_cur += size;
	}
	h->cls = cls;
	return h;
}

static void put_block(header_t *h)
{
	h->next = free_lists[h->cls];
	free_lists[h->cls] = h;
}

/* ---- address ranges of freed large blocks (lock held) ---- */

static range_t *new_range(uint64_t va, uint64_t len_bytes, range_t *next)
{
	header_t *h = take_block(class_of(sizeof(range_t)));
	if (!h)
		return NULL;
	range_t *r = (range_t *)(h + 1);
	r->va = va;
	r->len_bytes = len_bytes;
	r->next = next;
	return r;
}

static void drop_range(range_t *r)
{
	put_block((header_t *)r - 1);
}

/* Keep [va, va + len_bytes), unmapped: joined to the ranges it touches. */
static void keep_range(uint64_t va, uint64_t len_bytes)
{
	range_t **link = &ranges, *prev = NULL;
	while (*link && (*link)->va < va) {
		prev = *link;
		link = &(*link)->next;
	}
	range_t *next = *link;
	if (prev && prev->va + prev->len_bytes == va) {
		prev->len_bytes += len_bytes;
		if (next && va + len_bytes == next->va) {
			prev->len_bytes += next->len_bytes;
			prev->next = next->next;
			drop_range(next);
		}
	} else if (next && va + len_bytes == next->va) {
		next->va = va;
		next->len_bytes += len_bytes;
	} else {
		range_t *r = new_range(va, len_bytes, next);
		if (r)
			*link = r;
	}
}

/* Map len_bytes (whole pages) at the start of the first kept range that
 * holds them, or NULL (none does, or no memory). */
static header_t *map_kept(uint64_t len_bytes)
{
	range_t **link = &ranges;
	while (*link && (*link)->len_bytes < len_bytes)
		link = &(*link)->next;
	range_t *r = *link;
	header_t *h = r ? map(r->va, len_bytes) : NULL;
	if (!h)
		return NULL;
	r->va += len_bytes;
	r->len_bytes -= len_bytes;
	if (!r->len_bytes) {
		*link = r->next;
		drop_range(r);
	}
	return h;
}

/* ---- the interface ---- */

static void *alloc_large(size_t len_bytes)
{
	if (len_bytes > NC_SYS_MAP_MAX_BYTES - HEADER)
		return NULL;
	uint64_t total = (len_bytes + HEADER + PAGE - 1) & ~(uint64_t)(PAGE - 1);
	nc_lock_acquire(&lock);
	header_t *h = map_kept(total);
	nc_lock_release(&lock);
	if (!h)
		h = map(0, total);
	if (!h)
		return NULL;
	h->cls = LARGE_CLASS;
	h->map_bytes = total;
	return h + 1;
}

static void free_large(header_t *h)
{
	uint64_t va = (uint64_t)h, len = h->map_bytes;
	nc_sys_mem_unmap(va, len); /* before the range is kept: nothing may map it while h is mapped */
	nc_lock_acquire(&lock);
	keep_range(va, len);
	nc_lock_release(&lock);
}

void *nc_malloc(size_t len_bytes)
{
	if (len_bytes == 0)
		return NULL;
	if (len_bytes > (1u << MAX_SHIFT) - HEADER)
		return alloc_large(len_bytes);
	unsigned cls = class_of(len_bytes);
	nc_lock_acquire(&lock);
	header_t *h = take_block(cls);
	nc_lock_release(&lock);
	if (!h)
		return NULL;
	nc_mem_set(h + 1, 0, ((size_t)1 << (cls + MIN_SHIFT)) - HEADER);
	return h + 1;
}

void nc_free(void *p)
{
	if (!p)
		return;
	header_t *h = (header_t *)p - 1;
	if (h->cls == LARGE_CLASS) {
		free_large(h);
		return;
	}
	nc_lock_acquire(&lock);
	put_block(h);
	nc_lock_release(&lock);
}
