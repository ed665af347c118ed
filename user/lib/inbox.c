/* Inbox (see nc/ulib.h): one forwarding thread per watched channel. The
 * inbox channel carries a header {tag, kind} then the payload; kind CLOSED
 * carries nothing. Forwarders receive with a timeout so that unwatch is seen
 * even when the peer never sends again (a hung client). A forwarder never
 * closes its channel: the handle value stays the program's until it closes
 * it, so no other handle can take that value while a message for it is
 * still in the inbox. */
#include <nc/mem.h>
#include <nc/ulib.h>

enum { KIND_DATA = 0, KIND_CLOSED = 1 };

typedef struct {
	uint32_t tag, kind;
} header_t;

struct nc_inbox_watch {
	nc_inbox_t *ib;
	uint64_t channel;
	uint32_t tag;
	volatile bool stop;
	nc_thread_t thread;
};

/* Send to the inbox, waiting while it is full, until sent or unwatched.
 * On failure the handles are closed. */
static bool deliver(nc_inbox_watch_t *w, const void *m, uint64_t len, uint64_t *hs, uint64_t nh)
{
	for (;;) {
		nc_sys_err_t err = nc_sys_ipc_send(w->ib->tx, m, len, hs, nh, NC_INBOX_POLL_NS);
		if (!err)
			return true;
		if (err != NC_SYS_ERR_TIMED_OUT || w->stop) {
			for (uint64_t i = 0; i < nh; i++)
				nc_sys_handle_close(hs[i]);
			return false;
		}
	}
}

static int forward(void *arg)
{
	nc_inbox_watch_t *w = arg;
	struct {
		header_t h;
		uint8_t data[NC_INBOX_MSG_MAX_BYTES];
	} m;
	uint8_t too_long[NC_SYS_IPC_MSG_MAX_BYTES];
	while (!w->stop) {
		uint64_t hs[NC_INBOX_HANDLES_MAX], sizes;
		nc_sys_err_t err = nc_sys_ipc_receive(w->channel, m.data, sizeof m.data, hs, NC_INBOX_HANDLES_MAX,
						      NC_INBOX_POLL_NS, &sizes);
		if (err == NC_SYS_ERR_TIMED_OUT)
			continue;
		if (err == NC_SYS_ERR_TOO_SMALL) { /* longer than the protocol allows: drop it */
			nc_sys_ipc_receive(w->channel, too_long, sizeof too_long, hs, NC_INBOX_HANDLES_MAX, 0, &sizes);
			for (uint64_t i = 0; i < (sizes >> 32) && i < NC_INBOX_HANDLES_MAX; i++)
				nc_sys_handle_close(hs[i]);
			continue;
		}
		if (err) {
			m.h = (header_t){ w->tag, KIND_CLOSED };
			if (!w->stop)
				deliver(w, &m.h, sizeof m.h, NULL, 0);
			break;
		}
		m.h = (header_t){ w->tag, KIND_DATA };
		uint64_t n = sizes & 0xffffffffu, nh = sizes >> 32;
		deliver(w, &m, sizeof m.h + n, hs, nh);
	}
	return 0;
}

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

/* Reap watches whose threads have ended. Lock held. */
static void reap(nc_inbox_t *ib, int i)
{
	uint64_t code;
	nc_thread_join(&ib->watches[i]->thread, &code);
	nc_free(ib->watches[i]);
	ib->watches[i] = NULL;
}

nc_sys_err_t nc_inbox_watch(nc_inbox_t *ib, uint64_t channel, uint32_t tag)
{
	nc_inbox_watch_t *w = nc_malloc(sizeof *w);
	if (!w)
		return NC_SYS_ERR_NO_MEMORY;
	*w = (nc_inbox_watch_t){ .ib = ib, .channel = channel, .tag = tag };
	nc_lock_acquire(&ib->lock);
	int slot = -1;
	for (int i = 0; i < NC_INBOX_WATCH_MAX && slot < 0; i++)
		if (!ib->watches[i])
			slot = i;
	nc_sys_err_t err = slot < 0 ? NC_SYS_ERR_LIMIT : nc_thread_start(&w->thread, forward, w);
	if (!err)
		ib->watches[slot] = w;
	nc_lock_release(&ib->lock);
	if (err)
		nc_free(w);
	return err;
}

void nc_inbox_unwatch(nc_inbox_t *ib, uint32_t tag)
{
	nc_lock_acquire(&ib->lock);
	for (int i = 0; i < NC_INBOX_WATCH_MAX; i++)
		if (ib->watches[i] && ib->watches[i]->tag == tag) {
			ib->watches[i]->stop = true;
			reap(ib, i);
		}
	nc_lock_release(&ib->lock);
}

nc_sys_err_t nc_inbox_receive(nc_inbox_t *ib, nc_inbox_msg_t *m, uint64_t timeout_ns)
{
	struct {
		header_t h;
		uint8_t data[NC_INBOX_MSG_MAX_BYTES];
	} raw;
	uint64_t sizes;
	nc_sys_err_t err = nc_sys_ipc_receive(ib->rx, &raw, sizeof raw, m->handles, NC_INBOX_HANDLES_MAX,
					      timeout_ns, &sizes);
	if (err)
		return err;
	uint64_t n = sizes & 0xffffffffu;
	m->tag = raw.h.tag;
	m->closed = raw.h.kind == KIND_CLOSED;
	m->len = (uint32_t)(n - sizeof raw.h);
	m->n_handles = (uint32_t)(sizes >> 32);
	nc_mem_copy(m->data, raw.data, m->len);
	if (m->closed) {
		nc_lock_acquire(&ib->lock);
		for (int i = 0; i < NC_INBOX_WATCH_MAX; i++)
			if (ib->watches[i] && ib->watches[i]->tag == m->tag)
				reap(ib, i);
		nc_lock_release(&ib->lock);
	}
	return NC_SYS_OK;
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
