/* Shared memory system calls: ShmCreate, ShmMap, ShmSize (docs/shm.md).
 * Mappings are VM_FOREIGN ranges (kernel/umap.h): MemUnmap takes them away,
 * and the object lives while any page of it is mapped or any handle names it. */
#include <kernel/process.h>
#include <kernel/shm.h>
#include <kernel/sys_table.h>
#include <kernel/umap.h>

/* What a new object's handle may do: everything that means something for it. */
#define SHM_RIGHTS (NC_SYS_RIGHT_MAP | NC_SYS_RIGHT_WRITE | NC_SYS_RIGHT_DUPLICATE | NC_SYS_RIGHT_TRANSFER)

nc_sys_err_t sys_shm_create(uint64_t len_bytes, uint64_t *handle_out)
{
	if (len_bytes == 0 || len_bytes > NC_SYS_MAP_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	process_t *p = thread_current()->proc;
	kshm_t *s;
	nc_sys_err_t err = shm_create(p, (len_bytes + VM_PAGE_BYTES - 1) / VM_PAGE_BYTES, &s);
	if (err)
		return err;
	err = handle_install(handle_table_current(), &s->obj, SHM_RIGHTS, NULL, handle_out);
	kobj_unref(&s->obj); /* the handle holds it now, or nothing does */
	return err;
}

nc_sys_err_t sys_shm_map(uint64_t handle, uint64_t addr, uint64_t offset, uint64_t len_bytes, uint64_t prot,
			 uint64_t *addr_out)
{
	const uint64_t rw = NC_SYS_PROT_READ | NC_SYS_PROT_WRITE;
	if (!prot || (prot & ~rw) || len_bytes == 0 || len_bytes > NC_SYS_MAP_MAX_BYTES ||
	    offset % VM_PAGE_BYTES || addr % VM_PAGE_BYTES)
		return NC_SYS_ERR_INVALID;
	process_t *p = thread_current()->proc;
	handle_ref_t r;
	uint32_t need = NC_SYS_RIGHT_MAP | ((prot & NC_SYS_PROT_WRITE) ? NC_SYS_RIGHT_WRITE : 0);
	nc_sys_err_t err = handle_get(handle_table_current(), handle, NC_SYS_HANDLE_SHM, need, &r);
	if (err)
		return err;
	kshm_t *s = (kshm_t *)r.obj;
	uint64_t first = offset / VM_PAGE_BYTES, n = (len_bytes + VM_PAGE_BYTES - 1) / VM_PAGE_BYTES;
	if (first >= s->n_pages || n > s->n_pages - first)
		err = NC_SYS_ERR_INVALID;
	if (!err && !addr)
		err = umap_reserve(p, n, &addr);
	else if (!err) /* later picks go above it */
		umap_claim_fixed(p, addr, n);
	if (!err)
		err = umap_map(p->vs, addr, n, (prot & NC_SYS_PROT_WRITE) ? VM_WRITE : 0, s->frames + first, 0,
			       &s->obj);
	handle_put(&r);
	if (!err)
		*addr_out = addr;
	return err;
}

nc_sys_err_t sys_shm_size(uint64_t handle, uint64_t *len_out)
{
	handle_ref_t r;
	nc_sys_err_t err = handle_get(handle_table_current(), handle, NC_SYS_HANDLE_SHM, 0, &r);
	if (err)
		return err;
	*len_out = ((kshm_t *)r.obj)->n_pages * VM_PAGE_BYTES;
	handle_put(&r);
	return NC_SYS_OK;
}
