/* Memory quotas (kernel/quota.h): charges stop exactly at the limit, a
 * child's limit is carved out of its parent's and comes back only when the
 * child and every object charged to it are gone, a shared quota lives
 * until its last user is gone, and an address space
 * charges its page tables and refuses past the limit. */
#include "nc_test.h"
#include <kernel/heap.h>
#include <kernel/pmm.h>
#include <kernel/quota.h>
#include <kernel/vm.h>

enum { LIMIT_BYTES = 64 << 10 };

NC_TEST(quota, charges_stop_at_the_limit)
{
	quota_t *q = quota_create_root(LIMIT_BYTES);
	NC_CHECK(q != NULL);
	uint64_t own = quota_stats(q).used_bytes; /* its own struct */
	NC_CHECK(own > 0 && own < 1024);
	NC_CHECK_EQ(quota_charge(q, LIMIT_BYTES - own), NC_SYS_OK);
	NC_CHECK_EQ(quota_charge(q, 1), NC_SYS_ERR_LIMIT);
	quota_uncharge(q, 100);
	NC_CHECK_EQ(quota_charge(q, 101), NC_SYS_ERR_LIMIT);
	NC_CHECK_EQ(quota_charge(q, 100), NC_SYS_OK);
	quota_stats_t s = quota_stats(q);
	NC_CHECK_EQ(s.used_bytes, LIMIT_BYTES);
	NC_CHECK_EQ(s.peak_bytes, LIMIT_BYTES);
	quota_uncharge(q, LIMIT_BYTES - own);
	s = quota_stats(q);
	NC_CHECK_EQ(s.used_bytes, own);
	NC_CHECK_EQ(s.peak_bytes, LIMIT_BYTES);
	NC_CHECK_EQ(quota_charge(NULL, UINT64_MAX), NC_SYS_OK); /* the kernel's own */
	quota_release(q);
}

NC_TEST(quota, child_is_carved_from_parent_until_everything_is_gone)
{
	quota_t *root = quota_create_root(LIMIT_BYTES), *child = NULL, *none = NULL;
	NC_CHECK(root != NULL);
	uint64_t own = quota_stats(root).used_bytes;
	NC_CHECK_EQ(quota_create_child(root, LIMIT_BYTES, &child), NC_SYS_ERR_LIMIT);
	NC_CHECK_EQ(quota_create_child(root, 16 << 10, &child), NC_SYS_OK);
	NC_CHECK_EQ(quota_stats(root).used_bytes, own + (16 << 10));
	NC_CHECK_EQ(quota_stats(child).limit_bytes, 16 << 10);
	NC_CHECK_EQ(quota_create_child(root, 0, &none), NC_SYS_ERR_LIMIT); /* cannot hold its struct */
	/* an object charged to the child keeps its limit charged to the parent
	 * after the child's creator lets go */
	void *obj = NULL;
	nc_sys_err_t err;
	NC_CHECK((obj = quota_alloc_object(child, 20 << 10, &err)) == NULL);
	NC_CHECK_EQ(err, NC_SYS_ERR_LIMIT);
	uint64_t child_own = quota_stats(child).used_bytes;
	NC_CHECK((obj = quota_alloc_object(child, 1000, &err)) != NULL);
	NC_CHECK_EQ(quota_stats(child).used_bytes, child_own + 1024);
	quota_release(child);
	NC_CHECK_EQ(quota_stats(root).used_bytes, own + (16 << 10));
	quota_free_object(child, obj, 1000);
	NC_CHECK_EQ(quota_stats(root).used_bytes, own);
	quota_release(root);
}

/* A shared quota (a child spawned without a quota of its own): one quota,
 * charged by both, alive until the last reference goes. */
NC_TEST(quota, shared_quota_lives_until_its_last_user)
{
	quota_t *root = quota_create_root(LIMIT_BYTES), *child = NULL;
	NC_CHECK(root != NULL);
	uint64_t own = quota_stats(root).used_bytes;
	NC_CHECK_EQ(quota_create_child(root, 16 << 10, &child), NC_SYS_OK);
	uint64_t child_own = quota_stats(child).used_bytes;
	quota_t *shared = quota_share(child);
	NC_CHECK(shared == child);
	NC_CHECK_EQ(quota_charge(shared, 1000), NC_SYS_OK);
	NC_CHECK_EQ(quota_stats(child).used_bytes, child_own + 1000);
	quota_release(child); /* the first process is reaped: still there */
	NC_CHECK_EQ(quota_stats(root).used_bytes, own + (16 << 10));
	NC_CHECK_EQ(quota_charge(shared, 16 << 10), NC_SYS_ERR_LIMIT);
	quota_uncharge(shared, 1000);
	quota_release(shared); /* the last: the carve-out comes back */
	NC_CHECK_EQ(quota_stats(root).used_bytes, own);
	NC_CHECK(quota_share(NULL) == NULL);
	quota_release(root);
}

NC_TEST(quota, vspace_charges_its_tables_and_refuses_past_the_limit)
{
	heap_stats_t h0 = heap_stats();
	uint64_t free0 = pmm_stats().free_frames;
	/* room for the quota's own struct and four frames: the PML4, the page,
	 * and two of the three tables the page needs */
	quota_t *root = quota_create_root(LIMIT_BYTES), *q = NULL;
	NC_CHECK(root != NULL);
	uint64_t own = quota_stats(root).used_bytes;
	NC_CHECK_EQ(quota_create_child(root, own + quota_frames_bytes(4), &q), NC_SYS_OK);
	vspace_t *vs = NULL;
	NC_CHECK_EQ(vspace_create(q, &vs), NC_SYS_OK);
	nc_sys_err_t err;
	uint64_t page = vspace_alloc_frame(vs, &err);
	NC_CHECK(page != 0);
	NC_CHECK_EQ(vspace_map(vs, 0x10000000, page, VM_WRITE), VM_ERR_LIMIT);
	NC_CHECK_EQ(vspace_alloc_frame(vs, &err), 0);
	NC_CHECK_EQ(err, NC_SYS_ERR_LIMIT);
	NC_CHECK_EQ(quota_stats(q).used_bytes, quota_stats(q).limit_bytes);
	vspace_free_frame(vs, page);
	NC_CHECK_EQ(quota_stats(q).used_bytes, own + quota_frames_bytes(3));
	vspace_destroy(vs);
	NC_CHECK_EQ(quota_stats(q).used_bytes, own);
	quota_release(q);
	NC_CHECK_EQ(quota_stats(root).used_bytes, own);
	quota_release(root);
	NC_CHECK_EQ(pmm_stats().free_frames, free0);
	NC_CHECK_EQ(heap_stats().bytes_in_use, h0.bytes_in_use);
}
