/* Names and endpoint texts of the network service: the kernel hands over
 * canonical "HOST:PORT" (lib/inet: an IPv4 address, an IPv6 address in
 * brackets, or a name); names are resolved by lwIP's DNS client (RFC 1035 A
 * records, or RFC 3596 AAAA records when NetResolve asks for IPv6, and for
 * NetConnect and NetSendTo the A record, else the AAAA record; random ids
 * and source ports) through the servers DHCP and DHCPv6 gave (dns_servers.c),
 * "localhost" locally. NetResolve requests wait on the resolver's
 * own pseudo-socket (slot 0, never an object the kernel knows). net_lock
 * held throughout. */
#include <nc/inet.h>
#include <nc/mem.h>
#include "lwip/dns.h"
#include "lwip/ip_addr.h"
#include "lwip/timeouts.h"
#include "netsvc.h"

/* A name being resolved for done(arg, ...). */
typedef struct {
	net_resolved_fn done;
	uint64_t arg;
	bool v6;                        /* asking for its AAAA record (else A) */
	bool then_aaaa;                 /* NET_NAME_A_THEN_AAAA: ask for AAAA when A fails */
	char name[];                    /* NUL-terminated */
} pending_t;

bool net_split_endpoint(const char *text, size_t len, char *host, size_t *host_len, uint16_t *port)
{
	nc_inet_endpoint_t e;
	if (nc_inet_parse_endpoint(text, len, &e))
		return false;
	nc_mem_copy(host, e.host, e.host_len + 1);
	*host_len = e.host_len;
	*port = e.port;
	return true;
}

/* The lwIP address of a parsed address endpoint; false for a name. */
static bool to_lwip(const nc_inet_endpoint_t *e, ip_addr_t *ip)
{
	if (e->is_ipv4) {
		ip_addr_set_ip4_u32_val(*ip, lwip_htonl(e->ipv4));
		return true;
	}
	if (!e->is_ipv6)
		return false;
	uint32_t w[4];
	for (int i = 0; i < 4; i++)
		w[i] = (uint32_t)e->ipv6[4 * i] << 24 | (uint32_t)e->ipv6[4 * i + 1] << 16 |
		       (uint32_t)e->ipv6[4 * i + 2] << 8 | e->ipv6[4 * i + 3];
	IP_ADDR6_HOST(ip, w[0], w[1], w[2], w[3]);
	return true;
}

bool net_split_ip(const char *text, size_t len, ip_addr_t *ip, uint16_t *port)
{
	nc_inet_endpoint_t e;
	if (nc_inet_parse_endpoint(text, len, &e) || !to_lwip(&e, ip))
		return false;
	if (e.is_ipv6 && ip6_addr_isany_val(*ip_2_ip6(ip)))
		*ip = *IP_ANY_TYPE; /* [::]: every address, IPv4 and IPv6 */
	*port = e.port;
	return true;
}

size_t net_format_ip(const ip_addr_t *ip, char *out, size_t cap)
{
	if (IP_IS_V4(ip))
		return nc_inet_format_ipv4(lwip_ntohl(ip_2_ip4(ip)->addr), out, cap);
	uint8_t a[16];
	for (int i = 0; i < 4; i++) {
		uint32_t w = lwip_ntohl(ip_2_ip6(ip)->addr[i]);
		for (int k = 0; k < 4; k++)
			a[4 * i + k] = (uint8_t)(w >> (24 - 8 * k));
	}
	return nc_inet_format_ipv6(a, out, cap);
}

void net_format_from(const ip_addr_t *ip, uint16_t port, char *out)
{
	nc_inet_endpoint_t e = { .port = port };
	bool v6 = IP_IS_V6(ip);
	e.host_len = net_format_ip(ip, e.host + v6, sizeof e.host - 2);
	if (v6) {
		e.host[0] = '[';
		e.host[e.host_len + 1] = ']';
		e.host_len += 2;
	}
	nc_inet_format_endpoint(&e, out, NET_FROM_TEXT);
}

static void ask(void *arg);

static void found(const char *name, const ip_addr_t *ip, void *arg)
{
	(void)name;
	pending_t *p = arg;
	if (!ip && p->then_aaaa) { /* no A record (or no such name): the AAAA record next */
		p->then_aaaa = false;
		p->v6 = true;
		sys_timeout(0, ask, p); /* a new question, but not from inside lwIP's answer handling */
		net_wake_by(0);
		return;
	}
	p->done(p->arg, ip ? NC_SYS_OK : NC_SYS_ERR_UNREACHABLE, ip);
	nc_free(p);
}

/* Ask lwIP for p's name (its AAAA record when p->v6, else its A record):
 * found() comes later, or at once for a cached name; p is freed once done. */
static void ask(void *arg)
{
	pending_t *p = arg;
	ip_addr_t ip;
	err_t e = dns_gethostbyname_addrtype(p->name, &ip, found, p, p->v6 ? LWIP_DNS_ADDRTYPE_IPV6 : LWIP_DNS_ADDRTYPE_IPV4);
	if (e == ERR_INPROGRESS)
		return;
	if (e == ERR_OK) {
		found(p->name, &ip, p);
		return;
	}
	p->done(p->arg, e == ERR_MEM ? NC_SYS_ERR_NO_MEMORY : NC_SYS_ERR_UNREACHABLE, NULL); /* no DNS server */
	nc_free(p);
}

void net_resolve(const char *host, size_t host_len, net_name_family_t family, net_resolved_fn done, uint64_t arg)
{
	nc_inet_endpoint_t h;
	ip_addr_t ip;
	if (nc_inet_parse_host(host, host_len, &h) == NC_INET_OK && to_lwip(&h, &ip)) {
		done(arg, NC_SYS_OK, &ip);
		return;
	}
	pending_t *p = nc_malloc(sizeof *p + host_len + 1);
	if (!p) {
		done(arg, NC_SYS_ERR_NO_MEMORY, NULL);
		return;
	}
	*p = (pending_t){ .done = done, .arg = arg, .v6 = family == NET_NAME_IPV6,
			  .then_aaaa = family == NET_NAME_A_THEN_AAAA };
	nc_mem_copy(p->name, host, host_len);
	p->name[host_len] = 0;
	ask(p);
}

/* A NetResolve's name resolved: answer with the address text and its NUL. */
static void resolve_done(uint64_t id, nc_sys_err_t err, const ip_addr_t *ip)
{
	net_sock_t *s;
	net_req_t *r = net_req_find(id, &s);
	if (!r)
		return; /* the caller gave up */
	char text[NC_INET_IPV6_TEXT_MAX + 1];
	size_t n = err ? 0 : net_format_ip(ip, text, sizeof text) + 1;
	if (!err && n > r->want)
		err = NC_SYS_ERR_TOO_SMALL;
	net_req_finish(r, err, err ? 0 : n, text, err ? 0 : n);
}

void net_resolve_call(const nc_service_msg_t *m)
{
	net_req_t *r = m->hdr.in_len <= NC_INET_HOST_MAX ? net_req_new(m, m->payload, m->hdr.in_len,
									NC_SYS_TIMEOUT_INFINITE)
							     : NULL;
	if (!r) {
		net_answer(m->hdr.id, m->hdr.in_len > NC_INET_HOST_MAX ? NC_SYS_ERR_INVALID : NC_SYS_ERR_NO_MEMORY, 0,
			   NULL, 0);
		return;
	}
	r->want = m->hdr.out_max;
	net_sock_park(net_resolver(), r);
	net_resolve((const char *)r->data, r->len, m->hdr.arg0 == NC_SYS_NET_RESOLVE_IPV6 ? NET_NAME_IPV6 : NET_NAME_IPV4,
		    resolve_done, r->id);
}
