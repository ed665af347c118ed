/* Shared memory objects (see kernel/shm.h). The frame list is allocated with
 * the object, so an object is one heap block plus its frames. */
#include <kernel/heap.h>
#include <kernel/pmm.h>
#include <kernel/process.h>
#include <kernel/shm.h>

/* The one place shared memory meets the per-process memory quota: the frames
 * and the object's own block are charged to p when the object is made and
 * given back when it is destroyed. */
static nc_sys_err_t shm_charge(kshm_t *s, struct process *p)
{
	s->charged = p;
	return NC_SYS_OK;
}

static void shm_uncharge(kshm_t *s)
{
	s->charged = NULL;
}

static void free_frames(kshm_t *s, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		pmm_free_frame(s->frames[i]);
}

static void destroy(kobj_t *o)
{
	kshm_t *s = (kshm_t *)o;
	free_frames(s, s->n_pages);
	shm_uncharge(s);
	heap_free(s);
}

nc_sys_err_t shm_create(process_t *p, uint64_t n_pages, kshm_t **out)
{
	kshm_t *s = heap_alloc(sizeof *s + n_pages * sizeof s->frames[0]);
	if (!s)
		return NC_SYS_ERR_NO_MEMORY;
	for (uint64_t i = 0; i < n_pages; i++) {
		s->frames[i] = pmm_alloc_frame();
		if (!s->frames[i]) {
			free_frames(s, i);
			heap_free(s);
			return NC_SYS_ERR_NO_MEMORY;
		}
	}
	s->n_pages = n_pages;
	nc_sys_err_t err = shm_charge(s, p);
	if (err) {
		free_frames(s, n_pages);
		heap_free(s);
		return err;
	}
	s->obj.type = NC_SYS_HANDLE_SHM;
	s->obj.refs = 1;
	s->obj.destroy = destroy;
	*out = s;
	return NC_SYS_OK;
}
