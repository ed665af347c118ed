/* HandleWaitAny (kernel/waitany.h, docs/network.md): wait until one of
 * several channel endpoints or sockets is readable. A channel endpoint is
 * readable when a message is queued for it or its peer has closed; a socket
 * (a remote object of the network service) when the service has set a signal
 * on it (ServiceSignal) or the service has ended. */
#include <kernel/channel.h>
#include <kernel/clock.h>
#include <kernel/heap.h>
#include <kernel/process.h>
#include <kernel/remote.h>
#include <kernel/sys_table.h>
#include <kernel/usercopy.h>
#include <kernel/waitany.h>

void watch_remove(watchlist_t *l, watch_t *n)
{
	for (watch_t **p = &l->head; *p; p = &(*p)->next)
		if (*p == n) {
			*p = n->next;
			return;
		}
}

void watch_fire(watchlist_t *l)
{
	for (watch_t *n = l->head; n; n = n->next) {
		waiter_t *w = n->waiter;
		uint64_t f = spin_lock(&w->lock);
		w->fired = true;
		thread_wake(w->thread);
		spin_unlock(&w->lock, f);
	}
}

/* One watched handle. */
typedef struct {
	handle_ref_t ref;
	watch_t node;
} watched_t;

/* Add (add) or remove the watch of e, and tell whether e is readable now. */
static bool watch_object(watched_t *e, bool add)
{
	kobj_t *o = e->ref.obj;
	if (o->type == NC_SYS_HANDLE_CHANNEL)
		return channel_watch(o, &e->node, add);
	return remote_watch(o, &e->node, add);
}

static bool readable(kobj_t *o)
{
	return o->type == NC_SYS_HANDLE_CHANNEL ? channel_readable(o) : remote_readable(o);
}

/* Take references to the n handles values[] names: channel endpoints and
 * sockets of a service, each with RIGHT_READ. */
static nc_sys_err_t take_all(const uint64_t *values, uint64_t n, watched_t *e)
{
	handle_table_t *ht = handle_table_current();
	for (uint64_t i = 0; i < n; i++) {
		nc_sys_err_t err = handle_get(ht, values[i], 0, NC_SYS_RIGHT_READ, &e[i].ref);
		if (!err && e[i].ref.obj->type != NC_SYS_HANDLE_CHANNEL &&
		    !(e[i].ref.obj->type == NC_SYS_HANDLE_SOCKET && remote_is(e[i].ref.obj))) {
			handle_put(&e[i].ref);
			err = NC_SYS_ERR_WRONG_TYPE;
		}
		if (err) {
			while (i--)
				handle_put(&e[i].ref);
			return err;
		}
	}
	return NC_SYS_OK;
}

/* Wait (every watch added) until an object is readable; *index gets the
 * first one's. Errors: TIMED_OUT, INVALID (the process is being killed). */
static nc_sys_err_t wait_ready(watched_t *e, uint64_t n, waiter_t *w, uint64_t deadline_ns, uint64_t *index)
{
	for (;;) {
		for (uint64_t i = 0; i < n; i++)
			if (readable(e[i].ref.obj)) {
				*index = i;
				return NC_SYS_OK;
			}
		process_t *p = thread_current()->proc;
		if (p && p->dying)
			return NC_SYS_ERR_INVALID;
		uint64_t f = spin_lock(&w->lock);
		if (deadline_ns != UINT64_MAX && clock_now_ns() >= deadline_ns) {
			spin_unlock(&w->lock, f);
			return NC_SYS_ERR_TIMED_OUT;
		}
		if (!w->fired) {
			clock_block_until(&w->lock, f, deadline_ns);
			f = spin_lock(&w->lock);
		}
		w->fired = false;
		spin_unlock(&w->lock, f);
	}
}

nc_sys_err_t sys_handle_wait_any(uint64_t handles, uint64_t n_handles, uint64_t timeout_ns, uint64_t *index_out)
{
	if (n_handles == 0 || n_handles > NC_SYS_HANDLES_MAX)
		return NC_SYS_ERR_INVALID;
	uint64_t deadline_ns = clock_deadline_after(timeout_ns);
	uint64_t values[NC_SYS_HANDLES_MAX];
	if (copy_from_user(values, handles, n_handles * sizeof values[0]))
		return NC_SYS_ERR_BAD_ADDRESS;
	watched_t *e = heap_alloc(n_handles * sizeof *e);
	if (!e)
		return NC_SYS_ERR_NO_MEMORY;
	nc_sys_err_t err = take_all(values, n_handles, e);
	if (err) {
		heap_free(e);
		return err;
	}
	waiter_t w = { .lock = SPINLOCK_INIT, .thread = thread_current() };
	uint64_t index = 0;
	bool ready = false;
	for (uint64_t i = 0; i < n_handles; i++) {
		e[i].node.waiter = &w;
		if (watch_object(&e[i], true) && !ready) {
			ready = true;
			index = i;
		}
	}
	if (!ready)
		err = wait_ready(e, n_handles, &w, deadline_ns, &index);
	for (uint64_t i = 0; i < n_handles; i++) {
		(void)watch_object(&e[i], false);
		handle_put(&e[i].ref);
	}
	heap_free(e);
	if (!err)
		*index_out = index;
	return err;
}
