/* The device address allocator of a claim (kernel/iova.h): lowest-first
 * runs, a given-back range taken again before fresh addresses, runs that
 * need neighbours given back to join, an exhausted window, the empty window,
 * and the bitmap's charge to the quota, given back by iova_fini. */
#include "nc_test.h"
#include <kernel/iova.h>
#include <kernel/quota.h>
#include <kernel/vm.h>

enum { PAGES = 200, LIMIT_BYTES = 64 << 10 };
#define BASE (1ull << 20)
#define AT(page) (BASE + (page) * VM_PAGE_BYTES)

NC_TEST(iova, first_fit_reuse_exhaustion_and_quota)
{
	quota_t *q = quota_create_root(LIMIT_BYTES);
	NC_CHECK(q != NULL);
	if (!q)
		return;
	uint64_t own = quota_stats(q).used_bytes;
	iova_space_t s;
	NC_CHECK_EQ(iova_init(&s, BASE, PAGES, q), NC_SYS_OK);
	NC_CHECK(quota_stats(q).used_bytes > own);
	NC_CHECK_EQ(iova_take(&s, 3), AT(0));
	NC_CHECK_EQ(iova_take(&s, 2), AT(3));
	NC_CHECK_EQ(iova_take(&s, 5), AT(5));
	iova_give(&s, AT(3), 2);
	NC_CHECK_EQ(iova_take(&s, 3), AT(10));   /* the hole of 2 is too short */
	NC_CHECK_EQ(iova_take(&s, 1), AT(3));    /* the hole is used first */
	iova_give(&s, AT(0), 3);
	iova_give(&s, AT(5), 5);
	NC_CHECK_EQ(iova_take(&s, 4), AT(4));    /* 0..2 is too short; 4 joins 5..9 */
	iova_give(&s, AT(3), 1);
	NC_CHECK_EQ(iova_take(&s, 4), AT(0));    /* 0..2 and 3 joined */
	/* a run across bitmap words, then the window used up */
	NC_CHECK_EQ(iova_take(&s, 100), AT(13));
	NC_CHECK_EQ(iova_take(&s, 87), AT(113));
	NC_CHECK_EQ(iova_take(&s, 1), AT(8));
	NC_CHECK_EQ(iova_take(&s, 1), AT(9));
	NC_CHECK_EQ(iova_take(&s, 1), 0);
	iova_give(&s, AT(13), 100);
	NC_CHECK_EQ(iova_take(&s, 101), 0);      /* 100 free pages, not 101 */
	NC_CHECK_EQ(iova_take(&s, 100), AT(13));
	iova_fini(&s);
	NC_CHECK_EQ(quota_stats(q).used_bytes, own);
	NC_CHECK_EQ(iova_init(&s, BASE, 0, q), NC_SYS_OK);
	NC_CHECK_EQ(iova_take(&s, 1), 0);
	iova_fini(&s);
	/* a window of 2^20 pages needs a 128 KiB bitmap: past the quota */
	NC_CHECK_EQ(iova_init(&s, BASE, 1u << 20, q), NC_SYS_ERR_LIMIT);
	NC_CHECK_EQ(quota_stats(q).used_bytes, own);
	quota_release(q);
}
