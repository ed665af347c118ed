/* User mappings of frames the address space does not own (see kernel/umap.h).
 * A range is recorded before its first page is mapped and counts each page
 * as it maps it, all under vs->umap_lock, so a concurrent MemUnmap of one of
 * its pages (which takes the lock to release it) always finds it counted.
 * Anything that ends translations shoots them down with the lock dropped and
 * only then lets the owner go. */
#include <kernel/exec.h>
#include <kernel/heap.h>
#include <kernel/kernel.h>
#include <kernel/process.h>
#include <kernel/quota.h>
#include <kernel/tlb.h>
#include <kernel/umap.h>

nc_sys_err_t umap_reserve(process_t *p, uint64_t n_pages, uint64_t *va_out)
{
	uint64_t step = (n_pages + 1) * VM_PAGE_BYTES;
	uint64_t va = __atomic_load_n(&p->map_next, __ATOMIC_RELAXED);
	do {
		if (n_pages > EXEC_MAP_LIMIT / VM_PAGE_BYTES || va + step > EXEC_MAP_LIMIT)
			return NC_SYS_ERR_LIMIT;
	} while (!__atomic_compare_exchange_n(&p->map_next, &va, va + step, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	*va_out = va;
	return NC_SYS_OK;
}

void umap_claim_fixed(process_t *p, uint64_t va, uint64_t n_pages)
{
	uint64_t end = va + (n_pages + 1) * VM_PAGE_BYTES; /* with a guard page, as picks have */
	uint64_t next = __atomic_load_n(&p->map_next, __ATOMIC_RELAXED);
	while (end > next && end <= EXEC_MAP_LIMIT &&
	       !__atomic_compare_exchange_n(&p->map_next, &next, end, false, __ATOMIC_RELAXED, __ATOMIC_RELAXED))
		;
}

static bool overlaps(const umap_t *m, uint64_t va, uint64_t n_pages)
{
	return va < m->va + m->n_pages * VM_PAGE_BYTES && m->va < va + n_pages * VM_PAGE_BYTES;
}

/* The range holding va, and the link pointing at it. umap_lock held. */
static umap_t **find(vspace_t *vs, uint64_t va)
{
	umap_t **l = &vs->umaps;
	while (*l && !overlaps(*l, va, 1))
		l = &(*l)->next;
	return l;
}

/* Take n released pages off m; when none is left, unlink it and return it
 * for the caller to free (outside the lock). umap_lock held. */
static umap_t *drop_pages(vspace_t *vs, umap_t *m, uint64_t n)
{
	if (n > m->n_live)
		panic("umap: releasing %llu pages of a range counting %llu", (unsigned long long)n,
		      (unsigned long long)m->n_live);
	m->n_live -= n;
	if (m->n_live)
		return NULL;
	umap_t **l = &vs->umaps;
	while (*l != m)
		l = &(*l)->next;
	*l = m->next;
	return m;
}

/* Free a range record and give its charge to vs's quota back. */
static void free_range(vspace_t *vs, umap_t *m)
{
	if (m) {
		kobj_unref(m->owner);
		heap_free(m);
		quota_uncharge(vs->quota, quota_heap_bytes(sizeof *m));
	}
}

/* Unmap the pages of m in [first, first + n) that are still mapped; returns
 * how many were (each is one of m's counted pages). umap_lock held. */
static uint64_t unmap_pages(vspace_t *vs, const umap_t *m, uint64_t first, uint64_t n)
{
	uint64_t gone = 0;
	for (uint64_t i = first; i < first + n; i++) {
		gone += vspace_unmap_foreign(vs, m->va + i * VM_PAGE_BYTES);
	}
	return gone;
}

/* After a failed map: take the n_mapped pages mapped so far out again. */
static void undo(vspace_t *vs, umap_t *m, uint64_t n_mapped)
{
	uint64_t f = spin_lock(&vs->umap_lock);
	uint64_t gone = unmap_pages(vs, m, 0, n_mapped);
	spin_unlock(&vs->umap_lock, f);
	tlb_shootdown(vs, m->va, n_mapped);
	f = spin_lock(&vs->umap_lock);
	/* pages another thread unmapped meanwhile stay counted until it releases them */
	umap_t *done = drop_pages(vs, m, gone);
	spin_unlock(&vs->umap_lock, f);
	free_range(vs, done);
}

nc_sys_err_t umap_map(vspace_t *vs, uint64_t va, uint64_t n_pages, unsigned flags, const uint64_t *frames,
		      uint64_t phys, kobj_t *owner)
{
	if (va % VM_PAGE_BYTES || va < VM_USER_BASE || n_pages == 0 || n_pages > VM_USER_MAP_TOP / VM_PAGE_BYTES ||
	    va + n_pages * VM_PAGE_BYTES > VM_USER_MAP_TOP)
		return NC_SYS_ERR_INVALID;
	nc_sys_err_t charged = quota_charge(vs->quota, quota_heap_bytes(sizeof(umap_t)));
	if (charged)
		return charged;
	umap_t *m = heap_alloc(sizeof *m);
	if (!m) {
		quota_uncharge(vs->quota, quota_heap_bytes(sizeof(umap_t)));
		return NC_SYS_ERR_NO_MEMORY;
	}
	m->va = va;
	m->n_pages = n_pages;
	m->owner = owner;
	if (owner)
		kobj_ref(owner);
	uint64_t f = spin_lock(&vs->umap_lock);
	for (umap_t *o = vs->umaps; o; o = o->next)
		if (overlaps(o, va, n_pages)) {
			spin_unlock(&vs->umap_lock, f);
			free_range(vs, m);
			return NC_SYS_ERR_EXISTS;
		}
	m->next = vs->umaps;
	vs->umaps = m;
	vm_err_t err = VM_OK;
	uint64_t i;
	for (i = 0; i < n_pages && !err; i++) {
		uint64_t frame = frames ? frames[i] : phys + i * VM_PAGE_BYTES;
		err = vspace_map(vs, va + i * VM_PAGE_BYTES, frame, flags | VM_FOREIGN);
		m->n_live += err == VM_OK;
	}
	spin_unlock(&vs->umap_lock, f);
	if (err == VM_OK)
		return NC_SYS_OK;
	undo(vs, m, i - 1);
	return err == VM_ERR_EXISTS ? NC_SYS_ERR_EXISTS : err == VM_ERR_LIMIT ? NC_SYS_ERR_LIMIT : NC_SYS_ERR_NO_MEMORY;
}

void umap_release_page(vspace_t *vs, uint64_t va, uint64_t frame)
{
	if (!frame)
		return;
	if (!(frame & VM_FRAME_FOREIGN)) {
		vspace_free_frame(vs, frame);
		return;
	}
	uint64_t f = spin_lock(&vs->umap_lock);
	umap_t *m = *find(vs, va);
	if (!m)
		panic("umap: foreign page %#llx has no range", (unsigned long long)va);
	umap_t *done = drop_pages(vs, m, 1);
	spin_unlock(&vs->umap_lock, f);
	free_range(vs, done);
}

void umap_revoke_owner(vspace_t *vs, kobj_t *owner)
{
	for (;;) {
		uint64_t f = spin_lock(&vs->umap_lock);
		umap_t *m = vs->umaps;
		while (m && (m->owner != owner || m->revoked))
			m = m->next;
		if (!m) {
			spin_unlock(&vs->umap_lock, f);
			return;
		}
		uint64_t gone = unmap_pages(vs, m, 0, m->n_pages);
		uint64_t va = m->va, n = m->n_pages;
		m->revoked = true; /* pages other threads unmapped keep it until they release them */
		spin_unlock(&vs->umap_lock, f);
		tlb_shootdown(vs, va, n);
		f = spin_lock(&vs->umap_lock);
		umap_t *done = drop_pages(vs, m, gone);
		spin_unlock(&vs->umap_lock, f);
		free_range(vs, done);
	}
}

void umap_release_all(vspace_t *vs)
{
	while (vs->umaps) {
		umap_t *m = vs->umaps;
		vs->umaps = m->next;
		free_range(vs, m);
	}
}
