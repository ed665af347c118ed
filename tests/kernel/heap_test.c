/* Kernel heap: alignment to the size class, no overlap, large blocks, and
 * freeing everything returns every frame; the in-use statistics. */
#include "nc_test.h"
#include <kernel/heap.h>
#include <kernel/pmm.h>
#include <nc/mem.h>

enum { N = 300 };

NC_TEST(heap, sizes_alignment_and_frames_returned)
{
	static uint8_t *p[N];
	static size_t len[N];
	uint64_t before = pmm_stats().free_frames;
	uint64_t seed = 12345;
	for (int i = 0; i < N; i++) {
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		len[i] = 1 + (seed >> 33) % (i % 10 == 0 ? 9000 : 700);
		p[i] = heap_alloc(len[i]);
		NC_CHECK(p[i] != NULL);
		NC_CHECK((uint64_t)p[i] % 16 == 0);
		for (size_t j = 0; j < len[i]; j++)
			NC_CHECK(p[i][j] == 0);
		nc_mem_set(p[i], i & 0xff, len[i]);
	}
	for (int i = 0; i < N; i++)
		for (size_t j = 0; j < len[i]; j++)
			NC_CHECK(p[i][j] == (i & 0xff));
	for (int i = 0; i < N; i++)
		heap_free(p[i]);
	NC_CHECK_EQ(pmm_stats().free_frames, before);
	NC_CHECK(heap_alloc(0) == NULL);
	heap_free(NULL);
}

NC_TEST(heap, power_of_two_blocks_aligned_to_size)
{
	void *a = heap_alloc(1024), *b = heap_alloc(64), *c = heap_alloc(4096);
	NC_CHECK((uint64_t)a % 1024 == 0);
	NC_CHECK((uint64_t)b % 64 == 0);
	NC_CHECK((uint64_t)c % 64 == 0); /* large blocks: 64 bytes (XSAVE areas) */
	heap_free(a);
	heap_free(b);
	heap_free(c);
}

/* heap_stats counts each block at its size class (a power of two from 16),
 * a large block at its whole frames (the 64-byte header included). */
NC_TEST(heap, stats_count_blocks_at_their_size)
{
	heap_stats_t before = heap_stats();
	void *a = heap_alloc(100), *b = heap_alloc(1), *c = heap_alloc(4096 - 64 + 1);
	heap_stats_t during = heap_stats();
	heap_free(a);
	heap_free(b);
	heap_free(c);
	heap_stats_t after = heap_stats();
	NC_CHECK(a && b && c);
	NC_CHECK_EQ(during.bytes_in_use - before.bytes_in_use, 128 + 16 + 2 * 4096);
	NC_CHECK_EQ(during.blocks_in_use - before.blocks_in_use, 3);
	NC_CHECK_EQ(after.bytes_in_use, before.bytes_in_use);
	NC_CHECK_EQ(after.blocks_in_use, before.blocks_in_use);
}
