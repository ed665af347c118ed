/* The user heap (user/lib/malloc.c): blocks are aligned, zeroed and keep
 * their contents; a freed block is given out again, so churn does not grow
 * the process; freed large blocks return their frames and their addresses are
 * mapped again (adjacent ones joined), so large-block churn grows no page
 * tables either; impossible sizes get NULL. Frames are the process's own
 * count (SystemInfo INFO_PROCESS_FRAMES). */
#include "ut_sys.h"

enum {
	CHURN_CYCLES = 20000,
	LARGE_CYCLES = 2000,
	NET_IO_BLOCK = NC_SYS_NET_IO_MAX_BYTES + 96, /* a netsvc request holding a NetSend's bytes */
	ARENA_FRAMES = 64,               /* one heap arena (256 KiB) */
	PAGE = 4096,
};

static uint64_t frames(void)
{
	uint64_t v = 0;
	nc_sys_system_info(NC_SYS_INFO_PROCESS_FRAMES, &v);
	return v;
}

static bool t_malloc(void)
{
	void *p[64];
	for (int i = 0; i < 64; i++) {
		p[i] = nc_malloc((size_t)(i * 97 + 1));
		if (!p[i] || ((uint64_t)p[i] & 15))
			return NC_FAIL("malloc %d gave %p", i, p[i]);
		nc_mem_set(p[i], i, (size_t)(i * 97 + 1));
	}
	for (int i = 0; i < 64; i++) {
		const uint8_t *b = p[i];
		for (int j = 0; j < i * 97 + 1; j++)
			if (b[j] != i)
				return NC_FAIL("block %d corrupted", i);
		nc_free(p[i]);
	}
	return true;
}

/* Whether all of p[0..n) is zero. */
static bool zeroed(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* A freed small block of each class is the next one of its size, zeroed. */
static bool t_small_reused(void)
{
	static const size_t sizes[] = { 1, 16, 17, 48, 100, 240, 500, 1000, 2000, 2032 };
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		uint8_t *p = nc_malloc(sizes[i]);
		NC_REQUIRE(p != NULL);
		nc_mem_set(p, 0xa5, sizes[i]);
		nc_free(p);
		uint8_t *q = nc_malloc(sizes[i]);
		if (q != p)
			return NC_FAIL("%zu bytes: freed %p, then got %p", sizes[i], (void *)p, (void *)q);
		NC_REQUIRE(zeroed(q, sizes[i]));
		nc_free(q);
	}
	return true;
}

/* Mixed small blocks allocated and freed CHURN_CYCLES times, up to 64 held at
 * once: the process grows by at most an arena. */
static bool t_small_churn_bounded(void)
{
	void *held[64] = { 0 };
	uint64_t x = 12345, before = frames();
	for (int i = 0; i < CHURN_CYCLES; i++) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		unsigned slot = (unsigned)(x >> 58);
		nc_free(held[slot]);
		held[slot] = nc_malloc((size_t)(x >> 20) % 2032 + 1);
		NC_REQUIRE(held[slot] != NULL);
	}
	for (int i = 0; i < 64; i++)
		nc_free(held[i]);
	uint64_t after = frames();
	return after <= before + ARENA_FRAMES ||
	       NC_FAIL("%d cycles grew the process from %llu to %llu frames", CHURN_CYCLES,
		       (unsigned long long)before, (unsigned long long)after);
}

/* A large block's frames go back when it is freed, and LARGE_CYCLES more
 * of its size grow nothing, page tables included (each had walked new
 * addresses, a new page table every 2 MiB). */
static bool t_large_churn_bounded(void)
{
	uint8_t *p = nc_malloc(NET_IO_BLOCK);
	NC_REQUIRE(p != NULL && ((uint64_t)p & 15) == 0);
	nc_mem_set(p, 0x5a, NET_IO_BLOCK);
	uint64_t held = frames();
	nc_free(p);
	uint64_t before = frames();
	NC_REQUIRE(before + 2 == held); /* 7776 bytes and the 16-byte header: two pages */
	for (int i = 0; i < LARGE_CYCLES; i++) {
		uint8_t *q = nc_malloc(NET_IO_BLOCK);
		NC_REQUIRE(q != NULL);
		if (!zeroed(q, NET_IO_BLOCK))
			return NC_FAIL("cycle %d: a reused block is not zeroed", i);
		nc_mem_set(q, 0x5a, NET_IO_BLOCK);
		nc_free(q);
	}
	uint64_t after = frames();
	return after == before || NC_FAIL("%d cycles: %llu frames, %llu before", LARGE_CYCLES,
					  (unsigned long long)after, (unsigned long long)before);
}

/* In a fresh process (no kept ranges yet): a freed large block's address is
 * the next one of its size; freed neighbours join, so a 5-page block split
 * into 2 + 3 pages and freed again (either order) serves a 5-page block at
 * its first address, and a kept range serves smaller blocks from its start. */
static int child_large_ranges_join(void)
{
	const size_t hdr = 16;
	uint8_t *five = nc_malloc(5 * PAGE - hdr);
	NC_EXPECT_CHILD(five != NULL, true);
	nc_free(five);
	NC_EXPECT_CHILD(nc_malloc(5 * PAGE - hdr) == five, true);
	nc_free(five);
	uint8_t *two = nc_malloc(2 * PAGE - hdr), *three = nc_malloc(3 * PAGE - hdr);
	NC_EXPECT_CHILD(two == five && three == five + 2 * PAGE, true);
	nc_free(two);
	nc_free(three);
	uint8_t *again = nc_malloc(5 * PAGE - hdr);
	NC_EXPECT_CHILD(again == five, true);
	nc_free(again);
	three = nc_malloc(3 * PAGE - hdr);
	two = nc_malloc(2 * PAGE - hdr);
	NC_EXPECT_CHILD(three == five && two == five + 3 * PAGE, true);
	nc_free(two); /* the upper one first: it joins its neighbour below when that comes */
	nc_free(three);
	again = nc_malloc(5 * PAGE - hdr);
	NC_EXPECT_CHILD(again == five, true);
	nc_free(again);
	return 0;
}

static bool t_large_ranges_join(void)
{
	uint64_t status;
	if (!ut_run_child("heap_large_ranges_join", &status))
		return false;
	return status == 0 || NC_FAIL("the child failed at line %llu", (unsigned long long)status);
}

/* Sizes no mapping can hold get NULL (no wrap-around into a small class). */
static bool t_impossible_sizes(void)
{
	NC_REQUIRE(nc_malloc(0) == NULL);
	NC_REQUIRE(nc_malloc(SIZE_MAX) == NULL);
	NC_REQUIRE(nc_malloc(SIZE_MAX - 15) == NULL);
	NC_REQUIRE(nc_malloc((size_t)NC_SYS_MAP_MAX_BYTES) == NULL);
	nc_free(NULL);
	return true;
}

const nc_test_case_t ut_heap_tests[] = {
	{ "ulib.malloc", t_malloc },
	{ "ulib.malloc_small_reused", t_small_reused },
	{ "ulib.malloc_small_churn_bounded", t_small_churn_bounded },
	{ "ulib.malloc_large_churn_bounded", t_large_churn_bounded },
	{ "ulib.malloc_large_ranges_join", t_large_ranges_join },
	{ "ulib.malloc_impossible_sizes", t_impossible_sizes },
	{ NULL, NULL },
};

const nc_test_child_t ut_heap_children[] = {
	{ "heap_large_ranges_join", child_large_ranges_join },
	{ NULL, NULL },
};
