/* Shared memory objects (see kernel/shm.h). The frame list is allocated with
 * the object, so an object is one heap block plus its frames. Both are
 * charged to the creator's memory quota (kernel/quota.h) before anything is
 * allocated, as an object charge: the quota stays while the object lives,
 * wherever its handles and mappings are. */
#include <kernel/pmm.h>
#include <kernel/process.h>
#include <kernel/quota.h>
#include <kernel/shm.h>

static size_t block_bytes(uint64_t n_pages)
{
	return sizeof(kshm_t) + n_pages * sizeof(uint64_t);
}

static void free_frames(kshm_t *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		pmm_free_frame(s->frames[i]);
}

static void destroy(kobj_t *o)
{
	kshm_t *s = (kshm_t *)o;
	quota_t *q = s->quota;
	uint64_t n = s->n_pages;
	free_frames(s, n);
	quota_free_object(q, s, block_bytes(n));
	quota_uncharge_object(q, quota_frames_bytes(n));
}

nc_sys_err_t shm_create(process_t *p, uint64_t n_pages, kshm_t **out)
{
	nc_sys_err_t err = quota_charge_object(p->quota, quota_frames_bytes(n_pages));
	if (err)
		return err;
	kshm_t *s = quota_alloc_object(p->quota, block_bytes(n_pages), &err);
	for (uint64_t i = 0; s && i < n_pages; i++) {
		s->frames[i] = pmm_alloc_frame();
		if (!s->frames[i]) {
			free_frames(s, i);
			quota_free_object(p->quota, s, block_bytes(n_pages));
			s = NULL;
			err = NC_SYS_ERR_NO_MEMORY;
		}
	}
	if (!s) {
		quota_uncharge_object(p->quota, quota_frames_bytes(n_pages));
		return err;
	}
	s->n_pages = n_pages;
	s->quota = p->quota;
	s->obj.type = NC_SYS_HANDLE_SHM;
	s->obj.refs = 1;
	s->obj.destroy = destroy;
	*out = s;
	return NC_SYS_OK;
}
