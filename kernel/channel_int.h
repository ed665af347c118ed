/* What kernel/channel.c (endpoints, queues, send and receive) and
 * kernel/channel_fast.c (call/reply and the hand-off to a waiting caller)
 * share: the channel structure and the steps both paths take under the
 * channel's lock. Internal to those two files. */
#ifndef KERNEL_CHANNEL_INT_H
#define KERNEL_CHANNEL_INT_H

#include <kernel/channel.h>
#include <kernel/clock.h>
#include <kernel/quota.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
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

/* Wait (channel lock held, flags in *f) until queue d has room. Errors:
 * PEER_CLOSED, TIMED_OUT, INVALID (the process is being killed). */
nc_sys_err_t chan_wait_room_slow(chan_t *c, int d, uint64_t deadline_ns, uint64_t *f);

/* Take the head of queue s if it fits, with slots promised in ht for its
 * handles (see channel_receive; ht may be NULL when max_handles is 0). Lock
 * held (ht's is taken inside it). Errors: TOO_SMALL, LIMIT (it stays
 * queued). */
nc_sys_err_t chan_dequeue(chan_t *c, int s, size_t max_bytes, size_t max_handles, handle_table_t *ht,
			  ipc_msg_t **out);

/* Whether side s must wait for a message (lock held); when not, *err says
 * why: OK (one is queued), PEER_CLOSED, INVALID (the process is being
 * killed) or TIMED_OUT. */
bool chan_must_wait(chan_t *c, int s, uint64_t deadline_ns, nc_sys_err_t *err);

/* As chan_wait_room_slow; the common case without a call. */
static inline nc_sys_err_t chan_wait_room(chan_t *c, int d, uint64_t deadline_ns, uint64_t *f)
{
	if (!c->closed[d] && c->q_count[d] < NC_SYS_IPC_QUEUE_MAX)
		return NC_SYS_OK;
	return chan_wait_room_slow(c, d, deadline_ns, f);
}

/* What a queued message is charged to its sender. */
static inline uint64_t chan_msg_bytes(void)
{
	return quota_heap_bytes(sizeof(ipc_msg_t));
}

/* Put m at the end of queue d (which has room), charged to q (the sender's;
 * NULL: the kernel's). Errors: LIMIT (not queued). Lock held. */
static inline nc_sys_err_t chan_enqueue(chan_t *c, int d, ipc_msg_t *m, quota_t *q)
{
	nc_sys_err_t err = quota_charge_object(q, chan_msg_bytes());
	if (err)
		return err;
	m->payer = q;
	c->q[d][(c->q_head[d] + c->q_count[d]) % NC_SYS_IPC_QUEUE_MAX] = m;
	c->q_count[d]++;
	return NC_SYS_OK;
}

/* The only thread waiting to read queue d, or NULL (none, or several). Lock
 * held; the queue is empty when one waits (a waiting reader means nothing was
 * queued). */
static inline __attribute__((always_inline)) thread_t *chan_sole_reader(chan_t *c, int d)
{
	thread_t *t = c->readers[d].head;
	return t && !t->wait_next ? t : NULL;
}

/* Take t, the sole reader of queue d, off the wait queue and out of its
 * call's waiting state, for a sender to hand it a message. Lock held. */
static inline __attribute__((always_inline)) void chan_unwait_reader(chan_t *c, int d, thread_t *t)
{
	c->readers[d].head = NULL;
	t->ipc_accept = 0;
	t->ipc_short = NULL;
}

/* A reader of queue d that takes m without the queue: the sole reader,
 * waiting in channel_call (ipc_accept) with room for m, and m carries no
 * handles. It gets m in ipc_msg and leaves the wait queue; the caller then
 * wakes it or hands the CPU to it. NULL when there is none. Lock held. */
static inline __attribute__((always_inline)) thread_t *chan_take_direct_reader(chan_t *c, int d, ipc_msg_t *m)
{
	thread_t *t = chan_sole_reader(c, d);
	if (!t || m->n_handles || m->len_bytes >= t->ipc_accept)
		return NULL;
	chan_unwait_reader(c, d, t);
	__atomic_store_n(&t->ipc_msg, m, __ATOMIC_RELEASE); /* read unlocked on t's way back */
	return t;
}

/* Queue m for reader side d (charged to payer while queued), or give it
 * straight to a caller waiting there. That caller is woken, or, with
 * hand_off, left in *handed not yet woken: the caller must pass it to
 * block_for in channel_fast.c (else *handed is NULL). Errors: LIMIT (m
 * stays the caller's). Lock held. */
static inline __attribute__((always_inline)) nc_sys_err_t chan_deliver(chan_t *c, int d, ipc_msg_t *m,
								      quota_t *payer, bool hand_off, thread_t **handed)
{
	*handed = NULL;
	thread_t *t = chan_take_direct_reader(c, d, m);
	if (!t) {
		nc_sys_err_t err = chan_enqueue(c, d, m, payer);
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

#endif
