/* Handle tables and object references (see kernel/handle.h). */
#include <kernel/cap.h>
#include <kernel/handle.h>
#include <kernel/heap.h>
#include <kernel/process.h>
#include <kernel/quota.h>
#include <kernel/thread.h>
#include <kernel/usercopy.h>

handle_table_t *handle_table_create(void)
{
	return heap_alloc(sizeof(handle_table_t));
}

nc_sys_err_t handle_table_charge(handle_table_t *ht, quota_t *q)
{
	nc_sys_err_t err = quota_charge(q, quota_heap_bytes(sizeof *ht));
	if (!err)
		ht->quota = q;
	return err;
}

handle_table_t *handle_table_current(void)
{
	return thread_current()->proc->handles;
}

/* Fill the free slot s with new references to obj and origin, under the
 * slot's current generation. Table lock held. */
static void occupy(handle_table_t *ht, handle_slot_t *s, kobj_t *obj, uint32_t rights, kcap_t *origin)
{
	kobj_ref(obj);
	if (origin)
		kobj_ref(&origin->obj);
	s->obj = obj;
	s->rights = rights;
	s->origin = origin;
	if (s->gen > s->top)
		s->top = s->gen;
	ht->n_open++;
}

/* Install into the first free slot; the caller has checked that one is
 * free for it. Table lock held. */
static uint64_t install_free(handle_table_t *ht, kobj_t *obj, uint32_t rights, kcap_t *origin)
{
	uint32_t i = 0;
	while (ht->slot[i].obj)
		i++;
	occupy(ht, &ht->slot[i], obj, rights, origin);
	return handle_value_of(ht, i);
}

nc_sys_err_t handle_install(handle_table_t *ht, kobj_t *obj, uint32_t rights, kcap_t *origin,
			    uint64_t *h_out)
{
	uint64_t f = spin_lock(&ht->lock);
	bool room = ht->n_open + ht->n_reserved < NC_SYS_HANDLES_MAX;
	if (room)
		*h_out = install_free(ht, obj, rights, origin);
	spin_unlock(&ht->lock, f);
	return room ? NC_SYS_OK : NC_SYS_ERR_LIMIT;
}

nc_sys_err_t handle_reserve(handle_table_t *ht, uint32_t n)
{
	uint64_t f = spin_lock(&ht->lock);
	bool room = ht->n_open + ht->n_reserved + n <= NC_SYS_HANDLES_MAX;
	if (room)
		ht->n_reserved += n;
	spin_unlock(&ht->lock, f);
	return room ? NC_SYS_OK : NC_SYS_ERR_LIMIT;
}

void handle_unreserve(handle_table_t *ht, uint32_t n)
{
	uint64_t f = spin_lock(&ht->lock);
	ht->n_reserved -= n;
	spin_unlock(&ht->lock, f);
}

void handle_install_reserved(handle_table_t *ht, const handle_ref_t *ref, uint64_t *h_out)
{
	uint64_t f = spin_lock(&ht->lock);
	ht->n_reserved--;
	*h_out = install_free(ht, ref->obj, ref->rights, ref->origin);
	spin_unlock(&ht->lock, f);
}

nc_sys_err_t handle_install_ref(handle_table_t *ht, const handle_ref_t *ref, uint64_t *h_out)
{
	return handle_install(ht, ref->obj, ref->rights, ref->origin, h_out);
}

nc_sys_err_t handle_restore(handle_table_t *ht, uint64_t h, const handle_ref_t *ref, uint64_t *h_out)
{
	handle_slot_t *s = &ht->slot[(h & HANDLE_INDEX_MASK) - 1];
	uint64_t f = spin_lock(&ht->lock);
	bool free = !s->obj && ht->n_open + ht->n_reserved < NC_SYS_HANDLES_MAX;
	if (free) {
		/* h's own generation again; a value handed out in this slot
		 * meanwhile is above it and stays retired (top remembers it) */
		s->gen = (uint32_t)(h >> HANDLE_INDEX_BITS) & HANDLE_GEN_MASK;
		occupy(ht, s, ref->obj, ref->rights, ref->origin);
		*h_out = h;
	}
	spin_unlock(&ht->lock, f);
	return free ? NC_SYS_OK : handle_install_ref(ht, ref, h_out);
}

/* Empty slot s, moving its references to *out. Table lock held. */
static void vacate(handle_table_t *ht, handle_slot_t *s, handle_ref_t *out)
{
	out->obj = s->obj;
	out->rights = s->rights;
	out->origin = s->origin;
	s->obj = NULL;
	s->origin = NULL;
	s->rights = 0;
	s->gen = s->top + 1;
	ht->n_open--;
}

nc_sys_err_t handle_take(handle_table_t *ht, uint64_t h, uint32_t type, uint32_t need, handle_ref_t *out)
{
	uint64_t f = spin_lock(&ht->lock);
	handle_slot_t *s = handle_slot_of(ht, h);
	nc_sys_err_t err = handle_check(s, type, need);
	if (!err)
		vacate(ht, s, out);
	spin_unlock(&ht->lock, f);
	return err;
}

nc_sys_err_t handle_close(handle_table_t *ht, uint64_t h)
{
	handle_ref_t ref;
	uint64_t f = spin_lock(&ht->lock);
	handle_slot_t *s = handle_slot_of(ht, h);
	if (s)
		vacate(ht, s, &ref);
	spin_unlock(&ht->lock, f);
	if (!s)
		return NC_SYS_ERR_BAD_HANDLE;
	handle_put(&ref); /* outside the lock: destroying a channel end wakes its peer */
	return NC_SYS_OK;
}

void handle_table_destroy(handle_table_t *ht)
{
	if (!ht)
		return;
	for (uint32_t i = 0; i < NC_SYS_HANDLES_MAX; i++)
		if (ht->slot[i].obj)
			handle_close(ht, handle_value_of(ht, i));
	quota_uncharge(ht->quota, quota_heap_bytes(sizeof *ht));
	heap_free(ht);
}

uint32_t handle_count(handle_table_t *ht)
{
	return __atomic_load_n(&ht->n_open, __ATOMIC_RELAXED);
}

bool handle_slot_ref(handle_table_t *ht, uint32_t i, handle_ref_t *out, uint64_t *h_out)
{
	uint64_t f = spin_lock(&ht->lock);
	handle_slot_t *s = &ht->slot[i];
	bool used = s->obj != NULL;
	if (used) {
		handle_take_ref(s, out);
		*h_out = handle_value_of(ht, i);
	}
	spin_unlock(&ht->lock, f);
	return used;
}

nc_sys_err_t handle_install_to_user(handle_table_t *ht, const handle_ref_t *refs, uint32_t n, uint64_t user_out,
				    bool reserved)
{
	uint64_t hs[NC_SYS_IPC_MSG_MAX_HANDLES];
	nc_sys_err_t err = NC_SYS_OK;
	uint32_t done = 0;
	for (; !err && done < n; done += !err) {
		if (reserved)
			handle_install_reserved(ht, &refs[done], &hs[done]);
		else
			err = handle_install_ref(ht, &refs[done], &hs[done]);
	}
	if (!err && n && copy_to_user(user_out, hs, n * sizeof hs[0]))
		err = NC_SYS_ERR_BAD_ADDRESS;
	if (err)
		while (done--)
			handle_close(ht, hs[done]);
	return err;
}
