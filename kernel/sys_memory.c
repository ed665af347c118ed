/* Memory system calls: MemMap, MemUnmap (docs/abi.md). Pages mapped from a
 * shared memory object or a driver's memory are released through kernel/umap.h.
 * A fixed MemMap
 * replaces each page in one PTE write and shoots the old translation down on
 * every CPU running the process before the old frame is freed, so no thread
 * can read a page through a stale TLB entry after the call returns. Every
 * mapped frame is charged to the process's quota (kernel/quota.h) before
 * it is allocated. */
#include <kernel/exec.h>
#include <kernel/heap.h>
#include <kernel/pmm.h>
#include <kernel/process.h>
#include <kernel/quota.h>
#include <kernel/sys_table.h>
#include <kernel/tlb.h>
#include <kernel/umap.h>

/* [addr, addr + n_pages) is page aligned user space below top. */
static bool user_range_ok(uint64_t addr, uint64_t n_pages, uint64_t top)
{
	uint64_t len = n_pages * VM_PAGE_BYTES;
	return addr % VM_PAGE_BYTES == 0 && addr >= VM_USER_BASE && addr + len > addr && addr + len <= top;
}

static unsigned prot_flags(uint64_t prot)
{
	return ((prot & NC_SYS_PROT_WRITE) ? VM_WRITE : 0) | ((prot & NC_SYS_PROT_EXEC) ? VM_EXEC : 0);
}

/* A mark in a frames[] entry (frames are page aligned; bit 0 is
 * VM_FRAME_FOREIGN's): install mapped it where nothing was. */
enum { NEWLY_MAPPED = 2 };

/* Undo the first n pages of a failed install: unmap each page it mapped
 * where nothing was, shoot them down, then release what each unmap gave
 * back. That is normally the page's own frame, but another thread of the
 * process may have unmapped the page meanwhile (and freed the frame: 0 comes
 * back) or mapped something else there (which is released instead), so only
 * what the unmap returned is released, never frames[j] itself. Those
 * entries become 0; the others are still the caller's. */
static void take_back(process_t *p, uint64_t addr, uint64_t *frames, uint64_t n)
{
	for (uint64_t j = 0; j < n; j++)
		if (frames[j] & NEWLY_MAPPED)
			frames[j] = vspace_unmap(p->vs, addr + j * VM_PAGE_BYTES) | NEWLY_MAPPED;
	tlb_shootdown(p->vs, addr, n);
	for (uint64_t j = 0; j < n; j++)
		if (frames[j] & NEWLY_MAPPED) {
			umap_release_page(p->vs, addr + j * VM_PAGE_BYTES, frames[j] & ~(uint64_t)NEWLY_MAPPED);
			frames[j] = 0;
		}
}

/* Map frames[0..n) at addr, all or nothing. First each page with nothing
 * mapped gets its frame; that makes any missing page table and is the only
 * step that can run out of memory. Then each page that was mapped is
 * replaced in one PTE write (its tables exist, and tables live as long as
 * the vspace), and its old translation is shot down before the old frame is
 * freed. With fresh (a range the kernel picked) a page found mapped is not
 * replaced: the call gives EXISTS (another thread mapped it meanwhile). On
 * NO_MEMORY, LIMIT (a page table past the quota) or EXISTS the pages mapped
 * so far are taken back (take_back), nothing else has changed, and the
 * caller owns the frames[] entries that are not 0; tables already made stay
 * with the vspace, which frees them (and gives their charge back) with the
 * rest. */
static nc_sys_err_t install(process_t *p, uint64_t addr, uint64_t *frames, uint64_t n, unsigned flags, bool fresh)
{
	for (uint64_t i = 0; i < n; i++) {
		vm_err_t err = vspace_map(p->vs, addr + i * VM_PAGE_BYTES, frames[i], flags);
		if (err == VM_OK) {
			frames[i] |= NEWLY_MAPPED;
		} else if (err != VM_ERR_EXISTS || fresh) {
			take_back(p, addr, frames, i);
			return err == VM_ERR_EXISTS ? NC_SYS_ERR_EXISTS
			       : err == VM_ERR_LIMIT ? NC_SYS_ERR_LIMIT : NC_SYS_ERR_NO_MEMORY;
		}
	}
	for (uint64_t i = 0; i < n; i++) {
		if (frames[i] & NEWLY_MAPPED)
			continue;
		vm_err_t err;
		uint64_t va = addr + i * VM_PAGE_BYTES;
		uint64_t old = vspace_replace(p->vs, va, frames[i], flags, &err);
		if (old) {
			tlb_shootdown(p->vs, va, 1);
			umap_release_page(p->vs, va, old);
		}
	}
	return NC_SYS_OK;
}

/* Give every entry of frames[0..n) that is 0 a fresh frame, charged to the
 * quota. Errors: LIMIT, NO_MEMORY (the entries filled so far stay). */
static nc_sys_err_t fill_frames(vspace_t *vs, uint64_t *frames, uint64_t n)
{
	nc_sys_err_t err = NC_SYS_OK;
	for (uint64_t i = 0; i < n && !err; i++)
		if (!frames[i])
			frames[i] = vspace_alloc_frame(vs, &err);
	return err;
}

/* Free the frames of frames[0..n) that install left the caller (never
 * mapped: the entries that are not 0) with their charge. */
static void free_frames(vspace_t *vs, const uint64_t *frames, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (frames[i])
			vspace_free_frame(vs, frames[i]);
}

/* How often a MemMap with a null hint picks a new range because another
 * thread of the process mapped a page of the one it picked meanwhile. */
enum { PICK_TRIES = 4 };

nc_sys_err_t sys_mem_map(uint64_t addr, uint64_t len_bytes, uint64_t prot, uint64_t *addr_out)
{
	process_t *p = thread_current()->proc;
	const uint64_t all = NC_SYS_PROT_READ | NC_SYS_PROT_WRITE | NC_SYS_PROT_EXEC;
	if (len_bytes == 0 || len_bytes > NC_SYS_MAP_MAX_BYTES || (prot & ~all) || !prot ||
	    ((prot & NC_SYS_PROT_WRITE) && (prot & NC_SYS_PROT_EXEC)))
		return NC_SYS_ERR_INVALID;
	uint64_t n = (len_bytes + VM_PAGE_BYTES - 1) / VM_PAGE_BYTES;
	bool pick = !addr;
	if (!pick && !user_range_ok(addr, n, VM_USER_MAP_TOP))
		return NC_SYS_ERR_INVALID;
	if (!pick) /* later picks go above it */
		umap_claim_fixed(p, addr, n);
	/* the frame list lives only during the call, but it can be large: it is
	 * charged too, before it is allocated */
	uint64_t list_bytes = quota_heap_bytes(n * sizeof(uint64_t));
	nc_sys_err_t err = quota_charge(p->quota, list_bytes);
	if (err)
		return err;
	uint64_t *frames = heap_alloc(n * sizeof *frames);
	err = frames ? NC_SYS_ERR_EXISTS : NC_SYS_ERR_NO_MEMORY;
	for (int tries = 0; err == NC_SYS_ERR_EXISTS && tries < PICK_TRIES; tries++) {
		err = fill_frames(p->vs, frames, n);
		/* a range that is not used in the end stays unused: MemMap addresses are never reused */
		if (!err && pick)
			err = umap_reserve(p, n, &addr);
		if (!err)
			err = install(p, addr, frames, n, prot_flags(prot), pick);
	}
	if (err == NC_SYS_ERR_EXISTS) /* every range picked was taken meanwhile */
		err = NC_SYS_ERR_LIMIT;
	if (err && frames)
		free_frames(p->vs, frames, n);
	heap_free(frames);
	quota_uncharge(p->quota, list_bytes);
	if (!err)
		*addr_out = addr;
	return err;
}

/* MemUnmap takes pages out in batches: every page of a batch is unmapped,
 * then one shootdown covers the batch's range, then its frames go. */
enum { UNMAP_BATCH = 256 };

nc_sys_err_t sys_mem_unmap(uint64_t addr, uint64_t len_bytes)
{
	process_t *p = thread_current()->proc;
	uint64_t n = (len_bytes + VM_PAGE_BYTES - 1) / VM_PAGE_BYTES;
	if (len_bytes == 0 || len_bytes > NC_SYS_MAP_MAX_BYTES || !user_range_ok(addr, n, VM_USER_TOP))
		return NC_SYS_ERR_INVALID;
	for (uint64_t first = 0; first < n; first += UNMAP_BATCH) {
		uint64_t old[UNMAP_BATCH], m = n - first < UNMAP_BATCH ? n - first : UNMAP_BATCH, base = addr + first * VM_PAGE_BYTES;
		bool any = false;
		for (uint64_t i = 0; i < m; i++) {
			old[i] = vspace_unmap(p->vs, base + i * VM_PAGE_BYTES);
			any |= old[i] != 0;
		}
		if (any)
			tlb_shootdown(p->vs, base, m);
		for (uint64_t i = 0; i < m; i++)
			umap_release_page(p->vs, base + i * VM_PAGE_BYTES, old[i]);
	}
	return NC_SYS_OK;
}
