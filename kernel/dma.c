/* DMA memory of a driver's claim (see kernel/dma.h). The budget and the
 * device address are reserved first under the claim's lock, then the pages
 * are made and mapped without it (mapping in user space may shoot the TLB
 * down), and the buffer joins the claim's list last; any failure undoes what
 * was done in reverse. A buffer's pages and block are charged to the
 * claim's quota (the driver's) before they are taken, for as long as the
 * buffer lives. Its device addresses go back to the claim's window when
 * DmaUnmap has taken the pages out of the IOMMU (kernel/iova.h). */
#include <kernel/dma.h>
#include <kernel/heap.h>
#include <kernel/iommu.h>
#include <kernel/pmm.h>
#include <kernel/process.h>
#include <kernel/quota.h>
#include <kernel/umap.h>
#include <kernel/usercopy.h>

static size_t buffer_bytes(uint64_t n) { return sizeof(kdma_t) + n * sizeof(uint64_t); }

/* Free b's frames (n_taken of them) and give back its frames' charge. */
static void free_frames(kdma_t *b, uint64_t n_taken)
{
	if (b->contiguous && n_taken)
		pmm_free_contig(b->frames[0], n_taken);
	else
		for (uint64_t i = 0; i < n_taken; i++)
			pmm_free_frame(b->frames[i]);
	quota_uncharge_object(b->quota, quota_frames_bytes(b->n_pages));
}

static void free_buffer(kobj_t *o)
{
	kdma_t *b = (kdma_t *)o;
	free_frames(b, b->n_pages);
	quota_free_object(b->quota, b, buffer_bytes(b->n_pages));
}

/* A buffer of n pages with one reference, charged to q; frames from one run
 * without an IOMMU (the device then needs physical contiguity). NULL with
 * *err LIMIT or NO_MEMORY. */
static kdma_t *make_buffer(quota_t *q, uint64_t n, bool contiguous, nc_sys_err_t *err)
{
	kdma_t *b = quota_alloc_object(q, buffer_bytes(n), err);
	if (!b)
		return NULL;
	*err = quota_charge_object(q, quota_frames_bytes(n));
	if (*err) {
		quota_free_object(q, b, buffer_bytes(n));
		return NULL;
	}
	b->quota = q;
	b->obj.refs = 1;
	b->obj.destroy = free_buffer;
	b->n_pages = n;
	b->contiguous = contiguous;
	uint64_t taken = 0;
	if (contiguous) {
		uint64_t run = pmm_alloc_contig(n);
		for (uint64_t i = 0; run && i < n; i++)
			b->frames[i] = run + i * VM_PAGE_BYTES;
		taken = run ? n : 0;
	} else {
		while (taken < n && (b->frames[taken] = pmm_alloc_frame()) != 0)
			taken++;
	}
	if (taken == n)
		return b;
	free_frames(b, taken);
	quota_free_object(q, b, buffer_bytes(n));
	*err = NC_SYS_ERR_NO_MEMORY;
	return NULL;
}

/* Give back a reservation of n pages and, behind an IOMMU, their device
 * addresses at iova (with the guard page), which the IOMMU no longer
 * translates. */
static void unreserve(kdriver_t *d, uint64_t n, uint64_t iova)
{
	uint64_t f = spin_lock(&d->lock);
	d->dma_used_bytes -= n * VM_PAGE_BYTES;
	if (d->domain)
		iova_give(&d->iova, iova, n + 1);
	spin_unlock(&d->lock, f);
}

/* Put b's pages in d's domain at b->iova. Errors: LIMIT, NO_MEMORY (for a
 * table; nothing left mapped). */
static nc_sys_err_t map_device(kdriver_t *d, kdma_t *b)
{
	if (!d->domain) {
		b->iova = b->frames[0];
		return NC_SYS_OK;
	}
	for (uint64_t i = 0; i < b->n_pages; i++) {
		nc_sys_err_t err = iommu_map(d->domain, b->iova + i * VM_PAGE_BYTES, b->frames[i], true);
		if (err) {
			iommu_unmap(d->domain, b->iova, i);
			return err;
		}
	}
	return NC_SYS_OK;
}

nc_sys_err_t dma_map(kdriver_t *d, uint64_t len_bytes, uint64_t bus_addr_out, uint64_t *addr_out)
{
	if (len_bytes == 0 || len_bytes > NC_DRVPKG_DMA_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	uint64_t n = (len_bytes + VM_PAGE_BYTES - 1) / VM_PAGE_BYTES, probe = 0;
	if (copy_from_user(&probe, bus_addr_out, sizeof probe) || copy_to_user(bus_addr_out, &probe, sizeof probe))
		return NC_SYS_ERR_BAD_ADDRESS;
	uint64_t f = spin_lock(&d->lock);
	uint64_t iova = 0;
	bool room = d->dma_used_bytes + n * VM_PAGE_BYTES <= d->dma_budget_bytes &&
		    (!d->domain || (iova = iova_take(&d->iova, n + 1)) != 0); /* one unmapped device page after it */
	if (room)
		d->dma_used_bytes += n * VM_PAGE_BYTES;
	spin_unlock(&d->lock, f);
	if (!room)
		return NC_SYS_ERR_LIMIT;
	process_t *p = thread_current()->proc;
	nc_sys_err_t err;
	kdma_t *b = make_buffer(d->quota, n, !d->domain, &err);
	if (!err) {
		b->iova = iova;
		err = map_device(d, b);
	}
	bool on_device = !err;
	if (!err)
		err = umap_reserve(p, n, &b->user_va);
	if (!err)
		err = umap_map(p->vs, b->user_va, n, VM_WRITE, b->frames, 0, &b->obj);
	if (err) {
		if (on_device && d->domain)
			iommu_unmap(d->domain, iova, n);
		unreserve(d, n, iova);
		if (b)
			kobj_unref(&b->obj);
		return err == NC_SYS_ERR_EXISTS ? NC_SYS_ERR_NO_MEMORY : err;
	}
	f = spin_lock(&d->lock);
	b->next = d->dma; /* the claim's reference: the one make_buffer gave */
	d->dma = b;
	spin_unlock(&d->lock, f);
	driver_start_mastering(d);
	/* checked writable above; a sibling thread may have unmapped it since */
	if (copy_to_user(bus_addr_out, &b->iova, sizeof b->iova))
		return NC_SYS_ERR_BAD_ADDRESS; /* the buffer stays mapped; DmaUnmap or exit frees it */
	*addr_out = b->user_va;
	return NC_SYS_OK;
}

nc_sys_err_t dma_unmap(kdriver_t *d, uint64_t addr, uint64_t len_bytes)
{
	uint64_t n = (len_bytes + VM_PAGE_BYTES - 1) / VM_PAGE_BYTES;
	uint64_t f = spin_lock(&d->lock);
	kdma_t **l = &d->dma;
	while (*l && !((*l)->user_va == addr && (*l)->n_pages == n))
		l = &(*l)->next;
	kdma_t *b = *l;
	if (b)
		*l = b->next;
	spin_unlock(&d->lock, f);
	if (!b)
		return NC_SYS_ERR_INVALID;
	if (d->domain)
		iommu_unmap(d->domain, b->iova, b->n_pages);
	unreserve(d, n, b->iova); /* the device can no longer reach it: the address may be reused */
	kobj_unref(&b->obj);
	return NC_SYS_OK;
}

void dma_release_all(kdriver_t *d)
{
	while (d->dma) {
		kdma_t *b = d->dma;
		d->dma = b->next;
		kobj_unref(&b->obj);
	}
}
