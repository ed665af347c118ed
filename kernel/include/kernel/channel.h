/* IPC channels: two endpoints; a message sent on one is queued for the
 * other. A message carries up to NC_SYS_IPC_MSG_MAX_BYTES bytes and
 * NC_SYS_IPC_MSG_MAX_HANDLES handles (moved out of the sender's table and
 * into the receiver's). Each direction queues at most NC_SYS_IPC_QUEUE_MAX
 * messages; a sender then waits (back-pressure), so a channel never holds
 * more than 2 * IPC_QUEUE_MAX messages of kernel memory. When an endpoint's
 * last handle closes, its queued messages are dropped (their handles closed)
 * and the peer's waiters wake to PEER_CLOSED; the peer can still receive what
 * was queued for it before that.
 *
 * Memory quotas (kernel/quota.h): a channel is charged to its creator (with
 * room for its spare buffers), and a message to its sender while it waits
 * in a queue; a message handed straight to a waiting receiver is never
 * charged.
 *
 * Locking: one spinlock per channel guards both queues and wait queues;
 * handle tables are touched only outside it. Functions that wait must run
 * with interrupts on and no spinlock held. */
#ifndef KERNEL_CHANNEL_H
#define KERNEL_CHANNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <kernel/handle.h>
#include <kernel/thread.h>
#include <nc/abi.h>

struct quota;

typedef struct ipc_msg {
	uint32_t len_bytes, n_handles;
	struct quota *payer;              /* charged while it is queued (NULL: not queued, or a kernel thread's) */
	handle_ref_t handles[NC_SYS_IPC_MSG_MAX_HANDLES]; /* counted references */
	uint8_t data[NC_SYS_IPC_MSG_MAX_BYTES];
} ipc_msg_t;

/* A new channel: two endpoint objects (one reference each, the caller's),
 * charged to the caller's quota. Errors: LIMIT, NO_MEMORY. */
nc_sys_err_t channel_create(kobj_t **end0, kobj_t **end1);
/* True when o is an endpoint of the same channel as endpoint ep: such a
 * handle may not travel over that channel (it would keep itself alive). */
bool channel_same(const kobj_t *o, const kobj_t *ep);
/* A message buffer for endpoint ep's channel (len_bytes and n_handles 0, the
 * rest unspecified) or NULL; free it with channel_msg_free on the same
 * channel while holding a reference to ep, which drops the references of the
 * handles it still carries. A thread keeps its last freed buffer for its next
 * message (inline, no lock), and each channel a few more, so the call/reply
 * path does not touch the kernel heap. */
ipc_msg_t *channel_msg_alloc_shared(kobj_t *ep);
void channel_msg_free_shared(kobj_t *ep, ipc_msg_t *m);

static inline ipc_msg_t *channel_msg_alloc(kobj_t *ep)
{
	thread_t *self = thread_current();
	ipc_msg_t *m = self->ipc_spare;
	if (!m)
		return channel_msg_alloc_shared(ep);
	self->ipc_spare = NULL;
	m->len_bytes = 0;
	m->n_handles = 0;
	return m;
}

static inline void channel_msg_free(kobj_t *ep, ipc_msg_t *m)
{
	thread_t *self = thread_current();
	if (m && !m->n_handles && !self->ipc_spare)
		self->ipc_spare = m;
	else if (m)
		channel_msg_free_shared(ep, m);
}

/* Queue *m (ownership passes on OK) for endpoint ep's peer, waiting until
 * deadline_ns while the peer's queue is full. Errors: LIMIT (the caller's
 * quota cannot take the queued message), PEER_CLOSED, TIMED_OUT,
 * INVALID (the caller's process is being killed, or m carries an endpoint
 * whose channel's queues hold endpoints, or one while an endpoint of ep's
 * channel is itself queued somewhere: queued endpoints stay one level deep,
 * so they never form an unreachable cycle). */
nc_sys_err_t channel_send(kobj_t *ep, ipc_msg_t *m, uint64_t deadline_ns);
/* A relay channel: one endpoint, *end, whose sends (channel_send) go to
 * send(ctx, end, m, deadline_ns) instead of a queue, with channel_send's
 * contract (m passes to send on OK; send frees it with channel_msg_free on
 * end). Its other endpoint does not exist: nothing is ever received on *end
 * (PEER_CLOSED), and a call on it finds its peer closed. release(ctx) runs
 * when *end is destroyed. On an error ctx stays the caller's. Errors: those
 * of channel_create. */
typedef nc_sys_err_t (*channel_relay_fn)(void *ctx, kobj_t *end, ipc_msg_t *m, uint64_t deadline_ns);
nc_sys_err_t channel_create_relay(channel_relay_fn send, void (*release)(void *ctx), void *ctx, kobj_t **end);
/* Whether the endpoint at the other end of ep is still open. */
bool channel_peer_alive(kobj_t *ep);
/* Queue m (no handles; ownership passes on true) for endpoint ep's peer
 * without waiting, from any context, interrupt handlers included (no
 * process is involved, nothing is allocated). False when the peer is closed
 * or its queue is full: m stays the caller's. */
bool channel_post(kobj_t *ep, ipc_msg_t *m);
/* Whether a message is queued for ep or its peer has closed (a receive
 * would not wait). */
bool channel_readable(kobj_t *ep);
/* Add (add) or remove the HandleWaitAny watch n on ep (kernel/waitany.h);
 * returns channel_readable(ep) as seen under the same lock. */
struct watch;
bool channel_watch(kobj_t *ep, struct watch *n, bool add);
/* Take the next message for ep, waiting until deadline_ns. A message larger
 * than max_bytes or with more than max_handles handles stays queued and
 * gives TOO_SMALL. A message's handles get slots promised in ht
 * (handle_reserve) as it leaves the queue, so the caller can always install
 * them (handle_install_reserved); when ht has too few free slots at that
 * moment the message stays queued and gives LIMIT. Errors: TOO_SMALL,
 * LIMIT, PEER_CLOSED (nothing queued and the peer is gone), TIMED_OUT,
 * INVALID (the process is being killed). */
nc_sys_err_t channel_receive(kobj_t *ep, size_t max_bytes, size_t max_handles, handle_table_t *ht,
			     uint64_t deadline_ns, ipc_msg_t **out);
/* Call/reply in one step: queue *m (if not NULL) for the peer, then take the next message for ep, which must have no handles
 * and at most max_bytes. The fast path: when m is queued, nothing waits for
 * ep yet, there is no deadline, and exactly one peer thread, last run on this
 * CPU, waits blocked for m, the CPU goes straight to that thread (sched_handoff) instead of through
 * the run queues. *m becomes NULL once it is queued (the channel owns it
 * then, whatever the receive gives); on an error before that it stays the
 * caller's. With short (the caller's message registers, see
 * channel_call_short; max_bytes at most NC_SYS_IPC_SHORT_MAX_BYTES) a short
 * sender may instead write the answer there: then OK with *out NULL.
 * Errors: those of channel_send, then of channel_receive. */
nc_sys_err_t channel_call(kobj_t *ep, ipc_msg_t **m, size_t max_bytes, uint64_t deadline_ns,
			  uint64_t *short_regs, ipc_msg_t **out);
/* channel_call with short messages (ABI v2) on the endpoint handle h of ht
 * (it needs RIGHT_READ and RIGHT_WRITE; looked up here, so that the fast
 * path is one function): regs is nc_sys_ipc_short_t in registers (len, then
 * four words), len at most NC_SYS_IPC_SHORT_MAX_BYTES. Sends it when send,
 * then waits without a deadline for the answer, which replaces it (bytes
 * past its length zero). When the peer waits in a short call too, the
 * message goes from register to register with no message buffer; otherwise
 * it travels as an ordinary message of len bytes. An answer too long for
 * regs or with handles stays queued. Errors: those of handle_get,
 * PEER_CLOSED, INVALID (the process is being killed), TOO_SMALL, NO_MEMORY,
 * LIMIT. */
nc_sys_err_t channel_call_short(handle_table_t *ht, uint64_t h, bool send, uint64_t regs[5]);

#endif
