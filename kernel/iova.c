/* Device address ranges of a claim: a first-fit bitmap allocator (see
 * kernel/iova.h). A search skips whole words that are all taken, so taking
 * a range costs at most one pass over the window's bitmap (the largest
 * window, four times the largest DMA budget, is 262,144 pages: 4,096 words). */
#include <stdbool.h>
#include <kernel/iova.h>
#include <kernel/quota.h>
#include <kernel/vm.h>

static uint64_t words(uint64_t n_pages) { return (n_pages + 63) / 64; }

static bool taken(const iova_space_t *s, uint64_t page) { return s->used[page / 64] >> (page % 64) & 1; }

static void mark(iova_space_t *s, uint64_t first, uint64_t n, bool set)
{
	for (uint64_t p = first; p < first + n; p++) {
		if (set)
			s->used[p / 64] |= 1ull << (p % 64);
		else
			s->used[p / 64] &= ~(1ull << (p % 64));
	}
}

nc_sys_err_t iova_init(iova_space_t *s, uint64_t base, uint64_t n_pages, quota_t *q)
{
	nc_sys_err_t err = NC_SYS_OK;
	uint64_t *used = n_pages ? quota_alloc_object(q, words(n_pages) * sizeof *used, &err) : NULL;
	if (n_pages && !used)
		return err;
	*s = (iova_space_t){ base, n_pages, used, q };
	return NC_SYS_OK;
}

void iova_fini(iova_space_t *s)
{
	if (s->used)
		quota_free_object(s->quota, s->used, words(s->n_pages) * sizeof *s->used);
	s->used = NULL;
	s->n_pages = 0;
}

uint64_t iova_take(iova_space_t *s, uint64_t n_pages)
{
	uint64_t run = 0;
	for (uint64_t p = 0; p < s->n_pages && n_pages;) {
		if (p % 64 == 0 && s->used[p / 64] == ~0ull) {
			run = 0;
			p += 64;
			continue;
		}
		run = taken(s, p) ? 0 : run + 1;
		p++;
		if (run == n_pages) {
			mark(s, p - run, run, true);
			return s->base + (p - run) * VM_PAGE_BYTES;
		}
	}
	return 0;
}

void iova_give(iova_space_t *s, uint64_t addr, uint64_t n_pages)
{
	mark(s, (addr - s->base) / VM_PAGE_BYTES, n_pages, false);
}
