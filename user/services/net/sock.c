/* Sockets and parked requests of the network service (netsvc.h). A socket's
 * object id is its slot + 1 with the slot's generation in the high half, so
 * an id never names a later socket in the same slot. net_lock held
 * throughout. */
#include <nc/mem.h>
#include "lwip/pbuf.h"
#include "netsvc.h"

static net_sock_t *slots[NET_SOCKETS_MAX];
static uint32_t generation[NET_SOCKETS_MAX];
static uint64_t next_deadline_ns = UINT64_MAX; /* earliest parked deadline, or later */

uint64_t net_now_ns(void)
{
	uint64_t t = 0;
	nc_sys_clock_get(&t);
	return t;
}

void net_answer(uint64_t id, nc_sys_err_t status, uint64_t result, const void *data, size_t len)
{
	(void)nc_service_answer(net_port, id, status, result, data, len);
}

net_req_t *net_req_new(const nc_service_msg_t *m, const void *data, size_t len, uint64_t timeout_ns)
{
	net_req_t *r = nc_malloc(sizeof *r + len + 1);
	if (!r)
		return NULL;
	r->id = m->hdr.id;
	r->op = m->hdr.op;
	r->len = len;
	r->off = 0;
	r->window = (uint8_t *)(uintptr_t)m->hdr.window;
	nc_mem_copy(r->data, data, len);
	r->data[len] = 0;
	r->deadline_ns = UINT64_MAX;
	if (timeout_ns != NC_SYS_TIMEOUT_INFINITE) {
		uint64_t now = net_now_ns();
		r->deadline_ns = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
	}
	return r;
}

void net_req_finish(net_req_t *r, nc_sys_err_t status, uint64_t result, const void *data, size_t len)
{
	net_answer(r->id, status, result, data, len);
	nc_free(r);
}

net_sock_t *net_sock_new(uint64_t kind)
{
	for (uint32_t i = 1; i < NET_SOCKETS_MAX; i++) {
		if (slots[i])
			continue;
		net_sock_t *s = nc_malloc(sizeof *s);
		if (!s)
			return NULL;
		s->id = (uint64_t)(i + 1) | (uint64_t)++generation[i] << 32;
		s->kind = kind;
		s->state = SOCK_NEW;
		slots[i] = s;
		return s;
	}
	return NULL;
}

net_sock_t *net_resolver(void)
{
	static net_sock_t resolver;
	if (!slots[0]) {
		resolver.id = 1 | (uint64_t)++generation[0] << 32;
		slots[0] = &resolver;
	}
	return slots[0];
}

net_sock_t *net_sock_find(uint64_t id)
{
	uint64_t slot = (id & 0xffffffffu) - 1;
	if (slot >= NET_SOCKETS_MAX || !slots[slot] || slots[slot]->id != id)
		return NULL;
	return slots[slot];
}

void net_sock_fail_all(net_sock_t *s, nc_sys_err_t err)
{
	while (s->reqs) {
		net_req_t *r = s->reqs;
		s->reqs = r->next;
		net_req_finish(r, err, 0, NULL, 0);
	}
}

void net_sock_free(net_sock_t *s, nc_sys_err_t err)
{
	net_sock_fail_all(s, err);
	while (s->dgrams) {
		net_dgram_t *d = s->dgrams;
		s->dgrams = d->next;
		pbuf_free(d->p);
		nc_free(d);
	}
	if (s->signals)
		(void)nc_sys_service_signal(net_port, s->id, 0);
	slots[(s->id & 0xffffffffu) - 1] = NULL;
	nc_free(s);
}

void net_sock_park(net_sock_t *s, net_req_t *r)
{
	r->next = NULL;
	net_req_t **p = &s->reqs;
	while (*p)
		p = &(*p)->next;
	*p = r;
	if (r->deadline_ns < next_deadline_ns) {
		next_deadline_ns = r->deadline_ns;
		net_wake_by(r->deadline_ns);
	}
}

net_req_t *net_sock_take(net_sock_t *s, uint64_t op)
{
	for (net_req_t **p = &s->reqs; *p; p = &(*p)->next) {
		if ((*p)->op != op)
			continue;
		net_req_t *r = *p;
		*p = r->next;
		return r;
	}
	return NULL;
}

bool net_sock_has(const net_sock_t *s, uint64_t op)
{
	for (const net_req_t *r = s->reqs; r; r = r->next)
		if (r->op == op)
			return true;
	return false;
}

void net_sock_signal(net_sock_t *s)
{
	bool readable = s->dgrams || s->eof || s->error || s->accepted || s->state == SOCK_CLOSED;
	uint64_t want = readable ? NC_SYS_SIGNAL_READABLE : 0;
	if (want != s->signals && nc_sys_service_signal(net_port, s->id, want) == NC_SYS_OK)
		s->signals = want;
}

net_req_t *net_req_find(uint64_t id, net_sock_t **sock)
{
	for (uint32_t i = 0; i < NET_SOCKETS_MAX; i++) {
		net_sock_t *s = slots[i];
		for (net_req_t **p = s ? &s->reqs : NULL; p && *p; p = &(*p)->next) {
			if ((*p)->id != id)
				continue;
			net_req_t *r = *p;
			*p = r->next;
			*sock = s;
			return r;
		}
	}
	return NULL;
}

void net_cancel(uint64_t id)
{
	net_sock_t *s;
	net_req_t *r = net_req_find(id, &s);
	if (r)
		net_req_finish(r, NC_SYS_ERR_TIMED_OUT, 0, NULL, 0);
}

uint64_t net_expire(uint64_t now_ns)
{
	if (now_ns < next_deadline_ns)
		return next_deadline_ns;
	uint64_t next = UINT64_MAX;
	for (uint32_t i = 0; i < NET_SOCKETS_MAX; i++) {
		net_sock_t *s = slots[i];
		for (net_req_t **p = s ? &s->reqs : NULL; p && *p;) {
			net_req_t *r = *p;
			if (r->deadline_ns > now_ns) {
				next = r->deadline_ns < next ? r->deadline_ns : next;
				p = &r->next;
				continue;
			}
			if (r->op == NC_SYS_NET_CONNECT && s->kind == NC_SYS_NET_TCP) {
				net_tcp_fail(s, NC_SYS_ERR_TIMED_OUT); /* the handshake is abandoned */
				break;
			}
			*p = r->next;
			/* a send that queued some bytes reports them; one that queued none times out */
			uint64_t sent = r->op == NC_SYS_NET_SEND ? r->off : 0;
			net_req_finish(r, sent ? NC_SYS_OK : NC_SYS_ERR_TIMED_OUT, sent, NULL, 0);
		}
	}
	next_deadline_ns = next;
	return next;
}
