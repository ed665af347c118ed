/* Inbox (see nc/ulib.h): one HandleWaitAny over the inbox's own channel and
 * every watched channel, then a receive from the one that is ready. The
 * inbox channel carries a header {tag, kind} then the payload (posts, and
 * WAKE messages that make a waiting receiver take a changed watch list);
 * watched channels are received from directly. Taking a watched channel's
 * message happens under the lock after checking the watch is still there, so
 * once nc_inbox_unwatch returns nothing more is taken from that channel. */
#include <nc/mem.h>
#include <nc/ulib.h>

enum { KIND_DATA = 0, KIND_WAKE = 1 };

typedef struct {
	uint32_t tag, kind;
} header_t;

nc_sys_err_t nc_inbox_init(nc_inbox_t *ib)
{
	nc_mem_set(ib, 0, sizeof *ib);
	uint64_t e[2];
	nc_sys_err_t err = nc_sys_ipc_create_channel(e);
	if (!err) {
		ib->rx = e[0];
		ib->tx = e[1];
	}
	return err;
}

/* Make a receiver waiting on the old watch list look again. A full inbox
 * channel already holds a message that wakes it. */
static void wake(nc_inbox_t *ib)
{
	header_t h = { 0, KIND_WAKE };
	(void)nc_sys_ipc_send(ib->tx, &h, sizeof h, NULL, 0, 0);
}

nc_sys_err_t nc_inbox_watch(nc_inbox_t *ib, uint64_t channel, uint32_t tag)
{
	nc_lock_acquire(&ib->lock);
	int slot = -1;
	for (int i = 0; i < NC_INBOX_WATCH_MAX && slot < 0; i++)
		if (!ib->watches[i].used)
			slot = i;
	if (slot >= 0)
		ib->watches[slot] = (nc_inbox_watch_t){ channel, tag, true };
	nc_lock_release(&ib->lock);
	if (slot < 0)
		return NC_SYS_ERR_LIMIT;
	wake(ib);
	return NC_SYS_OK;
}

void nc_inbox_unwatch(nc_inbox_t *ib, uint32_t tag)
{
	nc_lock_acquire(&ib->lock);
	for (int i = 0; i < NC_INBOX_WATCH_MAX; i++)
		if (ib->watches[i].used && ib->watches[i].tag == tag)
			ib->watches[i].used = false;
	nc_lock_release(&ib->lock);
	wake(ib);
}

/* The handles to wait on: the inbox channel first, then the watches from
 * slot ib->next on (so a busy channel cannot keep the others waiting).
 * slots[k] is the watch behind handles[k + 1]. */
static uint64_t wait_list(nc_inbox_t *ib, uint64_t *handles, int *slots)
{
	uint64_t n = 0;
	handles[n++] = ib->rx;
	nc_lock_acquire(&ib->lock);
	for (int k = 0; k < NC_INBOX_WATCH_MAX; k++) {
		int i = (ib->next + k) % NC_INBOX_WATCH_MAX;
		if (ib->watches[i].used) {
			slots[n - 1] = i;
			handles[n++] = ib->watches[i].channel;
		}
	}
	nc_lock_release(&ib->lock);
	return n;
}

/* Take the inbox channel's next message into m. TIMED_OUT: nothing there,
 * or only a WAKE. */
static nc_sys_err_t take_own(nc_inbox_t *ib, nc_inbox_msg_t *m)
{
	struct {
		header_t h;
		uint8_t data[NC_INBOX_MSG_MAX_BYTES];
	} raw;
	uint64_t sizes;
	nc_sys_err_t err = nc_sys_ipc_receive(ib->rx, &raw, sizeof raw, m->handles, NC_INBOX_HANDLES_MAX, 0, &sizes);
	if (err || raw.h.kind == KIND_WAKE)
		return err ? err : NC_SYS_ERR_TIMED_OUT;
	*m = (nc_inbox_msg_t){ .tag = raw.h.tag, .len = (uint32_t)((sizes & 0xffffffffu) - sizeof raw.h) };
	nc_mem_copy(m->data, raw.data, m->len);
	return NC_SYS_OK;
}

/* Close the handles of a message that is dropped. */
static void close_handles(const uint64_t *hs, uint64_t n)
{
	for (uint64_t i = 0; i < n && i < NC_INBOX_HANDLES_MAX; i++)
		nc_sys_handle_close(hs[i]);
}

/* Take watch slot's next message into m, lock held. TIMED_OUT: the watch is
 * gone or has nothing (a message longer than the protocol allows is
 * dropped); a closed peer ends the watch and gives the closed message. */
static nc_sys_err_t take_watched_locked(nc_inbox_t *ib, int slot, uint64_t channel, nc_inbox_msg_t *m)
{
	nc_inbox_watch_t *w = &ib->watches[slot];
	if (!w->used || w->channel != channel)
		return NC_SYS_ERR_TIMED_OUT;
	uint64_t sizes;
	nc_sys_err_t err = nc_sys_ipc_receive(channel, m->data, sizeof m->data, m->handles, NC_INBOX_HANDLES_MAX, 0,
					      &sizes);
	if (err == NC_SYS_ERR_TOO_SMALL) {
		uint8_t too_long[NC_SYS_IPC_MSG_MAX_BYTES];
		uint64_t hs[NC_INBOX_HANDLES_MAX];
		if (!nc_sys_ipc_receive(channel, too_long, sizeof too_long, hs, NC_INBOX_HANDLES_MAX, 0, &sizes))
			close_handles(hs, sizes >> 32);
		return NC_SYS_ERR_TIMED_OUT;
	}
	m->tag = w->tag;
	m->closed = err && err != NC_SYS_ERR_TIMED_OUT;
	if (m->closed) {
		w->used = false;
		m->len = m->n_handles = 0;
		return NC_SYS_OK;
	}
	if (err)
		return err;
	m->len = (uint32_t)(sizes & 0xffffffffu);
	m->n_handles = (uint32_t)(sizes >> 32);
	return NC_SYS_OK;
}

/* take_watched_locked under the lock; the next wait starts after slot. */
static nc_sys_err_t take_watched(nc_inbox_t *ib, int slot, uint64_t channel, nc_inbox_msg_t *m)
{
	nc_lock_acquire(&ib->lock);
	nc_sys_err_t err = take_watched_locked(ib, slot, channel, m);
	ib->next = (slot + 1) % NC_INBOX_WATCH_MAX;
	nc_lock_release(&ib->lock);
	return err;
}

/* After HandleWaitAny refused the list: the first watch whose handle no
 * longer waits (the program closed it without unwatching) ends with the
 * closed message. TIMED_OUT: none (the list changed under the wait). */
static nc_sys_err_t take_broken(nc_inbox_t *ib, nc_inbox_msg_t *m)
{
	nc_sys_err_t err = NC_SYS_ERR_TIMED_OUT;
	nc_lock_acquire(&ib->lock);
	for (int i = 0; i < NC_INBOX_WATCH_MAX && err; i++) {
		nc_inbox_watch_t *w = &ib->watches[i];
		uint64_t idx;
		nc_sys_err_t probe = w->used ? nc_sys_handle_wait_any(&w->channel, 1, 0, &idx) : NC_SYS_OK;
		if (probe && probe != NC_SYS_ERR_TIMED_OUT) {
			w->used = false;
			*m = (nc_inbox_msg_t){ .tag = w->tag, .closed = true };
			err = NC_SYS_OK;
		}
	}
	nc_lock_release(&ib->lock);
	return err;
}

nc_sys_err_t nc_inbox_receive(nc_inbox_t *ib, nc_inbox_msg_t *m, uint64_t timeout_ns)
{
	uint64_t start = timeout_ns == NC_SYS_TIMEOUT_INFINITE ? 0 : nc_clock_ns();
	for (;;) {
		uint64_t handles[1 + NC_INBOX_WATCH_MAX], idx, left = timeout_ns;
		int slots[NC_INBOX_WATCH_MAX];
		if (timeout_ns != NC_SYS_TIMEOUT_INFINITE) {
			uint64_t spent = nc_clock_ns() - start;
			left = spent < timeout_ns ? timeout_ns - spent : 0;
		}
		uint64_t n = wait_list(ib, handles, slots);
		nc_sys_err_t err = nc_sys_handle_wait_any(handles, n, left, &idx);
		if (err == NC_SYS_ERR_TIMED_OUT)
			return err;
		if (err) {
			err = take_broken(ib, m);
			if (err == NC_SYS_ERR_TIMED_OUT && left == 0)
				return err; /* no progress: do not spin on a poll */
		} else {
			/* TIMED_OUT here: a WAKE or a dropped message was taken,
			 * or another thread took the message; look again (a
			 * poll too: what follows a WAKE is there now) */
			err = idx == 0 ? take_own(ib, m) : take_watched(ib, slots[idx - 1], handles[idx], m);
		}
		if (err != NC_SYS_ERR_TIMED_OUT)
			return err;
	}
}

nc_sys_err_t nc_inbox_post(nc_inbox_t *ib, uint32_t tag, const void *data, size_t len)
{
	struct {
		header_t h;
		uint8_t data[NC_INBOX_MSG_MAX_BYTES];
	} m;
	if (len > sizeof m.data)
		return NC_SYS_ERR_INVALID;
	m.h = (header_t){ tag, KIND_DATA };
	nc_mem_copy(m.data, data, len);
	return nc_sys_ipc_send(ib->tx, &m, sizeof m.h + len, NULL, 0, NC_SYS_TIMEOUT_INFINITE);
}

typedef struct {
	nc_inbox_t *ib;
	uint32_t tag;
	uint64_t period_ns;
	nc_thread_t thread;
} ticker_t;

static int tick(void *arg)
{
	const ticker_t *t = arg;
	for (;;) {
		nc_inbox_post(t->ib, t->tag, "", 0);
		nc_sys_sleep(t->period_ns);
	}
	return 0;
}

nc_sys_err_t nc_inbox_tick(nc_inbox_t *ib, uint32_t tag, uint64_t period_ns)
{
	ticker_t *t = nc_malloc(sizeof *t); /* lives as long as the program: the thread never ends */
	if (!t)
		return NC_SYS_ERR_NO_MEMORY;
	*t = (ticker_t){ ib, tag, period_ns, { 0 } };
	nc_sys_err_t err = nc_thread_start(&t->thread, tick, t);
	if (err)
		nc_free(t);
	return err;
}
