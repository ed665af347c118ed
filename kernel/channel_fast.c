/* The call/reply path of IPC channels (channel_call, channel_call_short;
 * docs/ipc.md "Fast path"), kept apart as seL4 keeps fastpath.c: a message
 * handed straight to the caller waiting for it, in a buffer or in its
 * registers, and the CPU handed to that thread when it last ran here.
 * Endpoints, queues, send and receive are kernel/channel.c. */
#include "channel_int.h"
#include <kernel/cpu.h>

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

/* As chan_take_direct_reader for a short message: the reader must wait in a
 * short call; the message goes straight into its registers. */
static inline __attribute__((always_inline)) thread_t *take_short_reader(chan_t *c, int d, const uint64_t *regs)
{
	thread_t *t = chan_sole_reader(c, d);
	if (!t || !t->ipc_short)
		return NULL;
	uint64_t *dst = t->ipc_short;
	chan_unwait_reader(c, d, t);
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
	if (chan_must_wait(c, s, deadline_ns, err))
		return false;
	if (!*err)
		*err = chan_dequeue(c, s, max_bytes, 0, NULL, out);
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
	nc_sys_err_t err = *m ? chan_wait_room(c, d, deadline_ns, &f) : NC_SYS_OK;
	if (err) {
		spin_unlock(&c->lock, f);
		return err;
	}
	thread_t *peer = NULL;
	if (*m) {
		err = chan_deliver(c, d, *m, quota_current(), deadline_ns == UINT64_MAX && !c->q_count[s], &peer);
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
