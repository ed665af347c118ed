/* IPC channels (see kernel/channel.h): endpoints, queues, send and receive.
 * Queue i holds the messages endpoint i will receive; endpoint i sends into
 * queue 1 - i. The shared channel structure lives until both endpoints are
 * destroyed. The call/reply path is kernel/channel_fast.c; what the two
 * share is kernel/channel_int.h. */
#include "channel_int.h"
#include <kernel/cpu.h>
#include <kernel/heap.h>
#include <kernel/process.h>

/* What a channel is charged besides its struct: the spare buffers it may
 * keep. A queued message is charged chan_msg_bytes() to its sender. */
static uint64_t spares_bytes(void) { return CHANNEL_SPARE_MSGS * chan_msg_bytes(); }

/* Endpoints in flight (docs/ipc.md): a channel whose endpoint waits in
 * another channel's queue takes no endpoints into its own queues, and a
 * channel whose queues hold endpoints cannot itself be sent. Queued endpoints
 * are then at most one level deep, so they never form a cycle that no handle
 * reaches (which nothing would ever free). The counters are guarded by
 * transit_lock, taken inside a channel's lock, never the other way round. */
static spinlock_t transit_lock = SPINLOCK_INIT;

bool channel_same(const kobj_t *o, const kobj_t *ep)
{
	return o->type == NC_SYS_HANDLE_CHANNEL && ((const endpoint_t *)o)->chan == ((const endpoint_t *)ep)->chan;
}

static chan_t *chan_of(const handle_ref_t *r)
{
	return r->obj->type == NC_SYS_HANDLE_CHANNEL ? ((const endpoint_t *)r->obj)->chan : NULL;
}

/* Count m's endpoints as held by c, if that keeps the rule; false if not.
 * c's lock held. */
static bool transit_enter(chan_t *c, const ipc_msg_t *m)
{
	if (!m->n_handles)
		return true;
	bool ok = true;
	uint64_t f = spin_lock(&transit_lock);
	for (uint32_t i = 0; i < m->n_handles; i++) {
		chan_t *a = chan_of(&m->handles[i]);
		if (a && (a->ends_held || c->ends_away))
			ok = false;
	}
	for (uint32_t i = 0; ok && i < m->n_handles; i++) {
		chan_t *a = chan_of(&m->handles[i]);
		if (a) {
			a->ends_away++;
			c->ends_held++;
		}
	}
	spin_unlock(&transit_lock, f);
	return ok;
}

/* m leaves c's queue (received or dropped): its endpoints no longer count
 * as held, and its sender's quota gets its charge back. c's lock held. */
static void leave_queue(chan_t *c, ipc_msg_t *m)
{
	quota_uncharge_object(m->payer, chan_msg_bytes());
	m->payer = NULL;
	if (!m->n_handles)
		return;
	uint64_t f = spin_lock(&transit_lock);
	for (uint32_t i = 0; i < m->n_handles; i++) {
		chan_t *a = chan_of(&m->handles[i]);
		if (a) {
			a->ends_away--;
			c->ends_held--;
		}
	}
	spin_unlock(&transit_lock, f);
}

static void release_handles(ipc_msg_t *m)
{
	for (uint32_t i = 0; i < m->n_handles; i++)
		handle_put(&m->handles[i]);
	m->n_handles = 0;
}

/* The channel's spare buffers, then the heap (channel_msg_alloc has found
 * no buffer of the thread's own). */
ipc_msg_t *channel_msg_alloc_shared(kobj_t *ep)
{
	chan_t *c = ((endpoint_t *)ep)->chan;
	ipc_msg_t *m = NULL;
	uint64_t f = spin_lock(&c->lock);
	if (c->n_spare)
		m = c->spare[--c->n_spare];
	spin_unlock(&c->lock, f);
	if (!m)
		return heap_alloc(sizeof(ipc_msg_t));
	m->len_bytes = 0;
	m->n_handles = 0;
	return m;
}

/* m carries handles, or the thread already keeps a buffer. */
void channel_msg_free_shared(kobj_t *ep, ipc_msg_t *m)
{
	release_handles(m); /* outside the lock: a handle may be an endpoint of this channel */
	thread_t *self = thread_current();
	if (!self->ipc_spare) {
		self->ipc_spare = m;
		return;
	}
	chan_t *c = ((endpoint_t *)ep)->chan;
	uint64_t f = spin_lock(&c->lock);
	bool kept = c->n_spare < CHANNEL_SPARE_MSGS;
	if (kept)
		c->spare[c->n_spare++] = m;
	spin_unlock(&c->lock, f);
	if (!kept)
		heap_free(m);
}

static void destroy_end(kobj_t *o)
{
	endpoint_t *e = (endpoint_t *)o;
	chan_t *c = e->chan;
	int s = e->side;
	ipc_msg_t *drop[NC_SYS_IPC_QUEUE_MAX];
	uint64_t f = spin_lock(&c->lock);
	c->closed[s] = true;
	uint32_t n = c->q_count[s];
	for (uint32_t i = 0; i < n; i++) {
		drop[i] = c->q[s][(c->q_head[s] + i) % NC_SYS_IPC_QUEUE_MAX];
		leave_queue(c, drop[i]);
	}
	c->q_count[s] = 0;
	waitq_wake_all(&c->readers[1 - s]);
	waitq_wake_all(&c->writers[1 - s]);
	waitq_wake_all(&c->writers[s]);
	watch_fire(&c->watchers[1 - s]);
	bool last = c->closed[1 - s];
	spin_unlock(&c->lock, f);
	/* outside the lock: a dropped message may hold an endpoint of this channel */
	for (uint32_t i = 0; i < n; i++) {
		release_handles(drop[i]);
		heap_free(drop[i]);
	}
	if (last && c->relay)
		c->relay_release(c->relay_ctx);
	if (last) {
		while (c->n_spare)
			heap_free(c->spare[--c->n_spare]);
		quota_t *q = c->quota;
		quota_uncharge_object(q, spares_bytes());
		quota_free_object(q, c, sizeof *c);
	}
}

nc_sys_err_t channel_create(kobj_t **end0, kobj_t **end1)
{
	quota_t *q = quota_current();
	nc_sys_err_t err = quota_charge_object(q, spares_bytes());
	if (err)
		return err;
	chan_t *c = quota_alloc_object(q, sizeof *c, &err);
	if (!c) {
		quota_uncharge_object(q, spares_bytes());
		return err;
	}
	c->quota = q;
	for (int i = 0; i < 2; i++)
		c->end[i] = (endpoint_t){ { NC_SYS_HANDLE_CHANNEL, 1, destroy_end }, c, i };
	*end0 = &c->end[0].obj;
	*end1 = &c->end[1].obj;
	return NC_SYS_OK;
}

nc_sys_err_t chan_wait_room_slow(chan_t *c, int d, uint64_t deadline_ns, uint64_t *f)
{
	thread_t *self = thread_current();
	for (;;) {
		if (c->closed[d])
			return NC_SYS_ERR_PEER_CLOSED;
		if (c->q_count[d] < NC_SYS_IPC_QUEUE_MAX)
			return NC_SYS_OK;
		if (thread_dying(thread_current()))
			return NC_SYS_ERR_INVALID;
		if (clock_now_ns() >= deadline_ns)
			return NC_SYS_ERR_TIMED_OUT;
		waitq_add(&c->writers[d], self);
		clock_block_until(&c->lock, *f, deadline_ns);
		*f = spin_lock(&c->lock);
		waitq_remove(&c->writers[d], self);
	}
}

bool chan_must_wait(chan_t *c, int s, uint64_t deadline_ns, nc_sys_err_t *err)
{
	if (c->q_count[s])
		*err = NC_SYS_OK;
	else if (c->closed[1 - s])
		*err = NC_SYS_ERR_PEER_CLOSED;
	else if (thread_dying(thread_current()))
		*err = NC_SYS_ERR_INVALID;
	else if (deadline_ns != UINT64_MAX && clock_now_ns() >= deadline_ns)
		*err = NC_SYS_ERR_TIMED_OUT;
	else
		return true;
	return false;
}

/* Wait (channel lock held) until queue s has a message. Errors: PEER_CLOSED,
 * TIMED_OUT, INVALID. */
static nc_sys_err_t wait_message(chan_t *c, int s, uint64_t deadline_ns, uint64_t *f)
{
	thread_t *self = thread_current();
	nc_sys_err_t err;
	while (chan_must_wait(c, s, deadline_ns, &err)) {
		waitq_add(&c->readers[s], self);
		clock_block_until(&c->lock, *f, deadline_ns);
		*f = spin_lock(&c->lock);
		waitq_remove(&c->readers[s], self);
	}
	return err;
}

nc_sys_err_t chan_dequeue(chan_t *c, int s, size_t max_bytes, size_t max_handles, handle_table_t *ht,
			  ipc_msg_t **out)
{
	ipc_msg_t *m = c->q[s][c->q_head[s]];
	if (m->len_bytes > max_bytes || m->n_handles > max_handles)
		return NC_SYS_ERR_TOO_SMALL;
	if (m->n_handles && handle_reserve(ht, m->n_handles))
		return NC_SYS_ERR_LIMIT;
	c->q_head[s] = (c->q_head[s] + 1) % NC_SYS_IPC_QUEUE_MAX;
	c->q_count[s]--;
	leave_queue(c, m);
	waitq_wake_all(&c->writers[s]);
	*out = m;
	return NC_SYS_OK;
}

nc_sys_err_t channel_create_relay(channel_relay_fn send, void (*release)(void *ctx), void *ctx, kobj_t **end)
{
	kobj_t *other;
	nc_sys_err_t err = channel_create(end, &other);
	if (err)
		return err;
	chan_t *c = ((endpoint_t *)*end)->chan;
	c->relay = send;
	c->relay_release = release;
	c->relay_ctx = ctx;
	kobj_unref(other);
	return NC_SYS_OK;
}

nc_sys_err_t channel_send(kobj_t *ep, ipc_msg_t *m, uint64_t deadline_ns)
{
	endpoint_t *e = (endpoint_t *)ep;
	chan_t *c = e->chan;
	if (c->relay)
		return c->relay(c->relay_ctx, ep, m, deadline_ns);
	int d = 1 - e->side;
	uint64_t f = spin_lock(&c->lock);
	nc_sys_err_t err = chan_wait_room(c, d, deadline_ns, &f);
	if (!err && !transit_enter(c, m))
		err = NC_SYS_ERR_INVALID;
	thread_t *none;
	if (!err) {
		cpu_this()->wake_here = true; /* the reader may join this CPU (sched_enqueue); lock held, so no migration */
		err = chan_deliver(c, d, m, quota_current(), false, &none);
		cpu_this()->wake_here = false;
		if (err)
			leave_queue(c, m); /* it never entered: take its endpoints out of the count again */
	}
	spin_unlock(&c->lock, f);
	return err;
}

bool channel_peer_alive(kobj_t *ep)
{
	endpoint_t *e = (endpoint_t *)ep;
	uint64_t f = spin_lock(&e->chan->lock);
	bool alive = !e->chan->closed[1 - e->side];
	spin_unlock(&e->chan->lock, f);
	return alive;
}

bool channel_post(kobj_t *ep, ipc_msg_t *m)
{
	endpoint_t *e = (endpoint_t *)ep;
	chan_t *c = e->chan;
	int d = 1 - e->side;
	uint64_t f = spin_lock(&c->lock);
	bool ok = !m->n_handles && !c->closed[d] && c->q_count[d] < NC_SYS_IPC_QUEUE_MAX;
	thread_t *none;
	if (ok) /* the kernel's buffer, charged to no one (interrupt context) */
		(void)chan_deliver(c, d, m, NULL, false, &none);
	spin_unlock(&c->lock, f);
	return ok;
}

bool channel_readable(kobj_t *ep)
{
	endpoint_t *e = (endpoint_t *)ep;
	uint64_t f = spin_lock(&e->chan->lock);
	bool ready = e->chan->q_count[e->side] || e->chan->closed[1 - e->side];
	spin_unlock(&e->chan->lock, f);
	return ready;
}

bool channel_watch(kobj_t *ep, watch_t *n, bool add)
{
	endpoint_t *e = (endpoint_t *)ep;
	chan_t *c = e->chan;
	uint64_t f = spin_lock(&c->lock);
	if (add)
		watch_add(&c->watchers[e->side], n);
	else
		watch_remove(&c->watchers[e->side], n);
	bool ready = c->q_count[e->side] || c->closed[1 - e->side];
	spin_unlock(&c->lock, f);
	return ready;
}

nc_sys_err_t channel_receive(kobj_t *ep, size_t max_bytes, size_t max_handles, handle_table_t *ht,
			     uint64_t deadline_ns, ipc_msg_t **out)
{
	endpoint_t *e = (endpoint_t *)ep;
	chan_t *c = e->chan;
	int s = e->side;
	uint64_t f = spin_lock(&c->lock);
	nc_sys_err_t err = wait_message(c, s, deadline_ns, &f);
	if (!err)
		err = chan_dequeue(c, s, max_bytes, max_handles, ht, out);
	spin_unlock(&c->lock, f);
	return err;
}
