/* IPC channels (see kernel/channel.h). Queue i holds the messages endpoint i
 * will receive; endpoint i sends into queue 1 - i. The shared channel
 * structure lives until both endpoints are destroyed. */
#include <kernel/channel.h>
#include <kernel/clock.h>
#include <kernel/cpu.h>
#include <kernel/heap.h>
#include <kernel/process.h>
#include <kernel/sched.h>
#include <kernel/thread.h>

typedef struct chan chan_t;

enum { CHANNEL_SPARE_MSGS = 4 };

typedef struct {
	kobj_t obj;          /* NC_SYS_HANDLE_CHANNEL */
	chan_t *chan;
	int side;
} endpoint_t;

struct chan {
	spinlock_t lock;
	endpoint_t end[2];
	bool closed[2];                 /* endpoint i is destroyed */
	ipc_msg_t *q[2][NC_SYS_IPC_QUEUE_MAX]; /* ring per receiving side */
	uint32_t q_head[2], q_count[2];
	waitq_t readers[2], writers[2]; /* writers[i]: senders waiting for room in q[i] */
	ipc_msg_t *spare[CHANNEL_SPARE_MSGS]; /* freed buffers kept for reuse */
	uint32_t n_spare;
};

bool channel_same(const kobj_t *o, const kobj_t *ep)
{
	return o->type == NC_SYS_HANDLE_CHANNEL && ((const endpoint_t *)o)->chan == ((const endpoint_t *)ep)->chan;
}

static void release_handles(ipc_msg_t *m)
{
	for (uint32_t i = 0; i < m->n_handles; i++)
		handle_put(&m->handles[i]);
	m->n_handles = 0;
}

ipc_msg_t *channel_msg_alloc(kobj_t *ep)
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

void channel_msg_free(kobj_t *ep, ipc_msg_t *m)
{
	if (!m)
		return;
	release_handles(m); /* outside the lock: a handle may be an endpoint of this channel */
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
	for (uint32_t i = 0; i < n; i++)
		drop[i] = c->q[s][(c->q_head[s] + i) % NC_SYS_IPC_QUEUE_MAX];
	c->q_count[s] = 0;
	waitq_wake_all(&c->readers[1 - s]);
	waitq_wake_all(&c->writers[1 - s]);
	waitq_wake_all(&c->writers[s]);
	bool last = c->closed[1 - s];
	spin_unlock(&c->lock, f);
	/* outside the lock: a dropped message may hold an endpoint of this channel */
	for (uint32_t i = 0; i < n; i++) {
		release_handles(drop[i]);
		heap_free(drop[i]);
	}
	if (last) {
		while (c->n_spare)
			heap_free(c->spare[--c->n_spare]);
		heap_free(c);
	}
}

nc_sys_err_t channel_create(kobj_t **end0, kobj_t **end1)
{
	chan_t *c = heap_alloc(sizeof *c);
	if (!c)
		return NC_SYS_ERR_NO_MEMORY;
	for (int i = 0; i < 2; i++)
		c->end[i] = (endpoint_t){ { NC_SYS_HANDLE_CHANNEL, 1, destroy_end }, c, i };
	*end0 = &c->end[0].obj;
	*end1 = &c->end[1].obj;
	return NC_SYS_OK;
}

static bool dying(void)
{
	process_t *p = thread_current()->proc;
	return p && p->dying;
}

/* Wait (channel lock held, flags in *f) until queue d has room. Errors:
 * PEER_CLOSED, TIMED_OUT, INVALID (the process is being killed). */
static nc_sys_err_t wait_room(chan_t *c, int d, uint64_t deadline_ns, uint64_t *f)
{
	thread_t *self = thread_current();
	for (;;) {
		if (c->closed[d])
			return NC_SYS_ERR_PEER_CLOSED;
		if (c->q_count[d] < NC_SYS_IPC_QUEUE_MAX)
			return NC_SYS_OK;
		if (dying())
			return NC_SYS_ERR_INVALID;
		if (clock_now_ns() >= deadline_ns)
			return NC_SYS_ERR_TIMED_OUT;
		waitq_add(&c->writers[d], self);
		clock_block_until(&c->lock, *f, deadline_ns);
		*f = spin_lock(&c->lock);
		waitq_remove(&c->writers[d], self);
	}
}

/* Wait (channel lock held) until queue s has a message. Errors: PEER_CLOSED,
 * TIMED_OUT, INVALID. */
static nc_sys_err_t wait_message(chan_t *c, int s, uint64_t deadline_ns, uint64_t *f)
{
	thread_t *self = thread_current();
	for (;;) {
		if (c->q_count[s])
			return NC_SYS_OK;
		if (c->closed[1 - s])
			return NC_SYS_ERR_PEER_CLOSED;
		if (dying())
			return NC_SYS_ERR_INVALID;
		if (clock_now_ns() >= deadline_ns)
			return NC_SYS_ERR_TIMED_OUT;
		waitq_add(&c->readers[s], self);
		clock_block_until(&c->lock, *f, deadline_ns);
		*f = spin_lock(&c->lock);
		waitq_remove(&c->readers[s], self);
	}
}

static void enqueue(chan_t *c, int d, ipc_msg_t *m)
{
	c->q[d][(c->q_head[d] + c->q_count[d]) % NC_SYS_IPC_QUEUE_MAX] = m;
	c->q_count[d]++;
}

/* Take the head of queue s if it fits (see channel_receive). Lock held. */
static nc_sys_err_t dequeue(chan_t *c, int s, size_t max_bytes, size_t max_handles, size_t room,
			    ipc_msg_t **out)
{
	ipc_msg_t *m = c->q[s][c->q_head[s]];
	if (m->len_bytes > max_bytes || m->n_handles > max_handles)
		return NC_SYS_ERR_TOO_SMALL;
	if (m->n_handles > room)
		return NC_SYS_ERR_LIMIT;
	c->q_head[s] = (c->q_head[s] + 1) % NC_SYS_IPC_QUEUE_MAX;
	c->q_count[s]--;
	waitq_wake_all(&c->writers[s]);
	*out = m;
	return NC_SYS_OK;
}

nc_sys_err_t channel_send(kobj_t *ep, ipc_msg_t *m, uint64_t deadline_ns)
{
	endpoint_t *e = (endpoint_t *)ep;
	chan_t *c = e->chan;
	int d = 1 - e->side;
	uint64_t f = spin_lock(&c->lock);
	nc_sys_err_t err = wait_room(c, d, deadline_ns, &f);
	if (!err) {
		enqueue(c, d, m);
		waitq_wake_all(&c->readers[d]);
	}
	spin_unlock(&c->lock, f);
	return err;
}

nc_sys_err_t channel_receive(kobj_t *ep, size_t max_bytes, size_t max_handles, size_t room,
			     uint64_t deadline_ns, ipc_msg_t **out)
{
	endpoint_t *e = (endpoint_t *)ep;
	chan_t *c = e->chan;
	int s = e->side;
	uint64_t f = spin_lock(&c->lock);
	nc_sys_err_t err = wait_message(c, s, deadline_ns, &f);
	if (!err)
		err = dequeue(c, s, max_bytes, max_handles, room, out);
	spin_unlock(&c->lock, f);
	return err;
}

/* The fast path's partner: a reader of queue d that is blocked, off its CPU
 * and last ran on this CPU (as seL4's fast path requires the same core: a
 * peer on another CPU is woken there the ordinary way), claimed (made RUNNING
 * under its lock, so no other waker can queue it) and taken off the wait
 * queue; NULL when there is none. Lock held. */
static thread_t *claim_reader(chan_t *c, int d)
{
	thread_t *t = c->readers[d].head;
	if (!t || t->wait_next)
		return NULL; /* none, or several: wake them the ordinary way */
	uint64_t tf = spin_lock(&t->lock);
	bool ok = t->state == THREAD_BLOCKED && !t->on_cpu && t->cpu == cpu_this()->index;
	if (ok)
		t->state = THREAD_RUNNING;
	spin_unlock(&t->lock, tf);
	if (ok)
		waitq_remove(&c->readers[d], t);
	return ok ? t : NULL;
}

nc_sys_err_t channel_call(kobj_t *ep, ipc_msg_t **m, size_t max_bytes, uint64_t deadline_ns,
			  ipc_msg_t **out)
{
	endpoint_t *e = (endpoint_t *)ep;
	chan_t *c = e->chan;
	int s = e->side, d = 1 - s;
	thread_t *self = thread_current();
	uint64_t f = spin_lock(&c->lock);
	nc_sys_err_t err = *m ? wait_room(c, d, deadline_ns, &f) : NC_SYS_OK;
	if (err) {
		spin_unlock(&c->lock, f);
		return err;
	}
	thread_t *peer = NULL;
	if (*m) {
		enqueue(c, d, *m);
		*m = NULL;
		/* fast path: we are about to wait and the peer already waits for us */
		if (!c->q_count[s] && deadline_ns == UINT64_MAX && !dying())
			peer = claim_reader(c, d);
		if (!peer)
			waitq_wake_all(&c->readers[d]);
	}
	if (peer) {
		waitq_add(&c->readers[s], self);
		uint64_t tf = spin_lock(&self->lock);
		self->state = THREAD_BLOCKED;
		spin_unlock(&self->lock, tf);
		/* interrupts stay off across the hand-off; the lock is re-taken with
		 * them off, and released below with the caller's own state */
		uint64_t caller_flags = f;
		spin_unlock(&c->lock, f & ~(uint64_t)RFLAGS_IF);
		sched_handoff(peer);
		(void)spin_lock(&c->lock);
		f = caller_flags;
		waitq_remove(&c->readers[s], self);
	}
	err = wait_message(c, s, deadline_ns, &f);
	if (!err)
		err = dequeue(c, s, max_bytes, 0, 0, out);
	spin_unlock(&c->lock, f);
	return err;
}
