/* Kernel heap (see kernel/heap.h). Every frame the heap owns starts with a
 * header: a slab (one frame cut into equal objects of one size class, the
 * first objects covering the header) or a large block (contiguous frames, the
 * caller's bytes 64 bytes in). Free objects of a slab are chained through
 * their first word; slabs with free objects sit on their class's list. */
#include <kernel/heap.h>
#include <kernel/kernel.h>
#include <kernel/pmm.h>
#include <kernel/spinlock.h>
#include <kernel/vm.h>
#include <nc/mem.h>

enum { MIN_SHIFT = 4, MAX_SHIFT = 11, N_CLASSES = MAX_SHIFT - MIN_SHIFT + 1, LARGE_HEADER = 64 };
enum { MAGIC_SLAB = 0x51ab, MAGIC_LARGE = 0x1a26 };

typedef struct slab {
	uint32_t magic;
	uint32_t shift;          /* object size is 1 << shift */
	uint32_t n_free, n_objs;
	void *free_list;
	struct slab *next, *prev; /* on its class list while n_free > 0 */
} slab_t;

typedef struct {
	uint32_t magic;
	uint32_t n_frames;
} large_t;

_Static_assert(sizeof(slab_t) <= 64 && sizeof(large_t) <= LARGE_HEADER, "heap headers");

static spinlock_t lock = SPINLOCK_INIT;
static slab_t *partial[N_CLASSES];
static uint64_t bytes_in_use, blocks_in_use; /* atomic */

static void account(int64_t bytes, int64_t blocks)
{
	__atomic_add_fetch(&bytes_in_use, (uint64_t)bytes, __ATOMIC_RELAXED);
	__atomic_add_fetch(&blocks_in_use, (uint64_t)blocks, __ATOMIC_RELAXED);
}

heap_stats_t heap_stats(void)
{
	return (heap_stats_t){ __atomic_load_n(&bytes_in_use, __ATOMIC_RELAXED),
			       __atomic_load_n(&blocks_in_use, __ATOMIC_RELAXED) };
}

static void list_remove(slab_t *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		partial[s->shift - MIN_SHIFT] = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static void list_push(slab_t *s)
{
	slab_t **head = &partial[s->shift - MIN_SHIFT];
	s->prev = NULL;
	s->next = *head;
	if (*head)
		(*head)->prev = s;
	*head = s;
}

static slab_t *slab_create(uint32_t shift)
{
	uint64_t phys = pmm_alloc_frame();
	if (!phys)
		return NULL;
	slab_t *s = vm_phys_to_virt(phys);
	size_t obj = (size_t)1 << shift;
	size_t first = (sizeof(slab_t) + obj - 1) / obj;
	s->magic = MAGIC_SLAB;
	s->shift = shift;
	s->n_objs = (uint32_t)(PMM_FRAME_BYTES / obj - first);
	s->n_free = s->n_objs;
	s->free_list = NULL;
	for (size_t i = PMM_FRAME_BYTES / obj; i-- > first;) {
		void **o = (void **)((char *)s + i * obj);
		*o = s->free_list;
		s->free_list = o;
	}
	return s;
}

static size_t large_frames(size_t len_bytes)
{
	return (len_bytes + LARGE_HEADER + PMM_FRAME_BYTES - 1) / PMM_FRAME_BYTES;
}

static uint32_t class_shift(size_t len_bytes)
{
	uint32_t shift = MIN_SHIFT;
	while (((size_t)1 << shift) < len_bytes)
		shift++;
	return shift;
}

uint64_t heap_block_bytes(size_t len_bytes)
{
	if (len_bytes == 0)
		return 0;
	if (len_bytes > (1u << MAX_SHIFT))
		return (uint64_t)large_frames(len_bytes) * PMM_FRAME_BYTES;
	return (uint64_t)1 << class_shift(len_bytes);
}

static void *alloc_large(size_t len_bytes)
{
	size_t n = large_frames(len_bytes);
	uint64_t phys = pmm_alloc_contig(n);
	if (!phys)
		return NULL;
	large_t *h = vm_phys_to_virt(phys);
	h->magic = MAGIC_LARGE;
	h->n_frames = (uint32_t)n;
	account((int64_t)(n * PMM_FRAME_BYTES), 1);
	return (char *)h + LARGE_HEADER;
}

void *heap_alloc(size_t len_bytes)
{
	if (len_bytes == 0)
		return NULL;
	if (len_bytes > (1u << MAX_SHIFT))
		return alloc_large(len_bytes);
	uint32_t shift = class_shift(len_bytes);
	uint64_t flags = spin_lock(&lock);
	slab_t *s = partial[shift - MIN_SHIFT];
	if (!s) {
		s = slab_create(shift);
		if (!s) {
			spin_unlock(&lock, flags);
			return NULL;
		}
		list_push(s);
	}
	void **o = s->free_list;
	s->free_list = *o;
	if (--s->n_free == 0)
		list_remove(s);
	spin_unlock(&lock, flags);
	account((int64_t)1 << shift, 1);
	nc_mem_set(o, 0, (size_t)1 << shift);
	return o;
}

void heap_free(void *p)
{
	if (!p)
		return;
	void *page = (void *)((uint64_t)p & ~(uint64_t)(PMM_FRAME_BYTES - 1));
	large_t *l = page;
	if (l->magic == MAGIC_LARGE && (char *)p == (char *)page + LARGE_HEADER) {
		l->magic = 0;
		account(-(int64_t)(l->n_frames * PMM_FRAME_BYTES), -1);
		pmm_free_contig(vm_virt_to_phys(page), l->n_frames);
		return;
	}
	slab_t *s = page;
	if (s->magic != MAGIC_SLAB || ((uint64_t)p & (((uint64_t)1 << s->shift) - 1)))
		panic("heap: free of %p, which the heap never returned", p);
	account(-((int64_t)1 << s->shift), -1);
	uint64_t flags = spin_lock(&lock);
	*(void **)p = s->free_list;
	s->free_list = p;
	if (s->n_free++ == 0)
		list_push(s);
	if (s->n_free == s->n_objs) {
		list_remove(s);
		s->magic = 0;
		spin_unlock(&lock, flags);
		pmm_free_frame(vm_virt_to_phys(s));
		return;
	}
	spin_unlock(&lock, flags);
}
