/* Frame allocator (see kernel/pmm.h): a bitmap, bit set = frame free, over
 * physical memory below PMM_MAX_PHYS; a next-fit hint keeps allocation O(1)
 * amortised. Frames below 1 MiB go to a small reserve for real-mode code. */
#include <kernel/kernel.h>
#include <kernel/pmm.h>
#include <kernel/spinlock.h>
#include <kernel/vm.h>
#include <nc/mem.h>

#define PMM_MAX_PHYS (16ull << 30)
#define LOW_LIMIT (1ull << 20)
enum { N_FRAMES = PMM_MAX_PHYS / PMM_FRAME_BYTES, N_WORDS = N_FRAMES / 64, LOW_MAX = 8 };

static uint64_t bitmap[N_WORDS];
static spinlock_t lock = SPINLOCK_INIT;
static uint64_t hint_word, total, free_count;
static uint64_t low_frames[LOW_MAX];
static unsigned n_low;

static bool is_free(uint64_t f) { return bitmap[f / 64] >> (f % 64) & 1; }

static void add_frame(uint64_t phys)
{
	uint64_t f = phys / PMM_FRAME_BYTES;
	if (phys == 0 || phys >= PMM_MAX_PHYS || is_free(f))
		return;
	if (phys < LOW_LIMIT) {
		if (n_low < LOW_MAX)
			low_frames[n_low++] = phys;
		return;
	}
	bitmap[f / 64] |= 1ull << (f % 64);
	total++;
	free_count++;
}

static void add_range(uint64_t phys, uint64_t n_pages, uint64_t keep_lo, uint64_t keep_hi)
{
	for (uint64_t i = 0; i < n_pages; i++) {
		uint64_t p = phys + i * PMM_FRAME_BYTES;
		if (p + PMM_FRAME_BYTES <= keep_lo || p >= keep_hi)
			add_frame(p);
	}
}

void pmm_init(const nc_boot_info_t *bi)
{
	for (uint32_t i = 0; i < bi->n_regions; i++)
		if (bi->regions[i].type == NC_BOOT_MEM_USABLE)
			add_range(bi->regions[i].phys_base, bi->regions[i].n_pages, 0, 0);
	if (free_count == 0)
		panic("pmm: the memory map has no usable frame below %llu GiB",
		      (unsigned long long)(PMM_MAX_PHYS >> 30));
}

void pmm_reclaim_loader(const nc_boot_info_t *bi, uint64_t keep_phys, uint64_t keep_bytes)
{
	uint64_t keep_hi = keep_phys + ((keep_bytes + PMM_FRAME_BYTES - 1) & ~(uint64_t)(PMM_FRAME_BYTES - 1));
	uint64_t flags = spin_lock(&lock);
	for (uint32_t i = 0; i < bi->n_regions; i++)
		if (bi->regions[i].type == NC_BOOT_MEM_LOADER)
			add_range(bi->regions[i].phys_base, bi->regions[i].n_pages, keep_phys, keep_hi);
	spin_unlock(&lock, flags);
}

/* The first run of n free frames starting in word w, or 0. A run too short
 * ends at a taken frame, so the next candidate is the first free frame after
 * it: every free frame that starts a run in w is tried. */
static uint64_t run_in_word(uint64_t w, size_t n)
{
	uint64_t bits = bitmap[w];
	while (bits) {
		uint64_t f = w * 64 + (uint64_t)__builtin_ctzll(bits);
		size_t got = 0;
		while (got < n && f + got < N_FRAMES && is_free(f + got))
			got++;
		if (got == n)
			return f;
		uint64_t next = f + got + 1;
		if (next >= (w + 1) * 64)
			return 0;
		bits &= ~0ull << (next % 64);
	}
	return 0;
}

/* Find and clear a run of n free frames; returns the first frame number or 0. */
static uint64_t take_run(size_t n)
{
	for (uint64_t pass = 0; pass < 2; pass++) {
		uint64_t start = pass ? 0 : hint_word;
		uint64_t stop = pass ? hint_word + 1 : N_WORDS;
		for (uint64_t w = start; w < stop && w < N_WORDS; w++) {
			uint64_t f = run_in_word(w, n);
			if (!f)
				continue;
			for (size_t i = 0; i < n; i++)
				bitmap[(f + i) / 64] &= ~(1ull << ((f + i) % 64));
			free_count -= n;
			hint_word = w;
			return f;
		}
	}
	return 0;
}

uint64_t pmm_alloc_contig(size_t n_frames)
{
	if (n_frames == 0)
		return 0;
	uint64_t flags = spin_lock(&lock);
	uint64_t f = take_run(n_frames);
	spin_unlock(&lock, flags);
	if (!f)
		return 0;
	nc_mem_set(vm_phys_to_virt(f * PMM_FRAME_BYTES), 0, n_frames * PMM_FRAME_BYTES);
	return f * PMM_FRAME_BYTES;
}

uint64_t pmm_alloc_frame(void) { return pmm_alloc_contig(1); }

uint64_t pmm_alloc_low(void)
{
	uint64_t flags = spin_lock(&lock);
	uint64_t p = n_low ? low_frames[--n_low] : 0;
	spin_unlock(&lock, flags);
	return p;
}

void pmm_free_contig(uint64_t phys, size_t n_frames)
{
	uint64_t flags = spin_lock(&lock);
	for (size_t i = 0; i < n_frames; i++) {
		uint64_t f = phys / PMM_FRAME_BYTES + i;
		if (phys % PMM_FRAME_BYTES || f >= N_FRAMES || is_free(f))
			panic("pmm: bad free of frame %#llx", (unsigned long long)(f * PMM_FRAME_BYTES));
		bitmap[f / 64] |= 1ull << (f % 64);
	}
	free_count += n_frames;
	spin_unlock(&lock, flags);
}

void pmm_free_frame(uint64_t phys) { pmm_free_contig(phys, 1); }

pmm_stats_t pmm_stats(void)
{
	uint64_t flags = spin_lock(&lock);
	pmm_stats_t s = { total, free_count };
	spin_unlock(&lock, flags);
	return s;
}
