/* The DNS servers the interfaces learned, and where from: DHCP (RFC 2132
 * option 6) and stateless DHCPv6 (RFC 8415 Information-request, RFC 3646
 * option 23), up to two each per interface. lwIP's DHCP and DHCPv6 clients
 * would both write lwIP's server slots from 0 up, the later answer hiding
 * the earlier one; build.mk sends their dns_setserver calls here instead,
 * and this table lays every server out again in lwIP's one list: first
 * every interface's DHCP servers, then every interface's DHCPv6 servers.
 * lwIP's resolver asks the first; on a timeout, or an answer with an error
 * (NXDOMAIN, REFUSED), it asks the next. net_lock held throughout (the
 * DHCP clients run inside lwIP's input). */
#include <nc/inet.h>
#include <nc/mem.h>
#include "lwip/dns.h"
#include "lwip/ip.h"
#include "lwip/netif.h"
#include "netsvc.h"

enum {
	SOURCE_DHCP, SOURCE_DHCP6, SOURCES, /* where a server came from, in lwIP's list order */
	PER_SOURCE = 2,                 /* servers kept from one answer */
	LEARNED_MAX = NC_SYS_NET_INTERFACES_MAX,
};

_Static_assert(LWIP_DHCP_MAX_DNS_SERVERS <= PER_SOURCE && LWIP_DHCP6_MAX_DNS_SERVERS <= PER_SOURCE,
	       "every server a DHCP or DHCPv6 answer gives has a place");

typedef struct {
	const struct netif *netif;      /* NULL: a free entry */
	ip_addr_t server[SOURCES][PER_SOURCE]; /* zero: none */
} learned_t;

static learned_t learned[LEARNED_MAX];

/* netif's entry (made when new), or NULL when the table is full. */
static learned_t *entry_of(const struct netif *netif, bool make)
{
	learned_t *fresh = NULL;
	for (int i = 0; i < LEARNED_MAX; i++) {
		if (learned[i].netif == netif)
			return &learned[i];
		if (!learned[i].netif && !fresh)
			fresh = &learned[i];
	}
	if (fresh && make) {
		nc_mem_set(fresh, 0, sizeof *fresh);
		fresh->netif = netif;
		return fresh;
	}
	return NULL;
}

/* lwIP's server list again: the DHCP servers, then the DHCPv6 servers. */
static void lay_out(void)
{
	u8_t k = 0;
	for (int source = 0; source < SOURCES; source++)
		for (int i = 0; i < LEARNED_MAX; i++)
			for (int n = 0; n < PER_SOURCE && learned[i].netif; n++)
				if (!ip_addr_isany_val(learned[i].server[source][n]) && k < DNS_MAX_SERVERS)
					dns_setserver(k++, &learned[i].server[source][n]);
	while (k < DNS_MAX_SERVERS)
		dns_setserver(k++, NULL);
}

/* Server n of the answer the input interface is receiving from source. An
 * answer's first server replaces what that source gave before. */
static void learn(int source, u8_t n, const ip_addr_t *server)
{
	const struct netif *netif = ip_current_input_netif();
	learned_t *e = netif ? entry_of(netif, true) : NULL; /* NULL would match a free entry */
	if (!e || n >= PER_SOURCE)
		return;
	if (n == 0)
		nc_mem_set(e->server[source], 0, sizeof e->server[source]);
	bool v4 = server && IP_IS_V4(server);
	if (server && v4 == (source == SOURCE_DHCP)) /* a server of the other family is ignored */
		e->server[source][n] = *server;
	lay_out();
}

void net_dns_from_dhcp(uint8_t n, const ip_addr_t *server)
{
	learn(SOURCE_DHCP, n, server);
}

void net_dns_from_dhcp6(uint8_t n, const ip_addr_t *server)
{
	learn(SOURCE_DHCP6, n, server);
}

void net_dns_describe(const struct netif *netif, bool dhcp6, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = 0;
	learned_t *e = entry_of(netif, false);
	for (int n = 0; e && n < PER_SOURCE; n++) {
		const ip_addr_t *a = &e->server[dhcp6 ? SOURCE_DHCP6 : SOURCE_DHCP][n];
		char text[NC_INET_IPV6_TEXT_MAX + 1];
		if (ip_addr_isany_val(*a))
			continue;
		size_t t = net_format_ip(a, text, sizeof text);
		if (len + (len > 0) + t + 1 > cap)
			break;
		if (len)
			out[len++] = ' ';
		nc_mem_copy(out + len, text, t + 1);
		len += t;
	}
}
