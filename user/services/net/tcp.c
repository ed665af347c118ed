/* TCP sockets of the network service over lwIP's raw API (lwIP
 * src/include/lwip/tcp.h; netsvc.h for the rules). A socket's pcb carries
 * the socket as its callback argument until the socket lets go of it
 * (close, failure, the peer's FIN after our own), so a callback always
 * finds a live socket and a socket never holds a pcb lwIP may free. Received
 * segments wait on the socket as separate pbuf chains (a chain's tot_len is
 * 16 bits) until NetRecv takes them; only then is the window opened again
 * (tcp_recved), so a slow reader slows its sender instead of filling the
 * service's memory. net_lock held throughout. */
#include <nc/inet.h>
#include <nc/mem.h>
#include "lwip/ip_addr.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "netsvc.h"

static uint8_t io_buf[NC_SYS_NET_IO_MAX_BYTES];

static nc_sys_err_t from_lwip(err_t e)
{
	switch (e) {
	case ERR_OK: return NC_SYS_OK;
	case ERR_MEM: case ERR_BUF: return NC_SYS_ERR_NO_MEMORY;
	case ERR_TIMEOUT: case ERR_WOULDBLOCK: return NC_SYS_ERR_TIMED_OUT;
	case ERR_RTE: case ERR_IF: return NC_SYS_ERR_UNREACHABLE;
	case ERR_USE: return NC_SYS_ERR_ADDR_IN_USE;
	case ERR_ALREADY: case ERR_ISCONN: return NC_SYS_ERR_EXISTS;
	case ERR_CONN: case ERR_CLSD: return NC_SYS_ERR_NOT_CONNECTED;
	case ERR_ABRT: case ERR_RST: return NC_SYS_ERR_CONN_RESET;
	default: return NC_SYS_ERR_INVALID;
	}
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err);
static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len);
static void on_err(void *arg, err_t err);

/* Give pcb to s: callbacks and options. */
static void adopt_pcb(net_sock_t *s, struct tcp_pcb *pcb)
{
	s->pcb.tcp = pcb;
	tcp_arg(pcb, s);
	tcp_recv(pcb, on_recv);
	tcp_sent(pcb, on_sent);
	tcp_err(pcb, on_err);
	if (s->nodelay)
		tcp_nagle_disable(pcb);
}

/* Take s's callbacks off its pcb and forget it (the pcb is freed or closed by the caller). */
static struct tcp_pcb *release_pcb(net_sock_t *s)
{
	struct tcp_pcb *pcb = s->pcb.tcp;
	s->pcb.tcp = NULL;
	if (pcb) {
		tcp_arg(pcb, NULL);
		if (pcb->state == LISTEN) {
			tcp_accept(pcb, NULL);
		} else {
			tcp_recv(pcb, NULL);
			tcp_sent(pcb, NULL);
			tcp_err(pcb, NULL);
		}
	}
	return pcb;
}

void net_tcp_open(net_sock_t *s, const nc_service_msg_t *m)
{
	(void)m;
	struct tcp_pcb *pcb = tcp_new_ip_type(IPADDR_TYPE_ANY);
	if (pcb)
		adopt_pcb(s, pcb);
}

void net_tcp_fail(net_sock_t *s, nc_sys_err_t err)
{
	struct tcp_pcb *pcb = release_pcb(s);
	if (pcb)
		tcp_abort(pcb);
	s->error = err;
	s->state = SOCK_CLOSED;
	net_sock_fail_all(s, err);
	net_sock_signal(s);
}

void net_tcp_reset_local(struct netif *n)
{
	struct tcp_pcb *next;
	for (struct tcp_pcb *pcb = tcp_active_pcbs; pcb; pcb = next) {
		next = pcb->next; /* net_tcp_fail frees pcb */
		const ip_addr_t *a = &pcb->local_ip;
		bool mine = IP_IS_V6(a) ? netif_get_ip6_addr_match(n, ip_2_ip6(a)) >= 0
					: ip4_addr_cmp(ip_2_ip4(a), netif_ip4_addr(n));
		if (pcb->callback_arg && mine)
			net_tcp_fail(pcb->callback_arg, NC_SYS_ERR_CONN_RESET);
	}
}

/* Free the connections queued on listener s that nobody accepted. */
static void drop_accepted(net_sock_t *s)
{
	while (s->accepted) {
		net_sock_t *c = s->accepted;
		s->accepted = c->next_accepted;
		struct tcp_pcb *pcb = release_pcb(c);
		if (pcb)
			tcp_abort(pcb);
		net_sock_free(c, NC_SYS_ERR_CONN_RESET);
	}
}

void net_tcp_close(net_sock_t *s)
{
	drop_accepted(s);
	struct tcp_pcb *pcb = release_pcb(s);
	if (pcb && tcp_close(pcb) != ERR_OK)
		tcp_abort(pcb);
	net_sock_free(s, NC_SYS_ERR_CONN_RESET);
}

/* ---- receiving ---- */

/* Move up to want received bytes to dst and open the window by as many. */
static size_t rx_read(net_sock_t *s, uint8_t *dst, size_t want)
{
	size_t n = 0;
	while (s->dgrams && n < want) {
		net_dgram_t *d = s->dgrams;
		size_t take = want - n < d->p->tot_len ? want - n : d->p->tot_len;
		pbuf_copy_partial(d->p, dst + n, (u16_t)take, 0);
		n += take;
		if (take == d->p->tot_len) {
			s->dgrams = d->next;
			pbuf_free(d->p);
			nc_free(d);
		} else {
			d->p = pbuf_free_header(d->p, (u16_t)take);
		}
	}
	if (!s->dgrams)
		s->dgrams_tail = NULL;
	for (size_t left = n; s->pcb.tcp && left;) {
		u16_t k = left > 0xffff ? 0xffff : (u16_t)left;
		tcp_recved(s->pcb.tcp, k);
		left -= k;
	}
	return n;
}

/* Whether a NetRecv on s can be answered now; if so, answer it (id): its
 * bytes go to its window (a large NetRecv), else in the answer. */
static bool try_recv(net_sock_t *s, uint64_t id, size_t want, uint8_t *window)
{
	if (s->dgrams && window) {
		net_answer(id, NC_SYS_OK, rx_read(s, window, want), NULL, 0);
	} else if (s->dgrams) {
		size_t n = rx_read(s, io_buf, want);
		net_answer(id, NC_SYS_OK, n, io_buf, n);
	} else if (s->eof || s->shut_recv) {
		net_answer(id, NC_SYS_OK, 0, NULL, 0);
	} else if (s->error) {
		net_answer(id, s->error, 0, NULL, 0);
	} else if (s->state != SOCK_CONNECTED) {
		net_answer(id, NC_SYS_ERR_NOT_CONNECTED, 0, NULL, 0);
	} else {
		return false;
	}
	return true;
}

static void serve_recvs(net_sock_t *s)
{
	for (net_req_t *r; (r = net_sock_take(s, NC_SYS_NET_RECV));) {
		if (!try_recv(s, r->id, r->want, r->window)) {
			r->next = s->reqs; /* back at the head: nothing to give yet */
			s->reqs = r;
			break;
		}
		nc_free(r);
	}
}

static err_t on_recv(void *arg, struct tcp_pcb *pcb, struct pbuf *p, err_t err)
{
	(void)pcb;
	(void)err;
	net_sock_t *s = arg;
	if (!p) {
		s->eof = true;
		/* After our FIN (NetShutdown SEND) the peer's FIN ends the connection:
		 * lwIP now holds the pcb in CLOSING or TIME_WAIT and frees it on its own,
		 * without a callback (2 MSL later, for a new SYN on its address pair in
		 * timewait.c, or when it needs the pcb): the socket lets go of it now so
		 * it never touches a freed pcb or the connection that reuses it. */
		if (s->shut_send) {
			(void)release_pcb(s);
			/* sends parked before the shutdown can go nowhere now: what went, or none */
			for (net_req_t *r; (r = net_sock_take(s, NC_SYS_NET_SEND));)
				net_req_finish(r, r->off ? NC_SYS_OK : NC_SYS_ERR_NOT_CONNECTED, r->off, NULL, 0);
		}
	} else {
		net_dgram_t *d = nc_malloc(sizeof *d);
		if (!d)
			return ERR_MEM; /* lwIP keeps p and offers it again later */
		d->p = p;
		if (s->dgrams_tail)
			s->dgrams_tail->next = d;
		else
			s->dgrams = d;
		s->dgrams_tail = d;
	}
	serve_recvs(s);
	net_sock_signal(s);
	return ERR_OK;
}

/* ---- sending ---- */

/* Queue what fits of data[*off..len) on pcb (lwIP copies it) and push it
 * out; true when it is done with: all queued, or refused for good (*off
 * tells what went). */
static bool queue_bytes(struct tcp_pcb *pcb, const uint8_t *data, size_t len, size_t *off)
{
	while (*off < len) {
		size_t room = tcp_sndbuf(pcb);
		if (room == 0 || tcp_sndqueuelen(pcb) >= TCP_SND_QUEUELEN - 1)
			break;
		size_t n = len - *off < room ? len - *off : room;
		u8_t flags = TCP_WRITE_FLAG_COPY | (*off + n < len ? TCP_WRITE_FLAG_MORE : 0);
		err_t e = tcp_write(pcb, data + *off, (u16_t)n, flags);
		if (e == ERR_MEM)
			break;
		if (e != ERR_OK)
			return true;
		*off += n;
	}
	tcp_output(pcb);
	return *off == len;
}

/* Queue what fits of parked r's bytes; true when it is done with. */
static bool send_some(net_sock_t *s, net_req_t *r)
{
	return queue_bytes(s->pcb.tcp, r->window ? r->window : r->data, r->len, &r->off);
}

void net_tcp_resume_sends(net_sock_t *s)
{
	for (net_req_t *r; s->pcb.tcp && (r = net_sock_take(s, NC_SYS_NET_SEND));) {
		if (!send_some(s, r)) {
			r->next = s->reqs;
			s->reqs = r;
			break;
		}
		net_req_finish(r, NC_SYS_OK, r->off, NULL, 0);
	}
}

static err_t on_sent(void *arg, struct tcp_pcb *pcb, u16_t len)
{
	(void)pcb;
	(void)len;
	net_tcp_resume_sends(arg);
	return ERR_OK;
}

/* NetSend: the bytes are queued straight from the request where they fit;
 * only a send that must wait is copied into a parked request (with what
 * went already counted in its off), unless they are in the request's window
 * (a large NetSend), which stays mapped until the answer. When no memory is
 * left to park it, the bytes queued so far are the answer (a short count:
 * none lost, none sent twice), or NO_MEMORY when none went. */
static void do_send(net_sock_t *s, const nc_service_msg_t *m)
{
	nc_sys_err_t err = s->error ? s->error : s->state != SOCK_CONNECTED || s->shut_send ? NC_SYS_ERR_NOT_CONNECTED
											  : NC_SYS_OK;
	const uint8_t *window = (const uint8_t *)(uintptr_t)m->hdr.window;
	const uint8_t *data = window ? window : m->payload;
	size_t len = window ? m->hdr.window_len : m->hdr.in_len, off = 0;
	bool behind = !err && net_sock_has(s, NC_SYS_NET_SEND); /* keep the order: behind the parked ones */
	if (!err && !behind && (queue_bytes(s->pcb.tcp, data, len, &off) || (s->nonblock && off))) {
		if (off == len)
			net_iface_hold(); /* the caller may send more at once */
		net_answer(m->hdr.id, NC_SYS_OK, off, NULL, 0);
		return;
	}
	if (!err && s->nonblock && !behind)
		err = NC_SYS_ERR_TIMED_OUT;
	net_req_t *r = err ? NULL : net_req_new(m, data, window ? 0 : len, s->nonblock ? 0 : s->timeout_ns ? s->timeout_ns
													: NC_SYS_TIMEOUT_INFINITE);
	if (!err && !r) {
		net_answer(m->hdr.id, off ? NC_SYS_OK : NC_SYS_ERR_NO_MEMORY, off, NULL, 0);
		return;
	}
	if (err) {
		net_answer(m->hdr.id, err, 0, NULL, 0);
		return;
	}
	r->len = len;
	r->off = off;
	net_sock_park(s, r);
	if (behind)
		net_tcp_resume_sends(s);
}

/* ---- connecting ---- */

static err_t on_connected(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)pcb;
	net_sock_t *s = arg;
	net_req_t *r = net_sock_take(s, NC_SYS_NET_CONNECT);
	s->state = SOCK_CONNECTED;
	if (r)
		net_req_finish(r, from_lwip(err), 0, NULL, 0);
	net_sock_signal(s);
	return ERR_OK;
}

static void on_err(void *arg, err_t err)
{
	net_sock_t *s = arg;
	s->pcb.tcp = NULL; /* lwIP has freed it */
	if (s->state == SOCK_CONNECTING) { /* the connect fails; later calls find no connection */
		net_req_t *r = net_sock_take(s, NC_SYS_NET_CONNECT);
		if (r)
			net_req_finish(r, err == ERR_RST ? NC_SYS_ERR_CONN_REFUSED : NC_SYS_ERR_UNREACHABLE, 0, NULL, 0);
		net_tcp_fail(s, NC_SYS_ERR_NOT_CONNECTED);
		return;
	}
	net_tcp_fail(s, from_lwip(err));
}

/* The name of a parked NetConnect resolved (id: the request's). */
static void connect_resolved(uint64_t id, nc_sys_err_t err, const ip_addr_t *ip)
{
	net_sock_t *s;
	net_req_t *r = net_req_find(id, &s);
	if (!r)
		return; /* closed, failed or timed out meanwhile */
	net_sock_park(s, r); /* on_connected or on_err answers it */
	if (!err)
		err = from_lwip(tcp_connect(s->pcb.tcp, ip, r->port, on_connected));
	if (err)
		net_tcp_fail(s, err);
}

static void do_connect(net_sock_t *s, const nc_service_msg_t *m)
{
	char host[NC_INET_HOST_MAX + 1];
	size_t host_len;
	uint16_t port;
	nc_sys_err_t err = NC_SYS_OK;
	if (s->error)
		err = s->error;
	else if (s->state != SOCK_NEW)
		err = NC_SYS_ERR_EXISTS;
	else if (!net_split_endpoint((const char *)m->payload, m->hdr.in_len, host, &host_len, &port))
		err = NC_SYS_ERR_INVALID;
	net_req_t *r = err ? NULL : net_req_new(m, NULL, 0, s->timeout_ns ? s->timeout_ns : NC_SYS_TIMEOUT_INFINITE);
	if (!err && !r)
		err = NC_SYS_ERR_NO_MEMORY;
	if (err) {
		net_answer(m->hdr.id, err, 0, NULL, 0);
		return;
	}
	s->state = SOCK_CONNECTING;
	r->port = port;
	net_sock_park(s, r);
	net_resolve(host, host_len, NET_NAME_A_THEN_AAAA, connect_resolved, r->id);
}

/* ---- servers ---- */

/* Answer NetAccept request id with l's oldest queued connection. */
static void accept_into(net_sock_t *l, uint64_t id)
{
	net_sock_t *c = l->accepted;
	l->accepted = c->next_accepted;
	if (!l->accepted)
		l->accepted_tail = NULL;
	c->next_accepted = NULL;
	c->listener = NULL;
	if (c->pcb.tcp)
		tcp_backlog_accepted(c->pcb.tcp);
	(void)nc_service_answer_object(net_port, id, c->id, NC_SYS_HANDLE_SOCKET,
				       NC_SYS_RIGHT_READ | NC_SYS_RIGHT_WRITE);
	net_sock_signal(c);
}

static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	net_sock_t *l = arg;
	net_sock_t *c = err == ERR_OK && pcb ? net_sock_new(NC_SYS_NET_TCP) : NULL;
	if (!c)
		return ERR_MEM; /* lwIP aborts the connection */
	c->state = SOCK_CONNECTED;
	adopt_pcb(c, pcb);
	tcp_backlog_delayed(pcb); /* counts against the backlog until NetAccept takes it */
	c->listener = l;
	if (l->accepted_tail)
		l->accepted_tail->next_accepted = c;
	else
		l->accepted = c;
	l->accepted_tail = c;
	net_req_t *r = net_sock_take(l, NC_SYS_NET_ACCEPT);
	if (r) {
		accept_into(l, r->id);
		nc_free(r);
	}
	net_sock_signal(l);
	return ERR_OK;
}

static nc_sys_err_t do_bind(net_sock_t *s, const nc_service_msg_t *m)
{
	uint16_t port;
	ip_addr_t ip;
	if (s->error)
		return s->error;
	if (s->bound || s->state != SOCK_NEW)
		return NC_SYS_ERR_EXISTS;
	if (!net_split_ip((const char *)m->payload, m->hdr.in_len, &ip, &port))
		return NC_SYS_ERR_INVALID;
	ip_set_option(s->pcb.tcp, SOF_REUSEADDR);
	nc_sys_err_t err = from_lwip(tcp_bind(s->pcb.tcp, &ip, port));
	s->bound = !err;
	return err;
}

static nc_sys_err_t do_listen(net_sock_t *s, const nc_service_msg_t *m)
{
	if (s->error)
		return s->error;
	if (!s->bound || s->state != SOCK_NEW)
		return NC_SYS_ERR_INVALID;
	err_t e = ERR_OK;
	struct tcp_pcb *l = tcp_listen_with_backlog_and_err(s->pcb.tcp, (u8_t)m->hdr.arg0, &e);
	if (!l)
		return from_lwip(e);
	s->pcb.tcp = l; /* the old pcb is freed */
	tcp_arg(l, s);
	tcp_accept(l, on_accept);
	s->state = SOCK_LISTENING;
	return NC_SYS_OK;
}

static void do_accept(net_sock_t *s, const nc_service_msg_t *m)
{
	nc_sys_err_t err = s->error ? s->error : s->state != SOCK_LISTENING ? NC_SYS_ERR_INVALID : NC_SYS_OK;
	if (!err && s->accepted) {
		accept_into(s, m->hdr.id);
		net_sock_signal(s);
		return;
	}
	uint64_t timeout = s->nonblock ? 0 : m->hdr.arg0;
	net_req_t *r = err || timeout == 0 ? NULL : net_req_new(m, NULL, 0, timeout);
	if (!err && timeout == 0)
		err = NC_SYS_ERR_TIMED_OUT;
	else if (!err && !r)
		err = NC_SYS_ERR_NO_MEMORY;
	if (err)
		net_answer(m->hdr.id, err, 0, NULL, 0);
	else
		net_sock_park(s, r);
}

static nc_sys_err_t do_shutdown(net_sock_t *s, uint64_t how)
{
	if (s->error)
		return s->error;
	if (s->state != SOCK_CONNECTED || !s->pcb.tcp)
		return NC_SYS_ERR_NOT_CONNECTED;
	bool rx = how & NC_SYS_NET_SHUT_RECV, tx = how & NC_SYS_NET_SHUT_SEND;
	nc_sys_err_t err = from_lwip(tcp_shutdown(s->pcb.tcp, rx, tx));
	if (!err) {
		s->shut_recv |= rx;
		s->shut_send |= tx;
		if (rx)
			serve_recvs(s);
	}
	return err;
}

void net_tcp_call(net_sock_t *s, const nc_service_msg_t *m)
{
	nc_sys_err_t err;
	switch (m->hdr.op) {
	case NC_SYS_NET_CONNECT:
		do_connect(s, m);
		return;
	case NC_SYS_NET_SEND:
		do_send(s, m);
		return;
	case NC_SYS_NET_RECV: {
		uint8_t *window = (uint8_t *)(uintptr_t)m->hdr.window;
		if (net_sock_has(s, NC_SYS_NET_RECV) || !try_recv(s, m->hdr.id, m->hdr.arg0, window)) {
			net_req_t *r = m->hdr.arg1 ? net_req_new(m, NULL, 0, m->hdr.arg1) : NULL;
			if (r) {
				r->want = m->hdr.arg0;
				net_sock_park(s, r);
			} else {
				net_answer(m->hdr.id, m->hdr.arg1 ? NC_SYS_ERR_NO_MEMORY : NC_SYS_ERR_TIMED_OUT, 0,
					   NULL, 0);
			}
		}
		net_sock_signal(s);
		return;
	}
	case NC_SYS_NET_ACCEPT:
		do_accept(s, m);
		return;
	case NC_SYS_NET_BIND:
		err = do_bind(s, m);
		break;
	case NC_SYS_NET_LISTEN:
		err = do_listen(s, m);
		break;
	case NC_SYS_NET_SHUTDOWN:
		err = do_shutdown(s, m->hdr.arg0);
		break;
	case NC_SYS_NET_SET_OPTION: /* main.c has set the socket's fields */
		if (s->pcb.tcp && s->state != SOCK_LISTENING) {
			if (s->nodelay)
				tcp_nagle_disable(s->pcb.tcp);
			else
				tcp_nagle_enable(s->pcb.tcp);
		}
		err = NC_SYS_OK;
		break;
	default: /* NetSendTo, NetRecvFrom: datagram calls */
		err = NC_SYS_ERR_INVALID;
		break;
	}
	net_answer(m->hdr.id, err, 0, NULL, 0);
	net_sock_signal(s);
}
