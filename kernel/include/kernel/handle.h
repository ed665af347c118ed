/* Kernel objects and per-process handle tables (seL4's capability slots, in
 * the form of Zircon-style handles). A handle names one object of a type
 * (NC_SYS_HANDLE_*) with rights bits (NC_SYS_RIGHT_*) and, when a capability
 * authorised its creation (an open file under fs.read), that capability as its
 * origin: revoking the origin (kernel/cap.h) makes every use of the handle
 * fail with REVOKED at once on every CPU, because each use re-checks it.
 *
 * Handle values: slot index + 1 in the low 8 bits, a per-slot generation above,
 * so a closed handle's value is not silently reused: a slot's next value is
 * always one generation above the highest it ever handed out (handle_restore
 * may give a taken handle its old value back, never a newer one). Objects
 * are reference counted; the last reference runs the type's destroy function.
 *
 * Locking: one spinlock per table, held only for slot updates. handle_get
 * returns counted references, so an object stays alive while a call uses it
 * even if another thread closes the handle meanwhile. Every function here is
 * SMP-safe, never sleeps, and may run with interrupts off. */
#ifndef KERNEL_HANDLE_H
#define KERNEL_HANDLE_H

#include <stddef.h>
#include <stdint.h>
#include <kernel/spinlock.h>
#include <nc/abi.h>

struct kcap;
struct quota;

typedef struct kobj {
	uint32_t type;                      /* NC_SYS_HANDLE_* */
	uint32_t refs;                      /* atomic */
	void (*destroy)(struct kobj *o);    /* NULL: static object, never freed */
} kobj_t;

/* Take and drop a reference (NULL is ignored by kobj_unref). */
static inline void kobj_ref(kobj_t *o)
{
	__atomic_add_fetch(&o->refs, 1, __ATOMIC_RELAXED);
}

static inline void kobj_unref(kobj_t *o)
{
	if (o && __atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL) == 0 && o->destroy)
		o->destroy(o);
}

typedef struct {
	kobj_t *obj;                        /* NULL: free slot */
	uint32_t rights;                    /* NC_SYS_RIGHT_* */
	uint32_t gen;                       /* the generation of the slot's value (next one when free) */
	uint32_t top;                       /* the highest generation the slot ever handed out */
	struct kcap *origin;                /* counted; NULL: none */
} handle_slot_t;

typedef struct handle_table {
	spinlock_t lock;
	uint32_t n_open;
	uint32_t n_reserved;                /* free slots promised to handle_install_reserved */
	struct quota *quota;                /* the table is charged to it (NULL: uncharged) */
	handle_slot_t slot[NC_SYS_HANDLES_MAX];
} handle_table_t;

/* What handle_get hands out: counted references the caller drops with handle_put. */
typedef struct {
	kobj_t *obj;
	uint32_t rights;
	struct kcap *origin;
} handle_ref_t;

/* An empty table, or NULL when out of memory; not charged to any quota. */
handle_table_t *handle_table_create(void);
/* Charge the table's memory to q (kernel/quota.h), which must outlive it;
 * the table gives it back when destroyed. Errors: LIMIT. */
nc_sys_err_t handle_table_charge(handle_table_t *ht, struct quota *q);
/* Close every handle and free the table (NULL is ignored). */
void handle_table_destroy(handle_table_t *ht);

/* Install obj (the table takes its own reference, and one on origin) with
 * rights; *h_out gets the handle. Errors: LIMIT (table full, reserved slots
 * counted as taken). */
nc_sys_err_t handle_install(handle_table_t *ht, kobj_t *obj, uint32_t rights, struct kcap *origin,
			    uint64_t *h_out);
/* Look h up: it must be open, of type (0: any type) and hold every right in
 * need; its origin must be valid now. Errors: BAD_HANDLE, WRONG_TYPE, DENIED,
 * REVOKED, EXPIRED. Inline, with handle_put: every call that takes a handle
 * starts and ends with them. */
static inline nc_sys_err_t handle_get(handle_table_t *ht, uint64_t h, uint32_t type, uint32_t need,
				      handle_ref_t *out);
static inline void handle_put(handle_ref_t *ref);
/* Remove h from the table, handing its references to *out (for a transfer).
 * Same checks and errors as handle_get. */
nc_sys_err_t handle_take(handle_table_t *ht, uint64_t h, uint32_t type, uint32_t need, handle_ref_t *out);
/* Close h. Errors: BAD_HANDLE. */
nc_sys_err_t handle_close(handle_table_t *ht, uint64_t h);
/* Install ref's object into ht (the table takes new references; ref keeps its own). */
nc_sys_err_t handle_install_ref(handle_table_t *ht, const handle_ref_t *ref, uint64_t *h_out);
/* Promise n free slots (for the handles of a message taken off a queue):
 * other installs then see them as taken. Errors: LIMIT (fewer free). */
nc_sys_err_t handle_reserve(handle_table_t *ht, uint32_t n);
/* Take back n promised slots that will not be used. */
void handle_unreserve(handle_table_t *ht, uint32_t n);
/* As handle_install_ref into a slot promised by handle_reserve: never fails. */
void handle_install_reserved(handle_table_t *ht, const handle_ref_t *ref, uint64_t *h_out);
/* Put ref's object back under h, the value it had in ht before handle_take
 * (for a transfer that failed), so the caller's handle value stays valid;
 * when another handle took that slot meanwhile, under a new value. *h_out
 * gets the value; the table takes new references (ref keeps its own).
 * Errors: LIMIT (table full). */
nc_sys_err_t handle_restore(handle_table_t *ht, uint64_t h, const handle_ref_t *ref, uint64_t *h_out);
/* Install refs[0..n) (n at most NC_SYS_IPC_MSG_MAX_HANDLES) into ht (the
 * table takes new references) and write their values to the user array at
 * user_out; on error none stays installed. With reserved, the n slots were
 * promised by handle_reserve (installing cannot fail; the promise is used up
 * either way). Errors: LIMIT (not with reserved), BAD_ADDRESS. */
nc_sys_err_t handle_install_to_user(handle_table_t *ht, const handle_ref_t *refs, uint32_t n, uint64_t user_out,
				    bool reserved);
/* The current process's table. */
handle_table_t *handle_table_current(void);
/* Open handles of ht. */
uint32_t handle_count(handle_table_t *ht);
/* Copy slot i (0-based) of ht into *out with counted references, and its
 * value into *h_out; false when the slot is free. */
bool handle_slot_ref(handle_table_t *ht, uint32_t i, handle_ref_t *out, uint64_t *h_out);

/* The inline parts of the table (the slot helpers are also used by handle.c). */
enum { HANDLE_INDEX_BITS = 8, HANDLE_INDEX_MASK = (1u << HANDLE_INDEX_BITS) - 1, HANDLE_GEN_MASK = 0xffffff };

nc_sys_err_t cap_state(const struct kcap *c); /* kernel/cap.h */

static inline uint64_t handle_value_of(const handle_table_t *ht, uint32_t i)
{
	return (uint64_t)(ht->slot[i].gen & HANDLE_GEN_MASK) << HANDLE_INDEX_BITS | (i + 1);
}

/* The slot h names, or NULL. Table lock held. */
static inline handle_slot_t *handle_slot_of(handle_table_t *ht, uint64_t h)
{
	uint64_t i = (h & HANDLE_INDEX_MASK) - 1;
	if (h >> 32 || (h & HANDLE_INDEX_MASK) == 0 || i >= NC_SYS_HANDLES_MAX)
		return NULL;
	handle_slot_t *s = &ht->slot[i];
	return s->obj && handle_value_of(ht, (uint32_t)i) == h ? s : NULL;
}

static inline nc_sys_err_t handle_check(const handle_slot_t *s, uint32_t type, uint32_t need)
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
 * Table lock held. */
static inline void handle_take_ref(const handle_slot_t *s, handle_ref_t *out)
{
	out->obj = s->obj;
	out->rights = s->rights;
	out->origin = s->origin;
	kobj_ref(out->obj);
	if (out->origin)
		kobj_ref((kobj_t *)out->origin); /* a kcap starts with its kobj_t */
}

static inline nc_sys_err_t handle_get(handle_table_t *ht, uint64_t h, uint32_t type, uint32_t need,
				      handle_ref_t *out)
{
	uint64_t f = spin_lock(&ht->lock);
	handle_slot_t *s = handle_slot_of(ht, h);
	nc_sys_err_t err = handle_check(s, type, need);
	if (!err)
		handle_take_ref(s, out);
	spin_unlock(&ht->lock, f);
	return err;
}

static inline void handle_put(handle_ref_t *ref)
{
	kobj_unref(ref->obj);
	if (ref->origin)
		kobj_unref((kobj_t *)ref->origin);
	ref->obj = NULL;
	ref->origin = NULL;
}

#endif
