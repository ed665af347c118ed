/* Handle tables and object references (see kernel/handle.h). */
#include <kernel/cap.h>
#include <kernel/handle.h>
#include <kernel/heap.h>
#include <kernel/process.h>
#include <kernel/thread.h>

enum { INDEX_BITS = 8, INDEX_MASK = (1u << INDEX_BITS) - 1, GEN_MASK = 0xffffff };

void kobj_ref(kobj_t *o)
{
	__atomic_add_fetch(&o->refs, 1, __ATOMIC_RELAXED);
}

void kobj_unref(kobj_t *o)
{
	if (o && __atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL) == 0 && o->destroy)
		o->destroy(o);
}

handle_table_t *handle_table_create(void)
{
	return heap_alloc(sizeof(handle_table_t));
}

handle_table_t *handle_table_current(void)
{
	return thread_current()->proc->handles;
}

static uint64_t value_of(const handle_table_t *ht, uint32_t i)
{
	return (uint64_t)(ht->slot[i].gen & GEN_MASK) << INDEX_BITS | (i + 1);
}

/* The slot h names, or NULL. Table lock held. Inlined: every call's path. */
static inline __attribute__((always_inline)) handle_slot_t *slot_of(handle_table_t *ht, uint64_t h)
{
	uint64_t i = (h & INDEX_MASK) - 1;
	if (h >> 32 || (h & INDEX_MASK) == 0 || i >= NC_SYS_HANDLES_MAX)
		return NULL;
	handle_slot_t *s = &ht->slot[i];
	return s->obj && value_of(ht, (uint32_t)i) == h ? s : NULL;
}

nc_sys_err_t handle_install(handle_table_t *ht, kobj_t *obj, uint32_t rights, kcap_t *origin,
			    uint64_t *h_out)
{
	uint64_t f = spin_lock(&ht->lock);
	for (uint32_t i = 0; i < NC_SYS_HANDLES_MAX; i++) {
		handle_slot_t *s = &ht->slot[i];
		if (s->obj)
			continue;
		kobj_ref(obj);
		if (origin)
			kobj_ref(&origin->obj);
		s->obj = obj;
		s->rights = rights;
		s->origin = origin;
		ht->n_open++;
		*h_out = value_of(ht, i);
		spin_unlock(&ht->lock, f);
		return NC_SYS_OK;
	}
	spin_unlock(&ht->lock, f);
	return NC_SYS_ERR_LIMIT;
}

nc_sys_err_t handle_install_ref(handle_table_t *ht, const handle_ref_t *ref, uint64_t *h_out)
{
	return handle_install(ht, ref->obj, ref->rights, ref->origin, h_out);
}

static nc_sys_err_t check(const handle_slot_t *s, uint32_t type, uint32_t need)
{
	if (!s)
		return NC_SYS_ERR_BAD_HANDLE;
	if (type && s->obj->type != type)
		return NC_SYS_ERR_WRONG_TYPE;
	if ((s->rights & need) != need)
		return NC_SYS_ERR_DENIED;
	return s->origin ? cap_state(s->origin) : NC_SYS_OK;
}

/* Fill out from slot s and take a reference on its object and origin.
 * Called with the table lock held. */
static void take_ref(const handle_slot_t *s, handle_ref_t *out)
{
	out->obj = s->obj;
	out->rights = s->rights;
	out->origin = s->origin;
	kobj_ref(out->obj);
	if (out->origin)
		kobj_ref(&out->origin->obj);
}

nc_sys_err_t handle_get(handle_table_t *ht, uint64_t h, uint32_t type, uint32_t need, handle_ref_t *out)
{
	uint64_t f = spin_lock(&ht->lock);
	handle_slot_t *s = slot_of(ht, h);
	nc_sys_err_t err = check(s, type, need);
	if (!err)
		take_ref(s, out);
	spin_unlock(&ht->lock, f);
	return err;
}

void handle_put(handle_ref_t *ref)
{
	kobj_unref(ref->obj);
	if (ref->origin)
		kobj_unref(&ref->origin->obj);
	ref->obj = NULL;
	ref->origin = NULL;
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
	s->gen++;
	ht->n_open--;
}

nc_sys_err_t handle_take(handle_table_t *ht, uint64_t h, uint32_t type, uint32_t need, handle_ref_t *out)
{
	uint64_t f = spin_lock(&ht->lock);
	handle_slot_t *s = slot_of(ht, h);
	nc_sys_err_t err = check(s, type, need);
	if (!err)
		vacate(ht, s, out);
	spin_unlock(&ht->lock, f);
	return err;
}

nc_sys_err_t handle_close(handle_table_t *ht, uint64_t h)
{
	handle_ref_t ref;
	uint64_t f = spin_lock(&ht->lock);
	handle_slot_t *s = slot_of(ht, h);
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
			handle_close(ht, value_of(ht, i));
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
		take_ref(s, out);
		*h_out = value_of(ht, i);
	}
	spin_unlock(&ht->lock, f);
	return used;
}
