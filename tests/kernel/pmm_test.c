/* Frame allocator: accounting against the loader's memory map, distinct
 * zeroed frames, contiguous runs, and every free restoring the count. */
#include "nc_test.h"
#include <kernel/kernel.h>
#include <kernel/pmm.h>
#include <kernel/vm.h>

enum { N = 200 };

NC_TEST(pmm, totals_match_memory_map)
{
	const nc_boot_info_t *bi = kernel_boot_info;
	uint64_t usable = 0, loader = 0;
	for (uint32_t i = 0; i < bi->n_regions; i++) {
		if (bi->regions[i].type == NC_BOOT_MEM_USABLE)
			usable += bi->regions[i].n_pages;
		if (bi->regions[i].type == NC_BOOT_MEM_LOADER)
			loader += bi->regions[i].n_pages;
	}
	pmm_stats_t s = pmm_stats();
	/* usable + reclaimed loader pages, less frame 0, the < 1 MiB reserve and the initrd */
	NC_CHECK(s.total_frames <= usable + loader);
	NC_CHECK(s.total_frames + 256 + bi->initrd_size_bytes / 4096 + 1 >= usable + loader);
	NC_CHECK(s.free_frames <= s.total_frames);
}

NC_TEST(pmm, frames_distinct_zeroed_and_returned)
{
	static uint64_t frames[N];
	uint64_t before = pmm_stats().free_frames;
	for (int i = 0; i < N; i++) {
		frames[i] = pmm_alloc_frame();
		NC_CHECK(frames[i] != 0 && frames[i] % PMM_FRAME_BYTES == 0);
		const uint64_t *p = vm_phys_to_virt(frames[i]);
		for (int j = 0; j < 512; j++)
			NC_CHECK(p[j] == 0);
		*(uint64_t *)vm_phys_to_virt(frames[i]) = 0xdead;
	}
	NC_CHECK_EQ(pmm_stats().free_frames, before - N);
	for (int i = 0; i < N; i++)
		for (int j = i + 1; j < N; j++)
			NC_CHECK(frames[i] != frames[j]);
	for (int i = 0; i < N; i++)
		pmm_free_frame(frames[i]);
	NC_CHECK_EQ(pmm_stats().free_frames, before);
}

NC_TEST(pmm, contiguous_run)
{
	uint64_t before = pmm_stats().free_frames;
	uint64_t run = pmm_alloc_contig(16);
	NC_CHECK(run != 0);
	NC_CHECK_EQ(pmm_stats().free_frames, before - 16);
	/* no single allocation may land inside the run while it is taken */
	uint64_t one = pmm_alloc_frame();
	NC_CHECK(one < run || one >= run + 16 * PMM_FRAME_BYTES);
	pmm_free_frame(one);
	pmm_free_contig(run, 16);
	NC_CHECK_EQ(pmm_stats().free_frames, before);
	NC_CHECK_EQ(pmm_alloc_contig(0), 0);
}
