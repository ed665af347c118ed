/* Datagram sockets of the network service: UDP (lwIP's udp.h, one pcb for
 * IPv4 and IPv6) and ICMP echo (two raw pcbs: IP protocol 1 for RFC 792
 * echo requests and replies, ICMPv6 for RFC 4443 section 4's, whose checksum
 * lwIP computes over the pseudo-header; the replies carrying this socket's
 * identifier are its datagrams). Received datagrams wait on
 * the socket, at most NET_DGRAM_QUEUE_MAX (more are dropped, as a full
 * socket buffer drops them), each with the text of its sender. Names in
 * NetConnect and NetSendTo are resolved first (resolve.c): the request
 * waits parked meanwhile and is found again by its id. net_lock held
 * throughout. */
#include <nc/inet.h>
#include <nc/mem.h>
#include "lwip/inet_chksum.h"
#include "lwip/ip_addr.h"
#include "lwip/prot/icmp.h"
#include "lwip/prot/icmp6.h"
#include "lwip/prot/ip4.h"
#include "lwip/prot/ip6.h"
#include "lwip/raw.h"
#include "lwip/udp.h"
#include "netsvc.h"

enum { ICMP_HEADER_BYTES = 8 };

static uint8_t io_buf[NC_SYS_NET_IO_MAX_BYTES + NET_FROM_TEXT];

static nc_sys_err_t from_lwip(err_t e)
{
	return e == ERR_OK ? NC_SYS_OK : e == ERR_MEM || e == ERR_BUF ? NC_SYS_ERR_NO_MEMORY
	       : e == ERR_RTE || e == ERR_IF			 ? NC_SYS_ERR_UNREACHABLE
	       : e == ERR_USE					 ? NC_SYS_ERR_ADDR_IN_USE
								 : NC_SYS_ERR_INVALID;
}

static bool is_udp(const net_sock_t *s)
{
	return s->kind == NC_SYS_NET_UDP;
}

/* ---- receiving ---- */

/* Answer NetRecv or NetRecvFrom request (id, op, want) with s's oldest
 * datagram: in its window (a large NetRecv), else in the answer. */
static void give_dgram(net_sock_t *s, uint64_t id, uint64_t op, size_t want, uint8_t *window)
{
	net_dgram_t *d = s->dgrams;
	s->dgrams = d->next;
	if (!s->dgrams)
		s->dgrams_tail = NULL;
	s->n_dgrams--;
	size_t n = d->p->tot_len < want ? d->p->tot_len : want;
	pbuf_copy_partial(d->p, window ? window : io_buf, (u16_t)n, 0);
	size_t len = window ? 0 : n;
	if (op == NC_SYS_NET_RECV_FROM) {
		size_t f = nc_str_len(d->from);
		nc_mem_copy(io_buf + n, d->from, f);
		len += f;
	}
	net_answer(id, NC_SYS_OK, n, io_buf, len);
	pbuf_free(d->p);
	nc_free(d);
}

static void serve_recvs(net_sock_t *s)
{
	while (s->dgrams) {
		net_req_t *r = s->reqs;
		while (r && r->op != NC_SYS_NET_RECV && r->op != NC_SYS_NET_RECV_FROM)
			r = r->next;
		if (!r)
			break;
		r = net_sock_take(s, r->op);
		give_dgram(s, r->id, r->op, r->want, r->window);
		nc_free(r);
	}
	net_sock_signal(s);
}

/* Keep p (a reference passes) from addr:port on s. */
static void queue_dgram(net_sock_t *s, struct pbuf *p, const ip_addr_t *addr, uint16_t port)
{
	net_dgram_t *d = s->n_dgrams < NET_DGRAM_QUEUE_MAX ? nc_malloc(sizeof *d) : NULL;
	if (!d) {
		pbuf_free(p);
		return;
	}
	d->p = p;
	net_format_from(addr, port, d->from);
	if (s->dgrams_tail)
		s->dgrams_tail->next = d;
	else
		s->dgrams = d;
	s->dgrams_tail = d;
	s->n_dgrams++;
	serve_recvs(s);
}

static void on_udp(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr, u16_t port)
{
	(void)pcb;
	queue_dgram(arg, p, addr, port);
}

/* An echo reply (type reply) with this socket's identifier after the IP
 * header (hlen bytes): its payload is kept. */
static u8_t take_echo_reply(net_sock_t *s, struct pbuf *p, u16_t hlen, u8_t reply, const ip_addr_t *addr)
{
	struct icmp_echo_hdr h;
	if (p->tot_len < hlen + ICMP_HEADER_BYTES || pbuf_copy_partial(p, &h, sizeof h, hlen) != sizeof h ||
	    h.type != reply || h.code != 0 || h.id != lwip_htons(s->icmp_id))
		return 0; /* not ours: lwIP goes on with it */
	if (pbuf_remove_header(p, hlen + ICMP_HEADER_BYTES)) {
		pbuf_free(p);
		return 1;
	}
	queue_dgram(s, p, addr, 0);
	return 1;
}

static u8_t on_icmp(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *addr)
{
	(void)pcb;
	if (p->len < IP_HLEN)
		return 0;
	return take_echo_reply(arg, p, (u16_t)IPH_HL_BYTES((const struct ip_hdr *)p->payload), ICMP_ER, addr);
}

/* lwIP hands ICMPv6 to raw pcbs with the fixed IPv6 header in front (no
 * extension headers: lwIP's own ICMPv6 follows a plain header too). */
static u8_t on_icmp6(void *arg, struct raw_pcb *pcb, struct pbuf *p, const ip_addr_t *addr)
{
	(void)pcb;
	if (p->len < IP6_HLEN || IP6H_NEXTH((const struct ip6_hdr *)p->payload) != IP6_NEXTH_ICMP6)
		return 0;
	return take_echo_reply(arg, p, IP6_HLEN, ICMP6_TYPE_EREP, addr);
}

/* ---- sending ---- */

/* Send data[0..len) to to (NULL: the connected peer). */
static nc_sys_err_t send_to(net_sock_t *s, const uint8_t *data, size_t len, const ip_addr_t *to, u16_t port)
{
	bool icmp = !is_udp(s);
	struct pbuf *p = pbuf_alloc(icmp ? PBUF_IP : PBUF_TRANSPORT, (u16_t)(len + (icmp ? ICMP_HEADER_BYTES : 0)),
				    PBUF_RAM);
	if (!p)
		return NC_SYS_ERR_NO_MEMORY;
	bool v6 = to ? IP_IS_V6(to) : s->peer_v6;
	if (icmp) {
		struct icmp_echo_hdr h = { .type = v6 ? ICMP6_TYPE_EREQ : ICMP_ECHO, .code = 0, .chksum = 0,
					   .id = lwip_htons(s->icmp_id), .seqno = lwip_htons(s->icmp_seq++) };
		pbuf_take(p, &h, sizeof h);
		pbuf_take_at(p, data, (u16_t)len, ICMP_HEADER_BYTES);
		if (!v6) { /* ICMPv6's checksum covers the pseudo-header: the raw pcb makes it */
			h.chksum = inet_chksum_pbuf(p);
			pbuf_take(p, &h, sizeof h);
		}
	} else {
		pbuf_take(p, data, (u16_t)len);
	}
	err_t e;
	if (is_udp(s))
		e = to ? udp_sendto(s->pcb.udp, p, to, port) : udp_send(s->pcb.udp, p);
	else
		e = to ? raw_sendto(v6 ? s->raw6 : s->pcb.raw, p, to) : raw_send(v6 ? s->raw6 : s->pcb.raw, p);
	pbuf_free(p);
	return from_lwip(e);
}

/* ---- names resolved for a parked NetConnect or NetSendTo ---- */

static void resolved(uint64_t id, nc_sys_err_t err, const ip_addr_t *ip)
{
	net_sock_t *s;
	net_req_t *r = net_req_find(id, &s);
	if (!r)
		return; /* cancelled, timed out or closed meanwhile */
	if (!err && r->op == NC_SYS_NET_CONNECT) {
		bool v6 = IP_IS_V6(ip);
		err = from_lwip(is_udp(s) ? udp_connect(s->pcb.udp, ip, r->port)
					  : raw_connect(v6 ? s->raw6 : s->pcb.raw, ip));
		s->state = err ? SOCK_NEW : SOCK_CONNECTED;
		s->peer_v6 = v6;
	} else if (!err) { /* NetSendTo: data[0..off), then the address */
		err = send_to(s, r->data, r->off, ip, r->port);
	}
	net_req_finish(r, err, r->op == NC_SYS_NET_CONNECT || err ? 0 : r->off, NULL, 0);
}

/* Park m (keeping payload bytes data[0..len)) until host resolves. */
static void resolve_then(net_sock_t *s, const nc_service_msg_t *m, const char *host, size_t host_len, uint16_t port,
			 size_t len)
{
	net_req_t *r = net_req_new(m, m->payload, len, NC_SYS_TIMEOUT_INFINITE);
	if (!r) {
		net_answer(m->hdr.id, NC_SYS_ERR_NO_MEMORY, 0, NULL, 0);
		return;
	}
	r->off = len;
	r->port = port;
	net_sock_park(s, r);
	net_resolve(host, host_len, NET_NAME_A_THEN_AAAA, resolved, r->id);
}

/* NetConnect and NetSendTo: the address is canonical text after data_len bytes. */
static void with_address(net_sock_t *s, const nc_service_msg_t *m, size_t data_len)
{
	char host[NC_INET_HOST_MAX + 1];
	size_t host_len;
	uint16_t port;
	if (data_len > m->hdr.in_len ||
	    !net_split_endpoint((const char *)m->payload + data_len, m->hdr.in_len - data_len, host, &host_len,
				&port)) {
		net_answer(m->hdr.id, NC_SYS_ERR_INVALID, 0, NULL, 0);
		return;
	}
	resolve_then(s, m, host, host_len, port, data_len);
}

void net_dgram_open(net_sock_t *s, const nc_service_msg_t *m)
{
	(void)m;
	if (is_udp(s)) {
		s->pcb.udp = udp_new_ip_type(IPADDR_TYPE_ANY);
		if (s->pcb.udp)
			udp_recv(s->pcb.udp, on_udp, s);
	} else {
		s->pcb.raw = raw_new_ip_type(IPADDR_TYPE_V4, IP_PROTO_ICMP);
		s->raw6 = s->pcb.raw ? raw_new_ip_type(IPADDR_TYPE_V6, IP6_NEXTH_ICMP6) : NULL;
		if (s->pcb.raw && !s->raw6) {
			raw_remove(s->pcb.raw);
			s->pcb.raw = NULL; /* no memory: as if neither were made */
		}
		if (s->raw6) {
			raw_recv(s->pcb.raw, on_icmp, s);
			raw_recv(s->raw6, on_icmp6, s);
			s->raw6->chksum_reqd = 1;
			s->raw6->chksum_offset = 2; /* struct icmp_echo_hdr's chksum */
		}
		s->icmp_id = (uint16_t)LWIP_RAND();
	}
}

void net_dgram_close(net_sock_t *s)
{
	if (is_udp(s) && s->pcb.udp)
		udp_remove(s->pcb.udp);
	else if (!is_udp(s) && s->pcb.raw) {
		raw_remove(s->pcb.raw);
		raw_remove(s->raw6);
	}
	net_sock_free(s, NC_SYS_ERR_CONN_RESET);
}

static nc_sys_err_t do_bind(net_sock_t *s, const nc_service_msg_t *m)
{
	uint16_t port;
	ip_addr_t ip;
	if (s->bound)
		return NC_SYS_ERR_EXISTS;
	if (!net_split_ip((const char *)m->payload, m->hdr.in_len, &ip, &port))
		return NC_SYS_ERR_INVALID;
	err_t e = is_udp(s)	  ? udp_bind(s->pcb.udp, &ip, port)
		  : IP_IS_V6(&ip) ? raw_bind(s->raw6, &ip)
				  : raw_bind(s->pcb.raw, &ip);
	s->bound = e == ERR_OK;
	return from_lwip(e);
}

static void do_recv(net_sock_t *s, const nc_service_msg_t *m)
{
	uint64_t op = m->hdr.op;
	if (s->dgrams && !net_sock_has(s, NC_SYS_NET_RECV) && !net_sock_has(s, NC_SYS_NET_RECV_FROM)) {
		give_dgram(s, m->hdr.id, op, m->hdr.arg0, (uint8_t *)(uintptr_t)m->hdr.window);
		net_sock_signal(s);
		return;
	}
	net_req_t *r = m->hdr.arg1 ? net_req_new(m, NULL, 0, m->hdr.arg1) : NULL;
	if (!r) {
		net_answer(m->hdr.id, m->hdr.arg1 ? NC_SYS_ERR_NO_MEMORY : NC_SYS_ERR_TIMED_OUT, 0, NULL, 0);
		return;
	}
	r->want = m->hdr.arg0;
	net_sock_park(s, r);
}

void net_dgram_call(net_sock_t *s, const nc_service_msg_t *m)
{
	nc_sys_err_t err = NC_SYS_OK;
	uint64_t n = 0;
	switch (m->hdr.op) {
	case NC_SYS_NET_CONNECT:
		with_address(s, m, 0);
		return;
	case NC_SYS_NET_SEND_TO:
		with_address(s, m, m->hdr.arg0);
		return;
	case NC_SYS_NET_RECV:
	case NC_SYS_NET_RECV_FROM:
		do_recv(s, m);
		return;
	case NC_SYS_NET_SEND:
		if (m->hdr.window) /* a datagram of more than NET_IO_MAX_BYTES */
			err = NC_SYS_ERR_INVALID;
		else if (s->state != SOCK_CONNECTED)
			err = NC_SYS_ERR_NOT_CONNECTED;
		if (!err)
			err = send_to(s, m->payload, m->hdr.in_len, NULL, 0);
		n = err ? 0 : m->hdr.in_len;
		break;
	case NC_SYS_NET_BIND:
		err = do_bind(s, m);
		break;
	case NC_SYS_NET_SET_OPTION: /* main.c has set the socket's fields */
		break;
	default: /* NetListen, NetAccept, NetShutdown: stream calls */
		err = NC_SYS_ERR_INVALID;
		break;
	}
	net_answer(m->hdr.id, err, n, NULL, 0);
}
