/* Per-process memory quotas (see kernel/quota.h). used and peak change by
 * compare-and-swap, so a charge is one atomic step that either fits under
 * the limit or changes nothing; the limit never changes after creation.
 * A quota's references: one per process using it (dropped when the process
 * is reaped: its creator's, and one per child sharing it) and one per
 * object charge. The last one frees it and gives its
 * limit back to the parent, which may free the parent in turn: the walk up
 * is a loop, not a recursion. */
#include <kernel/heap.h>
#include <kernel/kernel.h>
#include <kernel/process.h>
#include <kernel/quota.h>

struct quota {
	uint64_t limit;          /* bytes; fixed at creation */
	uint64_t used, peak;     /* bytes; atomic, used <= limit */
	uint32_t refs;           /* atomic */
	struct quota *parent;    /* holds an object charge of limit bytes on it; NULL: root */
};

uint64_t quota_heap_bytes(size_t len_bytes) { return heap_block_bytes(len_bytes); }

quota_t *quota_current(void)
{
	process_t *p = thread_current()->proc;
	return p ? p->quota : NULL;
}

nc_sys_err_t quota_charge(quota_t *q, uint64_t bytes)
{
	if (!q)
		return NC_SYS_OK;
	uint64_t old = __atomic_load_n(&q->used, __ATOMIC_RELAXED);
	do {
		if (bytes > q->limit - old)
			return NC_SYS_ERR_LIMIT;
	} while (!__atomic_compare_exchange_n(&q->used, &old, old + bytes, true, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	uint64_t now = old + bytes, peak = __atomic_load_n(&q->peak, __ATOMIC_RELAXED);
	while (now > peak &&
	       !__atomic_compare_exchange_n(&q->peak, &peak, now, true, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
	return NC_SYS_OK;
}

void quota_uncharge(quota_t *q, uint64_t bytes)
{
	if (!q)
		return;
	uint64_t old = __atomic_fetch_sub(&q->used, bytes, __ATOMIC_RELAXED);
	if (old < bytes)
		panic("quota: %llu bytes given back, %llu charged", (unsigned long long)bytes,
		      (unsigned long long)old);
}

/* Drop one reference; the last frees q and gives its limit back to the
 * parent, whose reference it held, and so on up. */
static void unref(quota_t *q)
{
	while (q && __atomic_sub_fetch(&q->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		uint64_t own = quota_heap_bytes(sizeof *q);
		if (q->used != own)
			panic("quota: freed with %llu bytes charged", (unsigned long long)(q->used - own));
		quota_t *parent = q->parent;
		uint64_t limit = q->limit;
		heap_free(q);
		quota_uncharge(parent, limit);
		q = parent;
	}
}

nc_sys_err_t quota_charge_object(quota_t *q, uint64_t bytes)
{
	nc_sys_err_t err = quota_charge(q, bytes);
	if (!err && q)
		__atomic_add_fetch(&q->refs, 1, __ATOMIC_RELAXED);
	return err;
}

void quota_uncharge_object(quota_t *q, uint64_t bytes)
{
	quota_uncharge(q, bytes);
	unref(q);
}

void *quota_alloc_object(quota_t *q, size_t len_bytes, nc_sys_err_t *err)
{
	*err = quota_charge_object(q, quota_heap_bytes(len_bytes));
	if (*err)
		return NULL;
	void *p = heap_alloc(len_bytes);
	if (!p) {
		quota_uncharge_object(q, quota_heap_bytes(len_bytes));
		*err = NC_SYS_ERR_NO_MEMORY;
	}
	return p;
}

void quota_free_object(quota_t *q, void *p, size_t len_bytes)
{
	if (!p)
		return;
	heap_free(p);
	quota_uncharge_object(q, quota_heap_bytes(len_bytes));
}

static quota_t *create(quota_t *parent, uint64_t limit_bytes)
{
	quota_t *q = heap_alloc(sizeof *q);
	if (!q)
		return NULL;
	q->limit = limit_bytes;
	q->used = q->peak = quota_heap_bytes(sizeof *q);
	q->refs = 1;
	q->parent = parent;
	return q;
}

quota_t *quota_create_root(uint64_t limit_bytes)
{
	return limit_bytes < quota_heap_bytes(sizeof(quota_t)) ? NULL : create(NULL, limit_bytes);
}

nc_sys_err_t quota_create_child(quota_t *parent, uint64_t limit_bytes, quota_t **out)
{
	if (limit_bytes < quota_heap_bytes(sizeof(quota_t)))
		return NC_SYS_ERR_LIMIT;
	nc_sys_err_t err = quota_charge_object(parent, limit_bytes);
	if (err)
		return err;
	quota_t *q = create(parent, limit_bytes);
	if (!q) {
		quota_uncharge_object(parent, limit_bytes);
		return NC_SYS_ERR_NO_MEMORY;
	}
	*out = q;
	return NC_SYS_OK;
}

quota_t *quota_share(quota_t *q)
{
	if (q)
		__atomic_add_fetch(&q->refs, 1, __ATOMIC_RELAXED);
	return q;
}

void quota_release(quota_t *q) { unref(q); }

quota_stats_t quota_stats(const quota_t *q)
{
	if (!q)
		return (quota_stats_t){ 0, 0, 0 };
	return (quota_stats_t){ q->limit, __atomic_load_n(&q->used, __ATOMIC_RELAXED),
				__atomic_load_n(&q->peak, __ATOMIC_RELAXED) };
}
