/* lwIP's hooks in the network service (LWIP_HOOK_FILENAME in lwipopts.h):
 * SYNs that reopen a TIME_WAIT address pair (timewait.c) and the TCP initial
 * sequence number (isn_hook.c, RFC 6528). */
#ifndef NETSVC_NET_HOOKS_H
#define NETSVC_NET_HOOKS_H

#include "lwip/arch.h"
#include "lwip/ip_addr.h"

struct pbuf;
struct netif;
/* Never consume the packet: 0 lets lwIP go on with it. */
int net_timewait_ip4_input(struct pbuf *p, struct netif *inp);
int net_timewait_ip6_input(struct pbuf *p, struct netif *inp);

u32_t net_lwip_tcp_isn(const ip_addr_t *local_ip, u16_t local_port, const ip_addr_t *remote_ip,
                       u16_t remote_port);

#endif
