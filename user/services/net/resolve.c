/* Names and endpoint texts of the network service: the kernel hands over
 * canonical "HOST:PORT" (lib/inet); names are resolved by lwIP's DNS client
 * (RFC 1035 A records, random ids and source ports) through the servers
 * DHCP gave, "localhost" locally. NetResolve requests wait on the resolver's
 * own pseudo-socket (slot 0, never an object the kernel knows). net_lock
 * held throughout. */
#include <nc/inet.h>
#include <nc/mem.h>
#include "lwip/dns.h"
#include "lwip/ip_addr.h"
#include "netsvc.h"

typedef struct {
	net_resolved_fn done;
	uint64_t arg;
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

bool net_split_ipv4(const char *text, size_t len, struct ip4_addr *ip, uint16_t *port)
{
	nc_inet_endpoint_t e;
	if (nc_inet_parse_endpoint(text, len, &e) || !e.is_ipv4)
		return false;
	ip->addr = lwip_htonl(e.ipv4);
	*port = e.port;
	return true;
}

void net_format_from(uint32_t addr, uint16_t port, char *out)
{
	nc_inet_endpoint_t e = { .is_ipv4 = true, .ipv4 = addr, .port = port };
	e.host_len = nc_inet_format_ipv4(addr, e.host, sizeof e.host);
	nc_inet_format_endpoint(&e, out, NET_FROM_TEXT);
}

static void found(const char *name, const ip_addr_t *ip, void *arg)
{
	(void)name;
	pending_t *p = arg;
	if (ip)
		p->done(p->arg, NC_SYS_OK, lwip_ntohl(ip_2_ip4(ip)->addr));
	else
		p->done(p->arg, NC_SYS_ERR_UNREACHABLE, 0);
	nc_free(p);
}

void net_resolve(const char *host, size_t host_len, net_resolved_fn done, uint64_t arg)
{
	uint32_t addr;
	if (nc_inet_parse_ipv4(host, host_len, &addr) == NC_INET_OK) {
		done(arg, NC_SYS_OK, addr);
		return;
	}
	pending_t *p = nc_malloc(sizeof *p);
	if (!p) {
		done(arg, NC_SYS_ERR_NO_MEMORY, 0);
		return;
	}
	*p = (pending_t){ done, arg };
	ip_addr_t ip;
	err_t e = dns_gethostbyname(host, &ip, found, p);
	if (e == ERR_INPROGRESS)
		return; /* found() comes later */
	nc_free(p);
	if (e == ERR_OK)
		done(arg, NC_SYS_OK, lwip_ntohl(ip_2_ip4(&ip)->addr));
	else
		done(arg, e == ERR_MEM ? NC_SYS_ERR_NO_MEMORY : NC_SYS_ERR_UNREACHABLE, 0);
}

/* A NetResolve's name resolved: answer with the address text and its NUL. */
static void resolve_done(uint64_t id, nc_sys_err_t err, uint32_t addr)
{
	net_sock_t *s;
	net_req_t *r = net_req_find(id, &s);
	if (!r)
		return; /* the caller gave up */
	char text[NC_INET_IPV4_TEXT_MAX + 1];
	size_t n = err ? 0 : nc_inet_format_ipv4(addr, text, sizeof text) + 1;
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
	net_resolve((const char *)r->data, r->len, resolve_done, r->id);
}
