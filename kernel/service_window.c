/* Windows of routed calls (kernel/service_window.h). */
#include <kernel/process.h>
#include <kernel/service_window.h>
#include <kernel/umap.h>
#include <kernel/usercopy.h>

static uint64_t pages_of(size_t len)
{
	return (len + VM_PAGE_BYTES - 1) / VM_PAGE_BYTES;
}

/* Move n bytes between user memory at user and w's frames from byte 0: into
 * the frames (in) or out of them. False on a fault. */
static bool copy_frames(const kshm_t *w, uint64_t user, size_t n, bool in)
{
	for (size_t off = 0; off < n; off += VM_PAGE_BYTES) {
		size_t k = n - off < VM_PAGE_BYTES ? n - off : VM_PAGE_BYTES;
		void *frame = vm_phys_to_virt(w->frames[off / VM_PAGE_BYTES]);
		if (in ? copy_from_user(frame, user + off, k) : copy_to_user(user + off, frame, k))
			return false;
	}
	return true;
}

/* Whether the caller may write every page of [user, user + len): one byte of
 * each is read and written back. */
static bool writable(uint64_t user, size_t len)
{
	if (!usercopy_range_ok(user, len))
		return false;
	for (uint64_t a = user; a < user + len; a = (a & ~(VM_PAGE_BYTES - 1)) + VM_PAGE_BYTES) {
		uint8_t b;
		if (copy_from_user(&b, a, 1) || copy_to_user(a, &b, 1))
			return false;
	}
	return true;
}

nc_sys_err_t svc_window_make(uint64_t user, size_t len, bool fill, kshm_t **out)
{
	if (len == 0 || len > NC_SYS_IO_BULK_MAX_BYTES)
		return NC_SYS_ERR_INVALID;
	if (!fill && !writable(user, len))
		return NC_SYS_ERR_BAD_ADDRESS;
	kshm_t *w;
	nc_sys_err_t err = shm_create(thread_current()->proc, pages_of(len), &w);
	if (err)
		return err;
	if (fill && !copy_frames(w, user, len, true)) {
		kobj_unref(&w->obj);
		return NC_SYS_ERR_BAD_ADDRESS;
	}
	*out = w;
	return NC_SYS_OK;
}

bool svc_window_copy_out(const kshm_t *w, uint64_t user, size_t n)
{
	return copy_frames(w, user, n, false);
}

/* A free slot of the current process (0: none). */
static uint64_t take_slot(svc_window_slots_t *slots, uint32_t pid)
{
	uint64_t va = 0, f = spin_lock(slots->lock);
	if (slots->pid == pid && slots->n_free)
		va = slots->free[--slots->n_free];
	spin_unlock(slots->lock, f);
	return va;
}

static void give_slot(svc_window_slots_t *slots, uint32_t pid, uint64_t va)
{
	uint64_t f = spin_lock(slots->lock);
	if (!slots->n_free)
		slots->pid = pid;
	if (slots->pid == pid && slots->n_free < SVC_WINDOW_SLOTS)
		slots->free[slots->n_free++] = va;
	spin_unlock(slots->lock, f);
}

nc_sys_err_t svc_window_map(svc_window_slots_t *slots, kshm_t *w, size_t len, bool writable_map, uint64_t *va_out)
{
	process_t *p = thread_current()->proc;
	unsigned flags = writable_map ? VM_WRITE : 0;
	uint64_t n = pages_of(len), va = take_slot(slots, p->pid);
	nc_sys_err_t err = NC_SYS_ERR_EXISTS;
	if (va)
		err = umap_map(p->vs, va, n, flags, w->frames, 0, &w->obj);
	if (err == NC_SYS_ERR_EXISTS) { /* no slot, or the service mapped something there: a fresh one */
		err = umap_reserve(p, SVC_WINDOW_PAGES, &va);
		if (!err)
			err = umap_map(p->vs, va, n, flags, w->frames, 0, &w->obj);
	}
	if (err) {
		if (err != NC_SYS_ERR_EXISTS && va)
			give_slot(slots, p->pid, va);
		return err == NC_SYS_ERR_NO_MEMORY ? err : NC_SYS_ERR_LIMIT;
	}
	*va_out = va;
	return NC_SYS_OK;
}

void svc_window_unmap(svc_window_slots_t *slots, kshm_t *w, uint64_t va)
{
	process_t *p = thread_current()->proc;
	umap_revoke_owner(p->vs, &w->obj);
	give_slot(slots, p->pid, va);
}
