/* IPC channels (see kernel/channel.h). Queue i holds the messages endpoint i
 * will receive; endpoint i sends into queue 1 - i. The shared channel
 * structure lives until both endpoints are destroyed. */
#include <kernel/channel.h>
#include <kernel/clock.h>
#include <kernel/cpu.h>
#include <kernel/heap.h>
#include <kernel/process.h>
#include <kernel/quota.h>
#include <kernel/sched.h>
#include <kernel/thread.h>
#include <kernel/waitany.h>

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
	watchlist_t watchers[2];        /* HandleWaitAny on endpoint i (kernel/waitany.h) */
	ipc_msg_t *spare[CHANNEL_SPARE_MSGS]; /* freed buffers kept for reuse */
	uint32_t n_spare;
	uint32_t ends_held;             /* endpoints of other channels in q (transit_lock) */
	uint32_t ends_away;             /* own endpoints in other channels' queues (transit_lock) */
	quota_t *quota;                 /* the creator's: charged for the struct and spares_bytes() */
	channel_relay_fn relay;         /* a relay channel's (channel_create_relay); set before it is used */
	void (*relay_release)(void *ctx);
	void *relay_ctx;
};

/* What a channel is charged besides its struct: the spare buffers it may
 * keep. A queued message is charged msg_bytes() to its sender. */
static uint64_t msg_bytes(void) { return quota_heap_bytes(sizeof(ipc_msg_t)); }
static uint64_t spares_bytes(void) { return CHANNEL_SPARE_MSGS * msg_bytes(); }

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
	quota_uncharge_object(m->payer, msg_bytes());
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

/* Wait (channel lock held, flags in *f) until queue d has room. Errors:
 * PEER_CLOSED, TIMED_OUT, INVALID (the process is being killed). */
static nc_sys_err_t wait_room_slow(chan_t *c, int d, uint64_t deadline_ns, uint64_t *f)
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

static inline nc_sys_err_t wait_room(chan_t *c, int d, uint64_t deadline_ns, uint64_t *f)
{
	if (!c->closed[d] && c->q_count[d] < NC_SYS_IPC_QUEUE_MAX)
		return NC_SYS_OK; /* the common case, without a call */
	return wait_room_slow(c, d, deadline_ns, f);
}

/* Whether side s must wait for a message (lock held); when not, *err says
 * why: OK (one is queued), PEER_CLOSED, INVALID (the process is being
 * killed) or TIMED_OUT. */
static bool must_wait(chan_t *c, int s, uint64_t deadline_ns, nc_sys_err_t *err)
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
	while (must_wait(c, s, deadline_ns, &err)) {
		waitq_add(&c->readers[s], self);
		clock_block_until(&c->lock, *f, deadline_ns);
		*f = spin_lock(&c->lock);
		waitq_remove(&c->readers[s], self);
	}
	return err;
}

/* Put m at the end of queue d (which has room), charged to q (the sender's;
 * NULL: the kernel's). Errors: LIMIT (not queued). Lock held. */
static nc_sys_err_t enqueue(chan_t *c, int d, ipc_msg_t *m, quota_t *q)
{
	nc_sys_err_t err = quota_charge_object(q, msg_bytes());
	if (err)
		return err;
	m->payer = q;
	c->q[d][(c->q_head[d] + c->q_count[d]) % NC_SYS_IPC_QUEUE_MAX] = m;
	c->q_count[d]++;
	return NC_SYS_OK;
}

/* Take the head of queue s if it fits, with slots promised in ht for its
 * handles (see channel_receive; ht may be NULL when max_handles is 0). Lock
 * held (ht's is taken inside it). */
static nc_sys_err_t dequeue(chan_t *c, int s, size_t max_bytes, size_t max_handles, handle_table_t *ht,
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

/* The only thread waiting to read queue d, or NULL (none, or several). Lock
 * held; the queue is empty when one waits (a waiting reader means nothing was
 * queued). */
static inline __attribute__((always_inline)) thread_t *sole_reader(chan_t *c, int d)
{
	thread_t *t = c->readers[d].head;
	return t && !t->wait_next ? t : NULL;
}

/* Take t, the sole reader of queue d, off the wait queue and out of its
 * call's waiting state, for a sender to hand it a message. Lock held. */
static inline __attribute__((always_inline)) void unwait_reader(chan_t *c, int d, thread_t *t)
{
	c->readers[d].head = NULL;
	t->ipc_accept = 0;
	t->ipc_short = NULL;
}

/* A reader of queue d that takes m without the queue: the sole reader,
 * waiting in channel_call (ipc_accept) with room for m, and m carries no
 * handles. It gets m in ipc_msg and leaves the wait queue; the caller then
 * wakes it or hands the CPU to it. NULL when there is none. Lock held. */
static inline __attribute__((always_inline)) thread_t *take_direct_reader(chan_t *c, int d, ipc_msg_t *m)
{
	thread_t *t = sole_reader(c, d);
	if (!t || m->n_handles || m->len_bytes >= t->ipc_accept)
		return NULL;
	unwait_reader(c, d, t);
	__atomic_store_n(&t->ipc_msg, m, __ATOMIC_RELEASE); /* read unlocked on t's way back */
	return t;
}

/* Short messages (channel_call_short): regs[0] is the length, regs[1..4]
 * the bytes, little-endian. */
enum { SHORT_WORDS = 4 };

/* The 32 bytes from short_ones + 32 - len: len bytes 0xff, then zeros. */
static const uint8_t short_ones[64] = { [0 ... 31] = 0xff };

/* Copy the short message src to dst with the bytes past its length zero. */
static inline __attribute__((always_inline)) void short_copy(uint64_t *dst, const uint64_t *src)
{
	uint64_t len = src[0];
	const uint8_t *keep = short_ones + 32 - len;
	dst[0] = len;
#pragma GCC unroll 4
	for (uint64_t i = 0; i < SHORT_WORDS; i++) {
		uint64_t mask;
		__builtin_memcpy(&mask, keep + 8 * i, sizeof mask);
		dst[1 + i] = src[1 + i] & mask;
	}
}

/* As take_direct_reader for a short message: the reader must wait in a
 * short call; the message goes straight into its registers. */
static inline __attribute__((always_inline)) thread_t *take_short_reader(chan_t *c, int d, const uint64_t *regs)
{
	thread_t *t = sole_reader(c, d);
	if (!t || !t->ipc_short)
		return NULL;
	uint64_t *dst = t->ipc_short;
	unwait_reader(c, d, t);
	short_copy(dst, regs);
	__atomic_store_n(&t->ipc_short_in, true, __ATOMIC_RELEASE); /* read unlocked on t's way back */
	return t;
}

/* What a sender left for the current thread: true with *out the message,
 * or NULL for a short message already in its registers; false: nothing. */
static inline __attribute__((always_inline)) bool take_direct(thread_t *self, ipc_msg_t **out)
{
	if (__atomic_load_n(&self->ipc_short_in, __ATOMIC_ACQUIRE)) {
		self->ipc_short_in = false;
		*out = NULL;
		return true;
	}
	ipc_msg_t *m = __atomic_load_n(&self->ipc_msg, __ATOMIC_ACQUIRE);
	if (!m)
		return false;
	self->ipc_msg = NULL;
	*out = m;
	return true;
}

/* Claim t for a hand-off from this CPU (see sched_handoff): it must be
 * BLOCKED, off its CPU and have last run on this one, as seL4's fast path
 * requires the same core (a peer on another CPU is woken there). */
static inline __attribute__((always_inline)) bool claim_here(thread_t *t)
{
	spin_lock_irqs_off(&t->lock); /* under the channel's lock */
	bool ok = t->state == THREAD_BLOCKED && !t->on_cpu && t->cpu == cpu_this()->index;
	if (ok) {
		t->state = THREAD_RUNNING;
		t->on_cpu = true;
	}
	spin_unlock_irqs_off(&t->lock);
	return ok;
}

/* Queue m for reader side d (charged to payer while queued), or give it
 * straight to a caller waiting there. That caller is woken, or, with
 * hand_off, left in *handed not yet woken: the caller must pass it to
 * block_for (else *handed is NULL). Errors: LIMIT (m stays the caller's).
 * Lock held. */
static inline __attribute__((always_inline)) nc_sys_err_t deliver(chan_t *c, int d, ipc_msg_t *m, quota_t *payer,
								 bool hand_off, thread_t **handed)
{
	*handed = NULL;
	thread_t *t = take_direct_reader(c, d, m);
	if (!t) {
		nc_sys_err_t err = enqueue(c, d, m, payer);
		if (!err) {
			waitq_wake_all(&c->readers[d]);
			if (c->watchers[d].head)
				watch_fire(&c->watchers[d]);
		}
		return err;
	}
	if (hand_off)
		*handed = t;
	else
		thread_wake(t);
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
	nc_sys_err_t err = wait_room(c, d, deadline_ns, &f);
	if (!err && !transit_enter(c, m))
		err = NC_SYS_ERR_INVALID;
	thread_t *none;
	if (!err) {
		err = deliver(c, d, m, quota_current(), false, &none);
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
		(void)deliver(c, d, m, NULL, false, &none);
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
		err = dequeue(c, s, max_bytes, max_handles, ht, out);
	spin_unlock(&c->lock, f);
	return err;
}

/* Block the current thread (already on a wait queue) and let t run: on this
 * CPU at once when it can be claimed, else woken the ordinary way. Releases
 * the channel lock (taken with flags f); returns when the current thread is
 * woken, with interrupts restored to f. */
static inline __attribute__((always_inline)) void block_for(chan_t *c, thread_t *t, uint64_t f)
{
	bool blocked = thread_mark_blocked(thread_current());
	bool claimed = blocked && claim_here(t);
	if (!claimed)
		thread_wake(t);
	spin_unlock(&c->lock, irq_off(f));
	if (claimed)
		sched_handoff(t);
	else if (blocked)
		sched_yield();
	irq_restore(f);
}

/* The answer to a call on side s if there is one (true, *err set: OK with
 * *out as take_direct gives it, or an error of channel_receive); false: wait.
 * Lock held. */
static inline __attribute__((always_inline)) bool answer(chan_t *c, int s, size_t max_bytes, uint64_t deadline_ns, nc_sys_err_t *err,
		   ipc_msg_t **out)
{
	if (take_direct(thread_current(), out)) {
		*err = NC_SYS_OK;
		return true;
	}
	if (must_wait(c, s, deadline_ns, err))
		return false;
	if (!*err)
		*err = dequeue(c, s, max_bytes, 0, NULL, out);
	return true;
}

/* The receive half of a call on side s (lock held, taken with flags f):
 * wait for the answer, first handing the CPU to peer if not NULL (see
 * block_for). short_regs as for channel_call. Releases the lock. */
static inline __attribute__((always_inline)) nc_sys_err_t await_answer(chan_t *c, int s, thread_t *peer, size_t max_bytes,
								  uint64_t deadline_ns, uint64_t *short_regs, uint64_t f,
								  ipc_msg_t **out)
{
	thread_t *self = thread_current();
	nc_sys_err_t err = NC_SYS_OK;
	/* A reader handed the request runs next when we are sure to wait (nothing
	 * is queued for us, and no deadline: only the answer wakes us). Then the
	 * first answer() would find nothing: skip it (a kill shows up below). */
	while (peer || !answer(c, s, max_bytes, deadline_ns, &err, out)) {
		waitq_add(&c->readers[s], self);
		self->ipc_accept = (uint32_t)(max_bytes < NC_SYS_IPC_MSG_MAX_BYTES ? max_bytes : NC_SYS_IPC_MSG_MAX_BYTES) + 1;
		self->ipc_short = short_regs;
		if (peer)
			block_for(c, peer, f);
		else
			clock_block_until(&c->lock, f, deadline_ns);
		peer = NULL;
		if (take_direct(self, out))
			return NC_SYS_OK; /* the sender took us off the wait queue: no need for the lock */
		f = spin_lock(&c->lock);
		self->ipc_accept = 0;
		self->ipc_short = NULL;
		waitq_remove(&c->readers[s], self);
	}
	spin_unlock(&c->lock, f); /* the loop ran while peer was set: it was handed over */
	return err;
}

nc_sys_err_t channel_call(kobj_t *ep, ipc_msg_t **m, size_t max_bytes, uint64_t deadline_ns,
			  uint64_t *short_regs, ipc_msg_t **out)
{
	endpoint_t *e = (endpoint_t *)ep;
	chan_t *c = e->chan;
	int s = e->side, d = 1 - s;
	uint64_t f = spin_lock(&c->lock);
	nc_sys_err_t err = *m ? wait_room(c, d, deadline_ns, &f) : NC_SYS_OK;
	if (err) {
		spin_unlock(&c->lock, f);
		return err;
	}
	thread_t *peer = NULL;
	if (*m) {
		err = deliver(c, d, *m, quota_current(), deadline_ns == UINT64_MAX && !c->q_count[s], &peer);
		if (err) {
			spin_unlock(&c->lock, f);
			return err;
		}
		*m = NULL;
	}
	return await_answer(c, s, peer, max_bytes, deadline_ns, short_regs, f, out);
}

/* The answer of a short call: already in regs, or message m to copy there. */
static nc_sys_err_t short_finish(kobj_t *ep, nc_sys_err_t err, ipc_msg_t *m, uint64_t *regs)
{
	if (err || !m)
		return err;
	regs[0] = m->len_bytes;
	for (uint64_t i = 1; i <= SHORT_WORDS; i++)
		regs[i] = 0;
	__builtin_memcpy(&regs[1], m->data, m->len_bytes); /* at most 32: channel_call's max_bytes */
	channel_msg_free(ep, m);
	return NC_SYS_OK;
}

/* A short call whose peer does not wait in a short call: the message
 * travels in a buffer. */
static __attribute__((noinline)) nc_sys_err_t call_short_buffered(kobj_t *ep, uint64_t *regs)
{
	ipc_msg_t *m = channel_msg_alloc(ep), *out = NULL;
	if (!m)
		return NC_SYS_ERR_NO_MEMORY;
	m->len_bytes = (uint32_t)regs[0];
	__builtin_memcpy(m->data, &regs[1], m->len_bytes);
	nc_sys_err_t err = channel_call(ep, &m, NC_SYS_IPC_SHORT_MAX_BYTES, UINT64_MAX, regs, &out);
	channel_msg_free(ep, m); /* not queued: still ours */
	return short_finish(ep, err, out, regs);
}

nc_sys_err_t channel_call_short(handle_table_t *ht, uint64_t h, bool send, uint64_t regs[5])
{
	handle_ref_t ref;
	nc_sys_err_t err = handle_get(ht, h, NC_SYS_HANDLE_CHANNEL, NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE, &ref);
	if (err)
		return err;
	endpoint_t *e = (endpoint_t *)ref.obj;
	chan_t *c = e->chan;
	int s = e->side;
	uint64_t f = spin_lock(&c->lock);
	thread_t *peer = NULL;
	ipc_msg_t *out = NULL;
	if (send) {
		/* a waiting reader means an empty queue, so there is room */
		peer = take_short_reader(c, 1 - s, regs);
		if (!peer) {
			spin_unlock(&c->lock, f);
			err = call_short_buffered(ref.obj, regs);
			handle_put(&ref);
			return err;
		}
		if (c->q_count[s]) { /* our answer is queued already: no hand-off */
			thread_wake(peer);
			peer = NULL;
		}
	}
	err = await_answer(c, s, peer, NC_SYS_IPC_SHORT_MAX_BYTES, UINT64_MAX, regs, f, &out);
	err = short_finish(ref.obj, err, out, regs);
	handle_put(&ref);
	return err;
}
